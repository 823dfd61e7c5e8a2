#include "splitcheck/testkit/faults/fault_points.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace splitcheck::testkit {
namespace {

std::vector<std::string> points(int n, int marked) {
  std::vector<std::string> trace;
  for (int i = 0; i < n; ++i) {
    trace.push_back((i == marked ? "! p" : "p") + std::to_string(i));
  }
  return trace;
}

TEST(TraceExcerptTest, AShortTraceIsShownWhole) {
  EXPECT_EQ(trace_excerpt(points(3, 1)), "\n  p0\n  ! p1\n  p2");
  EXPECT_EQ(trace_excerpt({}), "");
}

TEST(TraceExcerptTest, ALongTraceShowsThePointsAroundTheFault) {
  std::string expected = "\n  ... 22 earlier points";
  for (int i = 22; i < 30; ++i) expected += "\n  p" + std::to_string(i);
  expected += "\n  ! p30\n  p31\n  p32\n  p33\n  ... 16 later points";
  EXPECT_EQ(trace_excerpt(points(50, 30)), expected);
}

TEST(TraceExcerptTest, MorePointsAfterTheFaultOnRequest) {
  const std::string excerpt = trace_excerpt(points(50, 30), 100);
  EXPECT_EQ(excerpt.rfind("\n  ... 22 earlier points", 0), 0u) << excerpt;
  EXPECT_EQ(excerpt.substr(excerpt.size() - 6), "\n  p49") << excerpt;
}

TEST(TraceExcerptTest, AFaultNearTheStartHasNothingLeftOutBeforeIt) {
  const std::string excerpt = trace_excerpt(points(40, 2));
  EXPECT_EQ(excerpt.rfind("\n  p0\n  p1\n  ! p2\n  p3\n  p4\n  p5\n  ... 34 later points", 0), 0u)
      << excerpt;
}

TEST(TraceExcerptTest, WithoutAFaultTheLastPointsAreShown) {
  std::string expected = "\n  ... 31 earlier points";
  for (int i = 31; i < 40; ++i) expected += "\n  p" + std::to_string(i);
  EXPECT_EQ(trace_excerpt(points(40, -1)), expected);
}

}  // namespace
}  // namespace splitcheck::testkit
