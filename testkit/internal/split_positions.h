// Every distinct position a tracker's position_at_fraction can produce.
// Internal to the testkit.
//
// position_at_fraction is a monotone step function of the fraction, so its
// distinct values are found by bisection: an interval whose ends map to the
// same position holds no other (by monotonicity) and is dropped; otherwise it
// is halved until its ends are adjacent doubles. The cost is a few dozen calls
// per distinct position. Past `max_positions` (key ranges have about 2^53
// distinct positions) the enumeration gives up and samples evenly spaced
// fractions instead, and says so.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_SPLIT_POSITIONS_H_
#define SPLITCHECK_TESTKIT_INTERNAL_SPLIT_POSITIONS_H_

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/trackers/range_tracker.h"
#include "splitcheck/testkit/internal/compare_records.h"

namespace splitcheck::testkit::internal {

template <typename P>
struct SplitPositions {
  // (position, a fraction that produces it), positions strictly increasing.
  std::vector<std::pair<P, double>> positions;
  bool sampled = false;              // too many to enumerate: evenly sampled
  std::optional<std::string> error;  // position_at_fraction is not monotone
};

template <typename P>
SplitPositions<P> distinct_split_positions(const RangeTracker<P>& tracker,
                                           std::size_t max_positions) {
  SplitPositions<P> out;
  struct Span {
    double lo;
    double hi;
    P at_lo;
    P at_hi;
  };
  std::vector<Span> stack;  // processed depth-first, left half first
  const P first = tracker.position_at_fraction(0.0);
  const P last = tracker.position_at_fraction(1.0);
  out.positions.emplace_back(first, 0.0);
  stack.push_back({0.0, 1.0, first, last});
  while (!stack.empty()) {
    Span span = std::move(stack.back());
    stack.pop_back();
    if (span.at_lo == span.at_hi) continue;
    if (std::nextafter(span.lo, 2.0) >= span.hi) {
      out.positions.emplace_back(span.at_hi, span.hi);
      if (out.positions.size() > max_positions) break;
      continue;
    }
    const double mid = span.lo + (span.hi - span.lo) / 2;
    P at_mid = tracker.position_at_fraction(mid);
    stack.push_back({mid, span.hi, at_mid, span.at_hi});
    stack.push_back({span.lo, mid, span.at_lo, std::move(at_mid)});
  }
  if (out.positions.size() > max_positions) {
    out.positions.clear();
    out.sampled = true;
    for (std::size_t i = 0; i < max_positions; ++i) {
      const double f = max_positions == 1 ? 0.0 : static_cast<double>(i) / (max_positions - 1);
      P p = tracker.position_at_fraction(f);
      if (out.positions.empty() || !(out.positions.back().first == p)) {
        out.positions.emplace_back(std::move(p), f);
      }
    }
  }
  for (std::size_t i = 1; i < out.positions.size(); ++i) {
    if (!(out.positions[i - 1].first < out.positions[i].first)) {
      out.error = "position_at_fraction is not monotone: fraction " +
                  splitcheck::internal::describe_double(out.positions[i - 1].second) + " gives " +
                  describe_value(out.positions[i - 1].first) + " but fraction " +
                  splitcheck::internal::describe_double(out.positions[i].second) + " gives " +
                  describe_value(out.positions[i].first);
      break;
    }
  }
  return out;
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_SPLIT_POSITIONS_H_
