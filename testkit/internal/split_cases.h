// The machinery of the split-at-fraction checks. Internal to the testkit.
//
// SplitOracle reads the range once (the reference) and, for each split
// position, checks once that fresh reads of the primary [start, p) and the
// residual [p, stop) add up to the reference; it then remembers only how many
// records the primary holds. A case (k records read, split at p) therefore
// costs one reader: read k records, split, read the rest, comparing each
// record with the reference as it comes and stopping at the first
// difference. The naive method re-reads the primary and the residual for
// every case.
//
// The oracle also holds the fractions accepted splits report to what the
// tracker's own mapping says, without knowing the mapping (see
// check_split_fraction).
//
// CaseReader is one such reader. Everything here is thread-safe where it says
// so: cases for different k run on different threads against one oracle.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_SPLIT_CASES_H_
#define SPLITCHECK_TESTKIT_INTERNAL_SPLIT_CASES_H_

#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/source/read_source.h"

namespace splitcheck::testkit::internal {

// The message of the exception in flight, for counterexamples.
inline std::string current_exception_message() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

template <typename T, typename P>
class SplitOracle {
 public:
  struct Partition {
    std::int64_t primary_records = 0;
    std::optional<std::string> error;  // the fresh reads did not add up
  };

  // Reads the reference; throws what the source throws.
  SplitOracle(const BoundedSource<T, P>& source, std::optional<P> start, std::optional<P> stop)
      : source_(source), start_(std::move(start)), stop_(std::move(stop)) {
    auto tracker = source_.get_range_tracker(start_, stop_);
    if (tracker == nullptr) {
      throw UsageError(source_.debug_string() + ": get_range_tracker returned null");
    }
    whole_start_ = std::make_unique<P>(tracker->start_position());
    whole_stop_ = std::make_unique<P>(tracker->stop_position());
    mapping_ = std::move(tracker);
    reference_ = read_from_source(source_, start_, stop_);
    records_read_ += static_cast<std::int64_t>(reference_.size());
  }

  const BoundedSource<T, P>& source() const { return source_; }
  const std::vector<T>& reference() const { return reference_; }
  const std::optional<P>& start() const { return start_; }
  const std::optional<P>& stop() const { return stop_; }
  const P& whole_start() const { return *whole_start_; }
  const P& whole_stop() const { return *whole_stop_; }

  // The partition of the whole range at `position`, computed once. Safe to
  // call from several threads.
  Partition partition_at(const P& position) SPLITCHECK_EXCLUDES(mu_) {
    {
      splitcheck::internal::MutexLock lock(&mu_);
      const auto it = partitions_.find(position);
      if (it != partitions_.end()) return it->second;
    }
    Partition partition = compute(position);
    splitcheck::internal::MutexLock lock(&mu_);
    return partitions_.emplace(position, std::move(partition)).first->second;
  }

  std::int64_t records_read() const { return records_read_.load(); }
  void add_records_read(std::int64_t n) { records_read_ += n; }

  // How far a reported fraction may stray from the mapping, for rounding.
  static constexpr double kFractionSlack = 1e-9;

