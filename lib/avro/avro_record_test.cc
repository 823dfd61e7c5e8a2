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
using testkit::ErrorOf;
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

// As the process runner carries records: the schema and the datum, and back.
TEST(AvroRecordCoder, RecordsRoundTripAndCorruptBytesAreErrors) {
  const std::vector<AvroRecord> users = internal::test_users(0, 50);
  ByteWriter out;
  for (const AvroRecord& user : users) encode_value(user, out);
  ByteReader in(out.bytes(), "records");
  for (const AvroRecord& user : users) EXPECT_EQ(decode_value<AvroRecord>(in), user);
  in.expect_end();

  ByteWriter one;
  encode_value(users[7], one);
  const std::string bytes(one.bytes());
  // Every truncation is a CorruptDataError.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THAT(ErrorOf<CorruptDataError>([&] {
                  ByteReader cut(std::string_view(bytes).substr(0, n), "record");
                  decode_value<AvroRecord>(cut);
                  cut.expect_end();
                }),
                HasSubstr("record"))
        << n;
  }
  // A datum whose string length is -1 (avro-c would write before its
  // buffer) is refused before avro-c reads it.
  ByteReader schema_in(bytes, "record");
  const std::string schema = schema_in.get_string("schema");
  ByteWriter bad;
  bad.put_string(schema);
  bad.put_string(std::string("\x0e\x01", 2));  // id 7, then a name of length -1
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] {
                ByteReader r(bad.bytes(), "record");
                decode_value<AvroRecord>(r);
              }),
              HasSubstr("Avro datum"));
}

}  // namespace
}  // namespace splitcheck
