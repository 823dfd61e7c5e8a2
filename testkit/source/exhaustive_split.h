// check_split_at_fraction_exhaustive: every records-read count against every
// distinct split position, then concurrent trials.
//
// For every k from 0 to n (n = records in the range) and every distinct
// position p that the tracker's position_at_fraction can produce, a reader
// reads k records and the tracker is split at p; the case must be consistent
// (see split_at_fraction.h): an accepted split leaves the reader exactly the
// fresh primary, in order (no fewer records and no more), primary + residual
// equal the whole, and the reported fraction agrees with the tracker's
// mapping; a refused split changes nothing. Then, unless disabled, concurrent trials race "read
// the rest" on one thread against "split at the first position accepted
// after k records" on another, until both outcomes were seen for that k (at
// most max_trials_per_k trials, max_trials in all, shared among shards, and
// no more than max_trials_seconds of wall time); whichever wins, the outcome
// must be consistent.
//
// The check fails if any case is inconsistent, and also if no split was
// accepted anywhere or none gave away a record (a vacuous check), unless the
// source is declared unsplittable, in which case every split must be refused.
// It gives up on a range of fewer than two records.
//
// Cost. Each split position's primary and residual are read once and checked
// to add up, and only the primary's size is kept; refused splits for one k
// share a reader; cases for different k run on all cores; a case stops at
// its first wrong record. What remains is one reader per accepted case, so
// the check reads about n^3 / 3 records for n records with one position per
// record, a quarter of what the naive method reads (about 4 n^3 / 3).
// `cases` and `records_read` in the result say what was done; notes carry
// the counts of accepted and refused cases and of trials.
//
// Sharding: with shard_count > 1, only every shard_count-th records-read
// count, from shard_index on, is checked; the vacuity test applies to each
// shard that holds a count after which a split can give records away.
// Sources with more than max_read_counts records are checked at evenly
// spaced counts, and a note says so.

#ifndef SPLITCHECK_TESTKIT_SOURCE_EXHAUSTIVE_SPLIT_H_
#define SPLITCHECK_TESTKIT_SOURCE_EXHAUSTIVE_SPLIT_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/internal/split_positions.h"
#include "splitcheck/testkit/internal/thread_team.h"
#include "splitcheck/testkit/source/split_at_fraction.h"

