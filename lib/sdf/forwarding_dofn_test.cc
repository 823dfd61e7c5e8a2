// ForwardingDoFn: every call reaches the inner DoFn, an override changes
// only what it overrides, and a null inner DoFn is a UsageError.

#include "splitcheck/lib/sdf/forwarding_dofn.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/watermark_estimators.h"

namespace splitcheck {
namespace {

using Base = SplittableDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t>;

// Answers each call with something only it would say.
class Marked final : public Base {
 public:
  OffsetRange initial_restriction(const std::int64_t& n) const override { return {7, 7 + n}; }
  std::vector<OffsetRange> split_restriction(const std::int64_t&, const OffsetRange& r,
                                             double desired) const override {
    return {r, {static_cast<std::int64_t>(desired), static_cast<std::int64_t>(desired)}};
  }
  double restriction_size(const std::int64_t&, const OffsetRange& r) const override {
    return 3.5 * static_cast<double>(r.size());
  }
  std::unique_ptr<RestrictionTracker<OffsetRange, std::int64_t>> new_tracker(
      const std::int64_t&, const OffsetRange& r) const override {
    return std::make_unique<OffsetRestrictionTracker>(OffsetRange{r.from + 1, r.to});
  }
  std::unique_ptr<WatermarkEstimator> new_watermark_estimator(const std::int64_t&,
                                                              Timestamp state) const override {
    return std::make_unique<ManualWatermarkEstimator>(state + 1);
  }
  ProcessContinuation process(const std::int64_t& n, RestrictionTracker<OffsetRange, std::int64_t>&,
                              WatermarkEstimator&, SdfOutput<std::int64_t>& out) const override {
    out.output(n * 10, 42);
    return ProcessContinuation::resume_after(std::chrono::milliseconds(9));
  }
  std::string debug_string() const override { return "Marked"; }
};

class Collect final : public SdfOutput<std::int64_t> {
 public:
  void output(std::int64_t value, Timestamp timestamp) override {
    values.push_back(value);
    timestamps.push_back(timestamp);
  }
  std::vector<std::int64_t> values;
  std::vector<Timestamp> timestamps;
};

TEST(ForwardingDoFnTest, EveryCallReachesTheInnerDoFn) {
  const ForwardingDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t> dofn(
      std::make_shared<Marked>());
  EXPECT_EQ(dofn.initial_restriction(5), (OffsetRange{7, 12}));
  EXPECT_EQ(dofn.split_restriction(5, {1, 2}, 4.0), (std::vector<OffsetRange>{{1, 2}, {4, 4}}));
  EXPECT_EQ(dofn.restriction_size(5, {0, 2}), 7.0);
  auto tracker = dofn.new_tracker(5, {0, 4});
  EXPECT_EQ(tracker->current_restriction(), (OffsetRange{1, 4}));
  auto watermark = dofn.new_watermark_estimator(5, 100);
  EXPECT_EQ(watermark->current_watermark(), 101);
  Collect out;
  const ProcessContinuation c = dofn.process(3, *tracker, *watermark, out);
  EXPECT_TRUE(c.resume);
  EXPECT_EQ(c.delay, std::chrono::milliseconds(9));
  EXPECT_EQ(out.values, std::vector<std::int64_t>{30});
  EXPECT_EQ(out.timestamps, std::vector<Timestamp>{42});
  EXPECT_EQ(dofn.debug_string(), "Marked");
  EXPECT_EQ(dofn.inner().debug_string(), "Marked");
}

class Resized final : public ForwardingDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t> {
 public:
  using ForwardingDoFn::ForwardingDoFn;
  double restriction_size(const std::int64_t&, const OffsetRange&) const override { return 1; }
};

TEST(ForwardingDoFnTest, AnOverrideChangesOnlyItself) {
  const Resized dofn(std::make_shared<Marked>());
  EXPECT_EQ(dofn.restriction_size(5, {0, 100}), 1.0);
  EXPECT_EQ(dofn.initial_restriction(1), (OffsetRange{7, 8}));
}

TEST(ForwardingDoFnTest, ANullDoFnIsAUsageError) {
  EXPECT_THROW((ForwardingDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t>(nullptr)),
               UsageError);
}

}  // namespace
}  // namespace splitcheck
