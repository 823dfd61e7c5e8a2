#include "splitcheck/lib/postgres/internal/pg_copy_text.h"

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"

namespace splitcheck::internal {
namespace {

using Fields = std::vector<std::optional<std::string>>;

Fields parsed(std::string_view row) {
  Fields out;
  parse_copy_row(row, out);
  return out;
}

TEST(CopyText, ParsesWhatTheServerSends) {
  EXPECT_EQ(parsed("1\tname\t\\N\n"), (Fields{"1", "name", std::nullopt}));
  EXPECT_EQ(parsed("a\\tb\\nc\\\\d\\r"), (Fields{"a\tb\nc\\d\r"}));
  EXPECT_EQ(parsed("\\101\\x42\\7\\b\\f\\v\\q"), (Fields{"AB\x07\b\f\vq"}));
  EXPECT_EQ(parsed("\t\n"), (Fields{"", ""}));
  EXPECT_EQ(parsed(""), (Fields{""}));
  EXPECT_THROW(parsed("abc\\"), CorruptDataError);
}

TEST(CopyText, EncodingThenParsingGivesTheFieldsBack) {
  std::mt19937 rng(7);
  const std::string alphabet = std::string("ab\\\t\n\rN\x01\xC3\xA9 ");
  for (int i = 0; i < 2000; ++i) {
    Fields fields;
    const int n = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < n; ++f) {
      if (rng() % 5 == 0) {
        fields.emplace_back(std::nullopt);
        continue;
      }
      std::string v;
      for (int k = static_cast<int>(rng() % 6); k > 0; --k) v += alphabet[rng() % alphabet.size()];
      fields.emplace_back(v);
    }
    std::string row;
    append_copy_row(fields, row);
    ASSERT_EQ(parsed(row), fields) << "row " << i;
  }
  std::string out;
  EXPECT_THROW(append_copy_row({std::string("a\0b", 3)}, out), InputError);
}

}  // namespace
}  // namespace splitcheck::internal
