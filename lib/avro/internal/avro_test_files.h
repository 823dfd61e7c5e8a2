// Avro container files for tests, built in memory with exact control of the
// blocks: records per block, codec and sync marker. Records are encoded by
// avro-c (avro_value_write); the framing is written here, so tests can also
// build files avro-c's writer never makes (every codec, tiny blocks).
//
// Test-only (testonly in BUILD).

#ifndef SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_TEST_FILES_H_
#define SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_TEST_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "splitcheck/lib/avro/avro_record.h"
#include "splitcheck/lib/avro/internal/avro_codec.h"
#include "splitcheck/lib/avro/internal/avro_container.h"
#include "splitcheck/lib/avro/internal/avro_container_writer.h"  // avro_long, for tests

namespace splitcheck::internal {

// {"type": "record", "name": "User", "fields": id long, name string,
// score double}.
extern const char kUserSchema[];

// User records id = first .. first + n - 1, name "user-<id>" padded with
// `name_padding` extra characters, score id / 4.
std::vector<AvroRecord> test_users(std::int64_t first, std::int64_t n,
                                   std::size_t name_padding = 0);

struct AvroTestFile {
  std::string bytes;
  // The offset of the sync marker before each block (the header's first).
  std::vector<std::int64_t> block_positions;
};

// A container file of `records` (all of one schema, `schema_json`), at most
// `per_block` records a block, blocks encoded with `codec`.
AvroTestFile avro_test_file(const std::string& schema_json, const std::vector<AvroRecord>& records,
                            std::size_t per_block, AvroCodec codec,
                            const AvroSync& sync = AvroSync{'s', 'p', 'l', 'i', 't', 'c', 'h', 'e',
                                                            'c', 'k', '-', 's', 'y', 'n', 'c',
                                                            '!'});

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_TEST_FILES_H_
