// PgRow: one row a PostgreSQL query returned, as text.
//
// values[i] is column i in PostgreSQL's text output form (what psql shows:
// "42", "t", "2026-12-04 10:00:00+00"), or nullopt for SQL NULL. Rows compare
// column by column, NULL before any value, so tests can sort and compare
// what they read.

#ifndef SPLITCHECK_LIB_POSTGRES_PG_ROW_H_
#define SPLITCHECK_LIB_POSTGRES_PG_ROW_H_

#include <compare>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "splitcheck/lib/coders/coder.h"

namespace splitcheck {

struct PgRow {
  std::vector<std::optional<std::string>> values;

  friend bool operator==(const PgRow&, const PgRow&) = default;
  friend auto operator<=>(const PgRow&, const PgRow&) = default;
  friend std::ostream& operator<<(std::ostream& os, const PgRow& row) {
    os << "(";
    for (std::size_t i = 0; i < row.values.size(); ++i) {
      if (i > 0) os << ", ";
      if (row.values[i]) {
        os << '"' << *row.values[i] << '"';
      } else {
        os << "NULL";
      }
    }
    return os << ")";
  }
};

// Rows travel from worker processes to the runner as bytes.
template <>
struct Coder<PgRow> {
  static void encode(const PgRow& row, ByteWriter& out) { encode_value(row.values, out); }
  static PgRow decode(ByteReader& in) {
    return PgRow{decode_value<std::vector<std::optional<std::string>>>(in)};
  }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_POSTGRES_PG_ROW_H_
