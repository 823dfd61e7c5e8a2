// PositionDomain<P>: what the tracker contract checker needs to know about a
// position type.
//
// The checker generates operations with positions near and inside a range,
// validates results against the contract, and prints scenarios as C++ that
// can be pasted into a test. A domain supplies, for position type P:
//   ranges()            a generator of (start, stop) ranges to build trackers on;
//   positions(start, stop)
//                       a generator of positions for claims and splits: mostly
//                       inside the range, with its ends, its neighbours and
//                       some outside it, so that misuse is exercised too;
//   to_fraction(p, start, stop)
//                       the share of [start, stop) before p, as the tracker's
//                       own mapping must compute it (the checker compares
//                       reported fractions with it);
//   has_size(start, stop)
//                       false for a range of unknown size (no fractions);
//   before_stop(p, stop)
//                       p < stop, where a stop may mean "the end";
//   literal(p)          p as C++ source;
//   fraction_tolerance(f, start, stop)
//                       how far above f the share of position_at_fraction(f)
//                       may lie (it may never lie below f): one position for
//                       offsets, 1 / (stop - start); f * 2^-40 for keys. A
//                       domain that leaves it empty has only the lower bound
//                       checked, and the check's result says so.
// Two optional hooks describe trackers over concatenations of sub-ranges
// (ConcatRangeTracker); leave them empty for any other tracker:
//   split_position(p, current, start, stop)
//                       where a tracker that has read up to `current` (the
//                       last record, or the start) splits when asked for p:
//                       ConcatRangeTracker splits a later sub-range at its
//                       beginning;
//   same_sub_range(a, b, start, stop)
//                       whether a and b lie in one sub-range:
//                       set_current_position cannot move a reader into
//                       another sub-range without a claim.
// offset_positions() and key_positions() are the domains of the built-in
// OffsetRangeTracker and LexicographicKeyRangeTracker; a user with a custom
// position type writes one like them, or maps one of them
// (map_position_domain).

#ifndef SPLITCHECK_TESTKIT_TRACKER_POSITION_DOMAIN_H_
#define SPLITCHECK_TESTKIT_TRACKER_POSITION_DOMAIN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {

template <typename P>
struct PositionDomain {
  std::string name;
  std::function<rc::Gen<std::pair<P, P>>()> ranges;
  std::function<rc::Gen<P>(const P& start, const P& stop)> positions;
  std::function<double(const P& position, const P& start, const P& stop)> to_fraction;
  std::function<bool(const P& start, const P& stop)> has_size;
  std::function<bool(const P& position, const P& stop)> before_stop;
  std::function<std::string(const P& position)> literal;
  std::function<double(double fraction, const P& start, const P& stop)> fraction_tolerance;
  std::function<P(const P& requested, const P& current, const P& start, const P& stop)>
      split_position;
  std::function<bool(const P& a, const P& b, const P& start, const P& stop)> same_sub_range;
};

// A PositionDomain over Q whose ranges, positions and fractions are those of
// `base` over P, through a one-to-one, order-preserving conversion (a strong
// type over offsets: days, sequence numbers). `literal` prints a Q as C++.
template <typename Q, typename P, typename ToQ, typename ToP>
PositionDomain<Q> map_position_domain(PositionDomain<P> base, std::string name, ToQ to_q, ToP to_p,
                                      std::function<std::string(const Q&)> literal) {
  PositionDomain<Q> d;
  d.name = std::move(name);
  d.ranges = [=] {
    return rc::gen::map(base.ranges(), [=](const std::pair<P, P>& range) {
      return std::pair<Q, Q>(to_q(range.first), to_q(range.second));
    });
  };
  d.positions = [=](const Q& start, const Q& stop) {
    return rc::gen::map(base.positions(to_p(start), to_p(stop)),
                        [=](const P& p) { return Q(to_q(p)); });
  };
  d.to_fraction = [=](const Q& p, const Q& start, const Q& stop) {
    return base.to_fraction(to_p(p), to_p(start), to_p(stop));
  };
  d.has_size = [=](const Q& start, const Q& stop) {
    return base.has_size(to_p(start), to_p(stop));
  };
  d.before_stop = [=](const Q& p, const Q& stop) { return base.before_stop(to_p(p), to_p(stop)); };
  d.literal = std::move(literal);
  if (base.fraction_tolerance) {
    d.fraction_tolerance = [=](double f, const Q& start, const Q& stop) {
      return base.fraction_tolerance(f, to_p(start), to_p(stop));
    };
  }
  if (base.split_position) {
    d.split_position = [=](const Q& requested, const Q& current, const Q& start, const Q& stop) {
      return to_q(base.split_position(to_p(requested), to_p(current), to_p(start), to_p(stop)));
    };
  }
  if (base.same_sub_range) {
    d.same_sub_range = [=](const Q& a, const Q& b, const Q& start, const Q& stop) {
      return base.same_sub_range(to_p(a), to_p(b), to_p(start), to_p(stop));
    };
  }
  return d;
}

// 64-bit offsets: ranges [s, e) with 0 <= s <= e small, some infinite
// (kOffsetInfinity) and some near INT64_MAX.
PositionDomain<std::int64_t> offset_positions();

// The same, every range finite (an unknown end becomes an empty range): for
// trackers that always have a size, such as an OrderedPositionRangeTracker
// over offsets or over a type mapped from them (map_position_domain).
PositionDomain<std::int64_t> finite_offset_positions();

// Byte-string keys over a small alphabet that includes 0x00 and 0xff, with
// empty (unbounded) stops, so that adjacent keys and carries come up.
PositionDomain<std::string> key_positions();

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_TRACKER_POSITION_DOMAIN_H_
