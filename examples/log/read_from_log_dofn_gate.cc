// The gate of ReadFromLogDoFn (splitcheck_sdf_conformance_test in BUILD): the
// SDF checks and their mutation analysis on a sealed log of four partitions,
// read whole and checkpointing every 4 records.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/examples/log/partitioned_log.h"
#include "splitcheck/examples/log/read_from_log_dofn.h"
#include "splitcheck/testkit/sdf_gtest.h"

namespace splitcheck::examples {
namespace {

// Partitions of 0, 1, 9 and 60 records, timestamps rising by 0 to 2 at a
// step (equal timestamps included), sealed.
std::shared_ptr<PartitionedLog> sealed_log() {
  const std::vector<int> sizes = {0, 1, 9, 60};
  auto log = std::make_shared<PartitionedLog>(static_cast<int>(sizes.size()));
  for (std::size_t p = 0; p < sizes.size(); ++p) {
    for (int i = 0; i < sizes[p]; ++i) {
      log->append(static_cast<int>(p), 1000 * static_cast<int>(p) + i + i / 3,
                  "r" + std::to_string(i));
    }
  }
  log->seal();
  return log;
}

std::vector<int> AllPartitions() { return {0, 1, 2, 3}; }
ReadFromLogDoFn MakeDoFn() { return ReadFromLogDoFn(sealed_log()); }
ReadFromLogDoFn MakeCheckpointingDoFn() {
  return ReadFromLogDoFn(sealed_log(), {.max_records_per_call = 4});
}

SPLITCHECK_SDF_CONFORMANCE_TEST(ReadFromLog, MakeDoFn, AllPartitions);
SPLITCHECK_SDF_CONFORMANCE_TEST(CheckpointingReadFromLog, MakeCheckpointingDoFn, AllPartitions);

}  // namespace
}  // namespace splitcheck::examples
