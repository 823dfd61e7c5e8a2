// The sink checks beside crash-point enumeration (sink_crash_points.h). Each
// drives the sink by hand, as a runner would, on a fresh InMemoryFileSystem:
//
//   check_sink_finalize_idempotence  finalize (with pre_finalize) three
//       times: none may fail, and the committed records, the outputs and the
//       files left must not change; after the first, every writer result
//       names a temporary file an earlier finalize already moved.
//   check_sink_retries_and_speculation  every bundle gets an attempt dropped
//       without close(), a speculative attempt closed but not used, and the
//       attempt whose result is used, in a seeded order: only the used ones
//       may reach the output, nothing else may be left, and no two attempts
//       may create the same temporary file.
//   check_sink_order_independence  the same write with the writers closed in
//       bundle order, in reverse and in seeded shuffles must commit the same
//       records in the same order under the same output names.
//   check_sink_isolation  two writes at once, at two places, on one file
//       system: each commits exactly its own records.
// Failures say which attempt, which order or which place, and the first
// record lost or duplicated.

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_CHECKS_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_CHECKS_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/faults/fault_injecting_file_system.h"
#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/sink/sink_crash_points.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

namespace splitcheck::testkit {

struct SinkCheckOptions {
  int bundles = 3;
  std::uint64_t seed = 1;
  int shuffles = 3;
};

namespace internal {

enum class AttemptKind { kDropped, kSpeculative, kUsed };

struct HandWrite {
  std::vector<std::string> outputs;
  std::vector<std::string> create_paths;  // every file the write created
};

// Writes sut.records in `bundles` contiguous bundles. attempts[b] lists the
// attempts of bundle b in the order they are opened; all are written, then
// closed (or dropped) in `close_order` (pairs of bundle, attempt index).
template <typename T>
HandWrite write_by_hand(const SinkUnderTest<T>& sut, const SinkEnvironment& env,
                        const std::string& place, const std::vector<T>& records, int bundles,
                        const std::vector<std::vector<AttemptKind>>& attempts,
                        const std::vector<std::pair<int, int>>& close_order, int finalizes = 1) {
  auto traced = std::make_shared<FaultInjectingFileSystem>(env.file_system, env.faults);
  const auto sink = sut.make_sink(SinkEnvironment{traced, env.faults, env.run_id}, place);
  const std::optional<int> fixed = sink->num_shards();
  const int n = fixed.value_or(bundles);
  const std::string init = sink->initialize_write();
  std::vector<std::vector<std::unique_ptr<Writer<T>>>> writers(static_cast<std::size_t>(n));
  const auto size = static_cast<std::int64_t>(records.size());
  for (int b = 0; b < n; ++b) {
    for (std::size_t a = 0; a < attempts[static_cast<std::size_t>(b)].size(); ++a) {
      auto writer = sink->open_writer(init, "b" + std::to_string(b) + "-a" + std::to_string(a + 1));
      for (std::int64_t i = b * size / n; i < (b + 1) * size / n; ++i) {
        writer->write(records[static_cast<std::size_t>(i)]);
      }
      writers[static_cast<std::size_t>(b)].push_back(std::move(writer));
    }
  }
  std::vector<std::string> results(static_cast<std::size_t>(n));
  for (const auto& [b, a] : close_order) {
    auto& writer = writers[static_cast<std::size_t>(b)][static_cast<std::size_t>(a)];
    const AttemptKind kind = attempts[static_cast<std::size_t>(b)][static_cast<std::size_t>(a)];
    if (kind == AttemptKind::kDropped) {
      writer.reset();
      continue;
    }
    std::string result = writer->close();
    if (kind == AttemptKind::kUsed) results[static_cast<std::size_t>(b)] = std::move(result);
  }
  HandWrite out;
  for (int f = 0; f < finalizes; ++f) {
    const std::string pre = sink->pre_finalize(init, results);
    out.outputs = sink->finalize_write(init, results, pre);
  }
  for (const std::string& line : env.faults->trace()) {
    if (line.rfind("create ", 0) == 0) out.create_paths.push_back(line.substr(7));
  }
  return out;
}

// One used attempt per bundle, closed in bundle order.
inline std::vector<std::vector<AttemptKind>> one_each(int n) {
  return std::vector<std::vector<AttemptKind>>(static_cast<std::size_t>(n), {AttemptKind::kUsed});
}

inline std::vector<std::pair<int, int>> in_order(const std::vector<std::vector<AttemptKind>>& a) {
  std::vector<std::pair<int, int>> order;
  for (std::size_t b = 0; b < a.size(); ++b) {
    for (std::size_t k = 0; k < a[b].size(); ++k) {
      order.emplace_back(static_cast<int>(b), static_cast<int>(k));
    }
  }
  return order;
}

template <typename T>
int bundle_count(const SinkUnderTest<T>& sut, int bundles) {
  const auto probe = sut.make_sink(SinkEnvironment{std::make_shared<InMemoryFileSystem>(),
                                                   std::make_shared<FaultPoints>(), "probe"},
                                   sut.destination);
  return probe->num_shards().value_or(bundles);
}

// A fresh environment for one write: a new in-memory file system.
inline SinkEnvironment fresh_env(const std::string& run) {
  return SinkEnvironment{std::make_shared<InMemoryFileSystem>(), std::make_shared<FaultPoints>(),
                         run};
}

inline const InMemoryFileSystem& memory_of(const SinkEnvironment& env) {
  return static_cast<const InMemoryFileSystem&>(*env.file_system);
}

// The call that reruns a sink check, for its replay line: the checks are
// deterministic in their options.
inline std::string sink_check_replay(const char* check, const SinkCheckOptions& options) {
  return std::string(check) + "(sut, {.bundles = " + std::to_string(options.bundles) +
         ", .seed = " + std::to_string(options.seed) +
         ", .shuffles = " + std::to_string(options.shuffles) + "})";
}

}  // namespace internal

template <typename T>
CheckResult check_sink_finalize_idempotence(const SinkUnderTest<T>& sut,
                                            SinkCheckOptions options = {}) {
  constexpr const char* kCheck = "sink_finalize_idempotence";
  CheckResult result = CheckResult::passed(kCheck);
  result.replay = internal::sink_check_replay("check_sink_finalize_idempotence", options);
  const int n = internal::bundle_count(sut, options.bundles);
  std::vector<T> first;
  std::vector<std::string> first_outputs;
  for (int finalizes = 1; finalizes <= 3; ++finalizes) {
    ++result.cases;
    const SinkEnvironment env = internal::fresh_env("finalize-" + std::to_string(finalizes));
    internal::HandWrite write;
    try {
      const auto attempts = internal::one_each(n);
      write = internal::write_by_hand(sut, env, sut.destination, sut.records, n, attempts,
                                      internal::in_order(attempts), finalizes);
    } catch (...) {
      return result.fail("finalize call " + std::to_string(finalizes) +
                         " of the same write threw: " + internal::current_exception_message());
    }
    const std::vector<T> committed = sut.read_back(env, sut.destination);
    if (auto d = internal::first_multiset_difference(sut.records, committed)) {
      return result.fail("after " + std::to_string(finalizes) +
                         " finalize calls the output is wrong: " + *d);
    }
    if (auto l = internal::left_behind(sut, internal::memory_of(env), env, write.outputs)) {
      return result.fail("after " + std::to_string(finalizes) + " finalize calls " + *l);
    }
    if (finalizes == 1) {
      first = committed;
      first_outputs = write.outputs;
    } else if (committed != first || write.outputs != first_outputs) {
      return result.fail("finalizing " + std::to_string(finalizes) +
                         " times committed something else than once");
    }
  }
  result.replay.clear();
  return result;
}

template <typename T>
CheckResult check_sink_retries_and_speculation(const SinkUnderTest<T>& sut,
                                               SinkCheckOptions options = {}) {
  constexpr const char* kCheck = "sink_retries_and_speculation";
  CheckResult result = CheckResult::passed(kCheck);
  result.replay = internal::sink_check_replay("check_sink_retries_and_speculation", options);
  const int n = internal::bundle_count(sut, options.bundles);
  std::mt19937_64 random(options.seed);
  for (int round = 0; round < options.shuffles; ++round) {
    std::vector<std::vector<internal::AttemptKind>> attempts(static_cast<std::size_t>(n));
    for (auto& a : attempts) {
      a = {internal::AttemptKind::kDropped, internal::AttemptKind::kSpeculative,
           internal::AttemptKind::kUsed};
      std::shuffle(a.begin(), a.end(), random);
    }
    auto order = internal::in_order(attempts);
    std::shuffle(order.begin(), order.end(), random);
    ++result.cases;
    const SinkEnvironment env = internal::fresh_env("retries-" + std::to_string(round));
    internal::HandWrite write;
    try {
      write = internal::write_by_hand(sut, env, sut.destination, sut.records, n, attempts, order);
    } catch (...) {
      return result.fail("round " + std::to_string(round) + " (seed " +
                         std::to_string(options.seed) +
                         ") threw: " + internal::current_exception_message());
    }
    const std::string where =
        "with three attempts per bundle (one dropped unclosed, one "
        "speculative closed but unused, one used), round " +
        std::to_string(round) + " of seed " + std::to_string(options.seed);
    std::set<std::string> created;
    for (const std::string& path : write.create_paths) {
      if (!created.insert(path).second) {
        return result.fail(where + ": two attempts created \"" + path +
                           "\": temporary names must be unique per attempt");
      }
    }
    if (auto d =
            internal::first_multiset_difference(sut.records, sut.read_back(env, sut.destination))) {
      return result.fail(where + ": " + *d);
    }
    if (auto l = internal::left_behind(sut, internal::memory_of(env), env, write.outputs)) {
      return result.fail(where + ": " + *l);
    }
  }
  result.replay.clear();
  return result;
}

template <typename T>
CheckResult check_sink_order_independence(const SinkUnderTest<T>& sut,
                                          SinkCheckOptions options = {}) {
  constexpr const char* kCheck = "sink_order_independence";
  CheckResult result = CheckResult::passed(kCheck);
  result.replay = internal::sink_check_replay("check_sink_order_independence", options);
  const int n = internal::bundle_count(sut, options.bundles);
  const auto attempts = internal::one_each(n);
  std::vector<std::vector<std::pair<int, int>>> orders = {internal::in_order(attempts)};
  orders.push_back({orders[0].rbegin(), orders[0].rend()});
  std::mt19937_64 random(options.seed);
  for (int i = 0; i < options.shuffles; ++i) {
    orders.push_back(orders[0]);
    std::shuffle(orders.back().begin(), orders.back().end(), random);
  }
  std::vector<T> reference;
  std::vector<std::string> reference_outputs;
  for (std::size_t o = 0; o < orders.size(); ++o) {
    ++result.cases;
    const SinkEnvironment env = internal::fresh_env("order-" + std::to_string(o));
    internal::HandWrite write;
    try {
      write =
          internal::write_by_hand(sut, env, sut.destination, sut.records, n, attempts, orders[o]);
    } catch (...) {
      return result.fail("order " + std::to_string(o) +
                         " threw: " + internal::current_exception_message());
    }
    const std::vector<T> committed = sut.read_back(env, sut.destination);
    if (o == 0) {
      reference = committed;
      reference_outputs = write.outputs;
      continue;
    }
    std::string order_text;
    for (const auto& [b, a] : orders[o]) order_text += " " + std::to_string(b);
    if (write.outputs != reference_outputs) {
      return result.fail("closing the bundles' writers in the order" + order_text +
                         " gave other output names than in bundle order");
    }
    if (auto d = internal::first_list_difference(reference, committed)) {
      return result.fail("closing the bundles' writers in the order" + order_text +
                         " committed other records: " + *d);
    }
  }
  result.replay.clear();
  return result;
}

template <typename T>
CheckResult check_sink_isolation(const SinkUnderTest<T>& sut, SinkCheckOptions options = {}) {
  constexpr const char* kCheck = "sink_isolation";
  CheckResult result = CheckResult::passed(kCheck);
  result.replay = internal::sink_check_replay("check_sink_isolation", options);
  const SinkEnvironment env = internal::fresh_env("isolation");
  const std::string places[2] = {sut.destination + "-left", sut.destination + "-right"};
  const std::size_t half = sut.records.size() / 2;
  const std::vector<T> parts[2] = {
      std::vector<T>(sut.records.begin(), sut.records.begin() + static_cast<std::ptrdiff_t>(half)),
      std::vector<T>(sut.records.begin() + static_cast<std::ptrdiff_t>(half), sut.records.end())};
  RunnerOptions runner;
  runner.num_workers = 2;
  runner.write_bundles = options.bundles;
  std::string errors[2];
  std::vector<std::string> outputs[2];
  const auto write = [&](int i) {
    try {
      outputs[i] =
          LocalRunner(runner).run(Write<T>(sut.make_sink(env, places[i])), parts[i]).outputs;
    } catch (...) {
      errors[i] = internal::current_exception_message();
    }
  };
  result.cases = 2;  // the two writes
  std::thread left(write, 0);
  write(1);
  left.join();
  for (int i = 0; i < 2; ++i) {
    if (!errors[i].empty()) {
      return result.fail("the write at \"" + places[i] +
                         "\", run beside another, threw: " + errors[i]);
    }
    if (auto d = internal::first_multiset_difference(parts[i], sut.read_back(env, places[i]))) {
      return result.fail("two writes at once: at \"" + places[i] + "\", " + *d);
    }
  }
  std::vector<std::string> all = outputs[0];
  all.insert(all.end(), outputs[1].begin(), outputs[1].end());
  if (auto l = internal::left_behind(sut, internal::memory_of(env), env, all)) {
    return result.fail("after two writes at once " + *l);
  }
  result.replay.clear();
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_CHECKS_H_
