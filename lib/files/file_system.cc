#include "splitcheck/lib/files/file_system.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/glob.h"

namespace splitcheck {

std::vector<FileMetadata> FileSystem::match(std::string_view pattern,
                                            EmptyMatchTreatment empty) const {
  if (pattern.empty()) throw UsageError(debug_string() + ": match(\"\"): the pattern is empty");
  check_glob(pattern);
  std::vector<FileMetadata> out;
  const bool wildcard = has_wildcards(pattern);
  if (wildcard) {
    std::string directory = glob_directory_prefix(pattern);
    if (!directory.empty() && directory.size() > 1) directory.pop_back();  // "a/b/" -> "a/b"
    for (FileMetadata& file : list(directory)) {
      if (glob_match(pattern, file.path)) out.push_back(std::move(file));
    }
  } else {
    std::string path;
    for (std::size_t i = 0; i < pattern.size(); ++i) {  // drop escapes
      if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
      path.push_back(pattern[i]);
    }
    if (auto file = stat(path)) {
      out.push_back(std::move(*file));
    } else if (const std::optional<std::string> what = what_is_at(path)) {
      const bool special = *what != "a directory";
      throw InputError(debug_string() + ": match \"" + std::string(pattern) + "\": \"" + path +
                       "\" is " + *what + (special ? ", not a regular file" : ", not a file"));
    }
  }
  if (out.empty() && (empty == EmptyMatchTreatment::kDisallow ||
                      (empty == EmptyMatchTreatment::kAllowIfWildcard && !wildcard))) {
    throw InputError(debug_string() + ": no file matches \"" + std::string(pattern) + "\"" +
                     (wildcard ? "" : " (no such file)"));
  }
  return out;
}

std::optional<std::string> FileSystem::what_is_at(const std::string& /*path*/) const {
  return std::nullopt;
}

void sync_directory_and_parents(FileSystem& fs, const std::string& directory) {
  std::string dir = directory;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  for (;;) {
    fs.sync_directory(dir);
    if (dir.empty() || dir == "/") return;
    const std::size_t slash = dir.rfind('/');
    dir = slash == std::string::npos ? "" : slash == 0 ? "/" : dir.substr(0, slash);
  }
}

std::string FileSystem::read_all(const std::string& path, std::int64_t offset) const {
  const auto file = open(path, offset);
  std::string bytes;
  char buffer[1 << 16];
  while (const std::size_t n = file->read(buffer, sizeof buffer)) bytes.append(buffer, n);
  return bytes;
}

}  // namespace splitcheck
