#include "splitcheck/lib/avro/internal/avro_reader.h"

#include <cstring>
#include <random>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"

namespace splitcheck::internal {
namespace {

// Serialises the calls whose failure message splitcheck reads (schema
// parsing and resolution) and the reading of the message.
Mutex& avro_error_mutex() {
  static Mutex mutex;
  return mutex;
}

// Appended to every decoded block and read back after its records: if the
// records did not use exactly the block's bytes, what follows them is not
// these 16 bytes. Random per process, so no file can be made to hold them.
const std::string& block_sentinel() {
  static const std::string sentinel = [] {
    std::random_device device;
    std::string bytes(kAvroSyncSize, '\0');
    for (char& byte : bytes) byte = static_cast<char>(device() & 0xff);
    return bytes;
  }();
  return sentinel;
}

void decref_schema(avro_schema_t schema) {
  if (schema != nullptr) avro_schema_decref(schema);
}

}  // namespace

AvroSchemaHandle parse_avro_schema(const std::string& json, const std::string& who) {
  avro_schema_t schema = nullptr;
  std::string error;
  {
    MutexLock lock(&avro_error_mutex());
    if (avro_schema_from_json_length(json.data(), json.size(), &schema) != 0) {
      error = avro_strerror();
    }
  }
  if (!error.empty() || schema == nullptr) {
    throw UsageError(who + ": not an Avro schema avro-c can parse (" + error + "): " + json);
  }
  return AvroSchemaHandle(schema, decref_schema);
}

std::shared_ptr<const AvroFileHeader> read_avro_file_header(const SourceFile& file,
                                                            AvroByteStream& stream) {
  auto out = std::make_shared<AvroFileHeader>();
  out->header = read_avro_header(stream);
  try {
    out->writer_schema = parse_avro_schema(out->header.schema_json, file.path());
  } catch (const UsageError& e) {
    throw CorruptDataError(file.path() + ": offset 0: the header's schema: " + e.what());
  }
  out->validator = std::make_shared<const AvroValidator>(out->writer_schema.get());
  return out;
}

std::shared_ptr<const AvroFileHeader> AvroHeaderCache::get(
    const SourceFile& file, std::unique_ptr<AvroByteStream>& stream) {
  const std::pair<std::string, std::int64_t> key(file.path(), file.size_bytes());
  stream = nullptr;
  {
    MutexLock lock(&mutex_);
    const auto it = headers_.find(key);
    if (it != headers_.end()) return it->second;
  }
  // Read unlocked: two readers of a new file may both read it, and the
  // first to finish is kept.
  stream = std::make_unique<AvroByteStream>(file.open(0), file.path(), 0, file.size_bytes());
  std::shared_ptr<const AvroFileHeader> header = read_avro_file_header(file, *stream);
  MutexLock lock(&mutex_);
  ++reads_;
  return headers_.emplace(key, std::move(header)).first->second;
}

std::int64_t AvroHeaderCache::reads() const {
  MutexLock lock(&mutex_);
  return reads_;
}

AvroFileDecoder::AvroFileDecoder(const SourceFile& file, AvroSchemaHandle reader_schema,
                                 AvroHeaderCache* cache)
    : file_(file), cache_(cache), reader_schema_(std::move(reader_schema)) {
  try {
    initialize();
  } catch (...) {
    release();
    throw;
  }
}

std::unique_ptr<AvroByteStream> AvroFileDecoder::take_header_stream() {
  if (header_stream_ != nullptr) return std::move(header_stream_);
  return open(header().sync_offset + static_cast<std::int64_t>(kAvroSyncSize));
}

void AvroFileDecoder::initialize() {
  if (cache_ != nullptr) {
    file_header_ = cache_->get(file_, header_stream_);
  } else {
    header_stream_ = open(0);
    file_header_ = read_avro_file_header(file_, *header_stream_);
  }
  const AvroSchemaHandle& writer_schema = file_header_->writer_schema;
  const AvroHeader& header = file_header_->header;
  avro_schema_t output = reader_schema_ != nullptr ? reader_schema_.get() : writer_schema.get();
  output_class_ = avro_generic_class_from_schema(output);
  if (output_class_ == nullptr) throw std::bad_alloc();
  if (reader_schema_ != nullptr) {
    std::string error;
    {
      MutexLock lock(&avro_error_mutex());
      resolver_class_ = avro_resolved_writer_new(writer_schema.get(), reader_schema_.get());
      if (resolver_class_ == nullptr) error = avro_strerror();
    }
    if (resolver_class_ == nullptr) {
      throw CorruptDataError(file_.path() +
                             ": offset 0: the file's schema does not resolve to the reader "
                             "schema (" +
                             error + "); the file's schema is " + header.schema_json);
    }
    if (avro_resolved_writer_new_value(resolver_class_, &resolver_) != 0) throw std::bad_alloc();
  }
  sentinel_schema_ = avro_schema_fixed("splitcheck_block_end", kAvroSyncSize);
  sentinel_class_ = avro_generic_class_from_schema(sentinel_schema_);
  if (sentinel_class_ == nullptr || avro_generic_value_new(sentinel_class_, &sentinel_) != 0) {
    throw std::bad_alloc();
  }
  memory_ = avro_reader_memory(nullptr, 0);
  if (memory_ == nullptr) throw std::bad_alloc();
}

AvroFileDecoder::~AvroFileDecoder() { release(); }

void AvroFileDecoder::release() {
  // avro_value_iface_decref is a macro that evaluates its argument twice.
  const auto drop_class = [](avro_value_iface_t*& iface) {
    if (iface != nullptr) avro_value_iface_decref(iface);
    iface = nullptr;
  };
  const auto drop_value = [](avro_value_t& value) {
    if (value.iface != nullptr) avro_value_decref(&value);
    value = {};
  };
  if (memory_ != nullptr) avro_reader_free(memory_);
  memory_ = nullptr;
  drop_value(sentinel_);
  drop_class(sentinel_class_);
  decref_schema(sentinel_schema_);
  sentinel_schema_ = nullptr;
  drop_value(resolver_);
  drop_class(resolver_class_);
  drop_class(output_class_);
}

std::unique_ptr<AvroByteStream> AvroFileDecoder::open(std::int64_t offset) const {
  return std::make_unique<AvroByteStream>(file_.open(offset), file_.path(), offset,
                                          file_.size_bytes());
}

void AvroFileDecoder::start_block(const AvroBlock& block) { start_block(block, header().codec); }

void AvroFileDecoder::start_block(const AvroBlock& block, AvroCodec codec) {
  // "path: offset N:" (the codecs add ": " and what they found).
  where_ = file_.path() + ": offset " + std::to_string(block.data_offset);
  block_count_ = 0;
  next_ = 0;
  if (codec == header().codec) {
    if (blocks_ == nullptr) blocks_ = std::make_unique<AvroBlockDecoder>(codec);
    blocks_->decode(block.data, kMaxAvroDecodedBlockBytes, where_, decoded_);
  } else {
    decode_avro_block(codec, block.data, kMaxAvroDecodedBlockBytes, where_, decoded_);
  }
  decoded_size_ = decoded_.size();
  where_ += ": ";
  file_header_->validator->validate(decoded_, block.count, where_);
  decoded_ += block_sentinel();
  avro_reader_memory_set_source(memory_, decoded_.data(),
                                static_cast<std::int64_t>(decoded_.size()));
  block_count_ = block.count;
}

std::optional<AvroRecord> AvroFileDecoder::next_record() {
  if (next_ == block_count_) {
    if (block_count_ < 0) return std::nullopt;  // checked already
    block_count_ = -1;
    next_ = -1;
    const void* end = nullptr;
    std::size_t end_size = 0;
    if (avro_value_read(memory_, &sentinel_) != 0 ||
        avro_value_get_fixed(&sentinel_, &end, &end_size) != 0 || end_size != kAvroSyncSize ||
        std::memcmp(end, block_sentinel().data(), kAvroSyncSize) != 0) {
      throw CorruptDataError(where_ + "the block's records do not fill its " +
                             std::to_string(decoded_size_) +
                             " decoded bytes exactly (its record count or data is corrupt)");
    }
    return std::nullopt;
  }
  avro_value_t record;
  if (avro_generic_value_new(output_class_, &record) != 0) throw std::bad_alloc();
  int rc;
  if (resolver_class_ != nullptr) {
    avro_resolved_writer_set_dest(&resolver_, &record);
    rc = avro_value_read(memory_, &resolver_);
    avro_resolved_writer_clear_dest(&resolver_);
  } else {
    rc = avro_value_read(memory_, &record);
  }
  if (rc != 0) {
    avro_value_decref(&record);
    // The schema walk passed, so this is avro-c refusing a value the reader
    // schema cannot take (a union branch it lacks, say).
    throw CorruptDataError(where_ + "record " + std::to_string(next_) + " of the block's " +
                           std::to_string(block_count_) +
                           " does not decode into the reader schema (avro-c error " +
                           std::to_string(rc) + ")");
  }
  ++next_;
  return AvroRecord::adopt(record);
}

Generator<AvroRecord> read_avro_range(const SourceFile& file, RangeTracker<std::int64_t>& tracker,
                                      AvroSchemaHandle reader_schema, AvroHeaderCache* cache) {
  AvroFileDecoder decoder(file, std::move(reader_schema), cache);
  const AvroHeader& header = decoder.header();
  std::unique_ptr<AvroByteStream> stream;
  std::int64_t position;
  std::string skipped;
  if (tracker.start_position() <= header.sync_offset) {
    stream = decoder.take_header_stream();
    position = header.sync_offset;
  } else {
    stream = decoder.open(tracker.start_position());
    const std::optional<std::int64_t> marker = stream->find(header.sync);
    if (!marker) {
      // No block starts in the range; the stream is at the end of the file.
      if (stream->offset() >= tracker.stop_position()) tracker.try_claim(stream->offset());
      co_return;
    }
    position = *marker;
    stream->read_bytes(kAvroSyncSize, "sync marker", skipped);
  }
  AvroBlock block;
  while (!stream->at_end()) {
    if (!tracker.try_claim(position)) co_return;
    read_avro_block(*stream, header, position, block);
    decoder.start_block(block);
    while (std::optional<AvroRecord> record = decoder.next_record()) co_yield std::move(*record);
    position = stream->offset() - static_cast<std::int64_t>(kAvroSyncSize);
  }
  // The end of the file: a last, refused claim tells the tracker the read
  // is over (progress reaches 1, a split past the last block is refused).
  if (stream->offset() >= tracker.stop_position()) tracker.try_claim(stream->offset());
}

}  // namespace splitcheck::internal