  // Checks the fraction an accepted split of the whole range at `position`
  // reported, `consumed` being the reader's fraction_consumed() just before.
  // Seen from outside, the tracker's own position_at_fraction on a fresh
  // tracker of the range (the mapping) must agree with it: the fraction is the
  // share of `position` in the range, so, up to kFractionSlack,
  //   * position_at_fraction(fraction - slack) is at or before `position`:
  //     the fraction is not past the next position's;
  //   * position_at_fraction(fraction + slack) is after `position` (or
  //     `position` is the stop): the share of a position is never below a
  //     fraction that maps to it, so a mapping that rounds down shows, and so
  //     does a fraction of what was left to read instead of the range;
  //   * `consumed` is not above it: what was read lies before the split.
  // The verdict depends only on (position, fraction, consumed), so checks on
  // several threads agree. Safe to call from several threads.
  std::optional<std::string> check_split_fraction(const P& position, double fraction,
                                                  double consumed) SPLITCHECK_EXCLUDES(mu_) {
    using splitcheck::internal::describe_double;
    const auto split = [&] {
      return "the split at " + describe_value(position) + " reported fraction " +
             describe_double(fraction);
    };
    if (consumed > fraction + kFractionSlack) {
      return split() + ", but fraction_consumed() was " + describe_double(consumed) +
             " just before it: a split cannot keep less than was read";
    }
    {
      splitcheck::internal::MutexLock lock(&mu_);
      const auto it = fraction_verdicts_.find(position);
      if (it != fraction_verdicts_.end() && it->second.first == fraction) return it->second.second;
    }
    std::optional<std::string> verdict;
    try {
      const double down = std::max(0.0, fraction - kFractionSlack);
      const P below = mapping_->position_at_fraction(down);
      const double up = std::min(1.0, fraction + kFractionSlack);
      if (position < below) {
        verdict = split() + ", but position_at_fraction(" + describe_double(down) + ") is " +
                  describe_value(below) +
                  ", past it: the share of the position is less than "
                  "reported";
      } else if (!(position == *whole_stop_)) {
        const P above = mapping_->position_at_fraction(up);
        if (!(position < above)) {
          verdict =
              split() + ", but position_at_fraction(" + describe_double(up) + ") is " +
              (above == position ? "still " : "") + describe_value(above) +
              ": the share of the position is more than reported" +
              (above == position ? " (a position_at_fraction that rounds down, or a fraction of "
                                   "something other than the range?)"
                                 : "");
        }
      }
    } catch (...) {
      verdict =
          "position_at_fraction threw near the fraction of a split: " + current_exception_message();
    }
    splitcheck::internal::MutexLock lock(&mu_);
    fraction_verdicts_[position] = {fraction, verdict};
    return verdict;
  }

 private:
  Partition compute(const P& position) {
    Partition partition;
    try {
      std::vector<T> primary = read_from_source(source_, start_, std::optional<P>(position));
      std::vector<T> residual =
          read_from_source(source_, std::optional<P>(position), std::optional<P>(*whole_stop_));
      records_read_ += static_cast<std::int64_t>(primary.size() + residual.size());
      partition.primary_records = static_cast<std::int64_t>(primary.size());
      primary.insert(primary.end(), std::make_move_iterator(residual.begin()),
                     std::make_move_iterator(residual.end()));
      if (auto diff = first_list_difference(reference_, primary)) {
        partition.error = "fresh reads of the primary [start, " + describe_value(position) +
                          ") and the residual [" + describe_value(position) +
                          ", stop) do not add up to the whole range: " + *diff;
      }
    } catch (...) {
      partition.error = "reading the primary or residual of a split at " +
                        describe_value(position) + " threw: " + current_exception_message();
    }
    return partition;
  }

  const BoundedSource<T, P>& source_;
  const std::optional<P> start_;
  const std::optional<P> stop_;
  std::unique_ptr<P> whole_start_;
  std::unique_ptr<P> whole_stop_;
  // A fresh tracker of the range, never read: its position_at_fraction is the
  // mapping that reported fractions are held to.
  std::unique_ptr<RangeTracker<P>> mapping_;
  std::vector<T> reference_;
  std::atomic<std::int64_t> records_read_{0};
  splitcheck::internal::Mutex mu_;
  std::map<P, Partition> partitions_ SPLITCHECK_GUARDED_BY(mu_);
  // The last fraction checked for a split at each position, and the verdict.
  std::map<P, std::pair<double, std::optional<std::string>>> fraction_verdicts_
      SPLITCHECK_GUARDED_BY(mu_);
};

// One reader of the whole range that checks each record against the
// reference as it reads.
template <typename T, typename P>
class CaseReader {
 public:
  explicit CaseReader(SplitOracle<T, P>& oracle) : oracle_(oracle) {}
  CaseReader(const CaseReader&) = delete;
  CaseReader& operator=(const CaseReader&) = delete;
  ~CaseReader() { oracle_.add_records_read(read_); }

  // Starts reading and reads k records. An error if the reader diverges from
  // the reference or ends early.
  std::optional<std::string> open(std::int64_t k) {
    try {
      tracker_ = oracle_.source().get_range_tracker(oracle_.start(), oracle_.stop());
      generator_ = oracle_.source().read(*tracker_);
      // The body does not run until the first record is wanted, so with k
      // == 0 the tracker is still unstarted when it is split.
      return advance_to(k, "before the split");
    } catch (...) {
      return "the source threw while reading before the split: " + current_exception_message();
    }
  }

  RangeTracker<P>& tracker() { return *tracker_; }
  std::int64_t records_read() const { return read_; }
  // The records fetched so far, readable from another thread while drain()
  // runs (for the concurrent trials' record of when a split came).
  std::int64_t records_fetched() const { return fetched_.load(std::memory_order_relaxed); }

