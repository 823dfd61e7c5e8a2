// check_source_fault_points: a reader whose connection fails at any point
// either fails (so that the runner retries its bundle) or reads exactly its
// records: it never loses or repeats a record on its own.
//
// For a source over a store reached through fault points (a server behind
// a TcpFaultProxy, testkit/server/tcp_fault_proxy.h, or any store whose
// calls mark FaultPoints::before / after), given a factory that makes a
// fresh source bound to the FaultPoints it is passed:
//   1. reads the whole source once without faults, counting the N points
//      the read passes (those the factory passed making the source are not
//      counted: a fault is injected after it returns);
//   2. for every point k < N and every mode of options.modes (kFail: the
//      connection resets there; kTorn: cut short in the middle of a
//      message), reads a fresh source with that fault, as a runner does:
//      an attempt that throws a retryable error (lib/error.h) is discarded
//      and the range read again from its start, up to options.max_attempts
//      attempts (the fault fires once, so a second attempt must succeed);
//   3. fails if an attempt returns records that differ from the fault-free
//      read (a reader that reconnects and starts its range over, or skips
//      what it had fetched, or ends early as if the range were over), if it
//      throws a non-retryable error for a transient fault, if no attempt
//      succeeds, or if the fault never fires (points must come in the same
//      order in every read).
// A failure names the point (as the trace shows it, e.g. "after query
// FETCH FORWARD 16 FROM ...") and the mode, and how the records differ;
// its replay reruns exactly that case (only_point, only_mode). Gives up
// when the read passes no point at all (the source does not reach its
// store through the points it was given). With more points than
// options.max_points, evenly spaced points are checked (a note says so).
//
// SPLITCHECK_SOURCE_FAULT_TEST (testkit/gtest.h) declares it as a test.

#ifndef SPLITCHECK_TESTKIT_SOURCE_SOURCE_FAULT_POINTS_H_
#define SPLITCHECK_TESTKIT_SOURCE_SOURCE_FAULT_POINTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/source/read_source.h"

namespace splitcheck::testkit {

struct SourceFaultOptions {
  std::vector<FaultMode> modes = {FaultMode::kFail, FaultMode::kTorn};
  int max_attempts = 3;
  std::int64_t max_points = 1000;
  // Replay: only this point, only this mode.
  std::optional<std::int64_t> only_point;
  std::optional<FaultMode> only_mode;
};

template <typename T, typename P>
using FaultedSourceFactory =
    std::function<std::shared_ptr<const BoundedSource<T, P>>(std::shared_ptr<FaultPoints>)>;

namespace internal {

// What a read with a fault did.
template <typename T>
struct FaultedRead {
  std::vector<T> records;
  std::optional<std::string> error;  // how it failed for good
  int attempts = 0;
  bool fired = false;
  std::vector<std::string> trace;
};

template <typename T, typename P>
FaultedRead<T> read_with_fault(const FaultedSourceFactory<T, P>& make_source, std::int64_t point,
                               FaultMode mode, int max_attempts) {
  FaultedRead<T> out;
  auto faults = std::make_shared<FaultPoints>();
  const auto source = make_source(faults);
  faults->inject(point, mode);
  for (out.attempts = 1; out.attempts <= max_attempts; ++out.attempts) {
    try {
      out.records = read_from_source(*source);
      out.error.reset();
      break;
    } catch (const std::exception& e) {
      if (!retryable(e)) {
        out.error = std::string(
                        "a transient fault made the read throw an error that is not "
                        "retryable: ") +
                    e.what();
        break;
      }
      out.error = std::string("every attempt failed, the last with: ") + e.what();
    }
  }
  out.fired = faults->fired();
  out.trace = faults->trace();
  return out;
}

}  // namespace internal

template <typename T, typename P>
CheckResult check_source_fault_points(const FaultedSourceFactory<T, P>& make_source,
                                      const SourceFaultOptions& options = {}) {
  CheckResult result = CheckResult::passed("source_fault_points");
  if (options.max_attempts < 2) {
    return CheckResult::broken(result.check,
                               "max_attempts must be at least 2: the fault fires "
                               "once, and only a retry can read past it");
  }
  std::vector<T> reference;
  std::int64_t points = 0;
  try {
    auto faults = std::make_shared<FaultPoints>();
    const auto source = make_source(faults);
    const std::int64_t before = faults->operations();
    reference = read_from_source(*source);
    points = faults->operations() - before;
  } catch (const std::exception& e) {
    return CheckResult::broken(result.check,
                               std::string("the read without faults failed: ") + e.what());
  }
  if (points == 0) {
    return CheckResult::gave_up(result.check,
                                "the read passed no fault point: the source does not reach its "
                                "store through the FaultPoints it was made with");
  }
  std::vector<std::int64_t> chosen;
  if (options.only_point) {
    chosen.push_back(*options.only_point);
  } else if (points <= options.max_points) {
    for (std::int64_t k = 0; k < points; ++k) chosen.push_back(k);
  } else {
    for (std::int64_t i = 0; i < options.max_points; ++i) {
      chosen.push_back(i * points / options.max_points);
    }
    result.notes.push_back("sampled " + std::to_string(options.max_points) + " of " +
                           std::to_string(points) + " points");
  }
  result.notes.push_back(std::to_string(points) + " points in a read of " +
                         std::to_string(reference.size()) + " records");
  for (const std::int64_t k : chosen) {
    for (const FaultMode mode : options.modes) {
      if (options.only_mode && *options.only_mode != mode) continue;
      ++result.cases;
      const internal::FaultedRead<T> read =
          internal::read_with_fault(make_source, k, mode, options.max_attempts);
      result.records_read += static_cast<std::int64_t>(read.records.size());
      std::string where = "a " + std::string(fault_mode_name(mode)) + " at point " +
                          std::to_string(k) + " of " + std::to_string(points);
      for (const std::string& step : read.trace) {
        if (step.rfind("! ", 0) == 0) where += " (\"" + step.substr(2) + "\")";
      }
      result.replay = "check_source_fault_points(make_source, {.only_point = " + std::to_string(k) +
                      ", .only_mode = FaultMode::" +
                      (mode == FaultMode::kFail   ? "kFail"
                       : mode == FaultMode::kTorn ? "kTorn"
                                                  : "kCrash") +
                      "})";
      if (!read.fired) {
        return result.fail("the fault at point " + std::to_string(k) +
                           " never fired: this read passed " + std::to_string(read.trace.size()) +
                           " points, the first " + std::to_string(points) +
                           " (a source's points must come in the same order in every read)");
      }
      if (read.error) return result.fail("after " + where + ": " + *read.error);
      if (auto difference = internal::first_list_difference(reference, read.records)) {
        return result.fail("after " + where + ", attempt " + std::to_string(read.attempts) +
                           " returned other records than the read without faults: " + *difference +
                           trace_excerpt(read.trace));
      }
    }
  }
  result.replay.clear();
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SOURCE_FAULT_POINTS_H_
