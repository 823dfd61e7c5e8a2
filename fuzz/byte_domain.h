// ByteDomain<P>: how tracker-fuzzing inputs encode ranges and positions.
//
// A fuzzer hands raw bytes; the decoder reads them through a ByteReader
// that never fails (past the end it reads zeros), so every input decodes to
// something valid to run. A ByteDomain says how one range and one position
// are read, and how to write them back so that decode(encode(s)) == s:
//   read_range(reader)                 -> (start, stop), a valid range;
//   read_position(reader, start, stop) -> a position, mostly near the range
//                                         (misuse included);
//   write_range(writer, start, stop), write_position(writer, p, start, stop)
//                                      the inverse, for the positions
//                                         read_position can produce.
// offset_bytes() and key_bytes() match the testkit's offset_positions() and
// key_positions().

#ifndef SPLITCHECK_FUZZ_BYTE_DOMAIN_H_
#define SPLITCHECK_FUZZ_BYTE_DOMAIN_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::fuzz {

// Reads bytes; past the end, zeros.
class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() {
    const std::uint16_t hi = byte();
    return static_cast<std::uint16_t>(hi << 8 | byte());
  }
  std::string bytes(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(byte());
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

class ByteWriter {
 public:
  void byte(std::uint8_t b) { out_.push_back(b); }
  void u16(std::uint16_t v) {
    byte(static_cast<std::uint8_t>(v >> 8));
    byte(static_cast<std::uint8_t>(v & 0xff));
  }
  void bytes(const std::string& s) {
    for (const char c : s) byte(static_cast<std::uint8_t>(c));
  }
  const std::vector<std::uint8_t>& data() const { return out_; }

 private:
  std::vector<std::uint8_t> out_;
};

template <typename P>
struct ByteDomain {
  std::function<std::pair<P, P>(ByteReader&)> read_range;
  std::function<P(ByteReader&, const P& start, const P& stop)> read_position;
  std::function<void(ByteWriter&, const P& start, const P& stop)> write_range;
  std::function<void(ByteWriter&, const P& position, const P& start, const P& stop)> write_position;
  // Optional, for claims and set_current_position: a position read relative
  // to `last`, the previous claim or set_current_position of the scenario
  // (null before the first), so that most decoded claims move forward, as a
  // reader's do, and misuse (backwards, before the start) stays possible but
  // rare. Misuse costs an exception per operation, which dominates a fuzz
  // execution when it is common. Empty: read_position/write_position.
  std::function<P(ByteReader&, const P& start, const P& stop, const P* last)> read_claim;
  std::function<void(ByteWriter&, const P& position, const P& start, const P& stop, const P* last)>
      write_claim;
};

// A ByteDomain over Q that reads and writes like `base` does over P, through
// a one-to-one, order-preserving conversion: how a strong type over offsets
// (days, sequence numbers, timestamps) gets offset_bytes() and its forward
// claims:
//
//   auto days = map_byte_domain<Day>(offset_bytes(),
//       [](std::int64_t n) { return Day{n}; }, [](const Day& d) { return d.number; });
template <typename Q, typename P, typename ToQ, typename ToP>
ByteDomain<Q> map_byte_domain(ByteDomain<P> base, ToQ to_q, ToP to_p) {
  ByteDomain<Q> d;
  d.read_range = [=](ByteReader& r) {
    auto [start, stop] = base.read_range(r);
    return std::pair<Q, Q>(to_q(start), to_q(stop));
  };
  d.read_position = [=](ByteReader& r, const Q& start, const Q& stop) {
    return to_q(base.read_position(r, to_p(start), to_p(stop)));
  };
  d.write_range = [=](ByteWriter& w, const Q& start, const Q& stop) {
    base.write_range(w, to_p(start), to_p(stop));
  };
  d.write_position = [=](ByteWriter& w, const Q& p, const Q& start, const Q& stop) {
    base.write_position(w, to_p(p), to_p(start), to_p(stop));
  };
  if (base.read_claim) {
    d.read_claim = [=](ByteReader& r, const Q& start, const Q& stop, const Q* last) {
      const std::optional<P> base_last = last ? std::optional<P>(to_p(*last)) : std::nullopt;
      return to_q(base.read_claim(r, to_p(start), to_p(stop), base_last ? &*base_last : nullptr));
    };
  }
  if (base.write_claim) {
    d.write_claim = [=](ByteWriter& w, const Q& p, const Q& start, const Q& stop, const Q* last) {
      const std::optional<P> base_last = last ? std::optional<P>(to_p(*last)) : std::nullopt;
      base.write_claim(w, to_p(p), to_p(start), to_p(stop), base_last ? &*base_last : nullptr);
    };
  }
  return d;
}

// Offsets. Range: a flags byte (mod 8: 7, an unknown end; 6, at the top of
// the int64 range; else plain), a start byte and a 16-bit width. Position: a
// signed 16-bit distance from the start (saturating at the ends of int64).
// Claim: one byte b after base = last + 1 (the start before any claim):
// b < 248 is base + b, 248..254 is base - (b - 247) (backwards: misuse), 255
// is followed by a position as above.
ByteDomain<std::int64_t> offset_bytes();

// The same, every range finite (an unknown end reads as an empty range), to
// match testkit::finite_offset_positions().
ByteDomain<std::int64_t> finite_offset_bytes();

// Keys of at most 255 bytes. Range: a start key and a stop key (a length byte,
// then the bytes; length 0 for the stop means the end of the key space); a
// stop before the start is swapped with it. Position: a length byte and the
// bytes.
ByteDomain<std::string> key_bytes();

}  // namespace splitcheck::fuzz

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_FUZZ_BYTE_DOMAIN_H_
