#include "splitcheck/lib/avro/internal/avro_validate.h"

#include <algorithm>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck::internal {

class AvroValidator::Cursor {
 public:
  Cursor(std::string_view data, const std::string& where) : data_(data), where_(where) {}

  std::size_t left() const { return data_.size() - pos_; }
  // Takes `n` values from the block's budget of zero-byte values; false when
  // it has fewer.
  bool take_zero_byte_values(std::int64_t n) {
    if (n > zero_budget_) return false;
    zero_budget_ -= n;
    return true;
  }
  std::size_t pos() const { return pos_; }
  void set_record(std::int64_t record) { record_ = record; }

  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    const std::string record =
        record_ < 0 ? "" : "record " + std::to_string(record_) + " of the block, ";
    throw CorruptDataError(where_ + record + "decoded byte " + std::to_string(at) + ": " + what);
  }

  std::int64_t varint(int max_bytes, const char* what) {
    const std::size_t start = pos_;
    std::uint64_t value = 0;
    for (int i = 0; i < max_bytes; ++i) {
      if (pos_ == data_.size()) fail(start, std::string("the data ends inside ") + what);
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      value |= std::uint64_t{byte & 0x7fu} << (7 * i);
      if ((byte & 0x80u) == 0) {
        return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
      }
    }
    fail(start, std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes");
  }

  void skip(std::int64_t n, const char* what) {
    if (n < 0 || static_cast<std::uint64_t>(n) > left()) {
      fail(pos_, std::string(what) + " of " + std::to_string(n) + " bytes, with " +
                     std::to_string(left()) + " left");
    }
    pos_ += static_cast<std::size_t>(n);
  }

 private:
  std::string_view data_;
  const std::string& where_;
  std::size_t pos_ = 0;
  std::int64_t record_ = 0;
  std::int64_t zero_budget_ = kAvroZeroByteValues + static_cast<std::int64_t>(data_.size());
};

AvroValidator::AvroValidator(avro_schema_t schema) {
  std::vector<std::pair<avro_schema_t, std::size_t>> seen;
  compile(schema, seen);
  compute_min_bytes();
}

void AvroValidator::compute_min_bytes() {
  // The least fixpoint, from 0 up: recursive types converge (a union's
  // branch index takes a byte) or grow until the cap, which is then a
  // bound as good as any for counting.
  constexpr std::int64_t kCap = std::int64_t{1} << 20;
  for (bool changed = true; changed;) {
    changed = false;
    for (Node& node : nodes_) {
      std::int64_t m = 0;
      switch (node.kind) {
        case Kind::kNull:
          m = 0;
          break;
        case Kind::kBoolean:
        case Kind::kInt:
        case Kind::kLong:
        case Kind::kBytes:
        case Kind::kEnum:
        case Kind::kArray:  // a block count of 0
        case Kind::kMap:
          m = 1;
          break;
        case Kind::kFloat:
          m = 4;
          break;
        case Kind::kDouble:
          m = 8;
          break;
        case Kind::kFixed:
          m = node.size;
          break;
        case Kind::kUnion: {
          std::int64_t least = kCap;
          for (std::size_t c : node.children) least = std::min(least, nodes_[c].min_bytes);
          m = 1 + (node.children.empty() ? 0 : least);
          break;
        }
        case Kind::kRecord:
          for (std::size_t c : node.children) m += nodes_[c].min_bytes;
          break;
      }
      m = std::min(m, kCap);
      if (m > node.min_bytes) {
        node.min_bytes = m;
        changed = true;
      }
    }
  }
}

void AvroValidator::check_count(std::size_t index, std::int64_t count, Cursor& cursor,
                                std::size_t at, const char* what) const {
  const std::int64_t min_bytes = nodes_[index].min_bytes;
  const bool fits = min_bytes > 0 ? count <= static_cast<std::int64_t>(cursor.left()) / min_bytes
                                  : cursor.take_zero_byte_values(count);
  if (!fits) {
    cursor.fail(at,
                std::string(what) + " of " + std::to_string(count) + " values, with " +
                    std::to_string(cursor.left()) + " bytes left" +
                    (min_bytes > 0 ? " and at least " + std::to_string(min_bytes) + " bytes a value"
                                   : " and past the block's budget of values that take no "
                                     "bytes"));
  }
}

