// FileSystem: the few file operations connectors need, behind one interface,
// so that sources, sinks and the testkit's fault injection can run on a local
// disk, in memory, or on a wrapper that fails on purpose.
//
// Operations: stat, list (recursive), match (a glob, see glob.h), open for a
// sequential read from an offset, create, rename, remove, remove_directory. Paths are strings
// with '/' as the separator; what they mean is up to the implementation.
//
// Contract, for every implementation:
//   * Every method may be called from several threads at once. Returned files
//     are used by one thread at a time.
//   * Failures outside the program (missing file on open or rename,
//     permission denied, I/O error) throw InputError naming the operation,
//     the path and the reason. stat and match report absence as a value,
//     remove as a false return; a plain path in match that names something
//     other than a regular file (a directory, a FIFO, a device) is an
//     InputError saying what it is, whatever empty matches are allowed. A
//     malformed pattern is a UsageError, checked before any file is.
//   * list and match return regular files only, sorted by path, each once.
//   * create makes missing parent directories and truncates an existing
//     file. A WritableFile may buffer: its bytes are complete under its path
//     only after close() returns; a file dropped without close() may hold
//     any prefix of them (a crash). rename replaces `to` atomically where the platform
//     allows, and is how sinks publish complete files.
//   * Nothing is durable until sync / sync_directory says so (see them): a
//     crash may undo any create, append, rename or remove since.
//   * A ReadableFile reads a snapshot-free stream: if the file shrinks or
//     vanishes while open, read() may return fewer bytes or throw. Sources
//     that must notice (FileBasedSource) check against the size they matched.

#ifndef SPLITCHECK_LIB_FILES_FILE_SYSTEM_H_
#define SPLITCHECK_LIB_FILES_FILE_SYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splitcheck {

struct FileMetadata {
  std::string path;
  std::int64_t size_bytes = 0;

  friend bool operator==(const FileMetadata&, const FileMetadata&) = default;
};

// What match() does when a pattern matches no file (as in Beam).
enum class EmptyMatchTreatment {
  kDisallow,         // InputError naming the pattern (the default)
  kAllow,            // an empty result
  kAllowIfWildcard,  // empty is fine for a glob, an error for a plain path
};

class ReadableFile {
 public:
  virtual ~ReadableFile() = default;

  // Reads up to `n` bytes into `buffer` and returns how many it read; 0 only
  // at the end of the file. Throws InputError on failure.
  virtual std::size_t read(char* buffer, std::size_t n) = 0;

  virtual const std::string& path() const = 0;
};

class WritableFile {
 public:
  virtual ~WritableFile() = default;

  virtual void append(std::string_view data) = 0;

  // Flushes everything appended; after it returns the file is complete under
  // path(). Calling append or close again afterwards is a UsageError.
  virtual void close() = 0;

  virtual const std::string& path() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The regular file at `path`, or nullopt if there is none.
  virtual std::optional<FileMetadata> stat(const std::string& path) const = 0;

  // What is at `path` when stat finds no regular file there: nullopt if
  // nothing is, else a phrase ("a directory", "a FIFO", "a device") for
  // messages. match uses it so that a directory is not "no such file". The
  // default knows nothing but absence.
  virtual std::optional<std::string> what_is_at(const std::string& path) const;

  // Every regular file whose path starts with `directory` followed by '/'
  // (or, for an empty `directory`, every file under the current directory),
  // recursively, sorted by path. A missing directory lists nothing.
  virtual std::vector<FileMetadata> list(const std::string& directory) const = 0;

  // The file's bytes from `offset` on. Throws InputError if it cannot be
  // opened; UsageError for a negative offset.
  virtual std::unique_ptr<ReadableFile> open(const std::string& path,
                                             std::int64_t offset = 0) const = 0;

  virtual std::unique_ptr<WritableFile> create(const std::string& path) = 0;

  // Moves `from` to `to`, replacing `to`. InputError if `from` is missing.
  virtual void rename(const std::string& from, const std::string& to) = 0;

  // Removes the file; false if there was none.
  virtual bool remove(const std::string& path) = 0;

  // Removes an empty directory; false if there was none. A directory that
  // still holds files is an InputError. (Where directories are only path
  // prefixes, as in memory, there is nothing to remove.)
  virtual bool remove_directory(const std::string& path) = 0;

  // Durability. What the calls above change is *applied*: visible to every
  // later call, but lost or kept at random by a crash (power loss) until it
  // is made *durable*:
  //   sync(path)            the closed file's bytes (fsync of the file);
  //   sync_directory(dir)   the entries of `dir` itself: the files created,
  //                         renamed into or out of, and removed from it,
  //                         and the directories create made in it
  //                         (fsync of the directory); "" is the current
  //                         directory.
  // A crash-safe publish is therefore: write, close, sync(temp), rename to
  // the final name, sync_directory(its directory). A directory create made
  // is itself an entry of its parent: until the parent is synced, a crash
  // can lose the directory and everything under it, however durable
  // (sync_directory_and_parents below). Both throw InputError on
  // failure; sync of a missing file is an InputError naming it, while a
  // missing directory has no entries to make durable and is not an error
  // (a cleanup may sync a directory an earlier run already removed).
  virtual void sync(const std::string& path) = 0;
  virtual void sync_directory(const std::string& directory) = 0;

  virtual std::string debug_string() const = 0;

  // The files a pattern names: a glob (see glob.h), expanded by listing its
  // wildcard-free directory prefix, or a plain path. Sorted by path.
  std::vector<FileMetadata> match(std::string_view pattern,
                                  EmptyMatchTreatment empty = EmptyMatchTreatment::kDisallow) const;

  // The file's bytes from `offset` on, read to the end (open's errors).
  std::string read_all(const std::string& path, std::int64_t offset = 0) const;
};

// Syncs `directory` and every directory above it, up to "" (the current
// directory) for a relative path or "/" for an absolute one: what a writer
// calls before it relies on a file under a directory that create may have
// made, or whose parents it may have made. "a/b/" syncs "a/b", "a", "".
void sync_directory_and_parents(FileSystem& fs, const std::string& directory);

// The local disk, through POSIX calls. Relative paths are relative to the
// process's current directory.
std::shared_ptr<FileSystem> local_file_system();

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_FILE_SYSTEM_H_
