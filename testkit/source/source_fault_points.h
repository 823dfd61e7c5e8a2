// check_source_fault_points: a reader whose connection fails at any point
// either fails (so that the runner retries its bundle) or reads exactly its
// records: it never loses or repeats a record on its own.
//
// For a source over a store reached through fault points (a server behind
// a TcpFaultProxy, testkit/server/tcp_fault_proxy.h, or any store whose
// calls mark FaultPoints::before / after), given a factory that makes a
// fresh source bound to the FaultPoints it is passed, for each of three
// ways to read it:
//   * one reader over the whole range;
//   * the bundles of split() (about three), read one after another, so
//     that split()'s own calls and a reused connection are faulted too;
//   * one reader split dynamically half-way (try_split at
//     position_at_fraction(0.5) after half the records), then its residual;
// the check
//   1. reads once without faults, counting the N points the read passes
//      (those the factory passed making the source are not counted: a
//      fault is injected after it returns), and requires the records of a
//      single whole read;
//   2. for every point k < N and every mode of options.modes (kFail: the
//      connection resets there; kTorn: cut short in the middle of a
//      message), reads a fresh source with that fault, as a runner does:
//      an attempt (of split(), a bundle or a residual) that throws a
//      retryable error (lib/error.h) is discarded and made again from its
//      start, up to options.max_attempts (the fault fires once, so a
//      second attempt must succeed);
//   3. fails if the records differ from the fault-free read (a reader that
//      reconnects and starts its range over, or skips what it had fetched,
//      or ends early as if the range were over), if an attempt throws a
//      non-retryable error for a transient fault, if no attempt succeeds,
//      or if the fault never fires (points must come in the same order in
//      every read).
// A failure names the way of reading, the point (as the trace shows it,
// e.g. "receive copy data") and the mode, and how the records differ; its
// replay reruns exactly that case (only_point, only_mode, only_scenario).
// Gives up when a read passes no point at all (the source does not reach
// its store through the points it was given). With more points than
// options.max_points, evenly spaced points are checked, and a note says so.
// Not checked: writes to the store while it is read (a reader that
// reconnects to a newer snapshot reads the same records here).
//
// SPLITCHECK_SOURCE_FAULT_TEST (testkit/gtest.h) declares it as a test.

#ifndef SPLITCHECK_TESTKIT_SOURCE_SOURCE_FAULT_POINTS_H_
#define SPLITCHECK_TESTKIT_SOURCE_SOURCE_FAULT_POINTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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
  // Replay: only this point, only this mode, only this scenario (0: one
  // reader of the whole range, 1: the bundles of split(), 2: a reader
  // split dynamically half-way, then its residual).
  std::optional<std::int64_t> only_point;
  std::optional<FaultMode> only_mode;
  std::optional<int> only_scenario;
};

template <typename T, typename P>
using FaultedSourceFactory =
    std::function<std::shared_ptr<const BoundedSource<T, P>>(std::shared_ptr<FaultPoints>)>;

namespace internal {

// How a read goes: one reader over the whole range; the bundles of split()
// read one after another (their connections reused, split()'s own queries
// faulted too); one reader split dynamically half-way, then its residual.
enum class FaultScenario { kWholeRead, kBundles, kDynamicSplit };

inline const char* fault_scenario_name(FaultScenario s) {
  switch (s) {
    case FaultScenario::kWholeRead:
      return "a read of the whole range";
    case FaultScenario::kBundles:
      return "the bundles of split(), read one after another";
    case FaultScenario::kDynamicSplit:
      return "a read split dynamically half-way, then its residual";
  }
  return "a read";
}

// The records of `scenario` on `source`, with retries as a runner makes
// them: an attempt (of a bundle, a residual, or split() itself) that
// throws a retryable error is discarded and made again, up to
// max_attempts; its residual, if it had split, is dropped with it. Sets
// *error when it fails for good.
template <typename T, typename P>
std::vector<T> read_scenario(const BoundedSource<T, P>& source, FaultScenario scenario,
                             std::int64_t half, int max_attempts,
                             std::optional<std::string>* error) {
  struct Item {
    std::optional<P> start, stop;
    bool split_half = false;
  };
  auto attempts = [&](auto&& body) -> bool {
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
      try {
        body();
        return true;
      } catch (const std::exception& e) {
        if (!retryable(e)) {
          *error = std::string(
                       "a transient fault made the read throw an error that is not "
                       "retryable: ") +
                   e.what();
          return false;
        }
        *error = std::string("every attempt failed, the last with: ") + e.what();
      }
    }
    return false;
  };
  std::vector<Item> items;
  if (scenario == FaultScenario::kBundles) {
    std::vector<SourceBundle<T, P>> bundles;
    if (!attempts([&] {
          bundles = source.split(std::max<std::int64_t>(1, source.estimate_size() / 3));
        })) {
      return {};
    }
    for (const auto& b : bundles) items.push_back({b.start, b.stop, false});
  } else {
    items.push_back({std::nullopt, std::nullopt, scenario == FaultScenario::kDynamicSplit});
  }
  std::vector<T> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<T> records;
    std::optional<Item> residual;
    const Item item = items[i];
    if (!attempts([&] {
          records.clear();
          residual.reset();
          auto tracker = source.get_range_tracker(item.start, item.stop);
          const P stop = tracker->stop_position();
          for (T& record : source.read(*tracker)) {
            records.push_back(std::move(record));
            if (item.split_half && static_cast<std::int64_t>(records.size()) == half) {
              const P at = tracker->position_at_fraction(0.5);
              if (tracker->try_split(at)) residual = Item{at, stop, false};
            }
          }
        })) {
      return {};
    }
    error->reset();
    for (T& record : records) out.push_back(std::move(record));
    if (residual) items.insert(items.begin() + static_cast<std::ptrdiff_t>(i) + 1, *residual);
  }
  return out;
}

