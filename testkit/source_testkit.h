// The source testkit: the one header a connector author includes to check a
// source. See docs/testkit.md for what each check proves and what it costs.
//
//   read_from_source, read_bundles                  source/read_source.h
//   check_sources_equal_reference_source            source/reference_equality.h
//   check_reentrant_reads                           source/reentrant_reads.h
//   check_split_at_fraction, ..._binary             source/split_at_fraction.h
//   check_split_at_fraction_exhaustive              source/exhaustive_split.h
//   check_dynamic_split_schedules                   source/dynamic_split_schedules.h
//   check_progress_contract                         source/progress_contract.h
//   check_source_hygiene                            source/source_hygiene.h
//   check_source_serialization                      source/source_serialization.h
//   check_source_conformance (all of the above)     source/source_conformance.h
//   SourceFactory (how the checks get sources)      source/source_factory.h
//   SPLITCHECK_SOURCE_CONFORMANCE_TEST and friends  gtest.h (separate target)

#ifndef SPLITCHECK_TESTKIT_SOURCE_TESTKIT_H_
#define SPLITCHECK_TESTKIT_SOURCE_TESTKIT_H_

#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/source/dynamic_split_schedules.h"
#include "splitcheck/testkit/source/exhaustive_split.h"
#include "splitcheck/testkit/source/progress_contract.h"
#include "splitcheck/testkit/source/read_source.h"
#include "splitcheck/testkit/source/reentrant_reads.h"
#include "splitcheck/testkit/source/reference_equality.h"
#include "splitcheck/testkit/source/source_conformance.h"
#include "splitcheck/testkit/source/source_factory.h"
#include "splitcheck/testkit/source/source_fault_points.h"
#include "splitcheck/testkit/source/source_hygiene.h"
#include "splitcheck/testkit/source/source_serialization.h"
#include "splitcheck/testkit/source/split_at_fraction.h"

#endif  // SPLITCHECK_TESTKIT_SOURCE_TESTKIT_H_
