// A structural check of encoded Avro records against their writer schema,
// run on every block before avro-c decodes it.
//
// avro-c 1.11 trusts the lengths it decodes: a string or bytes length of -1
// makes it write one byte before a zero-size allocation (heap corruption),
// other negative lengths ask the allocator for ~2^64 bytes, and counts are
// believed: it makes as many values as a block or an array says, each one
// appended, however few bytes hold them. So every length, count and index
// is checked here first:
//   * string, bytes and map-key lengths in [0, bytes left];
//   * union branches and enum symbols in range;
//   * varints at most 10 bytes (5 for an int); nesting at most
//     kMaxAvroNesting deep;
//   * counts bounded by the bytes that could hold them: a block's records
//     and an array's or map's items at most (bytes left) / (the least bytes
//     one can encode to). Values that can encode to no bytes at all (null,
//     an empty record, fixed(0), records of only those) share one budget
//     per block of kAvroZeroByteValues plus the block's size, so a few
//     bytes cannot stand for billions of values;
//   * the records use the data exactly.
//
// Thread-safe after construction (const).

#ifndef SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_VALIDATE_H_
#define SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_VALIDATE_H_

#include <avro.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace splitcheck::internal {

inline constexpr int kMaxAvroNesting = 1000;
inline constexpr std::int64_t kAvroZeroByteValues = std::int64_t{1} << 22;

class AvroValidator {
 public:
  // `schema` is only read here; the validator keeps no reference to it.
  explicit AvroValidator(avro_schema_t schema);

  // Throws CorruptDataError, its message starting with `where`, naming the
  // record and the byte of `data` where the encoding breaks a rule.
  void validate(std::string_view data, std::int64_t count, const std::string& where) const;

 private:
  enum class Kind : std::uint8_t {
    kNull,
    kBoolean,
    kInt,
    kLong,
    kFloat,
    kDouble,
    kBytes,
    kFixed,
    kEnum,
    kUnion,
    kArray,
    kMap,
    kRecord,
  };
  struct Node {
    Kind kind;
    std::int64_t size = 0;              // fixed: bytes; enum: symbols
    std::vector<std::size_t> children;  // union branches, record fields, array/map items
    std::int64_t min_bytes = 0;         // the fewest bytes a value encodes to
  };
  class Cursor;

  std::size_t compile(avro_schema_t schema,
                      std::vector<std::pair<avro_schema_t, std::size_t>>& seen);
  void check(std::size_t node, Cursor& cursor, int depth) const;
  // How many values of `node` the next `count` may claim, from `at`.
  void check_count(std::size_t node, std::int64_t count, Cursor& cursor, std::size_t at,
                   const char* what) const;
  void compute_min_bytes();

  std::vector<Node> nodes_;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_VALIDATE_H_
