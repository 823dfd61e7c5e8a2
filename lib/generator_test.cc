#include "splitcheck/lib/generator.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/internal/error_matchers.h"

namespace splitcheck {
namespace {

using internal::ErrorOf;
using internal::UsageErrorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Generator<int> count_to(int n, int* steps = nullptr) {
  for (int i = 0; i < n; ++i) {
    if (steps != nullptr) ++*steps;
    co_yield i;
  }
}

TEST(GeneratorTest, YieldsInOrder) {
  std::vector<int> seen;
  for (int i : count_to(4)) seen.push_back(i);
  EXPECT_THAT(seen, ElementsAre(0, 1, 2, 3));
}

TEST(GeneratorTest, EmptyBodyYieldsNothing) {
  int n = 0;
  for (int i : count_to(0)) n += i + 1;
  EXPECT_EQ(n, 0);
}

TEST(GeneratorTest, RunsOnlyAsFarAsTheCallerAdvances) {
  int steps = 0;
  Generator<int> g = count_to(100, &steps);
  EXPECT_EQ(steps, 0);
  auto it = g.begin();
  EXPECT_EQ(steps, 1);
  ++it;
  ++it;
  EXPECT_EQ(*it, 2);
  EXPECT_EQ(steps, 3);
}

Generator<int> throws_after(int n) {
  for (int i = 0; i < n; ++i) co_yield i;
  throw std::runtime_error("disk on fire at record " + std::to_string(n));
}

TEST(GeneratorTest, ExceptionsReachTheCallerUnchanged) {
  std::vector<int> seen;
  const std::string message = ErrorOf<std::runtime_error>([&] {
    for (int i : throws_after(2)) seen.push_back(i);
  });
  EXPECT_EQ(message, "disk on fire at record 2");
  EXPECT_THAT(seen, ElementsAre(0, 1));
  EXPECT_EQ(ErrorOf<std::runtime_error>([] { throws_after(0).begin(); }),
            "disk on fire at record 0");
}

Generator<std::unique_ptr<std::string>> move_only_values() {
  co_yield std::make_unique<std::string>("a");
  auto b = std::make_unique<std::string>("b");
  co_yield std::move(b);
}

TEST(GeneratorTest, ValuesCanBeMovedOut) {
  std::vector<std::string> seen;
  for (auto& value : move_only_values()) {
    std::unique_ptr<std::string> owned = std::move(value);
    seen.push_back(*owned);
  }
  EXPECT_THAT(seen, ElementsAre("a", "b"));
}

Generator<std::string> yields_a_local() {
  std::string local = "kept";
  co_yield local;
  co_yield local;  // the first yield copied it: moving the copy out is safe
}

TEST(GeneratorTest, MovingOutDoesNotTouchTheBodysLocals) {
  std::vector<std::string> seen;
  for (auto& value : yields_a_local()) seen.push_back(std::move(value));
  EXPECT_THAT(seen, ElementsAre("kept", "kept"));
}

TEST(GeneratorTest, MisuseIsAUsageError) {
  Generator<int> g = count_to(1);
  auto it = g.begin();
  EXPECT_THAT(UsageErrorOf([&] { g.begin(); }), HasSubstr("begin() called twice"));
  ++it;
  EXPECT_TRUE(it == g.end());
  EXPECT_THAT(UsageErrorOf([&] { (void)*it; }), HasSubstr("cannot dereference an iterator past"));
  EXPECT_THAT(UsageErrorOf([&] { ++it; }), HasSubstr("cannot advance"));
  Generator<int> empty;
  EXPECT_THAT(UsageErrorOf([&] { empty.begin(); }), HasSubstr("empty generator"));
}

struct Counted {
  explicit Counted(int* live) : live(live) { ++*live; }
  Counted(const Counted&) = delete;
  ~Counted() { --*live; }
  int* live;
};

Generator<int> holds_a_resource(int* live) {
  Counted resource(live);
  for (int i = 0;; ++i) co_yield i;
}

TEST(GeneratorTest, DestroyingPartWayDestroysTheBodysLocals) {
  int live = 0;
  {
    Generator<int> g = holds_a_resource(&live);
    auto it = g.begin();
    ++it;
    EXPECT_EQ(live, 1);
  }
  EXPECT_EQ(live, 0);
}

TEST(GeneratorTest, MoveTransfersTheSequence) {
  Generator<int> a = count_to(3);
  Generator<int> b = std::move(a);
  std::vector<int> seen;
  for (int i : b) seen.push_back(i);
  EXPECT_THAT(seen, ElementsAre(0, 1, 2));
}

}  // namespace
}  // namespace splitcheck
