// The SDF testkit: the one header a connector author includes to check a
// splittable DoFn's restriction tracker. See docs/splittable-dofns.md.
//
//   RestrictionTrackerFactory, check_restriction_tracker_contract,
//   check_restriction_tracker_sequential,
//   check_restriction_tracker_linearizable,
//   check_restriction_scenario                       sdf/restriction_tracker_contract.h
//   RestrictionDomain, offset_restrictions, growable_offset_restrictions,
//   byte_key_restrictions, RestrictionContractOptions sdf/restriction_domain.h
//   RestrictionScenario, RestrictionOp (one scenario) sdf/restriction_scenario.h
//   check_sdf, check_sdf_exhaustive_split,
//   check_sdf_checkpoints, SdfCheckOptions           sdf/sdf_checks.h (a whole DoFn)
//   SPLITCHECK_RESTRICTION_TRACKER_FUZZER (libFuzzer) fuzz/restriction_tracker_fuzzer.h

#ifndef SPLITCHECK_TESTKIT_SDF_TESTKIT_H_
#define SPLITCHECK_TESTKIT_SDF_TESTKIT_H_

#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/sdf/restriction_domain.h"
#include "splitcheck/testkit/sdf/restriction_scenario.h"
#include "splitcheck/testkit/sdf/restriction_tracker_contract.h"
#include "splitcheck/testkit/sdf/sdf_checks.h"
#include "splitcheck/testkit/sdf/sdf_mutation_analysis.h"

#endif  // SPLITCHECK_TESTKIT_SDF_TESTKIT_H_
