// The tracker testkit: the one header a connector author includes to check a
// custom range tracker. See docs/range-trackers.md.
//
//   TrackerFactory, check_tracker_contract, check_tracker_sequential,
//   check_tracker_linearizable, TrackerContractOptions   tracker/tracker_contract.h
//   PositionDomain (how positions are generated)        tracker/position_domain.h
//   TrackerScenario, TrackerOp (replaying one scenario)  tracker/tracker_scenario.h
//   SPLITCHECK_TRACKER_FUZZER (libFuzzer)                fuzz/tracker_fuzzer.h

#ifndef SPLITCHECK_TESTKIT_TRACKER_TESTKIT_H_
#define SPLITCHECK_TESTKIT_TRACKER_TESTKIT_H_

#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/tracker/position_domain.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"
#include "splitcheck/testkit/tracker/tracker_scenario.h"

#endif  // SPLITCHECK_TESTKIT_TRACKER_TESTKIT_H_
