// RestrictionDomain<R, P>: what the restriction tracker contract checker
// knows of a kind of restriction: its sequential model (the rules a
// tracker's answers must follow, with the domain's exact arithmetic), how
// to generate scenarios over it, and how to print them as C++.
//
// Built in:
//   offset_restrictions()           OffsetRange, bounded trackers
//                                   (OffsetRestrictionTracker's rules)
//   growable_offset_restrictions()  [from, inf) with an end estimate
//                                   (GrowableOffsetRestrictionTracker's)
//   byte_key_restrictions()         ByteKeyRange (ByteKeyRestrictionTracker's)
// A custom tracker over one of these restrictions is checked against the
// same rules; RestrictionContractOptions::check_arithmetic = false keeps
// only the rules every tracker of the restriction must follow (see
// restriction_tracker_contract.h).

#ifndef SPLITCHECK_TESTKIT_SDF_RESTRICTION_DOMAIN_H_
#define SPLITCHECK_TESTKIT_SDF_RESTRICTION_DOMAIN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/lib/sdf/byte_key_range.h"
#include "splitcheck/lib/sdf/offset_range.h"
#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"
#include "splitcheck/testkit/sdf/restriction_scenario.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {

struct RestrictionContractOptions {
  int sequential_runs = 300;
  int max_ops = 40;
  int concurrent_runs = 40;
  int repetitions = 10;
  std::uint64_t seed = 0;  // 0: $SPLITCHECK_SEED or a random seed
  // The domain's exact arithmetic: where a split of a fraction lands (Beam's
  // formula for offsets; the key arithmetic's share for keys), and progress
  // to the unit. False keeps the rules every tracker of the restriction must
  // follow: the split's shape, claimed work in the primary, a checkpoint at
  // exactly the claimed work, check_done, progress >= 0 with completed never
  // going back.
  bool check_arithmetic = true;
  // False for trackers allowed to refuse splits the rules permit; a
  // checkpoint (try_split(0)) with unclaimed work left must still be
  // accepted.
  bool require_split_acceptance = true;
};

namespace internal {

// The model's state: what a correct tracker's answers so far imply.
template <typename R, typename P>
struct RestrictionModelState {
  R restriction{};
  std::optional<P> last;  // the last claim attempted (accepted or refused)
  bool refused = false;   // a claim was refused: the DoFn has stopped
  std::int64_t estimate = 0;
  double completed = 0;  // the largest completed work progress() reported

  // Names the state for the linearizability search's memo.
  std::string key() const {
    ByteWriter out;
    Coder<R>::encode(restriction, out);
    Coder<std::optional<P>>::encode(last, out);
    out.put_bool(refused);
    out.put_signed(estimate);
    out.put_double(completed);
    return std::move(out).release();
  }
};

template <typename R, typename P>
class RestrictionModel {
 public:
  using State = RestrictionModelState<R, P>;

  virtual ~RestrictionModel() = default;

  State initial(const R& restriction, std::int64_t estimate) const {
    State s;
    s.restriction = restriction;
    s.estimate = estimate;
    return s;
  }

  // Checks `result` as the answer to `op` in `state`: the rule it breaks,
  // or nothing (and `state` advanced).
  virtual std::optional<std::string> apply(State& state, const RestrictionOp<P>& op,
                                           const RestrictionOpResult<R>& result) const = 0;
};

}  // namespace internal

template <typename R, typename P>
struct RestrictionDomain {
  std::string name;  // "offset", "growable offset", "byte key"
  std::function<std::shared_ptr<const internal::RestrictionModel<R, P>>(
      const RestrictionContractOptions&)>
      model;
  std::function<rc::Gen<RestrictionScenario<R, P>>(int max_ops)> scenarios;
  std::function<rc::Gen<ConcurrentRestrictionCase<R, P>>()> concurrent_cases;
  // A scenario from any bytes (total: every byte string decodes to one that
  // can run): the fuzz harness's input (fuzz/restriction_tracker_fuzzer.h).
  std::function<RestrictionScenario<R, P>(std::string_view bytes)> decode;
  // C++ literals, for printed scenarios.
  std::function<std::string(const R&)> restriction_literal;
  std::function<std::string(const P&)> position_literal;
  bool uses_estimate = false;  // scenarios set the end estimate
};

RestrictionDomain<OffsetRange, std::int64_t> offset_restrictions();
RestrictionDomain<OffsetRange, std::int64_t> growable_offset_restrictions();
RestrictionDomain<ByteKeyRange, std::string> byte_key_restrictions();

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_SDF_RESTRICTION_DOMAIN_H_
