#include "splitcheck/testkit/sdf/restriction_domain.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/key_arithmetic.h"
#include "splitcheck/lib/sdf/internal/offset_split.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/internal/property.h"
#include "splitcheck/testkit/tracker/position_domain.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {
namespace {

using Kind = RestrictionOpKind;
using Error = RestrictionOpError;
using Wide = __int128;

std::string num(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

std::string offset(std::int64_t p) { return p == kOffsetInfinity ? "inf" : std::to_string(p); }

std::string wide(Wide v) {
  if (v >= Wide{kOffsetInfinity}) return "inf";
  return std::to_string(static_cast<long long>(v));
}

bool close(double got, double expected) {
  return std::fabs(got - expected) <= 1e-9 * std::max(1.0, std::fabs(expected));
}

bool valid_fraction(double f) { return f >= 0 && f <= 1; }

// The rules shared by every model: a fraction outside [0, 1] and misuse
// must be UsageErrors; valid calls must not throw.
std::optional<std::string> expect_usage_error(const std::string& call, bool threw,
                                              const std::string& what_was_returned,
                                              const std::string& rule) {
  if (threw) return std::nullopt;
  return call + " returned " + what_was_returned + ": " + rule + " must be a UsageError";
}

// The fraction rules of try_split every model shares: an invalid fraction
// must be a UsageError (the verdict: nothing wrong, or the violation), a
// valid one must raise none. Nothing: the split is to be checked further.
template <typename R>
std::optional<std::optional<std::string>> fraction_rules(const std::string& call, double f,
                                                         const RestrictionOpResult<R>& r) {
  const bool threw = r.error == Error::kUsage;
  if (!valid_fraction(f)) {
    return expect_usage_error(call, threw, r.split ? "a split" : "nothing",
                              "a fraction outside [0, 1]");
  }
  if (threw) {
    return std::optional<std::string>(call + " threw a UsageError (" + r.message +
                                      ") for a valid fraction");
  }
  return std::nullopt;
}

std::string progress_text(const RestrictionProgress& p) {
  return "{completed " + num(p.completed) + ", remaining " + num(p.remaining) + "}";
}

// Progress rules every tracker follows; the completed work seen is kept in
// `completed`.
template <typename R>
std::optional<std::string> generic_progress(const RestrictionOpResult<R>& r, bool refused,
                                            double& completed) {
  if (r.error == Error::kUsage) return "progress() threw a UsageError: " + r.message;
  const RestrictionProgress& p = r.progress;
  if (!(p.completed >= 0) || !(p.remaining >= 0) || std::isinf(p.completed)) {
    return "progress() returned " + progress_text(p) +
           ": completed and remaining must be >= 0, completed finite";
  }
  if (p.completed < completed) {
    return "progress() returned " + progress_text(p) + ": completed work went back from " +
           num(completed);
  }
  if (refused && p.remaining != 0) {
    return "progress() returned " + progress_text(p) +
           ": after a refused claim no work remains (remaining must be 0)";
  }
  completed = p.completed;
  return std::nullopt;
}

// The dispatch both models share: the end estimate (not a tracker call),
// exceptions other than UsageErrors, and current_restriction; each call's
// own rules are the model's (claim, split, progress, check_done, bounded).
template <typename Model, typename R, typename P>
std::optional<std::string> apply_rules(const Model& model, internal::RestrictionModelState<R, P>& s,
                                       const RestrictionOp<P>& op,
                                       const RestrictionOpResult<R>& r) {
  if (op.kind == Kind::kSetEstimate) {
    s.estimate = op.estimate;
    return std::nullopt;
  }
  if (r.error == Error::kOther) return "threw something other than a UsageError: " + r.message;
  switch (op.kind) {
    case Kind::kTryClaim:
      return model.claim(s, op.position, r);
    case Kind::kTrySplit:
      return model.split(s, op.fraction, r);
    case Kind::kProgress:
      return model.progress(s, r);
    case Kind::kCheckDone:
      return model.check_done(s, r);
    case Kind::kCurrentRestriction:
      if (r.error != Error::kNone) return "current_restriction() threw: " + r.message;
      if (r.restriction != s.restriction) {
        return "current_restriction() is " + r.restriction->debug_string() + ", expected " +
               s.restriction.debug_string();
      }
      return std::nullopt;
    case Kind::kIsBounded:
      if (r.error != Error::kNone) return "is_bounded() threw: " + r.message;
      return model.bounded(s, r.value);
    case Kind::kSetEstimate:
      break;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- offsets

// The readings of floor(span * f) a tracker may use: of the double's exact
// binary value, of its shortest decimal (Beam's Java tracker and
// splitcheck's), and of the product computed in doubles (Beam's Python
// tracker). They differ by at most one, when span * f is near an integer.
std::vector<Wide> split_steps(Wide span, double f) {
  if (f >= 1) return {span};
  if (f <= 0) return {0};
  int exponent = 0;
  const double mantissa = std::frexp(f, &exponent);  // f = mantissa * 2^exponent
  const auto m = static_cast<unsigned __int128>(std::ldexp(mantissa, 53));  // 53 bits
  const int shift = 53 - exponent;                                          // >= 53: f < 1
  const Wide binary =
      shift >= 128 ? 0 : static_cast<Wide>((static_cast<unsigned __int128>(span) * m) >> shift);
  const Wide decimal =
      splitcheck::internal::offset_split_step(static_cast<unsigned __int128>(span), f);
  const Wide in_doubles = static_cast<Wide>(std::floor(static_cast<double>(span) * f));
  return {binary, decimal, std::min(span, in_doubles)};
}

class OffsetModel final : public internal::RestrictionModel<OffsetRange, std::int64_t> {
 public:
  OffsetModel(bool growable, const RestrictionContractOptions& options)
      : growable_(growable), options_(options) {}

  std::optional<std::string> apply(State& s, const RestrictionOp<std::int64_t>& op,
                                   const RestrictionOpResult<OffsetRange>& r) const override {
    return apply_rules(*this, s, op, r);
  }

  // The rules of each call, for apply_rules.
  std::optional<std::string> bounded(const State& s, bool value) const {
    if (value != !unbounded(s)) {
      return std::string("is_bounded() is ") + (value ? "true" : "false") + " on " +
             s.restriction.debug_string() + (growable_ ? " of a growable tracker" : "");
    }
    return std::nullopt;
  }

  bool unbounded(const State& s) const { return growable_ && s.restriction.to == kOffsetInfinity; }

  std::optional<std::string> claim(State& s, std::int64_t p,
                                   const RestrictionOpResult<OffsetRange>& r) const {
    const std::string call = "try_claim(" + offset(p) + ")";
    const bool threw = r.error == Error::kUsage;
    const std::string returned = r.value ? "true" : "false";
    if (s.refused) return expect_usage_error(call, threw, returned, "a claim after a refused one");
    if (p < s.restriction.from) {
      return expect_usage_error(call, threw, returned,
                                "a claim before the start " + offset(s.restriction.from));
    }
    if (s.last && p <= *s.last) {
      return expect_usage_error(call, threw, returned,
                                "a claim not after the last claim " + offset(*s.last));
    }
    if (threw) return call + " threw a UsageError (" + r.message + "), but the claim is allowed";
    const bool inside = p < s.restriction.to;
    if (r.value != inside) {
      return inside ? call + " refused an offset inside " + s.restriction.debug_string()
                    : call + " accepted an offset at or past the end of " +
                          s.restriction.debug_string();
    }
    s.last = p;
    if (!inside) s.refused = true;
    return std::nullopt;
  }

  std::optional<std::string> split(State& s, double f,
                                   const RestrictionOpResult<OffsetRange>& r) const {
    const std::string call = "try_split(" + num(f) + ")";
    if (auto verdict = fraction_rules(call, f, r)) return *verdict;
    const OffsetRange& range = s.restriction;
    const Wide cur = s.last ? Wide{*s.last} : Wide{range.from} - 1;
    // With the arithmetic: the split offsets it allows, one per reading of
    // floor((end - cur) * f), and whether every reading gives a split (then
    // one is required). Without: any offset after cur and before the limit.
    std::vector<Wide> allowed;
    bool must_split = false;
    std::optional<std::pair<Wide, Wide>> window;
    Wide end = range.to;
    if (!s.refused) {
      end = unbounded(s) ? std::max(Wide{s.estimate}, cur + 1) : Wide{range.to};
      const Wide span = end - cur;
      const Wide limit = unbounded(s) ? std::min(end, Wide{kOffsetInfinity} - 1) : end - 1;
      if (options_.check_arithmetic || f == 0) {
        bool every = true;
        for (const Wide step : split_steps(span, f)) {
          const Wide at = cur + std::min(span, std::max<Wide>(1, step));
          if (at > limit) {
            every = false;
          } else if (std::find(allowed.begin(), allowed.end(), at) == allowed.end()) {
            allowed.push_back(at);
          }
        }
        std::sort(allowed.begin(), allowed.end());
        must_split = every && !allowed.empty();
      } else if (cur + 1 <= limit) {
        window = std::make_pair(cur + 1, limit);
      }
    }
    const bool arithmetic = options_.check_arithmetic || f == 0;
    if (!r.split) {
      // Only the arithmetic says which fractions must give a split; a
      // checkpoint with work left always must.
      if (must_split && (options_.require_split_acceptance || f == 0)) {
        return call + " refused, but " + range.debug_string() + " with " + claimed(s) +
               " can be split at " + wide(allowed.front()) +
               (f == 0 ? " (a checkpoint with unclaimed work left must be accepted)" : "");
      }
      return std::nullopt;
    }
    const RestrictionSplit<OffsetRange>& sp = *r.split;
    const std::string got =
        "primary " + sp.primary.debug_string() + ", residual " + sp.residual.debug_string();
    if (s.refused) return call + " gave " + got + ", after a refused claim (no work is left)";
    const std::int64_t at = sp.primary.to;
    if (sp.primary.from != range.from || sp.residual.from != at || sp.residual.to != range.to) {
      return call + " gave " + got + ": they must be [from, s) and [s, to) of " +
             range.debug_string();
    }
    if (Wide{at} <= cur) {
      return call + " gave " + got + ": the residual holds claimed work (" + claimed(s) + ")";
    }
    const bool nowhere = arithmetic ? allowed.empty() : !window;
    if (nowhere) {
      return call + " gave " + got + ", but no work is left to give away from " +
             range.debug_string() + " with " + claimed(s) +
             (arithmetic && !s.refused ? " (no reading of the fraction puts a split before the end)"
                                       : "");
    }
    if (arithmetic && std::find(allowed.begin(), allowed.end(), Wide{at}) == allowed.end()) {
      if (f == 0) {
        return call + " gave " + got + ": a checkpoint keeps exactly the claimed work, so the " +
               "split must be at " + wide(allowed.front()) + " (" + claimed(s) + ")";
      }
      std::string readings;
      for (const Wide a : allowed) readings += (readings.empty() ? "" : " or ") + wide(a);
      return call + " gave " + got + ": the fraction " + num(f) + " of the remainder puts the " +
             "split at cur + max(1, floor((end - cur) * f)) = " + readings + " (cur " + wide(cur) +
             ", end " + wide(end) + ")";
    }
    s.restriction.to = at;
    return std::nullopt;
  }

  std::string claimed(const State& s) const {
    return s.last ? "the last claim at " + offset(*s.last) : "no claim yet";
  }

  std::optional<std::string> progress(State& s, const RestrictionOpResult<OffsetRange>& r) const {
    if (auto v = generic_progress(r, s.refused, s.completed)) return v;
    if (!options_.check_arithmetic) return std::nullopt;
    const OffsetRange& range = s.restriction;
    const auto d = [](Wide v) { return static_cast<double>(v); };
    RestrictionProgress expected;
    std::string rule;
    if (s.refused) {
      expected = {d(Wide{std::min(*s.last, range.to)} - range.from), 0};
      rule = "(to - from, 0) once a claim was refused";
    } else {
      const Wide next = s.last ? Wide{*s.last} + 1 : Wide{range.from};
      const Wide end = unbounded(s) ? std::max(Wide{s.estimate}, next) : Wide{range.to};
      if (!s.last) {
        expected = {0, d(end - range.from)};
        rule = "(0, end - from) before any claim";
      } else {
        expected = {d(Wide{*s.last} - range.from), d(end - *s.last)};
        rule = "(last - from, end - last) after a claim at last";
      }
      if (unbounded(s)) rule += ", end = max(estimate " + offset(s.estimate) + ", next offset)";
    }
    if (!close(r.progress.completed, expected.completed) ||
        !close(r.progress.remaining, expected.remaining)) {
      return "progress() returned " + progress_text(r.progress) + ", expected " +
             progress_text(expected) + ": " + rule + " (" + claimed(s) + ")";
    }
    return std::nullopt;
  }

  std::optional<std::string> check_done(State& s, const RestrictionOpResult<OffsetRange>& r) const {
    const OffsetRange& range = s.restriction;
    const bool done =
        s.refused || range.from == range.to || (!unbounded(s) && s.last && *s.last >= range.to - 1);
    if (done && r.error == Error::kUsage) {
      return "check_done() threw (" + r.message + ") with no work left (" + claimed(s) + ")";
    }
    if (!done && r.error != Error::kUsage) {
      const std::int64_t first = s.last ? *s.last + 1 : range.from;
      return "check_done() passed with offsets [" + offset(first) + ", " + offset(range.to) +
             ") unclaimed";
    }
    return std::nullopt;
  }

 private:
  const bool growable_;
  const RestrictionContractOptions options_;
};

// Generation. Claims are drawn as steps from the last one, so that most are
// valid and a scenario reaches deep states; some steps are misuse.
struct OffsetSeed {
  int kind = 0;           // 0..99, chooses the operation
  std::int64_t step = 1;  // claims
  double fraction = 0;    // splits
  std::int64_t estimate = 0;
};

rc::Gen<double> fractions() {
  return rc::gen::weightedOneOf<double>(
      {{6, rc::gen::element(0.0, 0.5, 1.0, 0.7, 0.25, 0.999, 1e-9)},
       {3, rc::gen::map(rc::gen::inRange(0, 1000001), [](int v) { return v / 1e6; })},
       {1, rc::gen::element(-0.1, 1.5, std::numeric_limits<double>::quiet_NaN())}});
}

// Bytes as the fuzz harness's input: each read past the end is 0.
class Bytes {
 public:
  explicit Bytes(std::string_view b) : b_(b) {}
  bool done() const { return at_ >= b_.size(); }
  int next() { return done() ? 0 : static_cast<unsigned char>(b_[at_++]); }

 private:
  std::string_view b_;
  std::size_t at_ = 0;
};

// The fractions a byte names: the edges and the invalid ones, then a grid.
double fraction_of_byte(int b) {
  switch (b) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return 0.5;
    case 3:
      return -0.1;
    case 4:
      return 1.5;
    case 5:
      return std::numeric_limits<double>::quiet_NaN();
    case 6:
      return 0.7;
    default:
      return (b - 7) / 248.0;
  }
}

// A seed's operation kind (0..99, as the generators draw it) from a byte.
int kind_of_byte(int b) { return b * 100 / 256; }

rc::Gen<std::int64_t> claim_steps() {
  return rc::gen::weightedOneOf<std::int64_t>({{12, rc::gen::just<std::int64_t>(1)},
                                               {5, rc::gen::inRange<std::int64_t>(2, 6)},
                                               {2, rc::gen::inRange<std::int64_t>(6, 40)},
                                               {1, rc::gen::element<std::int64_t>(0, -1, -3)}});
}

rc::Gen<std::vector<OffsetSeed>> offset_seeds(int max_ops) {
  return internal::up_to(
      max_ops, rc::gen::apply(
                   [](int kind, std::int64_t step, double fraction, std::int64_t estimate) {
                     return OffsetSeed{kind, step, fraction, estimate};
                   },
                   rc::gen::inRange(0, 100), claim_steps(), fractions(),
                   rc::gen::inRange<std::int64_t>(-3, 80)));
}

// The ops of `seeds` over `range`: claims at cumulative steps.
std::vector<RestrictionOp<std::int64_t>> offset_ops(const OffsetRange& range,
                                                    const std::vector<OffsetSeed>& seeds,
                                                    bool growable) {
  std::vector<RestrictionOp<std::int64_t>> ops;
  Wide at = Wide{range.from} - 1;
  for (const OffsetSeed& seed : seeds) {
    RestrictionOp<std::int64_t> op;
    if (seed.kind < 45) {
      op.kind = Kind::kTryClaim;
      Wide p = at + seed.step;
      if (growable && seed.kind == 0) p = kOffsetInfinity;  // the end of the input
      p = std::clamp<Wide>(p, 0, kOffsetInfinity);
      op.position = static_cast<std::int64_t>(p);
      if (p > at) at = p;
    } else if (seed.kind < 70) {
      op.kind = Kind::kTrySplit;
      op.fraction = seed.fraction;
    } else if (seed.kind < 80) {
      op.kind = Kind::kProgress;
    } else if (seed.kind < 86) {
      op.kind = Kind::kCheckDone;
    } else if (seed.kind < 91) {
      op.kind = Kind::kCurrentRestriction;
    } else if (seed.kind < 93 || !growable) {
      op.kind = Kind::kIsBounded;
    } else {
      op.kind = Kind::kSetEstimate;
      op.estimate = std::max<std::int64_t>(0, range.from + seed.estimate);
    }
    ops.push_back(op);
  }
  return ops;
}

rc::Gen<OffsetRange> bounded_ranges() {
  return rc::gen::weightedOneOf<OffsetRange>(
      {{9, rc::gen::apply(
               [](std::int64_t from, std::int64_t size) {
                 return OffsetRange{from, from + size};
               },
               rc::gen::inRange<std::int64_t>(0, 12), rc::gen::inRange<std::int64_t>(0, 30))},
       // Near the top of the offsets: the arithmetic must not overflow.
       {1, rc::gen::apply(
               [](std::int64_t size) {
                 return OffsetRange{kOffsetInfinity - size, kOffsetInfinity};
               },
               rc::gen::inRange<std::int64_t>(0, 30))}});
}

RestrictionScenario<OffsetRange, std::int64_t> decode_offsets(std::string_view bytes,
                                                              bool growable) {
  Bytes in(bytes);
  const int a = in.next();
  const int b = in.next();
  OffsetRange range;
  if (growable) {
    range = {a % 12, kOffsetInfinity};
  } else if (a >= 240) {
    range = {kOffsetInfinity - b % 30, kOffsetInfinity};
  } else {
    range = {a % 12, a % 12 + b % 30};
  }
  const std::int64_t estimate = std::max<std::int64_t>(0, range.from + in.next() % 43 - 3);
  std::vector<OffsetSeed> seeds;
  while (!in.done() && seeds.size() < 64) {
    OffsetSeed seed;
    seed.kind = kind_of_byte(in.next());
    if (seed.kind < 45) seed.step = in.next() % 9 - 2;  // -2..6
    if (seed.kind >= 45 && seed.kind < 70) seed.fraction = fraction_of_byte(in.next());
    if (seed.kind >= 93) seed.estimate = in.next() % 83 - 3;
    seeds.push_back(seed);
  }
  return {range, estimate, offset_ops(range, seeds, growable)};
}

std::string offset_range_literal(const OffsetRange& r) {
  return "splitcheck::OffsetRange{" + std::to_string(r.from) + ", " +
         (r.bounded() ? std::to_string(r.to) : "splitcheck::kOffsetInfinity") + "}";
}

RestrictionDomain<OffsetRange, std::int64_t> offset_domain(bool growable) {
  RestrictionDomain<OffsetRange, std::int64_t> d;
  d.name = growable ? "growable offset" : "offset";
  d.uses_estimate = growable;
  d.model = [growable](const RestrictionContractOptions& o) {
    return std::make_shared<const OffsetModel>(growable, o);
  };
  const rc::Gen<OffsetRange> ranges =
      growable ? rc::gen::map(rc::gen::inRange<std::int64_t>(0, 12),
                              [](std::int64_t from) {
                                return OffsetRange{from, kOffsetInfinity};
                              })
               : bounded_ranges();
  d.scenarios = [ranges, growable](int max_ops) {
    return rc::gen::apply(
        [growable](const OffsetRange& range, std::int64_t estimate,
                   const std::vector<OffsetSeed>& seeds) {
          return RestrictionScenario<OffsetRange, std::int64_t>{
              range, std::max<std::int64_t>(0, range.from + estimate),
              offset_ops(range, seeds, growable)};
        },
        ranges, rc::gen::inRange<std::int64_t>(-3, 40), offset_seeds(max_ops));
  };
  d.concurrent_cases = [ranges, growable] {
    return rc::gen::apply(
        [growable](const OffsetRange& range, std::int64_t estimate, int prefix_claims,
                   const std::vector<double>& split_fractions, int monitor_ops,
                   const std::vector<std::int64_t>& steps) {
          ConcurrentRestrictionCase<OffsetRange, std::int64_t> c;
          c.restriction = range;
          c.estimate = std::max<std::int64_t>(0, range.from + estimate);
          Wide at = Wide{range.from} - 1;
          std::vector<RestrictionOp<std::int64_t>> reader;
          for (std::size_t i = 0; i < steps.size(); ++i) {
            at = std::min<Wide>(at + std::max<std::int64_t>(1, steps[i]), kOffsetInfinity);
            RestrictionOp<std::int64_t> op{Kind::kTryClaim, static_cast<std::int64_t>(at), 0, 0};
            (static_cast<int>(i) < prefix_claims ? c.prefix : reader).push_back(op);
          }
          std::vector<RestrictionOp<std::int64_t>> splitter;
          for (const double f : split_fractions) splitter.push_back({Kind::kTrySplit, 0, f, 0});
          std::vector<RestrictionOp<std::int64_t>> monitor;
          for (int i = 0; i < monitor_ops; ++i) {
            const Kind k = i % 3 == 0   ? Kind::kProgress
                           : i % 3 == 1 ? Kind::kCurrentRestriction
                                        : (growable ? Kind::kIsBounded : Kind::kProgress);
            monitor.push_back({k, 0, 0, 0});
          }
          c.threads = {reader, splitter, monitor};
          return c;
        },
        ranges, rc::gen::inRange<std::int64_t>(0, 40), rc::gen::inRange(0, 3),
        internal::up_to(4, rc::gen::map(rc::gen::inRange(0, 1001), [](int v) { return v / 1e3; })),
        rc::gen::inRange(0, 4), internal::up_to(12, rc::gen::inRange<std::int64_t>(1, 4)));
  };
  d.decode = [growable](std::string_view bytes) { return decode_offsets(bytes, growable); };
  d.restriction_literal = offset_range_literal;
  d.position_literal = offset_positions().literal;
  return d;
}

// ---------------------------------------------------------------- keys

std::string next_key(const std::string& key) { return key + std::string(1, '\0'); }

class KeyModel final : public internal::RestrictionModel<ByteKeyRange, std::string> {
 public:
  explicit KeyModel(const RestrictionContractOptions& options) : options_(options) {}

  std::optional<std::string> apply(State& s, const RestrictionOp<std::string>& op,
                                   const RestrictionOpResult<ByteKeyRange>& r) const override {
    return apply_rules(*this, s, op, r);
  }

  // The rules of each call, for apply_rules (claim, split and progress
  // below).
  std::optional<std::string> check_done(State& s,
                                        const RestrictionOpResult<ByteKeyRange>& r) const {
    const bool done =
        s.refused || s.restriction.empty() || (s.last && nothing_from(unclaimed(s), s.restriction));
    if (done && r.error == Error::kUsage) {
      return "check_done() threw (" + r.message + ") with no key left";
    }
    if (!done && r.error != Error::kUsage) {
      return "check_done() passed with keys " +
             ByteKeyRange{unclaimed(s), s.restriction.end}.debug_string() + " unclaimed";
    }
    return std::nullopt;
  }
  std::optional<std::string> bounded(const State&, bool value) const {
    if (!value) return "is_bounded() is false for a key range (finite work)";
    return std::nullopt;
  }

  static bool nothing_from(const std::string& key, const ByteKeyRange& range) {
    return !range.end.empty() && key >= range.end;
  }
  static std::string unclaimed(const State& s) {
    return s.last ? next_key(*s.last) : s.restriction.first_key();
  }
  static std::string claimed(const State& s) {
    return s.last ? "the last claim at " + describe_key(*s.last) : "no claim yet";
  }

  std::optional<std::string> claim(State& s, const std::string& k,
                                   const RestrictionOpResult<ByteKeyRange>& r) const {
    const std::string call = "try_claim(" + describe_key(k) + ")";
    const bool threw = r.error == Error::kUsage;
    const std::string returned = r.value ? "true" : "false";
    if (s.refused) return expect_usage_error(call, threw, returned, "a claim after a refused one");
    if (!k.empty() && k < s.restriction.start) {
      return expect_usage_error(call, threw, returned, "a claim before the start");
    }
    if (!k.empty() && s.last && k <= *s.last) {
      return expect_usage_error(call, threw, returned,
                                "a claim not after the last claim " + describe_key(*s.last));
    }
    if (threw) return call + " threw a UsageError (" + r.message + "), but the claim is allowed";
    const bool inside = !k.empty() && s.restriction.contains(k);
    if (r.value != inside) {
      if (k.empty()) return call + " accepted the empty key, the end of the key space";
      return inside
                 ? call + " refused a key inside " + s.restriction.debug_string()
                 : call + " accepted a key at or past the end of " + s.restriction.debug_string();
    }
    s.last = k;
    if (!inside) s.refused = true;
    return std::nullopt;
  }

  std::optional<std::string> split(State& s, double f,
                                   const RestrictionOpResult<ByteKeyRange>& r) const {
    const std::string call = "try_split(" + num(f) + ")";
    if (auto verdict = fraction_rules(call, f, r)) return *verdict;
    const ByteKeyRange& range = s.restriction;
    const std::string u = unclaimed(s);
    const bool work_left = !s.refused && !nothing_from(u, range);
    // The split the key arithmetic gives, when one is possible.
    std::optional<std::string> reference;
    if (work_left) {
      if (f == 0) {
        reference = u;
      } else {
        std::string k = splitcheck::internal::fraction_to_key(f, u, range.end);
        if (k > u && !nothing_from(k, range)) reference = std::move(k);
      }
    }
    if (!r.split) {
      if (reference &&
          (f == 0 || (options_.require_split_acceptance && options_.check_arithmetic))) {
        return call + " refused, but " + range.debug_string() + " with " + claimed(s) +
               " can be split at " + describe_key(*reference) +
               (f == 0 ? " (a checkpoint with unclaimed work left must be accepted)" : "");
      }
      return std::nullopt;
    }
    const RestrictionSplit<ByteKeyRange>& sp = *r.split;
    const std::string got =
        "primary " + sp.primary.debug_string() + ", residual " + sp.residual.debug_string();
    if (s.refused) return call + " gave " + got + ", after a refused claim (no work is left)";
    const std::string at = sp.primary.end;
    if (sp.primary.start != range.start || sp.residual.start != at ||
        sp.residual.end != range.end || (!at.empty() && at < range.start)) {
      return call + " gave " + got + ": they must be [start, s) and [s, end) of " +
             range.debug_string();
    }
    if (s.last && at <= *s.last) {
      return call + " gave " + got + ": the residual holds claimed work (" + claimed(s) + ")";
    }
    if (!work_left) {
      return call + " gave " + got + ", but no key is left to give away (" + claimed(s) + ")";
    }
    if (at.empty() || nothing_from(at, range)) {
      return call + " gave " + got + ": the residual is empty";
    }
    if (f == 0) {
      if (at != u) {
        return call + " gave " + got + ": a checkpoint keeps exactly the claimed work, so the " +
               "split must be at " + describe_key(u) + " (" + claimed(s) + ")";
      }
    } else if (at <= u && options_.check_arithmetic) {
      return call + " gave " + got + ": a split of a fraction above 0 keeps the next key " +
             describe_key(u) + " in the primary";
    } else if (options_.check_arithmetic && at != reference) {
      // (Where u and the end have the same value, as "\0" and "\0\0" do, no
      // key has a share in between: the arithmetic's own answer stands.)
      const double share = splitcheck::internal::key_to_fraction(at, u, range.end);
      if (share < f || share > f * (1 + splitcheck::internal::kKeyFractionTolerance)) {
        return call + " gave " + got + ": the split key has the share " + num(share) +
               " of the unclaimed keys " + ByteKeyRange{u, range.end}.debug_string() +
               ", the fraction asked is " + num(f);
      }
    }
    s.restriction.end = at;
    return std::nullopt;
  }

  std::optional<std::string> progress(State& s, const RestrictionOpResult<ByteKeyRange>& r) const {
    if (auto v = generic_progress(r, s.refused, s.completed)) return v;
    if (!options_.check_arithmetic) return std::nullopt;
    const ByteKeyRange& range = s.restriction;
    RestrictionProgress expected;
    if (range.empty()) {
      expected = {0, 0};
    } else if (s.refused) {
      expected = {1, 0};
    } else if (!s.last) {
      expected = {0, 1};
    } else {
      const double c = std::clamp(
          splitcheck::internal::key_to_fraction(*s.last, range.start, range.end), 0.0, 1.0);
      expected = {c, 1 - c};
    }
    if (!close(r.progress.completed, expected.completed) ||
        !close(r.progress.remaining, expected.remaining)) {
      return "progress() returned " + progress_text(r.progress) + ", expected " +
             progress_text(expected) +
             ": shares of the current range (the share before the last claim, and the rest; " +
             claimed(s) + ")";
    }
    return std::nullopt;
  }

 private:
  const RestrictionContractOptions options_;
};

// Keys over a small alphabet with the bytes that matter (0, 0xff).
rc::Gen<std::string> small_keys() {
  return rc::gen::map(internal::up_to(3, rc::gen::element<char>('\0', 'a', 'b', 'c', '\xff')),
                      [](const std::vector<char>& v) { return std::string(v.begin(), v.end()); });
}

struct KeySeed {
  int kind = 0;
  std::string key;
  double fraction = 0;
};

rc::Gen<ByteKeyRange> key_ranges() {
  return rc::gen::map(rc::gen::pair(small_keys(), small_keys()),
                      [](const std::pair<std::string, std::string>& p) {
                        ByteKeyRange r{std::min(p.first, p.second), std::max(p.first, p.second)};
                        if (r.end.size() == 1 && r.end[0] == 'c') r.end.clear();  // open
                        return r;
                      });
}

// A key of up to three bytes of the small alphabet.
std::string key_of_bytes(Bytes& in) {
  static constexpr char kAlphabet[] = {'\0', 'a', 'b', 'c', '\xff'};
  std::string key;
  for (int n = in.next() % 4; n > 0; --n) key += kAlphabet[in.next() % 5];
  return key;
}

std::vector<RestrictionOp<std::string>> key_ops(const ByteKeyRange& range,
                                                const std::vector<KeySeed>& seeds) {
  std::vector<RestrictionOp<std::string>> ops;
  std::optional<std::string> last;
  for (const KeySeed& seed : seeds) {
    RestrictionOp<std::string> op;
    if (seed.kind < 45) {
      op.kind = Kind::kTryClaim;
      if (seed.kind == 0) {
        op.position = "";  // the end marker
      } else if (seed.kind < 3 && last) {
        op.position = *last;  // misuse: the same key again
      } else {
        const std::string base = last ? *last : range.start;
        // Past the last claim: the key itself when it is, else appended.
        op.position = (!last && seed.key >= base) || (last && seed.key > *last)
                          ? seed.key
                          : base + (seed.key.empty() ? std::string(1, 'a') : seed.key);
      }
      if (!op.position.empty() && (!last || op.position > *last)) last = op.position;
    } else if (seed.kind < 70) {
      op.kind = Kind::kTrySplit;
      op.fraction = seed.fraction;
    } else if (seed.kind < 82) {
      op.kind = Kind::kProgress;
    } else if (seed.kind < 90) {
      op.kind = Kind::kCheckDone;
    } else if (seed.kind < 97) {
      op.kind = Kind::kCurrentRestriction;
    } else {
      op.kind = Kind::kIsBounded;
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace

RestrictionDomain<OffsetRange, std::int64_t> offset_restrictions() { return offset_domain(false); }

RestrictionDomain<OffsetRange, std::int64_t> growable_offset_restrictions() {
  return offset_domain(true);
}

RestrictionDomain<ByteKeyRange, std::string> byte_key_restrictions() {
  RestrictionDomain<ByteKeyRange, std::string> d;
  d.name = "byte key";
  d.model = [](const RestrictionContractOptions& o) { return std::make_shared<const KeyModel>(o); };
  d.scenarios = [](int max_ops) {
    return rc::gen::apply(
        [](const ByteKeyRange& range, const std::vector<KeySeed>& seeds) {
          return RestrictionScenario<ByteKeyRange, std::string>{range, 0, key_ops(range, seeds)};
        },
        key_ranges(),
        internal::up_to(max_ops, rc::gen::apply(
                                     [](int kind, const std::string& key, double f) {
                                       return KeySeed{kind, key, f};
                                     },
                                     rc::gen::inRange(0, 100), small_keys(), fractions())));
  };
  d.concurrent_cases = [] {
    return rc::gen::apply(
        [](const ByteKeyRange& range, int prefix_claims, const std::vector<double>& fractions_,
           int monitor_ops, const std::vector<std::string>& keys) {
          ConcurrentRestrictionCase<ByteKeyRange, std::string> c;
          c.restriction = range;
          std::vector<KeySeed> seeds;
          for (const std::string& k : keys) seeds.push_back({10, k, 0});
          std::vector<RestrictionOp<std::string>> claims = key_ops(range, seeds);
          std::vector<RestrictionOp<std::string>> reader;
          for (std::size_t i = 0; i < claims.size(); ++i) {
            (static_cast<int>(i) < prefix_claims ? c.prefix : reader).push_back(claims[i]);
          }
          std::vector<RestrictionOp<std::string>> splitter;
          for (const double f : fractions_) splitter.push_back({Kind::kTrySplit, "", f, 0});
          std::vector<RestrictionOp<std::string>> monitor;
          for (int i = 0; i < monitor_ops; ++i) {
            monitor.push_back({i % 2 ? Kind::kCurrentRestriction : Kind::kProgress, "", 0, 0});
          }
          c.threads = {reader, splitter, monitor};
          return c;
        },
        key_ranges(), rc::gen::inRange(0, 3),
        internal::up_to(4, rc::gen::map(rc::gen::inRange(0, 1001), [](int v) { return v / 1e3; })),
        rc::gen::inRange(0, 4), internal::up_to(10, small_keys()));
  };
  d.decode = [](std::string_view bytes) {
    Bytes in(bytes);
    const std::string a = key_of_bytes(in);
    const std::string b = key_of_bytes(in);
    ByteKeyRange range{std::min(a, b), std::max(a, b)};
    if (in.next() % 4 == 0) range.end.clear();  // open
    std::vector<KeySeed> seeds;
    while (!in.done() && seeds.size() < 64) {
      KeySeed seed;
      seed.kind = kind_of_byte(in.next());
      if (seed.kind < 45) seed.key = key_of_bytes(in);
      if (seed.kind >= 45 && seed.kind < 70) seed.fraction = fraction_of_byte(in.next());
      seeds.push_back(std::move(seed));
    }
    return RestrictionScenario<ByteKeyRange, std::string>{range, 0, key_ops(range, seeds)};
  };
  d.restriction_literal = [](const ByteKeyRange& r) {
    const auto literal = key_positions().literal;
    return "splitcheck::ByteKeyRange{" + literal(r.start) + ", " + literal(r.end) + "}";
  };
  d.position_literal = key_positions().literal;
  return d;
}

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE
