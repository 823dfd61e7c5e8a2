// The source testkit: the one header a connector author includes to check a
// source. See docs/testkit.md for what each check proves and what it costs.
//
//   read_from_source, read_bundles                  read_source.h
//   check_sources_equal_reference_source            reference_equality.h
//   check_reentrant_reads                           reentrant_reads.h
//   check_split_at_fraction, ..._binary             split_at_fraction.h
//   check_split_at_fraction_exhaustive              exhaustive_split.h
//   check_dynamic_split_schedules                   dynamic_split_schedules.h
//   check_progress_contract                         progress_contract.h
//   check_source_hygiene                            source_hygiene.h
//   check_source_conformance (all of the above)     source_conformance.h
//   SPLITCHECK_SOURCE_CONFORMANCE_TEST and friends  gtest.h (separate target)

#ifndef SPLITCHECK_TESTKIT_SOURCE_TESTKIT_H_
#define SPLITCHECK_TESTKIT_SOURCE_TESTKIT_H_

#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/dynamic_split_schedules.h"
#include "splitcheck/testkit/exhaustive_split.h"
#include "splitcheck/testkit/progress_contract.h"
#include "splitcheck/testkit/read_source.h"
#include "splitcheck/testkit/reentrant_reads.h"
#include "splitcheck/testkit/reference_equality.h"
#include "splitcheck/testkit/source_conformance.h"
#include "splitcheck/testkit/source_hygiene.h"
#include "splitcheck/testkit/split_at_fraction.h"

#endif  // SPLITCHECK_TESTKIT_SOURCE_TESTKIT_H_
