// PostgreSQL's COPY text format, both ways: what WriteToPostgres sends to
// COPY ... FROM STDIN and what ReadFromPostgres reads from COPY ... TO
// STDOUT. A row is its fields separated by tabs and ended by '\n'; NULL is
// \N; a backslash escapes \b \f \n \r \t \v and itself, \<1-3 octal
// digits> and \x<1-2 hex digits> are bytes, and a backslash before any other
// character stands for that character.

#ifndef SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_COPY_TEXT_H_
#define SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_COPY_TEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splitcheck::internal {

// Appends `fields` as one row. A NUL byte in a value is an InputError (text
// values cannot hold one).
void append_copy_row(const std::vector<std::optional<std::string>>& fields, std::string& out);

// The fields of one row (with or without its '\n'), into `fields` (cleared
// first). A backslash at the very end is a CorruptDataError.
void parse_copy_row(std::string_view row, std::vector<std::optional<std::string>>& fields);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_COPY_TEXT_H_
