#include "splitcheck/lib/avro/internal/avro_container.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck::internal {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

}  // namespace

AvroByteStream::AvroByteStream(std::unique_ptr<ReadableFile> file, std::string path,
                               std::int64_t offset, std::int64_t size_bytes)
    : file_(std::move(file)),
      path_(std::move(path)),
      size_bytes_(size_bytes),
      buffer_start_(offset) {}

std::string AvroByteStream::where(std::int64_t offset) const {
  return path_ + ": offset " + std::to_string(offset) + ": ";
}

std::size_t AvroByteStream::fill(std::size_t n) {
  std::size_t available = buffer_.size() - pos_;
  if (available >= n || eof_) return available;
  // Drop what was consumed, then read until `n` are there or the file ends.
  buffer_.erase(0, pos_);
  buffer_start_ += static_cast<std::int64_t>(pos_);
  pos_ = 0;
  while (buffer_.size() < n && !eof_) {
    const std::size_t old = buffer_.size();
    const std::size_t want = std::max(kChunk, n - old);
    buffer_.resize(old + want);
    const std::size_t got = file_->read(buffer_.data() + old, want);
    buffer_.resize(old + got);
    if (got == 0) eof_ = true;
  }
  return buffer_.size();
}

bool AvroByteStream::at_end() { return fill(1) == 0; }

std::int64_t AvroByteStream::read_long(std::string_view what) {
  const std::int64_t start = offset();
  const std::size_t available = fill(10);
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == available) {
      throw CorruptDataError(where(start) + "the file ends inside the " + std::string(what) +
                             " (truncated)");
    }
    const auto byte = static_cast<unsigned char>(buffer_[pos_ + i]);
    if (i == 9 && byte > 1) break;  // more than 64 bits
    value |= std::uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80u) == 0) {
      pos_ += i + 1;
      return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
    }
  }
  throw CorruptDataError(where(start) + "the " + std::string(what) +
                         " is not a varint of at most 64 bits");
}

void AvroByteStream::read_bytes(std::int64_t n, std::string_view what, std::string& out) {
  const std::int64_t start = offset();
  if (n < 0 || n > size_bytes_ - start) {
    throw CorruptDataError(where(start) + "the " + std::string(what) + " needs " +
                           std::to_string(n) + " bytes, but the file has " +
                           std::to_string(std::max<std::int64_t>(0, size_bytes_ - start)) +
                           " left (truncated or corrupt)");
  }
  out.clear();
  out.reserve(static_cast<std::size_t>(n));
  std::size_t left = static_cast<std::size_t>(n);
  while (left > 0) {
    const std::size_t available = fill(std::min(left, kChunk));
    if (available == 0) {
      throw CorruptDataError(where(offset()) + "the file ends inside the " + std::string(what) +
                             " (truncated: " + std::to_string(left) + " of " + std::to_string(n) +
                             " bytes missing)");
    }
    const std::size_t take = std::min(left, available);
    out.append(buffer_, pos_, take);
    pos_ += take;
    left -= take;
  }
}

std::optional<std::int64_t> AvroByteStream::find(const AvroSync& sync) {
  const std::string_view marker(sync.data(), sync.size());
  for (;;) {
    const std::size_t available = fill(kChunk);
    const std::string_view window(buffer_.data() + pos_, available);
    const std::size_t hit = window.find(marker);
    if (hit != std::string_view::npos) {
      pos_ += hit;
      return offset();
    }
    if (eof_) {
      pos_ = buffer_.size();
      return std::nullopt;
    }
    // Keep the last 15 bytes: a marker may start there and end in the next
    // fill.
    if (available >= kAvroSyncSize) pos_ += available - (kAvroSyncSize - 1);
    // Make sure the next fill reads more than what is kept.
    fill(buffer_.size() - pos_ + kChunk);
  }
}

namespace {

void read_metadata(AvroByteStream& stream, const char* what, std::string& out) {
  const std::int64_t at = stream.offset();
  const std::int64_t n = stream.read_long(std::string(what) + "'s length");
  if (n > kMaxAvroMetadataBytes) {
    throw CorruptDataError(stream.where(at) + "a " + what + " of " + std::to_string(n) +
                           " bytes (at most " + std::to_string(kMaxAvroMetadataBytes) +
                           "): corrupt");
  }
  stream.read_bytes(n, what, out);
}

}  // namespace

AvroHeader read_avro_header(AvroByteStream& stream) {
  AvroHeader header;
  std::string bytes;
  stream.read_bytes(4, "magic", bytes);
  if (bytes != std::string_view("Obj\x01", 4)) {
    throw CorruptDataError(stream.where(0) +
                           "not an Avro object container file (it does not start with "
                           "\"Obj\" 0x01)");
  }
  for (;;) {
    const std::int64_t count_offset = stream.offset();
    std::int64_t count = stream.read_long("header's metadata count");
    if (count == 0) break;
    if (count < 0) {
      if (count == INT64_MIN) {
        throw CorruptDataError(stream.where(count_offset) + "header's metadata count is corrupt");
      }
      count = -count;
      stream.read_long("header's metadata block size");
    }
    for (std::int64_t i = 0; i < count; ++i) {
      std::string key;
      std::string value;
      read_metadata(stream, "metadata key", key);
      read_metadata(stream, "metadata value", value);
      header.metadata.insert_or_assign(std::move(key), std::move(value));
    }
  }
  const std::int64_t sync_offset = stream.offset();
  stream.read_bytes(kAvroSyncSize, "header's sync marker", bytes);
  std::memcpy(header.sync.data(), bytes.data(), kAvroSyncSize);
  header.sync_offset = sync_offset;
  const auto schema = header.metadata.find("avro.schema");
  if (schema == header.metadata.end()) {
    throw CorruptDataError(stream.where(0) + "the header has no \"avro.schema\"");
  }
  header.schema_json = schema->second;
  const auto codec = header.metadata.find("avro.codec");
  if (codec != header.metadata.end() && !codec->second.empty()) {
    const std::optional<AvroCodec> known = avro_codec_named(codec->second);
    if (!known) {
      throw CorruptDataError(stream.where(0) + "unknown codec \"" + codec->second +
                             "\" in the header (known: null, deflate, snappy, xz, lzma, bzip2, "
                             "zstandard)");
    }
    header.codec = *known;
  }
  return header;
}

void read_avro_block(AvroByteStream& stream, const AvroHeader& header, std::int64_t position,
                     AvroBlock& block) {
  block.position = position;
  const std::int64_t count_offset = stream.offset();
  block.count = stream.read_long("block's record count");
  if (block.count < 0 || block.count > INT32_MAX) {
    throw CorruptDataError(stream.where(count_offset) + "block's record count " +
                           std::to_string(block.count) + " is corrupt");
  }
  const std::int64_t size_offset = stream.offset();
  const std::int64_t size = stream.read_long("block's byte size");
  if (size < 0 || size > kMaxAvroBlockBytes) {
    throw CorruptDataError(stream.where(size_offset) + "block's byte size " + std::to_string(size) +
                           " is corrupt (at most " + std::to_string(kMaxAvroBlockBytes) + ")");
  }
  block.data_offset = stream.offset();
  stream.read_bytes(size, "block", block.data);
  const std::int64_t marker_offset = stream.offset();
  std::string marker;
  stream.read_bytes(kAvroSyncSize, "block's sync marker", marker);
  if (std::memcmp(marker.data(), header.sync.data(), kAvroSyncSize) != 0) {
    throw CorruptDataError(stream.where(marker_offset) +
                           "the sync marker after the block is not the header's (corrupt)");
  }
}

}  // namespace splitcheck::internal
