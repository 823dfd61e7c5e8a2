// FaultInjectingFileSystem: wraps any FileSystem, records the operations
// that change it as FaultPoints (fault_points.h), and makes a chosen one
// fail or crash.
//
// Counted operations, in order: create, close (a written file becoming
// complete), rename, remove, remove_directory, sync, sync_directory. Reads, stats, lists and
// appends pass through uncounted (a crash between two appends loses the
// same as a crash at the close that follows them).
//
//   FaultInjectingFileSystem fs(base);
//   fs.inject(7, FaultMode::kCrash);   // the 8th counted operation from now
//
// At the chosen operation:
//   kFail   the operation does not happen and throws InjectedFailure (a
//           transient error: the caller may retry);
//   kCrash  the machine loses power before the operation: the points' crash
//           handler runs, then the operation throws MachineCrash, and so does
//           every counted operation after it (fault_points.h). What the base
//           file system made durable is what survives: a test asks an
//           InMemoryFileSystem base for its crash_states() in the handler;
//   kTorn   for a close: half of the file's bytes reach the base file system
//           and are left there, then InjectedFailure; for other operations,
//           as kFail.
// One injected fault fires once; later operations pass. trace() lists every
// counted operation as "create out/x", "rename a -> b", with "!" before the
// one that failed.
//
// The points may be shared with a sink's other external calls, so that one
// numbering covers both. Thread-safe; files it returns must not outlive it.

#ifndef SPLITCHECK_TESTKIT_FAULTS_FAULT_INJECTING_FILE_SYSTEM_H_
#define SPLITCHECK_TESTKIT_FAULTS_FAULT_INJECTING_FILE_SYSTEM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/files/file_system_wrapper.h"
#include "splitcheck/testkit/faults/fault_points.h"

namespace splitcheck::testkit {

class FaultInjectingFileSystem final : public FileSystemWrapper {
 public:
  explicit FaultInjectingFileSystem(std::shared_ptr<FileSystem> base,
                                    std::shared_ptr<FaultPoints> points = nullptr);

  // The `index`-th counted operation from now (0 = the next), or of one kind
  // ("rename", "close", ...), faults.
  void inject(std::int64_t index, FaultMode mode, std::string kind = "") {
    points_->inject(index, mode, std::move(kind));
  }
  // Counted operations so far.
  std::int64_t operations() const { return points_->operations(); }
  std::vector<std::string> trace() const { return points_->trace(); }
  // Whether the injected fault has fired.
  bool fired() const { return points_->fired(); }
  FaultPoints& points() const { return *points_; }

  // Reads (stat, what_is_at, list, open) go to the base unchanged.
  std::unique_ptr<WritableFile> create(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  bool remove(const std::string& path) override;
  bool remove_directory(const std::string& path) override;
  void sync(const std::string& path) override;
  void sync_directory(const std::string& directory) override;
  std::string debug_string() const override;

 private:
  const std::shared_ptr<FaultPoints> points_;
};

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_FAULTS_FAULT_INJECTING_FILE_SYSTEM_H_
