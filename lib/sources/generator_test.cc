#include "splitcheck/lib/sources/generator.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testkit::ErrorOf;
using testkit::UsageErrorOf;

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

Generator<int> outer_with_nested(int n) {
  co_yield 0;
  co_yield ElementsOf(count_to(n));
  co_yield ElementsOf(Generator<int>());  // an empty generator object: nothing
  co_yield -1;
}

TEST(GeneratorTest, ElementsOfYieldsTheNestedValuesInPlace) {
  std::vector<int> seen;
  for (int v : outer_with_nested(3)) seen.push_back(v);
  EXPECT_THAT(seen, ElementsAre(0, 0, 1, 2, -1));
}

Generator<int> nested_deeply(int depth) {
  if (depth == 0) {
    co_yield 42;
    co_return;
  }
  co_yield ElementsOf(nested_deeply(depth - 1));
  co_yield depth;
}

TEST(GeneratorTest, DeepNestingNeedsNoStack) {
  int count = 0, first = 0;
  for (int v : nested_deeply(20000)) {
    if (count++ == 0) first = v;
  }
  EXPECT_EQ(first, 42);
  EXPECT_EQ(count, 20001);
}

Generator<int> nested_throws() {
  co_yield 1;
  throw std::runtime_error("inner failure");
}

Generator<int> catches_nested() {
  bool caught = false;
  try {
    co_yield ElementsOf(nested_throws());
  } catch (const std::runtime_error&) {
    caught = true;  // a handler cannot co_yield
  }
  if (caught) co_yield 99;
}

Generator<int> rethrows_nested() { co_yield ElementsOf(nested_throws()); }

TEST(GeneratorTest, ExceptionsOfANestedBodyReachTheOuterBody) {
  std::vector<int> seen;
  for (int v : catches_nested()) seen.push_back(v);
  EXPECT_THAT(seen, ElementsAre(1, 99));
  std::vector<int> partial;
  EXPECT_THROW(
      {
        for (int v : rethrows_nested()) partial.push_back(v);
      },
      std::runtime_error);
  EXPECT_THAT(partial, ElementsAre(1));
}

TEST(GeneratorTest, NestedValuesCanBeMovedOut) {
  auto inner = []() -> Generator<std::string> {
    std::string line;
    for (const char* s : {"alpha", "beta"}) {
      line.assign(s);
      co_yield std::move(line);
    }
  };
  auto outer = [&]() -> Generator<std::string> { co_yield ElementsOf(inner()); };
  std::vector<std::string> seen;
  for (auto& value : outer()) seen.push_back(std::move(value));
  EXPECT_THAT(seen, ElementsAre("alpha", "beta"));
}

TEST(GeneratorTest, DestroyingPartWayThroughANestedBodyDestroysBoth) {
  auto tracked = std::make_shared<int>(0);
  std::weak_ptr<int> watch = tracked;
  {
    auto inner = [](std::shared_ptr<int> keep) -> Generator<int> {
      co_yield *keep;
      co_yield *keep;
    };
    auto outer = [&](std::shared_ptr<int> keep) -> Generator<int> {
      co_yield ElementsOf(inner(keep));
    };
    Generator<int> g = outer(std::move(tracked));
    auto it = g.begin();
    EXPECT_EQ(*it, 0);
  }
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace splitcheck
