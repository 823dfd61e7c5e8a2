#include "splitcheck/fuzz/byte_domain.h"

#include <algorithm>
#include <limits>

#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::fuzz {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxKey = 255;
// Range flags (mod 8) and claim bytes (see offset_bytes in the header).
constexpr int kUnknownEnd = 7;
constexpr int kTopOfInt64 = 6;
constexpr int kForwardSteps = 248;
constexpr int kEscape = 255;

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  if (b > 0 && a > kMax - b) return kMax;
  if (b < 0 && a < std::numeric_limits<std::int64_t>::min() - b) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return a + b;
}

std::string read_key(ByteReader& reader) {
  return reader.bytes(std::min<std::size_t>(reader.byte(), kMaxKey));
}

void write_key(ByteWriter& writer, const std::string& key) {
  writer.byte(static_cast<std::uint8_t>(key.size()));
  writer.bytes(key);
}

}  // namespace

ByteDomain<std::int64_t> offset_bytes() {
  ByteDomain<std::int64_t> d;
  d.read_range = [](ByteReader& r) {
    const std::uint8_t flags = r.byte();
    const std::int64_t start = r.byte();
    const std::int64_t width = r.u16();
    if (flags % 8 == kUnknownEnd) return std::make_pair(start, kOffsetInfinity);
    if (flags % 8 == kTopOfInt64) return std::make_pair(kMax - 1 - width, kMax - 1);
    return std::make_pair(start, start + width);
  };
  d.read_position = [](ByteReader& r, const std::int64_t& start, const std::int64_t&) {
    return saturating_add(start, static_cast<std::int16_t>(r.u16()));
  };
  d.write_range = [](ByteWriter& w, const std::int64_t& start, const std::int64_t& stop) {
    if (stop == kOffsetInfinity) {
      w.byte(kUnknownEnd);
      w.byte(static_cast<std::uint8_t>(start));
      w.u16(0);
    } else if (stop == kMax - 1 && start > 255) {
      w.byte(kTopOfInt64);
      w.byte(0);
      w.u16(static_cast<std::uint16_t>(stop - start));
    } else {
      w.byte(0);
      w.byte(static_cast<std::uint8_t>(start));
      w.u16(static_cast<std::uint16_t>(stop - start));
    }
  };
  d.write_position = [](ByteWriter& w, const std::int64_t& p, const std::int64_t& start,
                        const std::int64_t&) {
    w.u16(static_cast<std::uint16_t>(static_cast<std::int16_t>(p - start)));
  };
  d.read_claim = [read = d.read_position](ByteReader& r, const std::int64_t& start,
                                          const std::int64_t& stop, const std::int64_t* last) {
    const std::int64_t base = last == nullptr ? start : saturating_add(*last, 1);
    const std::uint8_t b = r.byte();
    if (b < kForwardSteps) return saturating_add(base, b);
    if (b < kEscape) return saturating_add(base, -(b - kForwardSteps + 1));
    return read(r, start, stop);
  };
  d.write_claim = [write = d.write_position](ByteWriter& w, const std::int64_t& p,
                                             const std::int64_t& start, const std::int64_t& stop,
                                             const std::int64_t* last) {
    const std::int64_t base = last == nullptr ? start : saturating_add(*last, 1);
    // Saturation makes several positions read the same; write the first step
    // that reads back as p.
    for (int b = 0; b < kEscape; ++b) {
      const std::int64_t step = b < kForwardSteps ? b : -(b - kForwardSteps + 1);
      if (saturating_add(base, step) == p) {
        w.byte(static_cast<std::uint8_t>(b));
        return;
      }
    }
    w.byte(kEscape);
    write(w, p, start, stop);
  };
  return d;
}

ByteDomain<std::int64_t> finite_offset_bytes() {
  ByteDomain<std::int64_t> d = offset_bytes();
  d.read_range = [read = d.read_range](ByteReader& r) {
    auto range = read(r);
    if (range.second == kOffsetInfinity) range.second = range.first;
    return range;
  };
  return d;
}

ByteDomain<std::string> key_bytes() {
  ByteDomain<std::string> d;
  d.read_range = [](ByteReader& r) {
    std::string start = read_key(r);
    std::string stop = read_key(r);
    if (!stop.empty() && stop < start) std::swap(start, stop);
    return std::make_pair(start, stop);
  };
  d.read_position = [](ByteReader& r, const std::string&, const std::string&) {
    return read_key(r);
  };
  d.write_range = [](ByteWriter& w, const std::string& start, const std::string& stop) {
    write_key(w, start);
    write_key(w, stop);
  };
  d.write_position = [](ByteWriter& w, const std::string& p, const std::string&,
                        const std::string&) { write_key(w, p); };
  return d;
}

}  // namespace splitcheck::fuzz
