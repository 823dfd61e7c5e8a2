// AvroSource through the whole source conformance battery, over several
// files at once: many small null and deflate blocks (the exhaustive split
// check tries every byte offset of them), a file with a header and no
// blocks, and a snappy file with one block.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "splitcheck/lib/avro/avro_source.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

using internal::avro_test_file;
using internal::AvroCodec;
using internal::kUserSchema;
using internal::test_users;

std::shared_ptr<const InMemoryFileSystem> Files() {
  static const auto fs = [] {
    auto fs = std::make_shared<InMemoryFileSystem>();
    fs->set_contents("in/a.avro",
                     avro_test_file(kUserSchema, test_users(0, 24), 3, AvroCodec::kNull).bytes);
    fs->set_contents("in/b.avro",
                     avro_test_file(kUserSchema, test_users(100, 0), 3, AvroCodec::kNull).bytes);
    fs->set_contents(
        "in/c.avro",
        avro_test_file(kUserSchema, test_users(200, 20), 2, AvroCodec::kDeflate).bytes);
    fs->set_contents("in/d.avro",
                     avro_test_file(kUserSchema, test_users(300, 5), 5, AvroCodec::kSnappy).bytes);
    return fs;
  }();
  return fs;
}

std::shared_ptr<const AvroSource> MakeAvroSource() {
  AvroSourceOptions options;
  options.file_system = Files();
  return std::make_shared<const AvroSource>("in/*.avro", options);
}

testkit::SourceConformanceOptions MakeOptions() {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;  // fixed, so that a cached pass means something
  return options;
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(AvroSourceConformance, MakeAvroSource, MakeOptions);

}  // namespace
}  // namespace splitcheck
