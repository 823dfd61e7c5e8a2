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
// Durability (file_system.h): every file's bytes and every change of a
// directory's entries (a create, a rename, a remove) are either only applied
// or also durable. sync(path) makes the file's bytes durable.
// sync_directory(dir) makes durable the pending changes of `dir` (creates
// and removes there, renames *into* it; not those of its subdirectories),
// together with the earlier changes they depend on: those sharing a name
// with them, transitively (a rename's durable name needs the create of the
// file it moves). A rename is one atomic change: it is durable in both
// directories or in neither, and syncing its source directory alone does
// not make it durable (POSIX promises nothing there; we take the safe side).
// A directory that create (or rename) makes is an entry of its parent like
// a file: until sync_directory(parent) it is pending, and a crash that
// loses it loses everything under it, however durable (syncing a directory
// does not make its own entry durable). set_contents makes its directories
// durably. Removing a directory is not modelled: once made, a directory
// stays (empty, invisible to list()). Bytes reach a file at close(), in the
// appends that made them.
//
// What a power loss can leave (crash_states()): the durable namespace plus
// any subset of the pending changes closed under those dependencies (and
// with the directories each change is under); and
// each file in it holding its durable bytes, all its applied bytes, or the
// applied bytes cut at the end of one of the appends since its last sync or
// torn inside the last one (its durable bytes are kept when it was
// rewritten rather than appended to). Bounded by CrashModel: every
// combination when there are at most max_states, a deterministic sample
// (each pending change kept alone and lost alone first, then prefixes, cuts
// and random combinations)
// otherwise. crash() is the most pessimistic of them, in place.
// FaultInjectingFileSystem passes each append through, so cuts fall at the
// appends a sink made.
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

struct InMemoryInode;  // a file apart from its names (in internal/)
class InMemoryFileSystem;

// Bounds crash_states().
struct CrashModel {
  // At most this many states; more possible states are sampled, keeping
  // the most pessimistic and the most optimistic.
  int max_states = 64;
  // Cuts of a file's unsynced appends tried besides none, all, and one torn
  // inside the last append, spread evenly over the appends.
  int cuts_per_file = 2;
  // Chooses the sample.
  std::uint64_t seed = 0;
};

// One state a machine could come back in.
struct CrashState {
  // What the state keeps, and loses, of what was not durable: "rename a ->
  // b", "the 12 bytes of \"a\" not synced", ...
  std::vector<std::string> survived;
  std::vector<std::string> lost;
  // Whether the states it came with are a sample.
  bool sampled = false;
  // The state, everything in it durable.
  std::shared_ptr<InMemoryFileSystem> file_system;

  // "survived:\n  rename a -> b\nlost:\n  ..." for a failure message.
  std::string describe() const;
};

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

  // Every state a power loss now could leave (the model above), the most
  // pessimistic first, then the most optimistic. Deterministic for a given
  // history and model. UsageError for max_states < 1.
  std::vector<CrashState> crash_states(const CrashModel& model = {}) const;

  // Creates or replaces the file's bytes at once, durably (as if written,
  // synced and its directory synced): how a test lays out its input.
  void set_contents(const std::string& path, std::string contents);
  // Makes the directory and those above it, durably: a directory a test's
  // writes go into that existed before them (empty, so list() shows nothing).
  void set_directory(const std::string& path);
  // The file's bytes, or nullopt if there is no such file.
  std::optional<std::string> contents(const std::string& path) const;
  // An unreadable file fails open() and read() with "permission denied".
  void set_readable(const std::string& path, bool readable);

 private:
  struct State;  // the files, behind one lock
  friend class InMemoryReadableFile;
  friend class InMemoryWritableFile;

  // Sets the bytes every later call sees (a closed WritableFile's).
  void apply(InMemoryInode& inode, std::string bytes, std::vector<std::size_t> append_ends);

  // The bytes to read from `path`, or an InputError naming why there are none.
  std::shared_ptr<const std::string> bytes_for_read(const std::string& path,
                                                    const char* operation) const;

  const std::unique_ptr<State> state_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_IN_MEMORY_FILE_SYSTEM_H_
