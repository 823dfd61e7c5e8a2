// The sequential reference model of the tracker contract. Internal.
//
// It does not predict one implementation's answers: it *validates* each
// recorded result against the rules of splitcheck/lib/trackers/range_tracker.h, and
// advances its state only through what the contract fixes (claims, accepted
// splits, refusals that end the range). A result is a violation when:
//   * try_claim: misuse (before the start, not after the last attempted
//     claim, before the last record) was not a UsageError, or a valid claim
//     was; or a claim was accepted at or past the stop or after a refused
//     claim, or refused inside the range;
//   * set_current_position: misuse (before any claim, after a refused claim,
//     backwards, into another sub-range for concatenations) was not a
//     UsageError, or a valid call was;
//   * try_split: it threw; or it accepted a split after the range ended, on a
//     range of unknown size, at or before the last record, at or before the
//     start, at or past the stop, at another position than asked (or than
//     the domain's split_position, for concatenations), or with a
//     fraction other than the domain's share of the range before the split;
//     or (when required) refused a split that nothing forbids;
//   * fraction_consumed: outside [0, 1], decreasing, or not the domain's
//     share of the range before the last record (0 before any claim, 1 once
//     done);
//   * position_at_fraction: a bad fraction or a range of unknown size was not
//     a UsageError; the position is outside [start, stop]; its share of the
//     range (the domain's to_fraction; 1 for the stop) is below the fraction
//     asked, or more than the domain's fraction_tolerance above it (both up
//     to a rounding allowance of 1e-14 of the fraction), except on a range
//     whose stop has no share above the start (["a", "a\0")); or (in
//     sequential checks) it is not monotone in the fraction;
//   * split_points: consumed differs from the claims (all of them once done,
//     all but the current one before), or remaining is not kUnknown (0 once
//     done), there being no callback.
// The state is a small value with a text key, so that the linearizability
// search can memoise states.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_TRACKER_MODEL_H_
#define SPLITCHECK_TESTKIT_INTERNAL_TRACKER_MODEL_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/testkit/tracker/position_domain.h"
#include "splitcheck/testkit/tracker/tracker_scenario.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit::internal {

struct ModelOptions {
  // A split that nothing in the contract forbids must be accepted (after the
  // first claim). Off for trackers that refuse more (unsplittable ones).
  bool require_split_acceptance = true;
  // Check that position_at_fraction is monotone across calls (sequential).
  bool check_monotone_positions = true;
  // Check the share of position_at_fraction(f) against f. Off for trackers
  // that name only their ends (UnsplittableRangeTracker).
  bool check_fraction_mapping = true;
  double fraction_tolerance = 1e-9;
};

template <typename P>
struct ModelState {
  P start;
  P stop;
  std::optional<P> last_attempt;
  std::optional<P> last_record;
  bool done = false;
  std::int64_t claims = 0;
  double last_fraction = 0;
  // (fraction, position) answers for the current range, when checked.
  std::vector<std::pair<double, P>> answers;

  std::string key() const {
    using splitcheck::internal::describe_double;
    using splitcheck::internal::describe_value;
    return describe_value(stop) + "|" + (last_attempt ? describe_value(*last_attempt) : "-") + "|" +
           (last_record ? describe_value(*last_record) : "-") + "|" + (done ? "d" : "") + "|" +
           std::to_string(claims) + "|" + describe_double(last_fraction);
  }
};

template <typename P>
class TrackerModel {
 public:
  TrackerModel(const PositionDomain<P>& domain, ModelOptions options)
      : domain_(domain), options_(options) {}

  ModelState<P> initial(const P& start, const P& stop) const {
    return ModelState<P>{start, stop, std::nullopt, std::nullopt, false, 0, 0.0, {}};
  }

