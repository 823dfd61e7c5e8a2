#include "splitcheck/lib/text/text_sink.h"

#include <memory>
#include <string>
#include <utility>

namespace splitcheck {
namespace {

FileBasedSinkOptions base_options(const TextSinkOptions& options) {
  if (options.delimiter.empty()) throw UsageError("TextSink: the delimiter is empty");
  FileBasedSinkOptions out;
  out.file_system = options.file_system;
  out.file_name_suffix = options.file_name_suffix;
  out.num_shards = options.num_shards;
  out.shard_name_template = options.shard_name_template;
  if (options.header) out.header = *options.header + options.delimiter;
  if (options.footer) out.footer = *options.footer + options.delimiter;
  out.compression = options.compression;
  out.max_records_per_shard = options.max_records_per_shard;
  out.max_bytes_per_shard = options.max_bytes_per_shard;
  out.skip_if_empty = options.skip_if_empty;
  return out;
}

}  // namespace

TextSink::TextSink(std::string path_prefix, TextSinkOptions options)
    : FileBasedSink(std::move(path_prefix), base_options(options)),
      delimiter_(std::move(options.delimiter)) {}

TextSink::TextSink(Decoded, std::string path_prefix, FileBasedSinkOptions options,
                   std::string delimiter)
    : FileBasedSink(std::move(path_prefix), std::move(options)), delimiter_(std::move(delimiter)) {}

std::string TextSink::debug_string() const { return "TextSink(\"" + path_prefix() + "\")"; }

void TextSink::encode(ByteWriter& out) const {
  out.put_string("TextSink");
  encode_base(out);
  out.put_string(delimiter_);
}

std::shared_ptr<const TextSink> TextSink::decode(ByteReader& in,
                                                 std::shared_ptr<FileSystem> file_system) {
  in.expect_tag("TextSink");
  DecodedBase base = decode_base(in);
  const std::size_t at = in.offset();
  std::string delimiter = in.get_string("delimiter");
  if (delimiter.empty()) in.fail(at, "delimiter", "empty");
  if (base.has_shard_format) in.fail(at, "shard format", "a TextSink has none");
  base.options.file_system = std::move(file_system);
  try {
    return std::shared_ptr<const TextSink>(new TextSink(
        Decoded{}, std::move(base.path_prefix), std::move(base.options), std::move(delimiter)));
  } catch (const UsageError& e) {
    throw CorruptDataError(in.what() + ": the options decoded are not valid: " + e.what());
  }
}

SinkDecoder<std::string> TextSink::decoder() const {
  return [fs = file_options().file_system](
             ByteReader& in) -> std::shared_ptr<const Sink<std::string>> { return decode(in, fs); };
}

void TextSink::write_record(WritableFile& file, const std::string& line) const {
  file.append(line);
  file.append(delimiter_);
}

Write<std::string> WriteToText(std::string path_prefix, TextSinkOptions options) {
  return Write<std::string>(
      std::make_shared<const TextSink>(std::move(path_prefix), std::move(options)));
}

}  // namespace splitcheck
