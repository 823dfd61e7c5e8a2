#include "splitcheck/lib/avro/internal/avro_test_files.h"

#include <stdexcept>

#include "splitcheck/lib/avro/internal/avro_reader.h"

namespace splitcheck::internal {

const char kUserSchema[] = R"({"type": "record", "name": "User", "fields": [)"
                           R"({"name": "id", "type": "long"}, {"name": "name", "type": "string"}, )"
                           R"({"name": "score", "type": "double"}]})";

std::vector<AvroRecord> test_users(std::int64_t first, std::int64_t n, std::size_t name_padding) {
  const AvroSchemaHandle schema = parse_avro_schema(kUserSchema, "test_users");
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema.get());
  std::vector<AvroRecord> out;
  for (std::int64_t id = first; id < first + n; ++id) {
    avro_value_t value;
    avro_generic_value_new(iface, &value);
    avro_value_t field;
    avro_value_get_by_index(&value, 0, &field, nullptr);
    avro_value_set_long(&field, id);
    avro_value_get_by_index(&value, 1, &field, nullptr);
    const std::string name = "user-" + std::to_string(id) + std::string(name_padding, 'x');
    avro_value_set_string_len(&field, name.c_str(), name.size() + 1);
    avro_value_get_by_index(&value, 2, &field, nullptr);
    avro_value_set_double(&field, static_cast<double>(id) / 4);
    out.push_back(AvroRecord::adopt(value));
  }
  avro_value_iface_decref(iface);
  return out;
}

namespace {

std::string encoded(const AvroRecord& record) {
  std::string out;
  if (!encode_avro_value(record.value(), out)) throw std::runtime_error(avro_strerror());
  return out;
}

}  // namespace

AvroTestFile avro_test_file(const std::string& schema_json, const std::vector<AvroRecord>& records,
                            std::size_t per_block, AvroCodec codec, const AvroSync& sync) {
  AvroTestFile file;
  const std::string marker(sync.data(), sync.size());
  file.bytes = avro_container_header(schema_json, codec, {}, sync);
  file.bytes.resize(file.bytes.size() - kAvroSyncSize);
  file.block_positions.push_back(static_cast<std::int64_t>(file.bytes.size()));
  file.bytes += marker;
  for (std::size_t first = 0; first < records.size(); first += per_block) {
    std::string data;
    const std::size_t last = std::min(records.size(), first + per_block);
    for (std::size_t i = first; i < last; ++i) data += encoded(records[i]);
    const std::string block = encode_avro_block(codec, data);
    file.bytes += avro_long(static_cast<std::int64_t>(last - first)) +
                  avro_long(static_cast<std::int64_t>(block.size())) + block;
    file.block_positions.push_back(static_cast<std::int64_t>(file.bytes.size()));
    file.bytes += marker;
  }
  // The last position is the trailing marker of the last block: no block
  // follows it.
  file.block_positions.pop_back();
  return file;
}

}  // namespace splitcheck::internal