  // Reads to the end, each record checked against the reference. With
  // `expected_total`, also an error unless exactly that many records were
  // read in all, counting those read before the call (a split accepted at or
  // before the last record leaves the reader with more than the primary);
  // without it, only more records than the whole range is.
  std::optional<std::string> drain(std::optional<std::int64_t> expected_total, const char* phase) {
    const std::vector<T>& reference = oracle_.reference();
    const auto limit = expected_total.value_or(static_cast<std::int64_t>(reference.size()));
    if (read_ > limit) {
      return "the reader had emitted " + std::to_string(read_) + " records before the split, " +
             "but the primary holds " + std::to_string(limit) + ": the residual reads record " +
             std::to_string(limit) + " (" +
             describe_value(reference[static_cast<std::size_t>(limit)]) + ") again";
    }
    try {
      for (; fetch(); ++read_) {
        if (read_ >= limit) {
          return std::string("the reader emitted record ") + std::to_string(read_) + " (" +
                 describe_value(*it_) + ") " + phase + ", where it should have stopped after " +
                 std::to_string(limit) + " records";
        }
        if (!(*it_ == reference[static_cast<std::size_t>(read_)])) {
          return "record " + std::to_string(read_) + " " + phase + " is " + describe_value(*it_) +
                 ", expected " + describe_value(reference[static_cast<std::size_t>(read_)]);
        }
      }
    } catch (...) {
      return std::string("the source threw ") + phase + ": " + current_exception_message();
    }
    if (expected_total.has_value() && read_ < *expected_total) {
      return "the reader stopped after " + std::to_string(read_) + " records " + phase +
             ", expected " + std::to_string(*expected_total) + "; the first lost is " +
             describe_value(reference[static_cast<std::size_t>(read_)]);
    }
    return std::nullopt;
  }

