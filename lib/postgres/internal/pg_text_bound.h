// smallest_text_at_least: the bound a text column is compared with, for a
// key range bound that may not be text.
//
// A LexicographicKeyRangeTracker's split keys are byte strings made by key
// arithmetic: they may hold a NUL or bytes that are not UTF-8, which a
// PostgreSQL text value cannot. Over the values a UTF-8 text column can hold
// (valid UTF-8, no NUL), in byte order (COLLATE "C"),
//     value >= bound   exactly when   value >= smallest_text_at_least(bound),
// so a range [start, stop) selects the same rows with both ends rounded up.
// nullopt: no text value is >= bound (the bound is past every value).

#ifndef SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_TEXT_BOUND_H_
#define SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_TEXT_BOUND_H_

#include <optional>
#include <string>
#include <string_view>

namespace splitcheck::internal {

std::optional<std::string> smallest_text_at_least(std::string_view bound);

// The length of the valid UTF-8 sequence for a character other than NUL
// that starts at s[at], or 0 when none does.
std::size_t utf8_sequence_length(std::string_view s, std::size_t at);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_TEXT_BOUND_H_
