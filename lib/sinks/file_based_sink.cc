#include "splitcheck/lib/sinks/file_based_sink.h"

#include <cstdint>
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

struct AttemptResult {
  std::int64_t bytes = 0;
  std::string temp_path;
};

AttemptResult parse_result(const std::string& result) {
  const std::size_t space = result.find(' ');
  AttemptResult out;
  if (space == std::string::npos || space == 0) {
    throw UsageError("FileBasedSink: \"" + result + "\" is not a writer result of this sink");
  }
  try {
    out.bytes = std::stoll(result.substr(0, space));
  } catch (const std::exception&) {
    throw UsageError("FileBasedSink: \"" + result + "\" is not a writer result of this sink");
  }
  out.temp_path = result.substr(space + 1);
  return out;
}

}  // namespace

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
                                                  const std::string& uid) const {
  if (uid.empty() || uid.find('/') != std::string::npos) {
    throw UsageError("FileBasedSink(\"" + prefix_ + "\"): writer uid \"" + uid +
                     "\" must be a non-empty name without '/'");
  }
  std::unique_ptr<WritableFile> file =
      compress(options_.file_system->create(temp_dir + "/" + uid), options_.compression);
  if (options_.header) file->append(*options_.header);
  return file;
}

std::string FileSinkFiles::close(std::unique_ptr<WritableFile> file) const {
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
  return std::to_string(written->size_bytes) + " " + path;
}

void FileSinkFiles::pre_finalize(const std::vector<std::string>& results) const {
  std::set<std::string> ours;
  for (std::size_t i = 0; i < results.size(); ++i) ours.insert(shard_name(i, results.size()));
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
  for (std::size_t i = 0; i < results.size(); ++i) {
    const AttemptResult result = parse_result(results[i]);
    const std::string destination = shard_name(i, results.size());
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
  bool moved_any = false;
  for (std::size_t i = 0; i < results.size() && !moved_any; ++i) {
    const AttemptResult result = parse_result(results[i]);
    moved_any = !fs.stat(result.temp_path) && fs.stat(shard_name(i, results.size()));
  }
  if (moved_any) {
    for (std::size_t i = 0; i < results.size(); ++i) fs.remove(shard_name(i, results.size()));
    fs.sync_directory(output_directory);
  }
  for (const FileMetadata& leftover : fs.list(temp_dir)) fs.remove(leftover.path);
  fs.sync_directory(temp_dir);
  fs.remove_directory(temp_dir);
  fs.sync_directory(output_directory);
}

}  // namespace splitcheck::internal
