#include "splitcheck/lib/avro/avro_record.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using testkit::UsageErrorOf;

TEST(AvroRecord, TypedFieldsAndConversions) {
  const AvroRecord user = internal::test_users(6, 1)[0];
  EXPECT_EQ(user.get<std::int64_t>("id"), 6);
  EXPECT_EQ(user.get<std::string>("name"), "user-6");
  EXPECT_EQ(user.get<double>("score"), 1.5);
}

TEST(AvroRecord, AWrongFieldOrTypeIsAUsageErrorNamingIt) {
  const AvroRecord user = internal::test_users(0, 1)[0];
  EXPECT_THAT(UsageErrorOf([&] { user.get<std::int64_t>("age"); }),
              HasSubstr("get<std::int64_t>(\"age\"): the record has no such field; its schema is "
                        "{\"type\":\"record\",\"name\":\"User\""));
  EXPECT_THAT(UsageErrorOf([&] { user.get<bool>("name"); }),
              HasSubstr("get<bool>(\"name\"): the field is not of that type"));
  EXPECT_THAT(UsageErrorOf([&] { user.get<std::int32_t>("id"); }),
              HasSubstr("get<std::int32_t>(\"id\")"));
}

TEST(AvroRecord, EqualityIsByValueAndCopiesShare) {
  const std::vector<AvroRecord> a = internal::test_users(0, 2);
  const std::vector<AvroRecord> b = internal::test_users(0, 2);
  EXPECT_EQ(a[0], b[0]);
  EXPECT_FALSE(a[0] == a[1]);
  AvroRecord copy = a[1];
  EXPECT_EQ(copy.value()->self, a[1].value()->self);
  AvroRecord moved = std::move(copy);
  EXPECT_EQ(moved, a[1]);
  AvroRecord assigned = a[0];
  assigned = moved;
  EXPECT_EQ(assigned, a[1]);
}

TEST(AvroRecord, PrintsAsOneLineJson) {
  std::ostringstream os;
  os << internal::test_users(3, 1)[0];
  EXPECT_EQ(os.str(), R"({"id": 3, "name": "user-3", "score": 0.75})");
}

}  // namespace
}  // namespace splitcheck
