// The sink testkit: the one header a connector author includes to check a
// sink. See docs/sinks.md for what each check proves.
//
//   SinkUnderTest, SinkEnvironment (how the checks drive a sink)  sink/sink_under_test.h
//   check_sink_crash_points                            sink/sink_crash_points.h
//   check_sink_finalize_idempotence, ..._retries_and_speculation,
//   ..._order_independence, ..._isolation              sink/sink_checks.h
//   check_sink_conformance (all of the above)          sink/sink_conformance.h
//   FaultPoints, FaultInjectingFileSystem              faults/fault_points.h,
//                                                      faults/fault_injecting_file_system.h
//   SPLITCHECK_SINK_CONFORMANCE_TEST                   gtest.h (separate target)

#ifndef SPLITCHECK_TESTKIT_SINK_TESTKIT_H_
#define SPLITCHECK_TESTKIT_SINK_TESTKIT_H_

#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/faults/fault_injecting_file_system.h"
#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/sink/sink_checks.h"
#include "splitcheck/testkit/sink/sink_conformance.h"
#include "splitcheck/testkit/sink/sink_crash_points.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

#endif  // SPLITCHECK_TESTKIT_SINK_TESTKIT_H_
