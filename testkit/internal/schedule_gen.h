// Generators of runner schedules for check_dynamic_split_schedules, and a
// thin wrapper over RapidCheck's property runner that returns the shrunk
// counterexample instead of printing it. Internal to the testkit.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_SCHEDULE_GEN_H_
#define SPLITCHECK_TESTKIT_INTERNAL_SCHEDULE_GEN_H_

#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "rapidcheck.h"
#include "splitcheck/lib/runner/scripted_schedule.h"

namespace splitcheck::testkit::internal {

// What a generated schedule may refer to.
struct ScheduleShape {
  int initial_bundles = 1;
  int max_workers = 4;
  int max_splits = 8;
  std::int64_t max_after_records = 1;
  bool inject_failures = true;
};

struct ScheduleCase {
  int workers = 1;
  std::vector<ScheduledSplit> splits;
  std::vector<ScheduledFailure> failures;
};

inline void showValue(const ScheduleCase& c, std::ostream& os) {
  os << "workers " << c.workers << "\n" << ScriptedSchedule(c.splits, c.failures).to_string();
}

// A bundle id: an initial bundle, or a residual up to three splits deep.
inline rc::Gen<std::string> gen_bundle_id(int initial_bundles) {
  return rc::gen::map(rc::gen::pair(rc::gen::inRange(0, initial_bundles),
                                    rc::gen::container<std::vector<int>>(rc::gen::inRange(1, 4))),
                      [](const std::pair<int, std::vector<int>>& id) {
                        std::string out = std::to_string(id.first);
                        for (std::size_t i = 0; i < id.second.size() && i < 3; ++i) {
                          out += "." + std::to_string(id.second[i]);
                        }
                        return out;
                      });
}

// Vectors of at most `max` elements; shrinking drops any element.
template <typename T>
rc::Gen<std::vector<T>> up_to(int max, rc::Gen<T> element) {
  return rc::gen::map(rc::gen::container<std::vector<T>>(std::move(element)),
                      [max](std::vector<T> v) {
                        if (v.size() > static_cast<std::size_t>(max))
                          v.resize(static_cast<std::size_t>(max));
                        return v;
                      });
}

// RapidCheck's description of an RC_FAIL starts with the file, line and
// macro call; keep only the message.
inline std::string failure_message(const std::string& description) {
  const auto macro = description.find("RC_FAIL(");
  if (macro == std::string::npos) return description;
  const auto body = description.find("\n\n", macro);
  return body == std::string::npos ? description : description.substr(body + 2);
}

inline rc::Gen<ScheduleCase> gen_schedule(const ScheduleShape& shape) {
  const auto after = rc::gen::inRange<std::int64_t>(0, shape.max_after_records + 1);
  const auto split = rc::gen::build<ScheduledSplit>(
      rc::gen::set(&ScheduledSplit::bundle_id, gen_bundle_id(shape.initial_bundles)),
      rc::gen::set(&ScheduledSplit::after_records, after),
      rc::gen::set(&ScheduledSplit::fraction,
                   rc::gen::map(rc::gen::inRange(1, 100), [](int p) { return p / 100.0; })));
  const auto failure = rc::gen::build<ScheduledFailure>(
      rc::gen::set(&ScheduledFailure::bundle_id, gen_bundle_id(shape.initial_bundles)),
      rc::gen::set(&ScheduledFailure::after_records, after));
  return rc::gen::build<ScheduleCase>(
      rc::gen::set(&ScheduleCase::workers, rc::gen::inRange(1, shape.max_workers + 1)),
      rc::gen::set(&ScheduleCase::splits, up_to(shape.max_splits, split)),
      rc::gen::set(&ScheduleCase::failures, up_to(shape.inject_failures ? 2 : 0, failure)));
}

// $SPLITCHECK_SEED, else a random seed, unless `seed` is set.
inline std::uint64_t resolve_seed(std::uint64_t seed) {
  if (seed != 0) return seed;
  if (const char* env = std::getenv("SPLITCHECK_SEED")) return std::strtoull(env, nullptr, 10);
  std::random_device random;
  return (static_cast<std::uint64_t>(random()) << 32) ^ random();
}

struct PropertyOutcome {
  bool failed = false;
  bool gave_up = false;
  std::string counterexample;
};

// Runs `property` on `runs` generated schedules with `seed`; on failure the
// shrunk schedule and RapidCheck's description of the failure.
template <typename Property>
PropertyOutcome run_property(const Property& property, const ScheduleShape& shape,
                             std::uint64_t seed, int runs) {
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = runs;
  params.maxSize = 100;
  const auto checked = rc::detail::checkTestable(
      [&] {
        const ScheduleCase schedule = *gen_schedule(shape).as("schedule");
        property(schedule);
      },
      rc::detail::TestMetadata{}, params);
  PropertyOutcome out;
  rc::detail::FailureResult failure;
  rc::detail::GaveUpResult gave_up;
  if (checked.match(failure)) {
    out.failed = true;
    std::ostringstream text;
    for (const auto& [name, value] : failure.counterExample) text << value << "\n";
    text << failure_message(failure.description);
    out.counterexample = text.str();
  } else if (checked.match(gave_up)) {
    out.gave_up = true;
    out.counterexample = gave_up.description;
  }
  return out;
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_SCHEDULE_GEN_H_
