#include "splitcheck/lib/avro/avro_record.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/avro/internal/avro_validate.h"
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

// The JSON of `schema`, whatever its length; nullopt if avro-c fails.
std::optional<std::string> full_schema_json(avro_schema_t schema) {
  for (std::size_t size = 4096; size <= (std::size_t{1} << 30); size *= 4) {
    std::string buffer(size, '\0');
    avro_writer_t writer = avro_writer_memory(buffer.data(), static_cast<std::int64_t>(size));
    if (writer == nullptr) return std::nullopt;
    const bool ok = avro_schema_to_json(schema, writer) == 0;
    const auto length = static_cast<std::size_t>(avro_writer_tell(writer));
    avro_writer_free(writer);
    if (ok && length < size) {
      buffer.resize(length);
      return buffer;
    }
  }
  return std::nullopt;
}

// A parsed schema and the generic class of its values.
struct ParsedSchema {
  std::string json;
  avro_schema_t schema = nullptr;
  avro_value_iface_t* iface = nullptr;
  // avro-c trusts the lengths and counts it decodes: every datum is checked
  // against the schema first (internal/avro_validate.h).
  std::unique_ptr<const internal::AvroValidator> validator;
  ParsedSchema() = default;
  ParsedSchema(const ParsedSchema&) = delete;
  ParsedSchema& operator=(const ParsedSchema&) = delete;
  ~ParsedSchema() {
    if (iface != nullptr) avro_value_iface_decref(iface);
    if (schema != nullptr) avro_schema_decref(schema);
  }
};

// The schemas this thread decoded lately, by JSON.
const ParsedSchema& parsed_schema(const std::string& json, ByteReader& in, std::size_t at) {
  thread_local std::vector<std::unique_ptr<ParsedSchema>> cache;
  for (const auto& entry : cache) {
    if (entry->json == json) return *entry;
  }
  auto parsed = std::make_unique<ParsedSchema>();
  parsed->json = json;
  if (avro_schema_from_json_length(json.data(), json.size(), &parsed->schema) != 0) {
    parsed->schema = nullptr;
    in.fail(at, "Avro schema", std::string("avro-c cannot parse it: ") + avro_strerror());
  }
  parsed->iface = avro_generic_class_from_schema(parsed->schema);
  if (parsed->iface == nullptr) {
    in.fail(at, "Avro schema", std::string("avro-c makes no class of it: ") + avro_strerror());
  }
  parsed->validator = std::make_unique<const internal::AvroValidator>(parsed->schema);
  if (cache.size() >= 8) cache.erase(cache.begin());
  cache.push_back(std::move(parsed));
  return *cache.back();
}

}  // namespace

void Coder<AvroRecord>::encode(const AvroRecord& record, ByteWriter& out) {
  // The JSON of the last schema this thread encoded, the schema held (and
  // released with the thread) so that its address cannot be reused by
  // another while remembered.
  struct Last {
    avro_schema_t schema = nullptr;
    std::string json;
    ~Last() {
      if (schema != nullptr) avro_schema_decref(schema);
    }
  };
  thread_local Last last;
  avro_schema_t schema = record.schema();
  if (schema != last.schema) {
    std::optional<std::string> json = full_schema_json(schema);
    if (!json) throw InternalError("Coder<AvroRecord>: avro-c cannot write the record's schema");
    if (last.schema != nullptr) avro_schema_decref(last.schema);
    last.schema = avro_schema_incref(schema);
    last.json = std::move(*json);
  }
  out.put_string(last.json);
  std::size_t size = 0;
  if (avro_value_sizeof(record.value(), &size) != 0) {
    throw InternalError("Coder<AvroRecord>: avro-c cannot size the record " + record.to_json());
  }
  std::string datum(size, '\0');
  avro_writer_t writer = avro_writer_memory(datum.data(), static_cast<std::int64_t>(size));
  if (writer == nullptr) throw InternalError("Coder<AvroRecord>: avro_writer_memory failed");
  const int rc = avro_value_write(writer, record.value());
  avro_writer_free(writer);
  if (rc != 0) {
    throw InternalError("Coder<AvroRecord>: avro-c cannot encode the record " + record.to_json());
  }
  out.put_string(datum);
}

AvroRecord Coder<AvroRecord>::decode(ByteReader& in) {
  const std::size_t at = in.offset();
  const std::string json = in.get_string("Avro schema");
  const ParsedSchema& parsed = parsed_schema(json, in, at);
  const std::size_t datum_at = in.offset();
  const std::string datum = in.get_string("Avro datum");
  try {
    parsed.validator->validate(datum, 1, "Avro datum");
  } catch (const CorruptDataError& e) {
    in.fail(datum_at, "Avro datum", e.what());
  }
  avro_value_t value;
  if (avro_generic_value_new(parsed.iface, &value) != 0) {
    throw InternalError(std::string("Coder<AvroRecord>: avro-c cannot make a value: ") +
                        avro_strerror());
  }
  AvroRecord record = AvroRecord::adopt(value);
  avro_reader_t reader = avro_reader_memory(datum.data(), static_cast<std::int64_t>(datum.size()));
  if (reader == nullptr) throw InternalError("Coder<AvroRecord>: avro_reader_memory failed");
  const int rc = avro_value_read(reader, record.value());
  avro_reader_free(reader);
  if (rc != 0) {
    in.fail(datum_at, "Avro datum", std::string("not a datum of its schema: ") + avro_strerror());
  }
  // avro-c's memory reader does not say where it stopped; the binary
  // encoding is canonical, so the datum's size is what it read.
  std::size_t size = 0;
  if (avro_value_sizeof(record.value(), &size) != 0 || size != datum.size()) {
    in.fail(datum_at, "Avro datum", "bytes left after the datum");
  }
  return record;
}

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
