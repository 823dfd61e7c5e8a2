// ScratchDirectory and RootedFileSystem: a fresh directory on the local
// disk, and a file system whose paths are relative to it, for the checks
// that run a write in worker processes (an in-memory file system is private
// to each process; the disk is shared by all of them). Internal.
//
//   ScratchDirectory scratch("sink-serialization");   // removed when it goes
//   auto fs = std::make_shared<RootedFileSystem>(scratch.path());
//   fs->create("out/part-0");                          // <scratch>/out/part-0
//
// Paths given to a RootedFileSystem, relative or absolute, are taken below
// its root ("/a" and "a" are both <root>/a); paths it returns are in the
// form they were asked for (stat and a file's path(): the path given; list:
// relative below a relative directory, "/..." below an absolute one), so
// that a sink that compares paths sees the ones it used. Thread-safe as the
// local file system is.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_SCRATCH_DIRECTORY_H_
#define SPLITCHECK_TESTKIT_INTERNAL_SCRATCH_DIRECTORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/files/file_system.h"

namespace splitcheck::testkit::internal {

class ScratchDirectory {
 public:
  // A new directory under $TEST_TMPDIR (else $TMPDIR, else /tmp) whose name
  // starts with `purpose`; InputError if it cannot be made.
  explicit ScratchDirectory(const std::string& purpose);
  // Removes it and everything in it (best effort).
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class RootedFileSystem final : public FileSystem {
 public:
  explicit RootedFileSystem(std::string root);

  std::optional<FileMetadata> stat(const std::string& path) const override;
  std::optional<std::string> what_is_at(const std::string& path) const override;
  std::vector<FileMetadata> list(const std::string& directory) const override;
  std::unique_ptr<ReadableFile> open(const std::string& path,
                                     std::int64_t offset = 0) const override;
  std::unique_ptr<WritableFile> create(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  bool remove(const std::string& path) override;
  bool remove_directory(const std::string& path) override;
  void sync(const std::string& path) override;
  void sync_directory(const std::string& directory) override;
  std::string debug_string() const override;

 private:
  std::string under_root(const std::string& path) const;
  // `path` (below the root) as a caller gives it: relative, or absolute.
  std::string as_given(const std::string& path, bool absolute) const;

  const std::string root_;
  const std::shared_ptr<FileSystem> disk_;
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_SCRATCH_DIRECTORY_H_
