// Generators of runner schedules for check_dynamic_split_schedules.
// Internal to the testkit.

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

#include "splitcheck/lib/runner/scripted_schedule.h"
#include "splitcheck/testkit/internal/property.h"
#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"

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

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_SCHEDULE_GEN_H_
