#include "splitcheck/lib/avro/avro_record.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck {
namespace {

std::string schema_json(avro_schema_t schema) {
  char buffer[4096] = {};
  avro_writer_t writer = avro_writer_memory(buffer, sizeof(buffer) - 1);
  if (writer == nullptr) return "(schema)";
  const bool ok = avro_schema_to_json(schema, writer) == 0;
  const auto length = static_cast<std::size_t>(avro_writer_tell(writer));
  avro_writer_free(writer);
  return ok ? std::string(buffer, length) : "(a schema longer than 4 KiB)";
}

}  // namespace

avro_schema_t AvroRecord::schema() const { return avro_value_get_schema(&value_); }

avro_value_t AvroRecord::field(std::string_view name, std::string_view wanted) const {
  avro_value_t out;
  const std::string key(name);
  if (avro_value_get_type(&value_) != AVRO_RECORD ||
      avro_value_get_by_name(&value_, key.c_str(), &out, nullptr) != 0) {
    throw UsageError("AvroRecord::get<" + std::string(wanted) + ">(\"" + key +
                     "\"): the record has no such field; its schema is " + schema_json(schema()));
  }
  return out;
}

namespace {

[[noreturn]] void wrong_type(std::string_view name, std::string_view wanted, avro_schema_t schema) {
  throw UsageError("AvroRecord::get<" + std::string(wanted) + ">(\"" + std::string(name) +
                   "\"): the field is not of that type; the record's schema is " +
                   schema_json(schema));
}

}  // namespace

template <>
std::int64_t AvroRecord::get<std::int64_t>(std::string_view name) const {
  avro_value_t f = field(name, "std::int64_t");
  if (avro_value_get_type(&f) == AVRO_INT64) {
    std::int64_t v = 0;
    avro_value_get_long(&f, &v);
    return v;
  }
  if (avro_value_get_type(&f) == AVRO_INT32) {
    std::int32_t v = 0;
    avro_value_get_int(&f, &v);
    return v;
  }
  wrong_type(name, "std::int64_t", schema());
}

template <>
std::int32_t AvroRecord::get<std::int32_t>(std::string_view name) const {
  avro_value_t f = field(name, "std::int32_t");
  if (avro_value_get_type(&f) != AVRO_INT32) wrong_type(name, "std::int32_t", schema());
  std::int32_t v = 0;
  avro_value_get_int(&f, &v);
  return v;
}

template <>
double AvroRecord::get<double>(std::string_view name) const {
  avro_value_t f = field(name, "double");
  if (avro_value_get_type(&f) == AVRO_DOUBLE) {
    double v = 0;
    avro_value_get_double(&f, &v);
    return v;
  }
  if (avro_value_get_type(&f) == AVRO_FLOAT) {
    float v = 0;
    avro_value_get_float(&f, &v);
    return v;
  }
  wrong_type(name, "double", schema());
}

template <>
float AvroRecord::get<float>(std::string_view name) const {
  avro_value_t f = field(name, "float");
  if (avro_value_get_type(&f) != AVRO_FLOAT) wrong_type(name, "float", schema());
  float v = 0;
  avro_value_get_float(&f, &v);
  return v;
}

template <>
bool AvroRecord::get<bool>(std::string_view name) const {
  avro_value_t f = field(name, "bool");
  if (avro_value_get_type(&f) != AVRO_BOOLEAN) wrong_type(name, "bool", schema());
  int v = 0;
  avro_value_get_boolean(&f, &v);
  return v != 0;
}

template <>
std::string AvroRecord::get<std::string>(std::string_view name) const {
  avro_value_t f = field(name, "std::string");
  const void* data = nullptr;
  std::size_t size = 0;
  if (avro_value_get_type(&f) == AVRO_STRING) {
    const char* text = nullptr;
    avro_value_get_string(&f, &text, &size);
    // avro-c counts the terminating NUL in a string's size.
    return std::string(text, size > 0 ? size - 1 : 0);
  }
  if (avro_value_get_type(&f) == AVRO_BYTES) {
    avro_value_get_bytes(&f, &data, &size);
    return std::string(static_cast<const char*>(data), size);
  }
  wrong_type(name, "std::string", schema());
}

std::string AvroRecord::to_json() const {
  char* json = nullptr;
  if (avro_value_to_json(&value_, 1, &json) != 0 || json == nullptr) {
    return "(a value avro-c cannot render as JSON)";
  }
  std::string out(json);
  std::free(json);
  return out;
}

bool operator==(const AvroRecord& a, const AvroRecord& b) {
  if (a.value_.self == b.value_.self) return true;
  return avro_value_equal(&a.value_, &b.value_) != 0;
}

std::ostream& operator<<(std::ostream& os, const AvroRecord& record) {
  return os << record.to_json();
}

}  // namespace splitcheck
