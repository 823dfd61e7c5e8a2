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
// closed; until then the file exists and is empty.
//
// Durability (file_system.h): every file and every entry is either only
// applied or also durable. sync(path) makes the file's bytes durable,
// sync_directory(dir) the entries directly in `dir` (creates, renames and
// removes there; not those of its subdirectories); crash() drops everything
// else. Directories themselves need no sync: one holding a durable entry
// exists after a crash.
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

struct InMemoryInode;  // a file apart from its names (in the .cc)

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
  void sync(const std::string& path) override;
  void sync_directory(const std::string& directory) override;
  std::string debug_string() const override { return "in-memory file system"; }

  // Power loss: keeps only what was made durable, the most pessimistic state
  // a machine could come back in. Every file entry not made durable by a
  // sync_directory of its directory is undone (a create vanishes, a rename
  // is reverted, a removed file is back), and every file holds the bytes of
  // its last sync (none if never synced). Open files should be dropped.
  void crash();

  // Creates or replaces the file's bytes at once, durably (as if written,
  // synced and its directory synced): how a test lays out its input.
  void set_contents(const std::string& path, std::string contents);
  // The file's bytes, or nullopt if there is no such file.
  std::optional<std::string> contents(const std::string& path) const;
  // An unreadable file fails open() and read() with "permission denied".
  void set_readable(const std::string& path, bool readable);

 private:
  struct State;  // the files, behind one lock
  friend class InMemoryReadableFile;
  friend class InMemoryWritableFile;

  // Sets the bytes every later call sees (a closed WritableFile's).
  void apply(InMemoryInode& inode, std::string bytes);

  // The bytes to read from `path`, or an InputError naming why there are none.
  std::shared_ptr<const std::string> bytes_for_read(const std::string& path,
                                                    const char* operation) const;

  const std::unique_ptr<State> state_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_IN_MEMORY_FILE_SYSTEM_H_
