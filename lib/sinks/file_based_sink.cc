#include "splitcheck/lib/sinks/file_based_sink.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/sinks/write_id.h"

namespace splitcheck::internal {
namespace {

// The run of `c` in the template: [begin, end), or begin == npos.
std::pair<std::size_t, std::size_t> run_of(const std::string& text, char c) {
  const std::size_t begin = text.find(c);
  if (begin == std::string::npos) return {begin, begin};
  std::size_t end = begin;
  while (end < text.size() && text[end] == c) ++end;
  return {begin, end};
}

std::string padded(std::size_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

// `text` with every glob wildcard escaped.
std::string glob_literal(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// One file of an attempt's result: "<records> <bytes> <path length> <path>\n".
struct ResultFile {
  std::int64_t records = 0;
  std::int64_t bytes = 0;
  std::string temp_path;
};

std::string result_entry(const ResultFile& file) {
  return std::to_string(file.records) + " " + std::to_string(file.bytes) + " " +
         std::to_string(file.temp_path.size()) + " " + file.temp_path + "\n";
}

// The files of one result, in order.
std::vector<ResultFile> parse_result(const std::string& result) {
  const auto bad = [&result](const std::string& why) {
    return UsageError("FileBasedSink: \"" + result + "\" is not a writer result of this sink (" +
                      why + ")");
  };
  std::vector<ResultFile> files;
  std::size_t at = 0;
  const auto number = [&]() -> std::int64_t {
    const std::size_t space = result.find(' ', at);
    if (space == std::string::npos || space == at) throw bad("a number is missing");
    std::int64_t value = 0;
    for (std::size_t i = at; i < space; ++i) {
      if (result[i] < '0' || result[i] > '9' || value > (INT64_MAX - 9) / 10) {
        throw bad("\"" + result.substr(at, space - at) + "\" is not a count");
      }
      value = value * 10 + (result[i] - '0');
    }
    at = space + 1;
    return value;
  };
  while (at < result.size()) {
    ResultFile file;
    file.records = number();
    file.bytes = number();
    const std::int64_t length = number();
    if (length == 0 || length > std::ssize(result) - static_cast<std::int64_t>(at) - 1 ||
        result[at + static_cast<std::size_t>(length)] != '\n') {
      throw bad("a path length does not fit");
    }
    file.temp_path = result.substr(at, static_cast<std::size_t>(length));
    at += static_cast<std::size_t>(length) + 1;
    files.push_back(std::move(file));
  }
  if (files.empty()) throw bad("it names no file");
  return files;
}

// The files of every result, in bundle order: shard i is files[i].
std::vector<ResultFile> files_of(const std::vector<std::string>& results) {
  std::vector<ResultFile> files;
  for (const std::string& result : results) {
    for (ResultFile& file : parse_result(result)) files.push_back(std::move(file));
  }
  return files;
}

// The shards this write commits: none when skip_if_empty and no file holds a record.
std::vector<ResultFile> committed_files(const std::vector<std::string>& results,
                                        bool skip_if_empty) {
  std::vector<ResultFile> files = files_of(results);
  if (skip_if_empty &&
      std::all_of(files.begin(), files.end(), [](const ResultFile& f) { return f.records == 0; })) {
    files.clear();
  }
  return files;
}

// The uid's name in the temporary directory for file `part`: '~' doubled
// as "~t", so that the "~r<part>" of a rollover file never meets another uid.
std::string part_name(const std::string& uid, int part) {
  std::string name;
  for (const char c : uid) {
    name.push_back(c);
    if (c == '~') name.push_back('t');
  }
  if (part > 0) name += "~r" + std::to_string(part);
  return name;
}

}  // namespace

void FileSinkFiles::encode(ByteWriter& out) const {
  out.put_string(prefix_);
  out.put_string(options_.file_name_suffix);
  out.put_signed(options_.num_shards);
  out.put_string(options_.shard_name_template);
  for (const std::optional<std::string>* text : {&options_.header, &options_.footer}) {
    out.put_bool(text->has_value());
    if (*text) out.put_string(**text);
  }
  out.put_varint(static_cast<std::uint64_t>(options_.compression));
  out.put_signed(options_.max_records_per_shard);
  out.put_signed(options_.max_bytes_per_shard);
  out.put_bool(options_.skip_if_empty);
  out.put_bool(options_.shard_format != nullptr);
}

FileSinkFiles::Decoded FileSinkFiles::decode(ByteReader& in) {
  Decoded out;
  out.path_prefix = in.get_string("path prefix");
  out.options.file_name_suffix = in.get_string("file_name_suffix");
  std::size_t at = in.offset();
  const std::int64_t shards = in.get_signed("num_shards");
  if (shards < 0 || shards > std::numeric_limits<int>::max()) {
    in.fail(at, "num_shards", std::to_string(shards) + " is not a shard count");
  }
  out.options.num_shards = static_cast<int>(shards);
  out.options.shard_name_template = in.get_string("shard_name_template");
  for (std::optional<std::string>* text : {&out.options.header, &out.options.footer}) {
    if (in.get_bool("header or footer present")) *text = in.get_string("header or footer");
  }
  at = in.offset();
  const std::uint64_t codec = in.get_varint("compression");
  // encode() writes the codec as resolved: never kAuto.
  if (codec > static_cast<std::uint64_t>(Compression::kDeflate) ||
      codec == static_cast<std::uint64_t>(Compression::kAuto)) {
    in.fail(at, "compression", std::to_string(codec) + " names no codec");
  }
  out.options.compression = static_cast<Compression>(codec);
  at = in.offset();
  out.options.max_records_per_shard = in.get_signed("max_records_per_shard");
  if (out.options.max_records_per_shard < 0) in.fail(at, "max_records_per_shard", "negative");
  at = in.offset();
  out.options.max_bytes_per_shard = in.get_signed("max_bytes_per_shard");
  if (out.options.max_bytes_per_shard < 0) in.fail(at, "max_bytes_per_shard", "negative");
  out.options.skip_if_empty = in.get_bool("skip_if_empty");
  out.has_shard_format = in.get_bool("shard format present");
  return out;
}

FileSinkFiles::FileSinkFiles(std::string path_prefix, FileBasedSinkOptions options)
    : prefix_(std::move(path_prefix)), options_(std::move(options)) {
  if (options_.file_system == nullptr) options_.file_system = local_file_system();
  if (prefix_.empty()) throw UsageError("FileBasedSink: the path prefix is empty");
  if (directory_of(prefix_) == "/") {
    throw UsageError("FileBasedSink(\"" + prefix_ +
                     "\"): the path prefix writes into the root directory (its temporary "
                     "directory and shards would be created in /); give a directory, such as "
                     "/out/part");
  }
  if (options_.num_shards < 0) {
    throw UsageError("FileBasedSink(\"" + prefix_ + "\"): num_shards " +
                     std::to_string(options_.num_shards) + " is negative");
  }
  if (options_.shard_name_template.empty() && options_.num_shards > 1) {
    throw UsageError("FileBasedSink(\"" + prefix_ +
                     "\"): an empty shard name template writes one file: num_shards " +
                     std::to_string(options_.num_shards) + " must be 0 or 1");
  }
  if (options_.max_records_per_shard < 0 || options_.max_bytes_per_shard < 0) {
    throw UsageError("FileBasedSink(\"" + prefix_ + "\"): max_records_per_shard " +
                     std::to_string(options_.max_records_per_shard) + " and max_bytes_per_shard " +
                     std::to_string(options_.max_bytes_per_shard) + " must be >= 0 (0: no limit)");
  }
  if (options_.shard_name_template.empty() &&
      (options_.max_records_per_shard > 0 || options_.max_bytes_per_shard > 0)) {
    throw UsageError("FileBasedSink(\"" + prefix_ +
                     "\"): an empty shard name template writes one file, which cannot roll over: "
                     "max_records_per_shard and max_bytes_per_shard must be 0");
  }
  if (!options_.shard_name_template.empty() &&
      run_of(options_.shard_name_template, 'S').first == std::string::npos) {
    throw UsageError("FileBasedSink(\"" + prefix_ + "\"): shard name template \"" +
                     options_.shard_name_template +
                     "\" has no run of S for the shard number: shards would overwrite each other");
  }
  options_.compression = resolve_compression(options_.compression, options_.file_name_suffix);
}

std::string FileSinkFiles::shard_name(std::size_t index, std::size_t count) const {
  std::string name = options_.shard_name_template;
  if (name.empty()) return prefix_ + options_.file_name_suffix;  // unsharded: one file
  const auto [s_begin, s_end] = run_of(name, 'S');
  name.replace(s_begin, s_end - s_begin, padded(index, s_end - s_begin));
  const auto [n_begin, n_end] = run_of(name, 'N');
  if (n_begin != std::string::npos) {
    name.replace(n_begin, n_end - n_begin, padded(count, n_end - n_begin));
  }
  return prefix_ + name + options_.file_name_suffix;
}

std::string FileSinkFiles::initialize() const {
  // Unique per write, so two writes to one prefix (or a rerun after a
  // crash) never share temporary files.
  return directory_of(prefix_) + ".temp-splitcheck-" + new_write_id();
}

std::unique_ptr<WritableFile> FileSinkFiles::open(const std::string& temp_dir,
                                                  const std::string& uid, int part) const {
  if (uid.empty() || uid.find('/') != std::string::npos) {
    throw UsageError("FileBasedSink(\"" + prefix_ + "\"): writer uid \"" + uid +
                     "\" must be a non-empty name without '/'");
  }
  std::unique_ptr<WritableFile> file = compress(
      options_.file_system->create(temp_dir + "/" + part_name(uid, part)), options_.compression);
  if (options_.shard_format) {
    file = options_.shard_format(std::move(file));
    if (file == nullptr) {
      throw UsageError("FileBasedSink(\"" + prefix_ + "\"): shard_format returned no file");
    }
  }
  if (options_.header) file->append(*options_.header);
  return file;
}

std::string FileSinkFiles::close(std::unique_ptr<WritableFile> file, std::int64_t records) const {
  if (options_.footer) file->append(*options_.footer);
  const std::string path = file->path();
  file->close();
  // Durable before its result is handed on: a finalize after a crash must
  // find it, bytes and name, the temporary directory's own entry in the
  // output directory, and the output directory's in its parent, and so up
  // (create made whichever of them were missing).
  options_.file_system->sync(path);
  options_.file_system->sync_directory(directory_of(path));
  sync_directory_and_parents(*options_.file_system, directory_of(prefix_));
  const auto written = options_.file_system->stat(path);
  if (!written) {
    throw InputError("FileBasedSink(\"" + prefix_ + "\"): temporary file \"" + path +
                     "\" is gone right after it was closed");
  }
  return result_entry({records, written->size_bytes, path});
}

void FileSinkFiles::pre_finalize(const std::vector<std::string>& results) const {
  const std::size_t count = committed_files(results, options_.skip_if_empty).size();
  std::set<std::string> ours;
  for (std::size_t i = 0; i < count; ++i) ours.insert(shard_name(i, count));
  std::string glob = glob_literal(prefix_);
  for (const char c : options_.shard_name_template) {
    glob += (c == 'S' || c == 'N') ? std::string("[0-9]") : glob_literal(std::string(1, c));
  }
  glob += glob_literal(options_.file_name_suffix);
  for (const FileMetadata& old : options_.file_system->match(glob, EmptyMatchTreatment::kAllow)) {
    if (ours.count(old.path) == 0) options_.file_system->remove(old.path);
  }
}

std::vector<std::string> FileSinkFiles::finalize(const std::string& temp_dir,
                                                 const std::vector<std::string>& results) const {
  FileSystem& fs = *options_.file_system;
  std::vector<std::string> outputs;
  const std::vector<ResultFile> files = committed_files(results, options_.skip_if_empty);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const ResultFile& result = files[i];
    const std::string destination = shard_name(i, files.size());
    if (fs.stat(result.temp_path)) {
      fs.rename(result.temp_path, destination);
    } else {
      // Moved by an earlier finalize, if the shard is there with its size.
      const auto existing = fs.stat(destination);
      if (!existing) {
        throw InputError("FileBasedSink(\"" + prefix_ + "\"): temporary file \"" +
                         result.temp_path + "\" of shard " + std::to_string(i) +
                         " is missing and \"" + destination +
                         "\" does not exist: its records would be lost");
      }
      if (existing->size_bytes != result.bytes) {
        throw InputError("FileBasedSink(\"" + prefix_ + "\"): temporary file \"" +
                         result.temp_path + "\" is missing and \"" + destination + "\" has " +
                         std::to_string(existing->size_bytes) + " bytes, not the " +
                         std::to_string(result.bytes) + " this write produced");
      }
    }
    outputs.push_back(destination);
  }
  // The shards (and the removal of stale ones) durable, then what failed
  // and duplicate attempts left behind removed, durably: the temporary
  // directory's entries, then its own entry in the output directory.
  const std::string output_directory = directory_of(prefix_);
  fs.sync_directory(output_directory);
  for (const FileMetadata& leftover : fs.list(temp_dir)) fs.remove(leftover.path);
  fs.sync_directory(temp_dir);
  fs.remove_directory(temp_dir);
  fs.sync_directory(output_directory);
  return outputs;
}

void FileSinkFiles::abort(const std::string& temp_dir,
                          const std::vector<std::string>& results) const {
  FileSystem& fs = *options_.file_system;
  const std::string output_directory = directory_of(prefix_);
  // If finalize moved any shard, the output is a mixture: remove every shard
  // of this write's names. If it moved none, what is there is an earlier
  // write's output, left alone.
  const std::vector<ResultFile> files = committed_files(results, options_.skip_if_empty);
  bool moved_any = false;
  for (std::size_t i = 0; i < files.size() && !moved_any; ++i) {
    moved_any = !fs.stat(files[i].temp_path) && fs.stat(shard_name(i, files.size()));
  }
  if (moved_any) {
    for (std::size_t i = 0; i < files.size(); ++i) fs.remove(shard_name(i, files.size()));
    fs.sync_directory(output_directory);
  }
  for (const FileMetadata& leftover : fs.list(temp_dir)) fs.remove(leftover.path);
  fs.sync_directory(temp_dir);
  fs.remove_directory(temp_dir);
  fs.sync_directory(output_directory);
}

}  // namespace splitcheck::internal

namespace splitcheck::internal {

AttemptFiles::AttemptFiles(const FileSinkFiles& files, std::string temp_dir, std::string uid)
    : files_(&files),
      temp_dir_(std::move(temp_dir)),
      uid_(std::move(uid)),
      file_(files.open(temp_dir_, uid_, 0)),
      bytes_(files.options().header ? std::ssize(*files.options().header) : 0) {}

WritableFile& AttemptFiles::next_record(std::int64_t bytes) {
  if (file_ == nullptr) throw UsageError("FileBasedSink: a record after the writer closed");
  const FileBasedSinkOptions& options = files_->options();
  const std::int64_t footer = options.footer ? std::ssize(*options.footer) : 0;
  const bool full =
      records_ > 0 &&
      ((options.max_records_per_shard > 0 && records_ >= options.max_records_per_shard) ||
       (options.max_bytes_per_shard > 0 && bytes_ + bytes + footer > options.max_bytes_per_shard));
  if (full) {
    result_ += files_->close(std::move(file_), records_);
    file_ = files_->open(temp_dir_, uid_, ++part_);
    records_ = 0;
    bytes_ = options.header ? std::ssize(*options.header) : 0;
  }
  ++records_;
  bytes_ += bytes;
  return *file_;
}

std::string AttemptFiles::close() {
  if (file_ == nullptr) throw UsageError("FileBasedSink: the writer closed twice");
  result_ += files_->close(std::move(file_), records_);
  return result_;
}

}  // namespace splitcheck::internal
