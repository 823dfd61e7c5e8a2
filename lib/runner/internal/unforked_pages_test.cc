#include "splitcheck/lib/runner/internal/unforked_pages.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "gtest/gtest.h"

namespace splitcheck {
namespace internal {
namespace {

constexpr std::size_t kBlock = 1024 * 1024;

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPLITCHECK_UNDER_TSAN 1
#endif
#endif
#ifndef SPLITCHECK_UNDER_TSAN
#define SPLITCHECK_UNDER_TSAN 0
#endif

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

TEST(UnforkedPagesTest, AVectorGrowsThroughItAndKeepsItsValues) {
  std::vector<std::int64_t, UnforkedPages<std::int64_t>> v;
  for (std::int64_t i = 0; i < 300000; ++i) v.push_back(i);
  for (std::int64_t i = 0; i < 300000; ++i) ASSERT_EQ(v[static_cast<std::size_t>(i)], i);
}

TEST(UnforkedPagesTest, AFreedBlockIsReusedAndCounted) {
  void* a = allocate_unforked(kBlock);
  std::memset(a, 7, kBlock);
  const std::size_t before = unforked_bytes_cached();
  release_unforked(a, kBlock);
  EXPECT_EQ(unforked_bytes_cached(), before + kBlock);
  void* b = allocate_unforked(kBlock - 1);  // the same power-of-two class
  EXPECT_EQ(b, a);
  EXPECT_EQ(unforked_bytes_cached(), before);
  release_unforked(b, kBlock - 1);
}

TEST(UnforkedPagesTest, TheCacheIsBounded) {
  std::vector<void*> blocks;
  for (std::size_t i = 0; i < 2 * kUnforkedPagesCached / kBlock; ++i) {
    blocks.push_back(allocate_unforked(kBlock));
  }
  for (void* b : blocks) release_unforked(b, kBlock);
  EXPECT_LE(unforked_bytes_cached(), kUnforkedPagesCached);
}

TEST(UnforkedPagesTest, AForkDoesNotHaveTheBlock) {
  char* block = static_cast<char*>(allocate_unforked(kBlock));
  std::memset(block, 1, kBlock);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // madvise on a range that is not mapped fails with ENOMEM.
    const bool absent = madvise(block, kBlock, MADV_NORMAL) != 0 && errno == ENOMEM;
    _exit(absent ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the fork has the block mapped";
  release_unforked(block, kBlock);
}

// What the pool is for: after a fork, writing a touched block costs the
// parent no page fault (a malloc'd buffer costs one per page).
TEST(UnforkedPagesTest, WritesAfterAForkFaultNoPage) {
#if defined(__SANITIZE_THREAD__) || SPLITCHECK_UNDER_TSAN
  GTEST_SKIP() << "TSan writes shadow memory beside every write, and its shadow pages are "
                  "forked like any other";
#endif
  char* block = static_cast<char*>(allocate_unforked(kBlock));
  std::memset(block, 1, kBlock);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  const long before = minor_faults();
  std::memset(block, 2, kBlock);
  const long faults = minor_faults() - before;
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_LT(faults, 4) << "pages of " << kBlock / 4096;
  release_unforked(block, kBlock);
}

TEST(UnforkedPagesTest, SmallBlocksComeFromOperatorNew) {
  UnforkedPages<std::int64_t> a;
  std::int64_t* p = a.allocate(8);
  p[7] = 3;
  const std::size_t before = unforked_bytes_cached();
  a.deallocate(p, 8);
  EXPECT_EQ(unforked_bytes_cached(), before);
}

}  // namespace
}  // namespace internal
}  // namespace splitcheck
