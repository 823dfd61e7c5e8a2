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

std::string TextSink::debug_string() const { return "TextSink(\"" + path_prefix() + "\")"; }

void TextSink::write_record(WritableFile& file, const std::string& line) const {
  file.append(line);
  file.append(delimiter_);
}

Write<std::string> WriteToText(std::string path_prefix, TextSinkOptions options) {
  return Write<std::string>(
      std::make_shared<const TextSink>(std::move(path_prefix), std::move(options)));
}

}  // namespace splitcheck
