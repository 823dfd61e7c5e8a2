#include "splitcheck/lib/files/glob.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;

TEST(GlobTest, LiteralsMatchThemselvesOnly) {
  EXPECT_TRUE(glob_match("a/b.txt", "a/b.txt"));
  EXPECT_FALSE(glob_match("a/b.txt", "a/b.txt2"));
  EXPECT_FALSE(glob_match("a/b.txt", "a/b.tx"));
  EXPECT_TRUE(glob_match("", ""));
}

TEST(GlobTest, StarStaysInsideOneDirectory) {
  EXPECT_TRUE(glob_match("a/*.txt", "a/x.txt"));
  EXPECT_TRUE(glob_match("a/*.txt", "a/.txt"));
  EXPECT_FALSE(glob_match("a/*.txt", "a/b/x.txt"));
  EXPECT_TRUE(glob_match("*", "abc"));
  EXPECT_FALSE(glob_match("*", "a/c"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
}

TEST(GlobTest, DoubleStarCrossesDirectories) {
  EXPECT_TRUE(glob_match("a/**", "a/b/c/d"));
  EXPECT_TRUE(glob_match("a/**/x.txt", "a/b/c/x.txt"));
  EXPECT_TRUE(glob_match("a/**/x.txt", "a/x.txt"));  // zero directories
  EXPECT_FALSE(glob_match("a/**/x.txt", "ax.txt"));
  EXPECT_TRUE(glob_match("**.gz", "d/e/f.gz"));
  EXPECT_FALSE(glob_match("a/**/x.txt", "a/b/y.txt"));
}

TEST(GlobTest, QuestionMarkIsOneCharacterButNotSlash) {
  EXPECT_TRUE(glob_match("part-?", "part-1"));
  EXPECT_FALSE(glob_match("part-?", "part-12"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
}

TEST(GlobTest, CharacterSets) {
  EXPECT_TRUE(glob_match("part-[0-9]", "part-7"));
  EXPECT_FALSE(glob_match("part-[0-9]", "part-x"));
  EXPECT_TRUE(glob_match("[!a]x", "bx"));
  EXPECT_FALSE(glob_match("[!a]x", "ax"));
  EXPECT_TRUE(glob_match("[^a]x", "bx"));
  EXPECT_TRUE(glob_match("[]]", "]"));
  EXPECT_TRUE(glob_match("[a-]", "-"));
  EXPECT_FALSE(glob_match("[!a]", "/"));
  EXPECT_TRUE(glob_match("[\\]]", "]"));
}

TEST(GlobTest, EscapesMakeWildcardsLiteral) {
  EXPECT_TRUE(glob_match("a\\*b", "a*b"));
  EXPECT_FALSE(glob_match("a\\*b", "axb"));
  EXPECT_FALSE(has_wildcards("a\\*b"));
  EXPECT_TRUE(has_wildcards("a/*"));
  EXPECT_TRUE(has_wildcards("a?"));
  EXPECT_TRUE(has_wildcards("[ab]"));
  EXPECT_FALSE(has_wildcards("plain/path.txt"));
}

TEST(GlobTest, MalformedPatternsAreUsageErrors) {
  EXPECT_THAT(UsageErrorOf([] { glob_match("a[bc", "ab"); }), HasSubstr("not closed"));
  EXPECT_THAT(UsageErrorOf([] { glob_match("a\\", "a"); }), HasSubstr("unfinished escape"));
}

TEST(GlobTest, DirectoryPrefixIsTheWildcardFreeDirectory) {
  EXPECT_EQ(glob_directory_prefix("logs/2024-*/x.txt"), "logs/");
  EXPECT_EQ(glob_directory_prefix("*.txt"), "");
  EXPECT_EQ(glob_directory_prefix("/data/in/part-*"), "/data/in/");
  EXPECT_EQ(glob_directory_prefix("/data/**"), "/data/");
  EXPECT_EQ(glob_directory_prefix("a\\*/b/*"), "a*/b/");
}

// Many stars cannot make matching exponential.
TEST(GlobTest, ManyStarsStayLinear) {
  const std::string path(4000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", path));
  EXPECT_FALSE(glob_match("**a**a**a**a**a**a**a**b", path));
}

}  // namespace
}  // namespace splitcheck
