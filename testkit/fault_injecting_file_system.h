// FaultInjectingFileSystem: wraps any FileSystem, records the operations
// that change it, and makes a chosen one fail or crash.
//
// Counted operations, in order: create, close (a written file becoming
// complete), rename, remove, remove_directory. Reads, stats, lists and
// appends pass through uncounted (a crash between two appends loses the
// same as a crash at the close that follows them).
//
//   FaultInjectingFileSystem fs(base);
//   fs.inject(7, FaultMode::kCrash);   // the 8th counted operation from now
//
// At the chosen operation:
//   kFail   the operation does not happen and throws InjectedFailure (a
//           transient error: the caller may retry);
//   kCrash  the operation does not happen and throws InjectedFailure, as if
//           the process died there; the caller's unwinding plays the part
//           of the lost process (nothing after it in that attempt happens);
//   kTorn   for a close: half of the file's bytes reach the base file system
//           and are left there, then InjectedFailure; for other operations,
//           as kCrash.
// One injected fault fires once; later operations pass. trace() lists every
// counted operation as "create out/x", "rename a -> b", with "!" before the
// one that failed.
//
// Thread-safe; files it returns must not outlive it.

#ifndef SPLITCHECK_TESTKIT_FAULT_INJECTING_FILE_SYSTEM_H_
#define SPLITCHECK_TESTKIT_FAULT_INJECTING_FILE_SYSTEM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/file_system.h"
#include "splitcheck/lib/internal/mutex.h"

namespace splitcheck::testkit {

enum class FaultMode { kFail, kCrash, kTorn };

const char* fault_mode_name(FaultMode mode);

class FaultInjectingFileSystem final : public FileSystem {
 public:
  explicit FaultInjectingFileSystem(std::shared_ptr<FileSystem> base);

  // The `index`-th counted operation from now (0 = the next) faults.
  void inject(std::int64_t index, FaultMode mode);
  // Counted operations so far.
  std::int64_t operations() const;
  std::vector<std::string> trace() const;
  // Whether the injected fault has fired.
  bool fired() const;

  std::optional<FileMetadata> stat(const std::string& path) const override;
  std::vector<FileMetadata> list(const std::string& directory) const override;
  std::unique_ptr<ReadableFile> open(const std::string& path, std::int64_t offset) const override;
  std::unique_ptr<WritableFile> create(const std::string& path) override;
  void rename(const std::string& from, const std::string& to) override;
  bool remove(const std::string& path) override;
  bool remove_directory(const std::string& path) override;
  std::string debug_string() const override;

  // Counts one operation described by `what`; the mode of the fault that
  // fires on it, if one does. Internal to the wrapper and its files.
  std::optional<FaultMode> count(const std::string& what);

 private:
  const std::shared_ptr<FileSystem> base_;
  mutable internal::Mutex mu_;
  std::int64_t operations_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  std::optional<std::int64_t> fault_at_ SPLITCHECK_GUARDED_BY(mu_);
  FaultMode mode_ SPLITCHECK_GUARDED_BY(mu_) = FaultMode::kFail;
  bool fired_ SPLITCHECK_GUARDED_BY(mu_) = false;
  std::vector<std::string> trace_ SPLITCHECK_GUARDED_BY(mu_);
};

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_FAULT_INJECTING_FILE_SYSTEM_H_
