// FaultPoints: numbered points where a test makes a write fail.
//
// Every call that changes external state is a point. File sinks get them
// for free through FaultInjectingFileSystem (create, close, rename, remove,
// remove_directory); a sink over another store marks its own calls:
//
//   faults.before("insert into staging");  // a fault here: the call never happens
//   store.insert(...);
//   faults.after("insert into staging");   // a fault here: it happened, but the
//                                          // caller sees a failure (a lost ack)
//
// inject(k, mode) makes the k-th point from now (or the k-th of one kind)
// fault once:
//   kFail   the point throws InjectedFailure, a transient failure the caller
//           may retry;
//   kTorn   at a close, half of the file's bytes are written, then as kFail
//           (FaultInjectingFileSystem); elsewhere as kFail;
//   kCrash  the machine loses power there: the crash handler runs (a test
//           takes its snapshot of what survives, e.g. with
//           InMemoryFileSystem::crash_states), the point throws
//           MachineCrash, and so does every later point, from any thread:
//           the machine is down, nothing more reaches the store.
// trace() lists the points passed, "!" marking the one that faulted (points
// after a crash are not counted). Thread-safe.

#ifndef SPLITCHECK_TESTKIT_FAULTS_FAULT_POINTS_H_
#define SPLITCHECK_TESTKIT_FAULTS_FAULT_POINTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splitcheck::testkit {

class CrashableStore;  // crashable_store.h

enum class FaultMode { kFail, kCrash, kTorn };

const char* fault_mode_name(FaultMode mode);

class FaultPoints {
 public:
  FaultPoints();
  ~FaultPoints();
  FaultPoints(const FaultPoints&) = delete;
  FaultPoints& operator=(const FaultPoints&) = delete;

  // The `index`-th point from now (0 = the next) faults, once. With a
  // `kind` ("rename", "close", "before commit", ...), only points whose
  // description starts with it are counted towards `index`.
  void inject(std::int64_t index, FaultMode mode, std::string kind = "");
  // From the `index`-th point from now on, every point fails (kFail) until
  // clear(): a failure that does not go away, for a check that makes a
  // runner give up.
  void fail_from(std::int64_t index);
  // Drops the injected fault and any fail_from.
  void clear();
  std::int64_t operations() const;
  std::vector<std::string> trace() const;
  bool fired() const;
  // Whether a kCrash fault has fired.
  bool crashed() const;
  // Runs once, on the thread that reaches the crash point, before it throws
  // (no lock of the points held).
  void set_crash_handler(std::function<void()> handler);

  // A store whose crash states the crash check recovers besides the file
  // system's (crashable_store.h); kept alive as long as these points.
  void add_store(std::shared_ptr<CrashableStore> store);
  std::vector<std::shared_ptr<CrashableStore>> stores() const;

  // A point before / after an external call; throws InjectedFailure when
  // the fault falls on it.
  void before(std::string_view call);
  void after(std::string_view call);

  // Counts one point; the mode of the fault that falls on it, if one does.
  // For wrappers that fault in their own way (a torn close). A crash never
  // returns: count() throws MachineCrash itself, at the point and after.
  std::optional<FaultMode> count(const std::string& what);
  // Throws the InjectedFailure of a fault on `what` (MachineCrash for kCrash).
  [[noreturn]] static void raise(FaultMode mode, const std::string& what);

 private:
  struct State;  // the counters and the trace, behind one lock
  const std::unique_ptr<State> state_;
};

// A trace() as a failure message shows it, one indented line per point: the
// whole trace when it is short, else the 8 points before the first one that
// faulted (the last one when none did), it, and `after` points after it,
// with how many were left out before and after. A database's trace runs to
// hundreds of points.
std::string trace_excerpt(const std::vector<std::string>& trace, std::size_t after = 3);

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_FAULTS_FAULT_POINTS_H_
