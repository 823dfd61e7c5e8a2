// CrashableStore: a store outside the file system that can say what a power
// loss would leave of it, and put any of those states in place.
//
// The wrapper API for a store a sink writes to: mark each call that changes
// it with FaultPoints::before / after (fault_points.h), and, if the store
// can lose what it was not made durable, implement this and register it
// with FaultPoints::add_store. The crash check then recovers every state
// crash_states() lists at each crash, as it does the file system's.
// SqliteFaultVfs (sqlite_fault_vfs.h) is one, for SQLite databases.

#ifndef SPLITCHECK_TESTKIT_FAULTS_CRASHABLE_STORE_H_
#define SPLITCHECK_TESTKIT_FAULTS_CRASHABLE_STORE_H_

#include <functional>
#include <string>
#include <vector>

#include "splitcheck/lib/files/in_memory_file_system.h"

namespace splitcheck::testkit {

// One state a store could come back in.
struct StoreCrashState {
  // What it keeps, and loses, of what was not durable.
  std::vector<std::string> survived;
  std::vector<std::string> lost;
  // Whether the states it came with are a sample of the possible ones (the
  // model's bounds left some out): the check then says it sampled.
  bool sampled = false;
  // Puts the state in place (nothing of the store may be in use). May throw
  // (an Error naming what failed): the check reports it as a failure.
  std::function<void()> restore;
};

class CrashableStore {
 public:
  virtual ~CrashableStore() = default;
  // The states a power loss now could leave, the most pessimistic first,
  // bounded by `model` as the file system's are: at least one (a store with
  // nothing unsynced lists the one state it is in; an empty list is
  // rejected by the check, since nothing would be recovered). Called at the
  // crash, on the thread that reached it: must not wait for the store's
  // calls.
  virtual std::vector<StoreCrashState> crash_states(const CrashModel& model) const = 0;
  virtual std::string debug_string() const = 0;
};

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_FAULTS_CRASHABLE_STORE_H_