  // Checks `r` as the result of `op` in `s`; on success advances `s`.
  std::optional<std::string> apply(ModelState<P>& s, const TrackerOp<P>& op,
                                   const TrackerOpResult<P>& r) const {
    if (r.other_error) return "threw something other than a UsageError: " + error_message(r);
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
        return claim(s, *op.position, r);
      case TrackerOpKind::kSetCurrentPosition:
        return set_current(s, *op.position, r);
      case TrackerOpKind::kTrySplit:
        return split(s, *op.position, r);
      case TrackerOpKind::kFractionConsumed:
        return fraction_consumed(s, r);
      case TrackerOpKind::kPositionAtFraction:
        return position_at_fraction(s, op.fraction, r);
      case TrackerOpKind::kSplitPoints:
        return split_points(s, r);
    }
    return "unknown operation";
  }

  // Whether `op` in state `s` may end in a UsageError: misuse (where the
  // contract requires one), or position_at_fraction on a range of unknown
  // size (where it allows one).
  bool may_raise(const ModelState<P>& s, const TrackerOp<P>& op) const {
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
        return static_cast<bool>(claim_misuse(s, *op.position));
      case TrackerOpKind::kSetCurrentPosition:
        return static_cast<bool>(set_current_misuse(s, *op.position));
      case TrackerOpKind::kPositionAtFraction:
        return static_cast<bool>(fraction_misuse(op.fraction)) ||
               !domain_.has_size(s.start, s.stop);
      default:
        return false;
    }
  }

 private:
  std::string show(const P& p) const { return splitcheck::internal::describe_value(p); }

  // Why an operation is misuse: a fixed text and, for some rules, the
  // position it refers to. Cheap to make; rendered only in a violation, as
  // misuse is common in fuzz inputs.
  struct Misuse {
    const char* text = nullptr;
    const P* at = nullptr;
    explicit operator bool() const { return text != nullptr; }
  };

  std::string render(const Misuse& m) const { return m.text + (m.at ? show(*m.at) : ""); }

  // A UsageError exactly when `misuse` says why.
  std::optional<std::string> misuse_rule(const Misuse& misuse, const TrackerOpResult<P>& r) const {
    if (misuse && !r.usage_error) return "should be a UsageError (" + render(misuse) + ")";
    if (!misuse && r.usage_error) return "is valid, but raised UsageError: " + error_message(r);
    return std::nullopt;
  }

  Misuse claim_misuse(const ModelState<P>& s, const P& p) const {
    Misuse misuse;
    if (p < s.start) misuse = {"before the start ", &s.start};
    if (s.last_attempt && !(*s.last_attempt < p))
      misuse = {"not after the last claim ", &*s.last_attempt};
    if (s.last_record && p < *s.last_record) misuse = {"before the last record ", &*s.last_record};
    return misuse;
  }

  Misuse set_current_misuse(const ModelState<P>& s, const P& p) const {
    Misuse misuse;
    if (s.done) misuse = {"after a refused claim"};
    if (s.claims == 0) misuse = {"before any claim"};
    if (s.last_record && p < *s.last_record) misuse = {"backwards from ", &*s.last_record};
    if (!misuse && domain_.same_sub_range &&
        !domain_.same_sub_range(*s.last_record, p, s.start, s.stop)) {
      misuse = {"in another sub-range than the last record ", &*s.last_record};
    }
    return misuse;
  }

  static Misuse fraction_misuse(double f) {
    if (!(f >= 0.0 && f <= 1.0)) return {"the fraction is not in [0, 1]"};
    return {};
  }

  std::optional<std::string> claim(ModelState<P>& s, const P& p,
                                   const TrackerOpResult<P>& r) const {
    const Misuse misuse = claim_misuse(s, p);
    if (auto v = misuse_rule(misuse, r)) return "try_claim(" + show(p) + ") " + *v;
    if (misuse) return std::nullopt;
    s.last_attempt = p;
    const bool inside = !s.done && domain_.before_stop(p, s.stop);
    if (r.claimed && !inside) {
      return "try_claim(" + show(p) + ") was accepted " +
             (s.done ? std::string("after a refused claim")
                     : "at or past the stop " + show(s.stop));
    }
    if (!r.claimed && inside) return "try_claim(" + show(p) + ") was refused inside the range";
    if (r.claimed) {
      s.last_record = p;
      ++s.claims;
    } else {
      s.done = true;
    }
    return std::nullopt;
  }

  std::optional<std::string> set_current(ModelState<P>& s, const P& p,
                                         const TrackerOpResult<P>& r) const {
    const Misuse misuse = set_current_misuse(s, p);
    if (auto v = misuse_rule(misuse, r)) return "set_current_position(" + show(p) + ") " + *v;
    if (!misuse) s.last_record = p;
    return std::nullopt;
  }

  std::optional<std::string> split(ModelState<P>& s, const P& p,
                                   const TrackerOpResult<P>& r) const {
    // Messages are built only on a violation: this runs once per fuzz input.
    const auto call = [&] { return "try_split(" + show(p) + ")"; };
    if (r.usage_error)
      return call() + " raised UsageError; refusing is the answer: " + error_message(r);
    const bool sized = domain_.has_size(s.start, s.stop);
    const bool after_record = !s.last_record || *s.last_record < p;
    const bool inside = s.start < p && domain_.before_stop(p, s.stop);
    if (!r.split) {
      if (options_.require_split_acceptance && !s.done && sized && s.claims > 0 && after_record &&
          inside) {
        return call() + " was refused, but nothing in the contract forbids it";
      }
      return std::nullopt;
    }
    const P& at = r.split->position;
    const P wanted =
        domain_.split_position
            ? domain_.split_position(p, s.last_record.value_or(s.start), s.start, s.stop)
            : p;
    if (!(at == wanted)) return call() + " split at " + show(at) + " instead of " + show(wanted);
    if (s.done) return call() + " was accepted after the range ended";
    if (!sized) return call() + " was accepted on a range of unknown size";
    if (!after_record || (s.last_record && !(*s.last_record < at)))
      return call() + " was accepted at or before the last record " + show(*s.last_record);
    if (!inside || !(s.start < at)) {
      return call() + " was accepted outside (" + show(s.start) + ", " + show(s.stop) + ")";
    }
    const double expected = domain_.to_fraction(at, s.start, s.stop);
    if (!(std::abs(r.split->fraction - expected) <= options_.fraction_tolerance)) {
      return call() + " reported fraction " +
             splitcheck::internal::describe_double(r.split->fraction) + ", but the primary is " +
             splitcheck::internal::describe_double(expected) + " of the range [" + show(s.start) +
             ", " + show(s.stop) + ") it split";
    }
    s.stop = at;
    s.answers.clear();
    return std::nullopt;
  }

  std::optional<std::string> fraction_consumed(ModelState<P>& s,
                                               const TrackerOpResult<P>& r) const {
    using splitcheck::internal::describe_double;
    if (r.usage_error) return "fraction_consumed() raised UsageError: " + error_message(r);
    const double f = r.fraction;
    if (!(f >= 0.0 && f <= 1.0))
      return "fraction_consumed() is " + describe_double(f) + ", outside [0, 1]";
    if (f < s.last_fraction) {
      return "fraction_consumed() went back from " + describe_double(s.last_fraction) + " to " +
             describe_double(f);
    }
    double expected = 0;
    if (s.done) {
      expected = 1;
    } else if (s.claims > 0 && domain_.has_size(s.start, s.stop)) {
      expected = std::clamp(domain_.to_fraction(*s.last_record, s.start, s.stop), 0.0, 1.0);
    }
    if (!(std::abs(f - expected) <= options_.fraction_tolerance)) {
      return "fraction_consumed() is " + describe_double(f) + ", expected " +
             describe_double(expected) + (s.done ? " once the range ended" : "");
    }
    s.last_fraction = f;
    return std::nullopt;
  }

  std::optional<std::string> position_at_fraction(ModelState<P>& s, double f,
                                                  const TrackerOpResult<P>& r) const {
    const auto call = [&] {
      return "position_at_fraction(" + splitcheck::internal::describe_double(f) + ")";
    };
    const Misuse misuse = fraction_misuse(f);
    // On a range of unknown size a tracker may refuse to map a fraction
    // (UsageError, as OffsetRangeTracker does) or answer a position inside
    // the range (as UnsplittableRangeTracker does); the answer is then
    // checked like any other.
    if (!misuse && !domain_.has_size(s.start, s.stop) && r.usage_error) return std::nullopt;
    if (auto v = misuse_rule(misuse, r)) return call() + " " + *v;
    if (misuse) return std::nullopt;
    const P& p = *r.position;
    if (!(p == s.stop) && (p < s.start || !domain_.before_stop(p, s.stop))) {
      return call() + " is " + show(p) + ", outside [" + show(s.start) + ", " + show(s.stop) + "]";
    }
    if (auto v = mapping_rule(s, f, p)) return call() + " is " + show(p) + *v;
    if (options_.check_monotone_positions) {
      // The stop is the largest position even where it sorts first (an
      // empty stop key is the end of the key space), except where it is also
      // the start ("" to "" is the whole key space) and the fraction is not 1.
      const auto is_end = [&](const P& q, double g) {
        return q == s.stop && (g == 1.0 || !(q == s.start));
      };
      const auto before = [&](const P& a, double fa, const P& b, double fb) {
        return !is_end(a, fa) && (is_end(b, fb) || a < b);
      };
      for (const auto& [g, q] : s.answers) {
        if ((g < f && before(p, f, q, g)) || (f < g && before(q, g, p, f))) {
          return call() + " is " + show(p) + ", but position_at_fraction(" +
                 splitcheck::internal::describe_double(g) + ") was " + show(q) + ": not monotone";
        }
      }
      s.answers.emplace_back(f, p);
    }
    return std::nullopt;
  }

  // Whether the stop means "the end" (an empty stop key), after every
  // position, rather than being a position itself.
  bool stop_is_the_end(const ModelState<P>& s) const { return domain_.before_stop(s.stop, s.stop); }

  // Whether [start, stop) has no share to take fractions of: it is empty, or
  // its stop has the value of its start (the keys "a" and "a\0").
  bool without_share(const ModelState<P>& s) const {
    if (stop_is_the_end(s)) return false;
    return s.start == s.stop || !(domain_.to_fraction(s.stop, s.start, s.stop) > 0.0);
  }

  // The share of [start, stop) before p = position_at_fraction(f): the
  // domain's, and 1 for the stop, except where the stop is also the start
  // and f is not 1 ("" to "" is the whole key space, and "" its first key).
  double share(const ModelState<P>& s, const P& p, double f) const {
    if (p == s.stop && (f == 1.0 || !(p == s.start))) return 1.0;
    return domain_.to_fraction(p, s.start, s.stop);
  }

  // Whether p = position_at_fraction(f) has a share of the range in [f, f +
  // tolerance], up to rounding; ranges without a share (empty ones, keys of
  // one value) are exempt.
  std::optional<std::string> mapping_rule(const ModelState<P>& s, double f, const P& p) const {
    using splitcheck::internal::describe_double;
    if (!options_.check_fraction_mapping || !domain_.has_size(s.start, s.stop)) {
      return std::nullopt;
    }
    if (without_share(s)) return std::nullopt;
    const double g = share(s, p, f);
    const double slack = 1e-14 * f;
    const auto of = [&] {
      return ", whose share of [" + show(s.start) + ", " + show(s.stop) + ") is " +
             describe_double(g);
    };
    if (g < f - slack) return of() + ": below the fraction asked";
    if (!domain_.fraction_tolerance) return std::nullopt;
    const double tolerance = domain_.fraction_tolerance(f, s.start, s.stop);
    if (g > f + tolerance + slack) {
      return of() + ": more than the domain's tolerance (" + describe_double(tolerance) +
             ") above the fraction asked";
    }
    return std::nullopt;
  }

  std::optional<std::string> split_points(ModelState<P>& s, const TrackerOpResult<P>& r) const {
    if (r.usage_error) return "split_points() raised UsageError: " + error_message(r);
    const std::int64_t consumed = s.done ? s.claims : std::max<std::int64_t>(0, s.claims - 1);
    const std::int64_t remaining = s.done ? 0 : SplitPoints::kUnknown;
    if (r.points.consumed != consumed || r.points.remaining != remaining) {
      return "split_points() is (" + std::to_string(r.points.consumed) + ", " +
             std::to_string(r.points.remaining) + "), expected (" + std::to_string(consumed) +
             ", " + std::to_string(remaining) + ") after " + std::to_string(s.claims) + " claims" +
             (s.done ? " and the end of the range" : "");
    }
    return std::nullopt;
  }

  const PositionDomain<P>& domain_;
  const ModelOptions options_;
};

}  // namespace splitcheck::testkit::internal

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_INTERNAL_TRACKER_MODEL_H_
