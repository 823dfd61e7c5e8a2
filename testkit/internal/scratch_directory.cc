#include "splitcheck/testkit/internal/scratch_directory.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck::testkit::internal {
namespace {

std::string temp_base() {
  for (const char* name : {"TEST_TMPDIR", "TMPDIR"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "/tmp";
}

// A file whose path() is the path it was opened by, below the root.
class RelativeReadable final : public ReadableFile {
 public:
  RelativeReadable(std::unique_ptr<ReadableFile> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)) {}
  std::size_t read(char* buffer, std::size_t n) override { return file_->read(buffer, n); }
  const std::string& path() const override { return path_; }

 private:
  std::unique_ptr<ReadableFile> file_;
  const std::string path_;
};

class RelativeWritable final : public WritableFile {
 public:
  RelativeWritable(std::unique_ptr<WritableFile> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)) {}
  void append(std::string_view data) override { file_->append(data); }
  void close() override { file_->close(); }
  const std::string& path() const override { return path_; }

 private:
  std::unique_ptr<WritableFile> file_;
  const std::string path_;
};

}  // namespace

ScratchDirectory::ScratchDirectory(const std::string& purpose) {
  std::string pattern = temp_base() + "/" + purpose + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw InputError("cannot make a scratch directory \"" + pattern +
                     "\": " + std::strerror(errno));
  }
  path_ = std::move(pattern);
}

ScratchDirectory::~ScratchDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

RootedFileSystem::RootedFileSystem(std::string root)
    : root_(std::move(root)), disk_(local_file_system()) {
  if (root_.empty() || root_.back() == '/') {
    throw UsageError("RootedFileSystem: the root \"" + root_ +
                     "\" must be a directory without a trailing '/'");
  }
}

std::string RootedFileSystem::under_root(const std::string& path) const {
  if (path.empty()) return root_;
  return root_ + (path.front() == '/' ? "" : "/") + path;
}

std::string RootedFileSystem::as_given(const std::string& path, bool absolute) const {
  if (path.size() > root_.size() && path.compare(0, root_.size(), root_) == 0 &&
      path[root_.size()] == '/') {
    return path.substr(root_.size() + (absolute ? 0 : 1));
  }
  return path;
}

std::optional<FileMetadata> RootedFileSystem::stat(const std::string& path) const {
  std::optional<FileMetadata> file = disk_->stat(under_root(path));
  if (file) file->path = path;
  return file;
}

std::optional<std::string> RootedFileSystem::what_is_at(const std::string& path) const {
  return disk_->what_is_at(under_root(path));
}

std::vector<FileMetadata> RootedFileSystem::list(const std::string& directory) const {
  const bool absolute = !directory.empty() && directory.front() == '/';
  std::vector<FileMetadata> files = disk_->list(under_root(directory));
  for (FileMetadata& file : files) file.path = as_given(file.path, absolute);
  return files;
}

std::unique_ptr<ReadableFile> RootedFileSystem::open(const std::string& path,
                                                     std::int64_t offset) const {
  return std::make_unique<RelativeReadable>(disk_->open(under_root(path), offset), path);
}

std::unique_ptr<WritableFile> RootedFileSystem::create(const std::string& path) {
  return std::make_unique<RelativeWritable>(disk_->create(under_root(path)), path);
}

void RootedFileSystem::rename(const std::string& from, const std::string& to) {
  disk_->rename(under_root(from), under_root(to));
}

bool RootedFileSystem::remove(const std::string& path) { return disk_->remove(under_root(path)); }

bool RootedFileSystem::remove_directory(const std::string& path) {
  return disk_->remove_directory(under_root(path));
}

void RootedFileSystem::sync(const std::string& path) { disk_->sync(under_root(path)); }

void RootedFileSystem::sync_directory(const std::string& directory) {
  disk_->sync_directory(under_root(directory));
}

std::string RootedFileSystem::debug_string() const { return "the local disk below " + root_; }

}  // namespace splitcheck::testkit::internal
