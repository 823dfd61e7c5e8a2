// WritePolicy: the faults a LocalRunner injects into a Write, so that tests
// (and the sink testkit) can make any bundle attempt fail or be duplicated.
//
//   * fail_attempt(attempt): called before each record is written and once
//     more before close() (records_written == bundle_records); true makes the
//     attempt fail there with an InjectedFailure: its writer is destroyed
//     without close(), as if the worker died.
//   * duplicate(bundle): true runs a second, speculative attempt of the bundle
//     from the start; whichever succeeds first is the bundle's result, the
//     other's output is abandoned.
// Decisions that depend only on their arguments are reproducible whatever
// the thread timing. Policies are called from several threads at once.
//
// SeededWritePolicy(seed, p_fail, p_duplicate) fails each attempt with
// probability p_fail at a record chosen from the seed, and duplicates each
// bundle with probability p_duplicate.

#ifndef SPLITCHECK_LIB_RUNNER_WRITE_POLICY_H_
#define SPLITCHECK_LIB_RUNNER_WRITE_POLICY_H_

#include <cstdint>
#include <string_view>

namespace splitcheck {

struct WriteAttempt {
  std::int64_t bundle = 0;  // 0-based shard index
  int attempt = 1;          // 1 for the first attempt of the bundle
  bool speculative = false;
  std::int64_t records_written = 0;
  std::int64_t bundle_records = 0;
};

class WritePolicy {
 public:
  virtual ~WritePolicy() = default;
  virtual bool fail_attempt(const WriteAttempt& /*attempt*/) const { return false; }
  virtual bool duplicate(std::int64_t /*bundle*/) const { return false; }
};

class SeededWritePolicy final : public WritePolicy {
 public:
  SeededWritePolicy(std::uint64_t seed, double failure_probability,
                    double duplicate_probability = 0.0);

  bool fail_attempt(const WriteAttempt& attempt) const override;
  bool duplicate(std::int64_t bundle) const override;

 private:
  std::uint64_t seed_;
  double failure_probability_;
  double duplicate_probability_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_WRITE_POLICY_H_