std::size_t AvroValidator::compile(avro_schema_t schema,
                                   std::vector<std::pair<avro_schema_t, std::size_t>>& seen) {
  while (schema != nullptr && avro_typeof(schema) == AVRO_LINK) {
    schema = avro_schema_link_target(schema);
  }
  if (schema == nullptr) throw InternalError("AvroValidator: a schema without a target");
  for (const auto& [known, index] : seen) {
    if (known == schema) return index;  // a recursive (named) type
  }
  const std::size_t index = nodes_.size();
  nodes_.push_back(Node{Kind::kNull, 0, {}});
  seen.emplace_back(schema, index);
  Node node{Kind::kNull, 0, {}};
  std::vector<std::size_t> children;
  switch (avro_typeof(schema)) {
    case AVRO_NULL:
      node.kind = Kind::kNull;
      break;
    case AVRO_BOOLEAN:
      node.kind = Kind::kBoolean;
      break;
    case AVRO_INT32:
      node.kind = Kind::kInt;
      break;
    case AVRO_INT64:
      node.kind = Kind::kLong;
      break;
    case AVRO_FLOAT:
      node.kind = Kind::kFloat;
      break;
    case AVRO_DOUBLE:
      node.kind = Kind::kDouble;
      break;
    case AVRO_STRING:
    case AVRO_BYTES:
      node.kind = Kind::kBytes;
      break;
    case AVRO_FIXED:
      node.kind = Kind::kFixed;
      node.size = avro_schema_fixed_size(schema);
      break;
    case AVRO_ENUM:
      node.kind = Kind::kEnum;
      node.size = avro_schema_enum_number_of_symbols(schema);
      break;
    case AVRO_UNION:
      node.kind = Kind::kUnion;
      for (std::size_t i = 0; i < avro_schema_union_size(schema); ++i) {
        children.push_back(compile(avro_schema_union_branch(schema, static_cast<int>(i)), seen));
      }
      break;
    case AVRO_ARRAY:
      node.kind = Kind::kArray;
      children.push_back(compile(avro_schema_array_items(schema), seen));
      break;
    case AVRO_MAP:
      node.kind = Kind::kMap;
      children.push_back(compile(avro_schema_map_values(schema), seen));
      break;
    case AVRO_RECORD:
      node.kind = Kind::kRecord;
      for (std::size_t i = 0; i < avro_schema_record_size(schema); ++i) {
        children.push_back(
            compile(avro_schema_record_field_get_by_index(schema, static_cast<int>(i)), seen));
      }
      break;
    default:
      throw InternalError("AvroValidator: a schema of unknown type");
  }
  node.children = std::move(children);
  nodes_[index] = std::move(node);
  return index;
}

void AvroValidator::validate(std::string_view data, std::int64_t count,
                             const std::string& where) const {
  Cursor cursor(data, where);
  cursor.set_record(-1);
  check_count(0, count, cursor, 0, "the block's record count");
  for (std::int64_t i = 0; i < count; ++i) {
    cursor.set_record(i);
    check(0, cursor, 0);
  }
  cursor.set_record(-1);
  if (cursor.left() != 0) {
    cursor.fail(cursor.pos(), std::to_string(cursor.left()) + " bytes are left after the block's " +
                                  std::to_string(count) +
                                  " records (its record count or data is corrupt)");
  }
}

void AvroValidator::check(std::size_t index, Cursor& cursor, int depth) const {
  if (depth > kMaxAvroNesting) {
    cursor.fail(cursor.pos(), "values nested deeper than " + std::to_string(kMaxAvroNesting));
  }
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Kind::kNull:
      return;
    case Kind::kBoolean:
      return cursor.skip(1, "a boolean");
    case Kind::kInt:
      cursor.varint(5, "an int");
      return;
    case Kind::kLong:
      cursor.varint(10, "a long");
      return;
    case Kind::kFloat:
      return cursor.skip(4, "a float");
    case Kind::kDouble:
      return cursor.skip(8, "a double");
    case Kind::kBytes: {
      const std::size_t at = cursor.pos();
      const std::int64_t n = cursor.varint(10, "a length");
      if (n < 0) cursor.fail(at, "a negative string or bytes length, " + std::to_string(n));
      return cursor.skip(n, "a string or bytes value");
    }
    case Kind::kFixed:
      return cursor.skip(node.size, "a fixed value");
    case Kind::kEnum: {
      const std::size_t at = cursor.pos();
      const std::int64_t symbol = cursor.varint(5, "an enum index");
      if (symbol < 0 || symbol >= node.size) {
        cursor.fail(at, "enum index " + std::to_string(symbol) + " of " +
                            std::to_string(node.size) + " symbols");
      }
      return;
    }
    case Kind::kUnion: {
      const std::size_t at = cursor.pos();
      const std::int64_t branch = cursor.varint(10, "a union branch");
      if (branch < 0 || static_cast<std::uint64_t>(branch) >= node.children.size()) {
        cursor.fail(at, "union branch " + std::to_string(branch) + " of " +
                            std::to_string(node.children.size()));
      }
      return check(node.children[static_cast<std::size_t>(branch)], cursor, depth + 1);
    }
    case Kind::kArray:
    case Kind::kMap: {
      for (;;) {
        const std::size_t at = cursor.pos();
        std::int64_t items = cursor.varint(10, "an array or map block count");
        if (items == 0) return;
        if (items < 0) {
          if (items == INT64_MIN) cursor.fail(at, "an array or map block count is corrupt");
          items = -items;
          const std::size_t size_at = cursor.pos();
          if (cursor.varint(10, "an array or map block size") < 0) {
            cursor.fail(size_at, "a negative array or map block size");
          }
        }
        // A map's item has a key, at least a byte; an array's item may
        // take none.
        if (node.kind == Kind::kMap) {
          if (items > static_cast<std::int64_t>(cursor.left())) {
            cursor.fail(at, "a map block of " + std::to_string(items) + " items, with " +
                                std::to_string(cursor.left()) + " bytes left");
          }
        } else {
          check_count(node.children[0], items, cursor, at, "an array block");
        }
        for (std::int64_t i = 0; i < items; ++i) {
          if (node.kind == Kind::kMap) {
            const std::size_t key_at = cursor.pos();
            const std::int64_t n = cursor.varint(10, "a map key length");
            if (n < 0) cursor.fail(key_at, "a negative map key length, " + std::to_string(n));
            cursor.skip(n, "a map key");
          }
          check(node.children[0], cursor, depth + 1);
        }
      }
    }
    case Kind::kRecord:
      for (std::size_t field : node.children) check(field, cursor, depth + 1);
      return;
  }
}

}  // namespace splitcheck::internal
