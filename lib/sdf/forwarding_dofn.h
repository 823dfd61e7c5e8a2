// ForwardingDoFn<In, Out, R, P>: a splittable DoFn that passes every call to
// another one, the base of a decorator that changes one or two of them
// (observes process, wraps the trackers, sizes in another unit):
//
//   class Counted final : public ForwardingDoFn<int, Rec, OffsetRange, std::int64_t> {
//    public:
//     using ForwardingDoFn::ForwardingDoFn;
//     ProcessContinuation process(const int& e, RestrictionTracker<OffsetRange, std::int64_t>& t,
//                                 WatermarkEstimator& w, SdfOutput<Rec>& out) const override {
//       ++calls_;
//       return ForwardingDoFn::process(e, t, w, out);
//     }
//     mutable std::atomic<int> calls_{0};
//   };
//   Counted dofn(std::make_shared<MyDoFn>(...));
//
// It shares ownership of the inner DoFn, which must be as thread-safe as a
// DoFn is (its methods are const and called from every worker); a null one
// is a UsageError. Whatever is not overridden behaves exactly as the
// inner DoFn's, including debug_string().

#ifndef SPLITCHECK_LIB_SDF_FORWARDING_DOFN_H_
#define SPLITCHECK_LIB_SDF_FORWARDING_DOFN_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"

namespace splitcheck {

template <typename In, typename Out, typename R, typename P>
class ForwardingDoFn : public SplittableDoFn<In, Out, R, P> {
 public:
  using Inner = SplittableDoFn<In, Out, R, P>;

  explicit ForwardingDoFn(std::shared_ptr<const Inner> inner) : inner_(std::move(inner)) {
    if (inner_ == nullptr) throw UsageError("ForwardingDoFn: a null DoFn");
  }

  R initial_restriction(const In& element) const override {
    return inner_->initial_restriction(element);
  }
  std::vector<R> split_restriction(const In& element, const R& restriction,
                                   double desired_size) const override {
    return inner_->split_restriction(element, restriction, desired_size);
  }
  double restriction_size(const In& element, const R& restriction) const override {
    return inner_->restriction_size(element, restriction);
  }
  std::unique_ptr<RestrictionTracker<R, P>> new_tracker(const In& element,
                                                        const R& restriction) const override {
    return inner_->new_tracker(element, restriction);
  }
  std::unique_ptr<WatermarkEstimator> new_watermark_estimator(const In& element,
                                                              Timestamp state) const override {
    return inner_->new_watermark_estimator(element, state);
  }
  ProcessContinuation process(const In& element, RestrictionTracker<R, P>& tracker,
                              WatermarkEstimator& watermark, SdfOutput<Out>& out) const override {
    return inner_->process(element, tracker, watermark, out);
  }
  std::string debug_string() const override { return inner_->debug_string(); }

  const Inner& inner() const { return *inner_; }

 private:
  const std::shared_ptr<const Inner> inner_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_FORWARDING_DOFN_H_
