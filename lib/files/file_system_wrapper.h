// FileSystemWrapper: a FileSystem that forwards every call to another one.
// Derive from it and override only the calls to change: a file system that
// fails on purpose, counts calls, or logs them.
//
//   class RenameFails final : public FileSystemWrapper {
//    public:
//     using FileSystemWrapper::FileSystemWrapper;
//     void rename(const std::string& from, const std::string& to) override {
//       throw InputError("rename \"" + from + "\" failed");
//     }
//   };
//
// The wrapped file system is shared, so the test can look at it directly
// (an InMemoryFileSystem's contents, say). The contract is file_system.h's;
// the wrapper adds nothing to it and is as thread-safe as the base.

#ifndef SPLITCHECK_LIB_FILES_FILE_SYSTEM_WRAPPER_H_
#define SPLITCHECK_LIB_FILES_FILE_SYSTEM_WRAPPER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/file_system.h"

namespace splitcheck {

class FileSystemWrapper : public FileSystem {
 public:
  // REQUIRES: base is not null, else a UsageError.
  explicit FileSystemWrapper(std::shared_ptr<FileSystem> base) : base_(std::move(base)) {
    if (base_ == nullptr) throw UsageError("FileSystemWrapper: the base must not be null");
  }

  FileSystem& base() const { return *base_; }

  std::optional<FileMetadata> stat(const std::string& path) const override {
    return base_->stat(path);
  }
  std::optional<std::string> what_is_at(const std::string& path) const override {
    return base_->what_is_at(path);
  }
  std::vector<FileMetadata> list(const std::string& directory) const override {
    return base_->list(directory);
  }
  std::unique_ptr<ReadableFile> open(const std::string& path,
                                     std::int64_t offset = 0) const override {
    return base_->open(path, offset);
  }
  std::unique_ptr<WritableFile> create(const std::string& path) override {
    return base_->create(path);
  }
  void rename(const std::string& from, const std::string& to) override { base_->rename(from, to); }
  bool remove(const std::string& path) override { return base_->remove(path); }
  bool remove_directory(const std::string& path) override { return base_->remove_directory(path); }
  void sync(const std::string& path) override { base_->sync(path); }
  void sync_directory(const std::string& directory) override { base_->sync_directory(directory); }
  std::string debug_string() const override { return base_->debug_string(); }

 private:
  const std::shared_ptr<FileSystem> base_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_FILE_SYSTEM_WRAPPER_H_