namespace splitcheck::testkit {

struct ExhaustiveSplitOptions {
  // Threads for the cases; 0 means one per hardware thread.
  int threads = 0;
  // More distinct positions than this are sampled instead of enumerated.
  std::size_t max_positions = 20000;
  // False for sources that must refuse every split (compressed files).
  bool expect_splittable = true;
  // Whether a range on which no split gives a record away fails the check
  // (a vacuous check). The battery turns it off on sub-ranges, which may lie
  // inside a part that cannot be split (one compressed file): the whole
  // range is still held to it, and a note says the sub-range was vacuous.
  bool vacuous_is_failure = true;
  bool concurrent_trials = true;
  int max_trials_per_k = 100;
  int max_trials = 1000;
  // Wall-clock budget of the concurrent trials, in seconds; 0 (the default)
  // means none. Each trial wakes a second thread, so on a loaded machine a
  // trial can wait a scheduler time slice; a budget bounds the cost there, but
  // it ends the trials at the larger records-read counts first, so it trades
  // bug-finding power for time: off unless asked for. A note says when the
  // budget ended the trials, after how many.
  double max_trials_seconds = 0;
  // More records-read counts than this (n + 1 for n records) are sampled,
  // evenly spaced, always including 0, 1, n - 1 and n.
  std::int64_t max_read_counts = 5000;
  int shard_index = 0;
  int shard_count = 1;
  // After a failing case, every records-read count still runs up to its own
  // first failure (a failing connector costs what a passing one does): the
  // failure reported is then the one after the fewest records, and the
  // result's split map shows where the cases fail (a boundary bug is a
  // stripe). True stops all counts at the first failure found.
  bool stop_at_first_failure = false;
};

namespace internal {

// What the cases after one records-read count k found.
template <typename P>
struct ReadCountOutcome {
  std::int64_t cases = 0;
  std::int64_t accepted = 0;
  std::int64_t refused = 0;
  bool gave_away_records = false;
  std::optional<std::pair<P, double>> first_accepted;  // for the concurrent trials
  std::optional<std::string> error;
  double error_fraction = 0;
  // The cases as SplitMap cells, `columns` wide (position i in column
  // i * columns / positions), each the worst of what it covers.
  std::string cells;
};

// Marks position `i` of `count` as `cell` in `cells` (see SplitMap).
inline void mark_cell(std::string& cells, std::size_t i, std::size_t count, char cell) {
  if (cells.empty() || count == 0) return;
  char& slot = cells[i * cells.size() / count];
  const auto rank = [](char c) { return c == 'f' ? 3 : c == 'a' ? 2 : c == 'r' ? 1 : 0; };
  if (rank(cell) > rank(slot)) slot = cell;
}

// Every position after k records. Refused splits share the reader: a refusal
// must change nothing, and the final read to the end checks that it did not.
template <typename T, typename P>
ReadCountOutcome<P> split_at_every_position(SplitOracle<T, P>& oracle, std::int64_t k,
                                            const std::vector<std::pair<P, double>>& positions,
                                            const std::atomic<bool>& stop) {
  ReadCountOutcome<P> out;
  out.cells.assign(std::min(positions.size(), SplitMap::kMaxSide), '.');
  std::size_t index = 0;  // of the position being tried
  std::size_t last_refused = 0;
  auto fail = [&](std::string what, double fraction, std::size_t at) {
    out.error = case_name(k, fraction) + ": " + what;
    out.error_fraction = fraction;
    mark_cell(out.cells, at, positions.size(), 'f');
    return out;
  };
  const auto total = static_cast<std::int64_t>(oracle.reference().size());
  std::optional<CaseReader<T, P>> reader;
  double last_refused_fraction = 0;
  for (const auto& [position, fraction] : positions) {
    const std::size_t i = index++;
    if (stop.load(std::memory_order_relaxed)) return out;
    if (!reader.has_value()) {
      reader.emplace(oracle);
      if (auto error = reader->open(k)) return fail(*error, fraction, i);
    }
    ++out.cases;
    const SplitAttempt<P> attempt = attempt_split(oracle, *reader, position);
    if (attempt.error) return fail(*attempt.error, fraction, i);
    if (!attempt.accepted) {
      ++out.refused;
      last_refused_fraction = fraction;
      last_refused = i;
      mark_cell(out.cells, i, positions.size(), 'r');
      continue;
    }
    // Accepted: finish the case on this reader; the next position gets a new one.
    if (auto error = reader->drain(attempt.primary_records, "after the split (in the primary)")) {
      return fail(*error, fraction, i);
    }
    mark_cell(out.cells, i, positions.size(), 'a');
    ++out.accepted;
    out.gave_away_records |= attempt.primary_records < total;
    if (!out.first_accepted) out.first_accepted.emplace(*attempt.split_position, fraction);
    reader.reset();
  }
  if (reader.has_value()) {
    if (auto error = reader->drain(total, "after refused splits")) {
      return fail(*error, last_refused_fraction, last_refused);
    }
  }
  return out;
}

// Races the rest of a read against a split at `position`: the read on the
// calling thread, the split on a thread of its team.
template <typename T, typename P>
CaseOutcome<P> race_split_against_read(SplitOracle<T, P>& oracle, std::int64_t k,
                                       const P& position) {
  CaseReader<T, P> reader(oracle);
  CaseOutcome<P> outcome;
  if (auto error = reader.open(k)) {
    outcome.error = error;
    return outcome;
  }
  std::atomic<int> ready{0};
  std::optional<SplitResult<P>> split;
  std::string split_error;
  std::optional<std::string> wrong_record;
  ThreadTeam::for_this_thread(1).run_with_caller(2, [&](int role) {
    ++ready;
    while (ready.load() < 2) std::this_thread::yield();
    if (role == 0) {
      // Read everything the tracker lets through; judge the count after the race.
      wrong_record = reader.drain(std::nullopt, "while racing a split");
      return;
    }
    outcome.fetched_before_split = reader.records_fetched();
    try {
      split = reader.tracker().try_split(position);
    } catch (...) {
      split_error = current_exception_message();
    }
    outcome.fetched_after_split = reader.records_fetched();
  });
  const auto total = static_cast<std::int64_t>(oracle.reference().size());
  if (wrong_record) {
    outcome.error = wrong_record;
  } else if (!split_error.empty()) {
    outcome.error = "try_split threw: " + split_error;
  } else if (!split.has_value()) {
    if (reader.records_read() != total) {
      outcome.error = "the split lost the race, but the reader read " +
                      std::to_string(reader.records_read()) + " of " + std::to_string(total) +
                      " records";
    }
  } else {
    outcome.accepted = true;
    const auto partition = oracle.partition_at(split->position);
    if (partition.error) {
      outcome.error = partition.error;
    } else if (reader.records_read() != partition.primary_records) {
      outcome.error = "the split at " + describe_value(split->position) +
                      " won the race, but the reader read " +
                      std::to_string(reader.records_read()) + " records where the primary holds " +
                      std::to_string(partition.primary_records);
    }
  }
  return outcome;
}

// The records-read counts to try: all of 0..n, or max_read_counts of them
// evenly spaced (0, 1, n - 1 and n always among them); `mine` is this
// shard's share.
struct ReadCounts {
  std::vector<std::int64_t> all;
  std::vector<std::int64_t> mine;
  bool sampled = false;
  bool has_middle = false;  // mine holds a count after which a split can give work away
};

inline ReadCounts choose_read_counts(std::int64_t n, const ExhaustiveSplitOptions& options) {
  ReadCounts counts;
  counts.sampled = n + 1 > options.max_read_counts && options.max_read_counts >= 4;
  if (counts.sampled) {
    for (std::int64_t i = 0; i < options.max_read_counts; ++i) {
      counts.all.push_back(i * n / (options.max_read_counts - 1));
    }
    counts.all.insert(counts.all.begin() + 1, 1);
    counts.all.insert(counts.all.end() - 1, n - 1);
    counts.all.erase(std::unique(counts.all.begin(), counts.all.end()), counts.all.end());
  } else {
    for (std::int64_t k = 0; k <= n; ++k) counts.all.push_back(k);
  }
  const auto shards = static_cast<std::size_t>(options.shard_count);
  for (std::size_t i = 0; i < counts.all.size(); ++i) {
    if (static_cast<int>(i % shards) != options.shard_index) continue;
    counts.mine.push_back(counts.all[i]);
    counts.has_middle |= counts.all[i] >= 1 && counts.all[i] <= n - 1;
  }
  return counts;
}

// The SplitMap of the cases after each count in `ks`: rows merged so that
// there are at most SplitMap::kMaxSide.
template <typename P>
SplitMap split_map_of(const std::vector<std::int64_t>& ks,
                      const std::vector<ReadCountOutcome<P>>& outcomes,
                      const std::vector<std::pair<P, double>>& positions) {
  SplitMap map;
  map.positions = static_cast<std::int64_t>(positions.size());
  if (!positions.empty()) {
    map.first_position = describe_value(positions.front().first);
    map.last_position = describe_value(positions.back().first);
  }
  const std::size_t rows = std::min(ks.size(), SplitMap::kMaxSide);
  for (std::size_t i = 0; i < ks.size(); ++i) {
    const std::size_t row = i * rows / ks.size();
    if (row == map.rows.size()) {
      map.rows.push_back(outcomes[i].cells);
      map.read_counts.push_back(ks[i]);
      continue;
    }
    std::string& cells = map.rows.back();
    for (std::size_t c = 0; c < cells.size() && c < outcomes[i].cells.size(); ++c) {
      mark_cell(cells, c, cells.size(), outcomes[i].cells[c]);
    }
  }
  return map;
}

// split_at_every_position for every count in `ks`, on `threads` threads,
// each to its first failure (all of them at the first, if asked).
template <typename T, typename P>
std::vector<ReadCountOutcome<P>> split_after_every_count(
    SplitOracle<T, P>& oracle, const std::vector<std::int64_t>& ks,
    const std::vector<std::pair<P, double>>& positions, int threads, bool stop_at_first_failure) {
  std::vector<ReadCountOutcome<P>> outcomes(ks.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  ThreadTeam::for_this_thread(threads).run(threads, [&](int) {
    for (std::size_t i; (i = next++) < ks.size() && !failed.load();) {
      outcomes[i] = split_at_every_position(oracle, ks[i], positions, failed);
      if (outcomes[i].error && stop_at_first_failure) failed = true;
    }
  });
  return outcomes;
}

// The replay of a failed concurrent trial: the sequential case it reduces
// to, if one of the counts the reader was at while try_split ran fails the
// same way when split there without a race (run to find out); else what
// reruns the race itself.
template <typename T, typename P>
std::string sequential_replay(SplitOracle<T, P>& oracle, std::int64_t k, double fraction,
                              const CaseOutcome<P>& race) {
  const std::int64_t from = std::max(k, race.fetched_before_split);
  const std::int64_t to = std::min(race.fetched_after_split, from + 16);
  for (std::int64_t m = from; m <= to; ++m) {
    const auto sequential =
        run_fraction_case(oracle, m, fraction, ExpectedSplitOutcome::kMustBeConsistentIfSucceeds);
    if (sequential.error) {
      return replay_call(m, fraction, oracle.start(), oracle.stop()) +
             "  // the sequential case this race reduces to: " + *sequential.error;
    }
  }
  return "no sequential case reproduces it (split at fraction " +
         splitcheck::internal::describe_double(fraction) + " after " + std::to_string(from) +
         " to " + std::to_string(to) +
         " records each passes alone): the bug needs the race; rerun "
         "check_split_at_fraction_exhaustive(source, options) with a larger "
         ".max_trials_per_k, and under --config=tsan, which sees a data race if that is the "
         "bug";
}

// The concurrent trials: for each count with an accepted split, races until
// both outcomes were seen (within the budgets). Fails `result` at the first
// inconsistent trial.
template <typename T, typename P>
void run_concurrent_trials(SplitOracle<T, P>& oracle, const std::vector<std::int64_t>& ks,
                           const std::vector<ReadCountOutcome<P>>& outcomes,
                           const ExhaustiveSplitOptions& options, CheckResult& result) {
  // Shards share the budget of trials.
  const std::int64_t max_trials =
      (options.max_trials + options.shard_count - 1) / options.shard_count;
  std::int64_t trials = 0;
  std::int64_t trial_accepted = 0;
  const auto began = std::chrono::steady_clock::now();
  std::optional<std::int64_t> out_of_time_at;  // the count being tried when time ran out
  const auto out_of_time = [&] {
    return options.max_trials_seconds > 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count() >=
               options.max_trials_seconds;
  };
  for (std::size_t i = 0; i < ks.size() && trials < max_trials && !out_of_time_at; ++i) {
    if (!outcomes[i].first_accepted) continue;
    const auto& [position, fraction] = *outcomes[i].first_accepted;
    bool saw_accept = false;
    bool saw_refuse = false;
    for (int t = 0;
         t < options.max_trials_per_k && trials < max_trials && !(saw_accept && saw_refuse); ++t) {
      if (out_of_time()) {
        out_of_time_at = ks[i];
        break;
      }
      ++trials;
      const auto outcome = race_split_against_read(oracle, ks[i], position);
      if (outcome.error) {
        result.outcome = CheckResult::Outcome::kFailed;
        result.message = "concurrent trial, " + case_name(ks[i], fraction) + ": " + *outcome.error +
                         " (the split came while the reader had fetched " +
                         std::to_string(outcome.fetched_before_split) + " to " +
                         std::to_string(outcome.fetched_after_split) + " records)";
        result.replay = sequential_replay(oracle, ks[i], fraction, outcome);
        result.cases += trials;
        result.records_read = oracle.records_read();
        return;
      }
      (outcome.accepted ? saw_accept : saw_refuse) = true;
      trial_accepted += outcome.accepted;
    }
  }
  result.cases += trials;
  result.records_read = oracle.records_read();
  result.notes.push_back(
      std::to_string(trials) + " concurrent trials: " + std::to_string(trial_accepted) +
      " splits won the race, " + std::to_string(trials - trial_accepted) + " lost it" +
      (out_of_time_at ? "; the time budget (max_trials_seconds = " +
                            splitcheck::internal::describe_double(options.max_trials_seconds) +
                            ") ended them at records-read count " + std::to_string(*out_of_time_at)
                      : std::string()));
}

}  // namespace internal

template <typename T, typename P>
CheckResult check_split_at_fraction_exhaustive(
    const BoundedSource<T, P>& source, ExhaustiveSplitOptions options = {},
    std::type_identity_t<std::optional<P>> start = std::nullopt,
    std::type_identity_t<std::optional<P>> stop = std::nullopt) {
  constexpr const char* kCheck = "split_at_fraction_exhaustive";
  std::optional<internal::SplitOracle<T, P>> oracle;
  internal::SplitPositions<P> positions;
  try {
    oracle.emplace(source, std::move(start), std::move(stop));
    const auto tracker = source.get_range_tracker(oracle->start(), oracle->stop());
    positions = internal::distinct_split_positions(*tracker, options.max_positions);
  } catch (...) {
    return CheckResult::broken(kCheck,
                               "reading the whole range or enumerating split positions "
                               "threw: " +
                                   internal::current_exception_message());
  }
  if (positions.error) {  // enumerating the split positions is the case
    CheckResult failed = CheckResult::failed(kCheck, *positions.error);
    failed.cases = 1;
    return failed;
  }
  const auto n = static_cast<std::int64_t>(oracle->reference().size());
  if (n < 2) {
    return CheckResult::gave_up(
        kCheck, "the range has " + std::to_string(n) + " records; splitting needs at least 2");
  }
  if (!(options.max_trials_seconds >= 0)) {  // NaN too
    return CheckResult::broken(
        kCheck, "max_trials_seconds is " +
                    splitcheck::internal::describe_double(options.max_trials_seconds) +
                    ": it must be >= 0 (0 for no time budget)");
  }
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    return CheckResult::broken(kCheck, "shard " + std::to_string(options.shard_index) + " of " +
                                           std::to_string(options.shard_count) + " does not exist");
  }
  const internal::ReadCounts counts = internal::choose_read_counts(n, options);
  const int threads =
      std::max(1, options.threads > 0 ? options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency()));
  const auto outcomes = internal::split_after_every_count(*oracle, counts.mine, positions.positions,
                                                          threads, options.stop_at_first_failure);

