#include "splitcheck/testkit/tracker/position_domain.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "splitcheck/lib/internal/key_arithmetic.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::testkit {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

}  // namespace

PositionDomain<std::int64_t> offset_positions() {
  PositionDomain<std::int64_t> d;
  d.name = "offsets";
  d.ranges = [] {
    return rc::gen::oneOf(
        rc::gen::map(rc::gen::pair(rc::gen::inRange<std::int64_t>(0, 20),
                                   rc::gen::inRange<std::int64_t>(0, 40)),
                     [](std::pair<std::int64_t, std::int64_t> r) {
                       return std::make_pair(r.first, r.first + r.second);
                     }),
        rc::gen::map(rc::gen::inRange<std::int64_t>(0, 20),
                     [](std::int64_t s) { return std::make_pair(s, kOffsetInfinity); }),
        rc::gen::map(rc::gen::inRange<std::int64_t>(2, 40), [](std::int64_t width) {
          return std::make_pair(kMax - 1 - width, kMax - 1);
        }));
  };
  d.positions = [](const std::int64_t& start, const std::int64_t& stop) {
    const std::int64_t top = stop == kOffsetInfinity ? start + 60 : stop;
    return rc::gen::weightedOneOf<std::int64_t>(
        {{6, rc::gen::inRange<std::int64_t>(start, std::max(start + 1, top))},
         {1, rc::gen::element(std::int64_t{start}, std::int64_t{top},
                              std::int64_t{top == kMax ? top : top + 1})},
         {1, rc::gen::inRange<std::int64_t>(std::max<std::int64_t>(0, start - 3), start + 1)}});
  };
  d.to_fraction = [](const std::int64_t& p, const std::int64_t& start, const std::int64_t& stop) {
    if (stop == start) return p > start ? 1.0 : 0.0;
    return static_cast<double>(static_cast<long double>(p - start) /
                               static_cast<long double>(stop - start));
  };
  d.has_size = [](const std::int64_t&, const std::int64_t& stop) {
    return stop != kOffsetInfinity;
  };
  d.before_stop = [](const std::int64_t& p, const std::int64_t& stop) { return p < stop; };
  d.literal = [](const std::int64_t& p) {
    return p == kOffsetInfinity ? std::string("kOffsetInfinity") : std::to_string(p);
  };
  // One position: ceil(start + f * (stop - start)) is less than one offset
  // past the exact target.
  d.fraction_tolerance = [](double, const std::int64_t& start, const std::int64_t& stop) {
    return stop == start ? 1.0 : 1.0 / static_cast<double>(stop - start);
  };
  return d;
}

PositionDomain<std::int64_t> finite_offset_positions() {
  PositionDomain<std::int64_t> d = offset_positions();
  d.name = "finite offsets";
  d.ranges = [ranges = d.ranges] {
    return rc::gen::map(ranges(), [](std::pair<std::int64_t, std::int64_t> r) {
      if (r.second == kOffsetInfinity) r.second = r.first;
      return r;
    });
  };
  d.has_size = [](const std::int64_t&, const std::int64_t&) { return true; };
  return d;
}

PositionDomain<std::string> key_positions() {
  PositionDomain<std::string> d;
  d.name = "keys";
  const auto key = rc::gen::container<std::string>(
      rc::gen::element('\0', '\x01', 'a', 'b', 'm', '\x7f', '\x80', '\xff'));
  d.ranges = [key] {
    return rc::gen::map(rc::gen::tuple(key, key, rc::gen::arbitrary<bool>()), [](auto t) {
      auto [a, b, open] = t;
      if (b < a) std::swap(a, b);
      return std::make_pair(a, open ? std::string() : b);
    });
  };
  d.positions = [key](const std::string& start, const std::string& stop) {
    return rc::gen::weightedOneOf<std::string>(
        {{4, rc::gen::map(key, [start](const std::string& suffix) { return start + suffix; })},
         {2, key},
         {1,
          rc::gen::element(std::string(start), std::string(stop), start + std::string(1, '\0'))}});
  };
  d.to_fraction = [](const std::string& p, const std::string& start, const std::string& stop) {
    return internal::key_to_fraction(p, start, stop);
  };
  d.has_size = [](const std::string&, const std::string&) { return true; };
  d.fraction_tolerance = [](double f, const std::string&, const std::string&) {
    return f * internal::kKeyFractionTolerance;
  };
  d.before_stop = [](const std::string& p, const std::string& stop) {
    return stop.empty() || p < stop;
  };
  d.literal = [](const std::string& p) {
    // Octal escapes: unlike \x, they never swallow the characters after them.
    std::string out = "std::string(\"";
    for (const char c : p) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
        out += c;
      } else {
        out += '\\';
        out += static_cast<char>('0' + (u >> 6));
        out += static_cast<char>('0' + ((u >> 3) & 7));
        out += static_cast<char>('0' + (u & 7));
      }
    }
    return out + "\", " + std::to_string(p.size()) + ")";
  };
  return d;
}

}  // namespace splitcheck::testkit
