// splitcheck demo: dynamic work rebalancing on range trackers.
//
// A worker reads 1000 records by claiming their offsets. When it is a quarter
// through, a rebalancer splits its range in the middle of what is left and
// hands the residual to a second worker. The demo shows that every record is
// read exactly once, then does the same on a key range, then shows the error a
// buggy reader gets. It exits non-zero if any check fails.

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/lexicographic_key_range_tracker.h"
#include "splitcheck/lib/offset_range_tracker.h"

namespace {

constexpr std::int64_t kRecords = 1000;
int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("  [%s] %s\n", ok ? "ok" : "FAILED", what.c_str());
  if (!ok) ++failures;
}

// Reads [tracker's start, stop) of the record source, where record i sits at
// offset i. Calls `pause_after(i)` after emitting record i.
template <typename Pause>
std::vector<std::int64_t> read_offsets(splitcheck::OffsetRangeTracker& tracker, Pause pause_after) {
  std::vector<std::int64_t> records;
  for (std::int64_t offset = tracker.start_position();; ++offset) {
    if (!tracker.try_claim(offset)) break;  // the range ends here
    records.push_back(offset);
    pause_after(offset);
  }
  return records;
}

void dynamic_split_on_offsets() {
  std::printf("1. Dynamic split of an offset range [0, %lld)\n", static_cast<long long>(kRecords));
  splitcheck::OffsetRangeTracker primary(0, kRecords);

  // The worker stops after record 249 until the rebalancer has acted, so the
  // output is the same on every run.
  std::mutex mu;
  std::condition_variable cv;
  bool paused = false;
  bool resumed = false;
  std::vector<std::int64_t> primary_records;
  std::thread worker([&] {
    primary_records = read_offsets(primary, [&](std::int64_t offset) {
      if (offset != kRecords / 4 - 1) return;
      std::unique_lock lock(mu);
      paused = true;
      cv.notify_all();
      cv.wait(lock, [&] { return resumed; });
    });
  });

  std::optional<splitcheck::SplitResult<std::int64_t>> split;
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return paused; });
    const double consumed = primary.fraction_consumed();
    const std::int64_t at = primary.position_at_fraction(consumed + (1 - consumed) / 2);
    split = primary.try_split(at);
    std::printf("  worker 1 consumed %.3f of its range; rebalancer splits at %lld\n", consumed,
                static_cast<long long>(at));
    resumed = true;
    cv.notify_all();
  }
  worker.join();
  if (!split) {
    check(false, "the split was accepted");
    return;
  }
  std::printf("  split accepted: primary [0, %lld) keeps %.3f of the range\n",
              static_cast<long long>(split->position), split->fraction);

  splitcheck::OffsetRangeTracker residual(split->position, kRecords);
  const auto residual_records = read_offsets(residual, [](std::int64_t) {});
  std::printf("  worker 1 read %zu records, worker 2 read %zu records\n", primary_records.size(),
              residual_records.size());

  std::multiset<std::int64_t> all(primary_records.begin(), primary_records.end());
  all.insert(residual_records.begin(), residual_records.end());
  bool exactly_once = all.size() == static_cast<std::size_t>(kRecords);
  for (std::int64_t i = 0; i < kRecords; ++i) exactly_once &= all.count(i) == 1;
  check(exactly_once, "every record read exactly once");
  check(primary.fraction_consumed() == 1.0, "worker 1's progress ends at exactly 1");
}

void split_on_keys() {
  std::printf("2. Splitting a key range [\"apple\", \"melon\")\n");
  splitcheck::LexicographicKeyRangeTracker tracker("apple", "melon");
  const std::string middle = tracker.position_at_fraction(0.5);
  std::printf("  the key at fraction 0.5 is \"%s\"\n", middle.c_str());
  check(tracker.try_claim("banana"), "claim \"banana\"");
  const auto split = tracker.try_split(middle);
  check(split.has_value() && tracker.stop_position() == middle,
        "split at \"" + middle + "\" accepted; the primary now ends there");
  check(!tracker.try_claim("kiwi"), "claim \"kiwi\" refused: it belongs to the residual");
}

void misuse_is_reported() {
  std::printf("3. A buggy reader claims backwards\n");
  splitcheck::OffsetRangeTracker tracker(100, 200);
  tracker.try_claim(160);
  try {
    tracker.try_claim(150);
    check(false, "claiming backwards is rejected");
  } catch (const splitcheck::UsageError& e) {
    std::printf("  UsageError: %s\n", e.what());
    check(true, "claiming backwards is rejected with a UsageError");
  }
}

}  // namespace

int main() {
  dynamic_split_on_offsets();
  split_on_keys();
  misuse_is_reported();
  std::printf("%s\n", failures == 0 ? "All checks passed." : "Some checks FAILED.");
  return failures == 0 ? 0 : 1;
}