 private:
  // Moves to the next record, starting the body on first use; false at the
  // end. The generator stays suspended just after the record it yielded, so
  // after k fetches exactly k records have been claimed.
  bool fetch() {
    if (!started_) {
      it_ = generator_.begin();
      started_ = true;
    } else {
      ++it_;
    }
    const bool more = it_ != generator_.end();
    // Only this thread writes the count: a load and a store, not a locked
    // fetch_add (which cost as much as the tracker's claim).
    if (more)
      fetched_.store(fetched_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return more;
  }

  std::optional<std::string> advance_to(std::int64_t k, const char* phase) {
    const std::vector<T>& reference = oracle_.reference();
    for (; read_ < k; ++read_) {
      if (!fetch()) {
        return "the reader ended after " + std::to_string(read_) + " records " + phase +
               ", but the whole range has " + std::to_string(reference.size());
      }
      if (!(*it_ == reference[static_cast<std::size_t>(read_)])) {
        return "record " + std::to_string(read_) + " " + phase + " is " + describe_value(*it_) +
               ", expected " + describe_value(reference[static_cast<std::size_t>(read_)]);
      }
    }
    return std::nullopt;
  }

  SplitOracle<T, P>& oracle_;
  std::unique_ptr<RangeTracker<P>> tracker_;
  Generator<T> generator_;
  typename Generator<T>::iterator it_;
  bool started_ = false;
  std::atomic<std::int64_t> fetched_{0};
  std::int64_t read_ = 0;
};

// What one try_split on a reader's tracker did, checked against the oracle:
// refused (and the tracker's stop unchanged), or accepted with the stop moved
// to the split, a fraction the mapping agrees with, and fresh reads of the
// primary and residual that add up to the range. The reader is not read
// further: what it reads next is the caller's to check.
template <typename P>
struct SplitAttempt {
  bool accepted = false;
  std::optional<P> split_position;  // as returned by try_split
  double split_fraction = 0;
  std::int64_t primary_records = 0;  // when accepted
  std::optional<std::string> error;
};

template <typename T, typename P>
SplitAttempt<P> attempt_split(SplitOracle<T, P>& oracle, CaseReader<T, P>& reader,
                              const P& position) {
  SplitAttempt<P> attempt;
  std::optional<SplitResult<P>> split;
  double consumed = 0;
  try {
    const P stop_before = reader.tracker().stop_position();
    consumed = reader.tracker().fraction_consumed();
    split = reader.tracker().try_split(position);
    const P stop_after = reader.tracker().stop_position();
    if (!split.has_value()) {
      if (!(stop_after == stop_before)) {
        attempt.error = "the refused split at " + describe_value(position) +
                        " moved the tracker's stop to " + describe_value(stop_after);
      }
      return attempt;
    }
    if (!(stop_after == split->position) || stop_after == stop_before) {
      attempt.error = "after the accepted split at " + describe_value(split->position) +
                      " the tracker's stop is " + describe_value(stop_after) + " (it was " +
                      describe_value(stop_before) + ")";
      return attempt;
    }
  } catch (...) {
    attempt.error =
        "try_split(" + describe_value(position) + ") threw: " + current_exception_message();
    return attempt;
  }
  attempt.accepted = true;
  attempt.split_position = split->position;
  attempt.split_fraction = split->fraction;
  if (!(split->fraction >= 0.0 && split->fraction <= 1.0)) {
    attempt.error = "the accepted split at " + describe_value(split->position) +
                    " reports fraction " + splitcheck::internal::describe_double(split->fraction) +
                    ", outside [0, 1]";
    return attempt;
  }
  if (auto error = oracle.check_split_fraction(split->position, split->fraction, consumed)) {
    attempt.error = error;
    return attempt;
  }
  const auto partition = oracle.partition_at(split->position);
  attempt.error = partition.error;
  attempt.primary_records = partition.primary_records;
  return attempt;
}

// What happened in one case.
template <typename P>
struct CaseOutcome {
  bool accepted = false;
  std::optional<P> split_position;  // as returned by try_split
  double split_fraction = 0;
  std::int64_t primary_records = 0;
  std::int64_t residual_records = 0;
  std::optional<std::string> error;
  // In a concurrent trial: the records the reader had fetched just before
  // try_split was called and just after it returned.
  std::int64_t fetched_before_split = 0;
  std::int64_t fetched_after_split = 0;
};

// Tries to split `reader` (which has read some records) at `position`, then
// reads the rest and checks the outcome: an accepted split leaves the reader
// exactly the fresh primary, a refused one leaves everything.
template <typename T, typename P>
CaseOutcome<P> split_and_finish(SplitOracle<T, P>& oracle, CaseReader<T, P>& reader,
                                const P& position) {
  const auto total = static_cast<std::int64_t>(oracle.reference().size());
  const SplitAttempt<P> attempt = attempt_split(oracle, reader, position);
  CaseOutcome<P> outcome;
  outcome.accepted = attempt.accepted;
  outcome.split_position = attempt.split_position;
  outcome.split_fraction = attempt.split_fraction;
  outcome.error = attempt.error;
  if (outcome.error) return outcome;
  if (!attempt.accepted) {
    outcome.error = reader.drain(total, "after a refused split");
    return outcome;
  }
  outcome.primary_records = attempt.primary_records;
  outcome.residual_records = total - attempt.primary_records;
  outcome.error = reader.drain(attempt.primary_records, "after the split (in the primary)");
  return outcome;
}

// "split at fraction 0.5 after 3 records": how a case is named in messages.
inline std::string case_name(std::int64_t k, double fraction) {
  return "split at fraction " + splitcheck::internal::describe_double(fraction) + " after " +
         std::to_string(k) + " records";
}

// The call that reruns a case; with the range's bounds when it is not the
// whole source.
// A position bound as C++ for a replay: std::nullopt, or the position.
template <typename P>
std::string describe_optional(const std::optional<P>& position) {
  return position ? describe_value(*position) : "std::nullopt";
}

template <typename P>
std::string replay_call(std::int64_t k, double fraction, const std::optional<P>& start,
                        const std::optional<P>& stop,
                        const char* expected = "kMustBeConsistentIfSucceeds") {
  std::string range;
  if (start || stop) range = ", " + describe_optional(start) + ", " + describe_optional(stop);
  return "check_split_at_fraction(source, " + std::to_string(k) + ", " +
         splitcheck::internal::describe_double(fraction) + ", ExpectedSplitOutcome::" + expected +
         range + ")";
}

// A passed result of `check` carrying the oracle's count of records read.
template <typename T, typename P>
CheckResult result_of(const char* check, SplitOracle<T, P>& oracle, std::int64_t cases) {
  CheckResult result = CheckResult::passed(check);
  result.cases = cases;
  result.records_read = oracle.records_read();
  return result;
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_SPLIT_CASES_H_
