// SqliteFaultVfs: an SQLite VFS whose every change of a database file is a
// fault point, and which knows what a power loss would keep.
//
// It wraps the default VFS (registered with sqlite3_vfs_register under a
// name of its own, never as the default) and is used by opening a
// connection with that name (sqlite3_open_v2's zVfs). A store connector
// needs nothing else: no hook in its code. For the database files and
// journals opened through it (not SQLite's temporary files):
//   * every write, truncate, sync, lock (shared, reserved, pending,
//     exclusive) and delete (a journal deleted is a commit) is a point of
//     the FaultPoints it was made with, named "sqlite write kv.db 4096
//     +4096", "sqlite sync kv.db-journal", "sqlite lock kv.db exclusive",
//     "sqlite delete kv.db-journal". A fault there (kFail, and kTorn, which
//     is kFail here) makes the call return an I/O error that SQLite handles
//     as it would a disk's; a crash (kCrash) makes that call and every later
//     one fail, so nothing more reaches the files, as on a machine that lost
//     power. (A C library cannot pass an exception on: the caller sees an
//     SQLite error, and a check that knows the machine is down treats it
//     as the crash.)
//   * it keeps, in memory, each file's bytes as applied and as durable.
//     A sync makes a file's bytes durable, and its entry (taken as durable
//     at the first sync, as ext4 and XFS behave; SQLite syncs a new
//     journal's directory itself). A delete is durable only when SQLite asks
//     for the directory to be synced (synchronous = EXTRA); otherwise a crash
//     may bring the file back. Syncs are not passed to the disk: the model
//     is the durability, and tests run without fsync's cost.
//   * crash_states() lists what a power loss now could leave: each file at
//     its durable bytes (or gone, if it never was durable), at all its
//     applied bytes, or with its writes since the last sync applied up to a
//     cut (cuts_per_file of them, spread), in every combination up to
//     max_states (the most pessimistic first, the most optimistic second),
//     each marked sampled when the bounds left a state out. Only prefixes of
//     a file's writes since its sync are listed, not every subset: a disk
//     may also reorder them, which SQLite's journal checksums guard against
//     but a store relying on write order would not be caught by this model.
//     Each state's restore() writes it to the disk, with no connection open,
//     and removes the database files and journals any fault VFS of the
//     process first opened after the state was listed (what a recovery from
//     an earlier state made), so each recovery starts from its own state.
// SQLite's rollback journal must bring every such state back to a
// committed one: that is what a check proves by recovering from each.
//
// WAL mode is not modelled (the VFS offers no shared memory), and neither
// is mmap: open databases in a rollback-journal mode (the default, DELETE).
// Thread-safe. Unregistered when destroyed: no connection may be open then.

#ifndef SPLITCHECK_TESTKIT_FAULTS_SQLITE_FAULT_VFS_H_
#define SPLITCHECK_TESTKIT_FAULTS_SQLITE_FAULT_VFS_H_

#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/faults/crashable_store.h"
#include "splitcheck/testkit/faults/fault_points.h"

namespace splitcheck::testkit {

class SqliteFaultVfs final : public CrashableStore {
 public:
  // Registers a new VFS over the default one; `points` may be null (no
  // faults, the durability model only).
  explicit SqliteFaultVfs(std::shared_ptr<FaultPoints> points);
  ~SqliteFaultVfs() override;
  SqliteFaultVfs(const SqliteFaultVfs&) = delete;
  SqliteFaultVfs& operator=(const SqliteFaultVfs&) = delete;

  // The name to open connections with: "splitcheck-faults-<n>".
  const std::string& name() const { return name_; }

  std::vector<StoreCrashState> crash_states(const CrashModel& model) const override;
  std::string debug_string() const override { return "SQLite VFS " + name_; }

  struct Impl;  // the VFS and its files' model (sqlite_fault_vfs.cc)

 private:
  std::string name_;
  std::unique_ptr<Impl> impl_;
};

// Makes a SqliteFaultVfs for one write of a check, registers it with the
// write's fault points (so that the crash check recovers each of its crash
// states), and returns its name; "" (the default VFS) if `points` is null.
// One line in a SinkUnderTest's make_sink:
//   options.vfs = testkit::install_sqlite_fault_vfs(env.faults);
std::string install_sqlite_fault_vfs(const std::shared_ptr<FaultPoints>& points);

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_FAULTS_SQLITE_FAULT_VFS_H_