// What a read with a fault did.
template <typename T>
struct FaultedRead {
  std::vector<T> records;
  std::optional<std::string> error;  // how it failed for good
  bool fired = false;
  std::vector<std::string> trace;
  std::int64_t points = 0;  // passed after the source was made
};

template <typename T, typename P>
FaultedRead<T> read_with_fault(const FaultedSourceFactory<T, P>& make_source,
                               FaultScenario scenario, std::int64_t half,
                               std::optional<std::pair<std::int64_t, FaultMode>> fault,
                               int max_attempts) {
  FaultedRead<T> out;
  auto faults = std::make_shared<FaultPoints>();
  const auto source = make_source(faults);
  const std::int64_t before = faults->operations();
  if (fault) faults->inject(fault->first, fault->second);
  out.records = read_scenario(*source, scenario, half, max_attempts, &out.error);
  out.fired = faults->fired();
  out.trace = faults->trace();
  out.points = faults->operations() - before;
  return out;
}

}  // namespace internal

template <typename T, typename P>
CheckResult check_source_fault_points(const FaultedSourceFactory<T, P>& make_source,
                                      const SourceFaultOptions& options = {}) {
  using internal::FaultScenario;
  CheckResult result = CheckResult::passed("source_fault_points");
  if (options.max_attempts < 2) {
    return CheckResult::broken(result.check,
                               "max_attempts must be at least 2: the fault fires "
                               "once, and only a retry can read past it");
  }
  std::vector<T> reference;
  std::int64_t half = 0;
  try {
    auto faults = std::make_shared<FaultPoints>();
    reference = read_from_source(*make_source(faults));
    half = static_cast<std::int64_t>(reference.size() / 2);
  } catch (const std::exception& e) {
    return CheckResult::broken(result.check,
                               std::string("the read without faults failed: ") + e.what());
  }
  for (const FaultScenario scenario :
       {FaultScenario::kWholeRead, FaultScenario::kBundles, FaultScenario::kDynamicSplit}) {
    if (options.only_scenario && *options.only_scenario != static_cast<int>(scenario)) continue;
    const char* name = internal::fault_scenario_name(scenario);
    const internal::FaultedRead<T> clean =
        internal::read_with_fault(make_source, scenario, half, std::nullopt, options.max_attempts);
    if (clean.error) {
      return CheckResult::broken(result.check,
                                 std::string(name) + " failed without faults: " + *clean.error);
    }
    if (auto difference = internal::first_list_difference(reference, clean.records)) {
      return result.fail(std::string(name) +
                         ", without faults, read other records than one "
                         "reader of the whole range: " +
                         *difference);
    }
    const std::int64_t points = clean.points;
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
      result.notes.push_back(std::string(name) + ": sampled " + std::to_string(options.max_points) +
                             " of " + std::to_string(points) + " points");
    }
    result.notes.push_back(std::string(name) + ": " + std::to_string(points) + " points, " +
                           std::to_string(reference.size()) + " records");
    for (const std::int64_t k : chosen) {
      for (const FaultMode mode : options.modes) {
        if (options.only_mode && *options.only_mode != mode) continue;
        ++result.cases;
        const internal::FaultedRead<T> read = internal::read_with_fault(
            make_source, scenario, half, std::make_pair(k, mode), options.max_attempts);
        result.records_read += static_cast<std::int64_t>(read.records.size());
        std::string where = std::string(name) + ", a " + fault_mode_name(mode) + " at point " +
                            std::to_string(k) + " of " + std::to_string(points);
        for (const std::string& step : read.trace) {
          if (step.rfind("! ", 0) == 0) where += " (\"" + step.substr(2) + "\")";
        }
        result.replay =
            "check_source_fault_points(make_source, {.only_point = " + std::to_string(k) +
            ", .only_mode = FaultMode::" +
            (mode == FaultMode::kFail   ? "kFail"
             : mode == FaultMode::kTorn ? "kTorn"
                                        : "kCrash") +
            ", .only_scenario = " + std::to_string(static_cast<int>(scenario)) + "})";
        if (!read.fired) {
          return result.fail("in " + std::string(name) + ", the fault at point " +
                             std::to_string(k) + " never fired: this read passed " +
                             std::to_string(read.points) + " points, the first " +
                             std::to_string(points) +
                             " (a source's points must come in the same order in every read)");
        }
        if (read.error) return result.fail("after " + where + ": " + *read.error);
        if (auto difference = internal::first_list_difference(reference, read.records)) {
          return result.fail("after " + where +
                             ", the read returned other records than without faults: " +
                             *difference + trace_excerpt(read.trace));
        }
      }
    }
  }
  result.replay.clear();
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SOURCE_FAULT_POINTS_H_
