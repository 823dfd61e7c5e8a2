// The states a machine can come back in after a power loss, for the
// in-memory file system (in_memory_file_system.h states the model). Internal.
//
// The file system is a namespace of paths naming inodes, and a set of
// directories, in two versions:
// the durable one and the applied one, which is the durable one plus the
// namespace changes not made durable yet (in the order they happened) and
// inodes whose applied bytes are not their durable bytes. A crash keeps any
// subset of those changes that is closed under their dependencies (a change
// is kept only with every earlier pending change that shares one of its
// names: a rename of a file whose create is lost cannot survive), and gives
// every inode the state keeps either its durable bytes or a prefix of its
// applied bytes cut at the end of one of its appends, or torn inside the
// last one. A directory is an entry of its parent like a file: one made
// since the parent was last synced (kMakeDirectory) may be lost, and with
// it every path under it, durable or not.

#ifndef SPLITCHECK_LIB_FILES_INTERNAL_CRASH_STATES_H_
#define SPLITCHECK_LIB_FILES_INTERNAL_CRASH_STATES_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace splitcheck {

// A file, apart from its names: the bytes every call sees (applied) and the
// bytes a crash keeps (durable). Guarded by its file system's lock.
struct InMemoryInode {
  std::shared_ptr<const std::string> applied = std::make_shared<const std::string>();
  std::shared_ptr<const std::string> durable = std::make_shared<const std::string>();
  // Where each append that made the applied bytes ended (increasing).
  std::vector<std::size_t> append_ends;
  bool readable = true;
};

namespace internal {

using Namespace = std::map<std::string, std::shared_ptr<InMemoryInode>>;
using Directories = std::set<std::string>;  // "" (the top) is always there

// Whether every directory above `path` is in `directories`.
bool parents_exist(const Directories& directories, const std::string& path);

// Drops from `directories` those with a directory above them missing.
void drop_orphan_directories(Directories& directories);

// A change of the namespace not made durable yet.
struct NamespaceChange {
  enum class Kind { kCreate, kRename, kRemove, kMakeDirectory };
  Kind kind = Kind::kCreate;
  // The file created or removed, the rename's source, or the directory made.
  std::string path;
  std::string to;  // the rename's destination
  std::shared_ptr<InMemoryInode> inode;

  void apply(Namespace& names, Directories& directories) const;
  // "create a/b", "rename a/b -> c/d", "remove a/b", "create directory a".
  std::string describe() const;
  // The directory whose sync makes the change durable: the file's, or for a
  // rename the destination's.
  std::string directory() const;
  bool shares_a_name_with(const NamespaceChange& other) const;
  // Whether `earlier` makes a directory this change's name is under: the
  // change means nothing in a state that loses it. (Not a durability
  // dependency: syncing a directory does not make its own entry durable.)
  bool needs(const NamespaceChange& earlier) const;
};

// The directory holding `path`: "a/b" for "a/b/c", "" for "c".
std::string parent_of(const std::string& path);

// The indexes of the pending changes that making change `i` durable makes
// durable too: `i` and, transitively, the earlier changes sharing a name
// with it. In increasing order.
std::vector<std::size_t> with_dependencies(const std::vector<NamespaceChange>& pending,
                                           std::size_t i);

struct CrashStateLimits {
  std::size_t max_states = 64;
  // Intermediate cuts of a file's unsynced appends tried besides none, all,
  // and one torn inside the last append.
  std::size_t cuts_per_file = 2;
  std::uint64_t seed = 0;
};

// One state a crash may leave.
struct SurvivingState {
  struct File {
    std::shared_ptr<const std::string> bytes;
    bool readable = true;
  };
  std::map<std::string, File> files;
  Directories directories;
  std::vector<std::string> survived;  // what it keeps of what was not durable
  std::vector<std::string> lost;      // what it loses
};

struct SurvivingStates {
  std::vector<SurvivingState> states;  // distinct; the first keeps nothing pending
  bool sampled = false;                // more states were possible
};

// The states of `durable` (whose directories are `durable_directories`)
// after the pending changes, the most pessimistic first (nothing pending
// kept, every file
// at its durable bytes), then the most optimistic (everything applied kept),
// then the others; all of them when there are at most limits.max_states,
// otherwise a deterministic sample (from limits.seed) spent in this order:
// those two, each change kept alone and lost alone (all of them when
// max_states >= 2 + 2 x pending changes), every prefix of the changes, each
// cut of each file alone, then random combinations.
SurvivingStates surviving_states(const Namespace& durable, const Directories& durable_directories,
                                 const std::vector<NamespaceChange>& pending,
                                 const CrashStateLimits& limits);

}  // namespace internal
}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_INTERNAL_CRASH_STATES_H_
