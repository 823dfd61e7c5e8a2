// AvroRecord: one record read from an Avro container file, as an avro-c value.
//
//   for (const AvroRecord& user : runner.run(ReadFromAvro("users-*.avro")).records) {
//     std::int64_t id = user.get<std::int64_t>("id");
//     std::string name = user.get<std::string>("name");
//   }
//
// A record is immutable and shared: copies refer to the same avro-c value
// (avro-c's own reference count, so a copy allocates nothing), which lives
// until the last copy goes. A moved-from record may only be assigned to or
// destroyed. Records compare equal when avro-c's
// avro_value_equal says so (same schema, same data), and print as avro-c's
// one-line JSON. value() hands the avro-c value to code that walks it with
// avro-c's own API (avro/value.h); that code must not modify it.
//
// Thread-safe: a record may be read from several threads at once (avro-c's
// reference counts are atomic).

#ifndef SPLITCHECK_LIB_AVRO_AVRO_RECORD_H_
#define SPLITCHECK_LIB_AVRO_AVRO_RECORD_H_

#include <avro.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/coders/coder.h"

namespace splitcheck {

class AvroRecord {
 public:
  // Takes over the one reference the caller holds to `value`.
  static AvroRecord adopt(avro_value_t value) { return AvroRecord(value); }

  // avro_value_copy_ref: a reference to the value and to its class, both of
  // which avro_value_decref releases.
  AvroRecord(const AvroRecord& other) : value_() { avro_value_copy_ref(&value_, &other.value_); }
  AvroRecord(AvroRecord&& other) noexcept : value_(other.value_) { other.value_ = {}; }
  AvroRecord& operator=(const AvroRecord& other) {
    AvroRecord copy(other);
    std::swap(value_, copy.value_);
    return *this;
  }
  AvroRecord& operator=(AvroRecord&& other) noexcept {
    std::swap(value_, other.value_);
    return *this;
  }
  ~AvroRecord() {
    if (value_.iface != nullptr) avro_value_decref(&value_);
  }

  // The avro-c value; valid while this record or a copy lives. Read only.
  avro_value_t* value() const { return &value_; }
  // Its schema (owned by the value).
  avro_schema_t schema() const;

  // A field of a record schema, converted to T: std::int64_t (Avro long or
  // int), std::int32_t (int), double (double or float), float, bool,
  // std::string (string or bytes). A name the schema lacks, or a field of
  // another type (a union, say), is a UsageError naming the field, the type
  // asked for and the record's schema.
  template <typename T>
  T get(std::string_view field) const;

  // avro-c's one-line JSON of the value.
  std::string to_json() const;

  friend bool operator==(const AvroRecord& a, const AvroRecord& b);
  friend std::ostream& operator<<(std::ostream& os, const AvroRecord& record);

 private:
  explicit AvroRecord(avro_value_t value) : value_(value) {}

  // The field named `name`, or a UsageError saying `wanted`.
  avro_value_t field(std::string_view name, std::string_view wanted) const;

  // Mutable because avro-c's accessors take a non-const pointer; no method
  // changes the value.
  mutable avro_value_t value_;
};

template <>
std::int64_t AvroRecord::get<std::int64_t>(std::string_view field) const;
template <>
std::int32_t AvroRecord::get<std::int32_t>(std::string_view field) const;
template <>
double AvroRecord::get<double>(std::string_view field) const;
template <>
float AvroRecord::get<float>(std::string_view field) const;
template <>
bool AvroRecord::get<bool>(std::string_view field) const;
template <>
std::string AvroRecord::get<std::string>(std::string_view field) const;

// A record as bytes, for workers in other processes (lib/coders/coder.h):
// its schema as JSON, then its datum in Avro's binary encoding, each
// length-prefixed. Decoding parses the schema once per thread while it
// recurs (a small cache), checks the datum against it (every length, count
// and index, as AvroSource checks its blocks: internal/avro_validate.h) and
// only then reads it with avro-c: a schema avro-c cannot parse, a datum that
// breaks its schema or does not fill its bytes exactly, or bytes cut short
// are a CorruptDataError.
template <>
struct Coder<AvroRecord> {
  static void encode(const AvroRecord& record, ByteWriter& out);
  static AvroRecord decode(ByteReader& in);
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_AVRO_AVRO_RECORD_H_
