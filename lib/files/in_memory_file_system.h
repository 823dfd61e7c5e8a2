// InMemoryFileSystem: a FileSystem held in memory, for tests and for the
// testkit's fault injection.
//
// Paths are plain strings: "a/b.txt" lives in directory "a" because list("a")
// lists the paths starting with "a/". There are no directories of their own:
// create() needs no parents, and a directory exists while a file is under it.
//
// Beyond the FileSystem contract, tests can set a file's bytes directly
// (set_contents, which also simulates a file that shrinks or grows while being
// read), make a file unreadable (as a permission denied would), and read
// back what was written. Open files see such changes: a ReadableFile reads
// the file's current bytes at each read() and throws InputError if the file
// has vanished or become unreadable. A WritableFile's bytes appear when it is
// closed; until then the file exists and is empty (what a crash leaves).
//
// Thread-safe. Files returned by open() and create() must not outlive the
// file system.

#ifndef SPLITCHECK_LIB_FILES_IN_MEMORY_FILE_SYSTEM_H_
#define SPLITCHECK_LIB_FILES_IN_MEMORY_FILE_SYSTEM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/files/file_system.h"

namespace splitcheck {

class InMemoryFileSystem final : public FileSystem {
 public:
  InMemoryFileSystem();
  ~InMemoryFileSystem() override;
  InMemoryFileSystem(const InMemoryFileSystem&) = delete;
  InMemoryFileSystem& operator=(const InMemoryFileSystem&) = delete;

  std::optional<FileMetadata> stat(const std::string& path) const override;
  // "a directory" for a path some file lies under.
  std::optional<std::string> what_is_at(const std::string& path) const override;
  std::vector<FileMetadata> list(const std::string& directory) const override;
  std::unique_ptr<ReadableFile> open(const std::string& path, std::int64_t offset) const override;
  std::unique_ptr<WritableFile> create(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  bool remove(const std::string& path) override;
  // Fails if a file is under `path`; otherwise there is nothing to remove.
  bool remove_directory(const std::string& path) override;
  std::string debug_string() const override { return "in-memory file system"; }

  // Creates or replaces the file's bytes at once.
  void set_contents(const std::string& path, std::string contents);
  // The file's bytes, or nullopt if there is no such file.
  std::optional<std::string> contents(const std::string& path) const;
  // An unreadable file fails open() and read() with "permission denied".
  void set_readable(const std::string& path, bool readable);

 private:
  struct State;  // the files, behind one lock
  friend class InMemoryReadableFile;
  friend class InMemoryWritableFile;

  // The bytes to read from `path`, or an InputError naming why there are none.
  std::shared_ptr<const std::string> bytes_for_read(const std::string& path,
                                                    const char* operation) const;

  const std::unique_ptr<State> state_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_IN_MEMORY_FILE_SYSTEM_H_