  CheckResult result = internal::result_of(kCheck, *oracle, 0);
  std::int64_t accepted = 0;
  std::int64_t refused = 0;
  bool gave_away = false;
  for (std::size_t i = 0; i < counts.mine.size(); ++i) {
    const auto& o = outcomes[i];
    result.cases += o.cases;
    accepted += o.accepted;
    refused += o.refused;
    gave_away |= o.gave_away_records;
    if (o.error && result.ok()) {  // the smallest failing k
      result.outcome = CheckResult::Outcome::kFailed;
      result.message = *o.error;
      result.replay =
          internal::replay_call(counts.mine[i], o.error_fraction, oracle->start(), oracle->stop());
    }
  }
  result.split_map = internal::split_map_of(counts.mine, outcomes, positions.positions);
  result.notes.push_back(std::to_string(n + 1) + " records-read counts (" +
                         std::to_string(counts.mine.size()) + " in this shard) x " +
                         std::to_string(positions.positions.size()) +
                         " distinct split positions: " + std::to_string(accepted) +
                         " splits accepted, " + std::to_string(refused) + " refused");
  if (counts.sampled) {
    result.notes.push_back(std::to_string(counts.all.size()) + " of " + std::to_string(n + 1) +
                           " records-read counts were tried, evenly spaced");
  }
  if (positions.sampled) {
    result.notes.push_back("more than " + std::to_string(options.max_positions) +
                           " distinct split positions: positions were sampled, not enumerated");
  }
  if (!result.ok()) return result;
  if (options.expect_splittable && counts.has_middle && (accepted == 0 || !gave_away)) {
    const std::string why = accepted == 0 ? "no split was accepted after any number of records"
                                          : "no accepted split gave away a record";
    if (!options.vacuous_is_failure) {
      result.notes.push_back(why + ": this range cannot be split (it was not held to it)");
      return result;
    }
    result.outcome = CheckResult::Outcome::kFailed;
    result.message =
        accepted == 0
            ? why +
                  ": the source does not split dynamically. If it cannot by design (a compressed "
                  "file, an unsplittable tracker), declare it with expect_splittable = false "
                  "(SourceConformanceOptions::exhaustive.expect_splittable), which then checks "
                  "that it refuses every split"
            : why +
                  ": the check would be vacuous (every accepted split left the residual "
                  "empty); give the source more records, or check the tracker's "
                  "position_at_fraction";
    return result;
  }
  if (!options.expect_splittable && accepted > 0) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message =
        "a source declared unsplittable accepted " + std::to_string(accepted) + " splits";
    return result;
  }
  if (options.concurrent_trials) {
    internal::run_concurrent_trials(*oracle, counts.mine, outcomes, options, result);
  }
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_EXHAUSTIVE_SPLIT_H_
