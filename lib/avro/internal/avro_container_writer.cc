#include "splitcheck/lib/avro/internal/avro_container_writer.h"

#include <new>
#include <random>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck::internal {
namespace {

void append_long(std::string& out, std::int64_t value) {
  std::uint64_t n =
      (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

void append_string(std::string& out, std::string_view s) {
  append_long(out, static_cast<std::int64_t>(s.size()));
  out.append(s);
}

}  // namespace

std::string avro_long(std::int64_t value) {
  std::string out;
  append_long(out, value);
  return out;
}

bool encode_avro_value(avro_value_t* value, std::string& out) {
  std::size_t size = 0;
  if (avro_value_sizeof(value, &size) != 0) return false;
  out.resize(size);
  avro_writer_t writer = avro_writer_memory(out.data(), static_cast<std::int64_t>(size));
  if (writer == nullptr) throw std::bad_alloc();
  const int rc = avro_value_write(writer, value);
  avro_writer_free(writer);
  return rc == 0;
}

AvroSync random_avro_sync() {
  std::random_device device;
  AvroSync sync;
  for (char& byte : sync) byte = static_cast<char>(device() & 0xff);
  return sync;
}

std::string avro_container_header(const std::string& schema_json, AvroCodec codec,
                                  const std::map<std::string, std::string>& metadata,
                                  const AvroSync& sync) {
  std::string out("Obj\x01", 4);
  append_long(out, static_cast<std::int64_t>(metadata.size()) + 2);
  append_string(out, "avro.schema");
  append_string(out, schema_json);
  append_string(out, "avro.codec");
  append_string(out, avro_codec_name(codec));
  for (const auto& [key, value] : metadata) {
    append_string(out, key);
    append_string(out, value);
  }
  append_long(out, 0);
  out.append(sync.data(), sync.size());
  return out;
}

AvroContainerWriter::AvroContainerWriter(std::unique_ptr<WritableFile> file,
                                         const std::string& schema_json, AvroCodec codec,
                                         std::int64_t sync_interval,
                                         const std::map<std::string, std::string>& metadata,
                                         const AvroSync& sync)
    : file_(std::move(file)), codec_(codec), sync_interval_(sync_interval), sync_(sync) {
  file_->append(avro_container_header(schema_json, codec, metadata, sync));
}

void AvroContainerWriter::append(std::string_view record) {
  if (closed_) throw UsageError("AvroContainerWriter(" + path() + "): append after close");
  const auto size = static_cast<std::int64_t>(record.size());
  if (size > kMaxAvroWriterBlockBytes) {
    throw UsageError("AvroContainerWriter(" + path() + "): a record of " + std::to_string(size) +
                     " encoded bytes; a block holds at most " +
                     std::to_string(kMaxAvroWriterBlockBytes));
  }
  if (static_cast<std::int64_t>(block_.size()) + size > kMaxAvroWriterBlockBytes) flush_block();
  block_.append(record);
  ++count_;
  if (static_cast<std::int64_t>(block_.size()) >= sync_interval_ ||
      count_ >= static_cast<std::int64_t>(block_.size()) + kAvroZeroByteValues) {
    flush_block();
  }
}

void AvroContainerWriter::flush_block() {
  if (count_ == 0) return;
  const std::string encoded = encode_avro_block(codec_, block_);
  std::string out;
  append_long(out, count_);
  append_long(out, static_cast<std::int64_t>(encoded.size()));
  out += encoded;
  out.append(sync_.data(), sync_.size());
  file_->append(out);
  block_.clear();
  count_ = 0;
}

void AvroContainerWriter::close() {
  if (closed_) throw UsageError("AvroContainerWriter(" + path() + "): closed twice");
  flush_block();
  closed_ = true;
  file_->close();
}

}  // namespace splitcheck::internal
