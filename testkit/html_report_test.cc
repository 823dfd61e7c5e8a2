#include "splitcheck/testkit/html_report.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace splitcheck::testkit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HtmlEscapeTest, EscapesWhatHtmlReads) {
  EXPECT_EQ(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(html_escape("plain"), "plain");
}

std::vector<ReportEntry> entries() {
  CheckResult passed = CheckResult::passed("progress_contract");
  passed.cases = 3;
  CheckResult failed = CheckResult::failed("split_at_fraction_exhaustive", "record <3> lost");
  failed.cases = 17;
  failed.replay = "check_split_at_fraction(source, 2, 0.5, ExpectedSplitOutcome::kMustFail)";
  failed.notes = {"a note"};
  SplitMap map;
  map.read_counts = {0, 1};
  map.positions = 3;
  map.first_position = "1";
  map.last_position = "3";
  map.rows = {"arf", "a.."};
  failed.split_map = map;
  std::vector<ReportEntry> out = {
      check_entry(ReportEntry::Kind::kCheck, passed, true),
      check_entry(ReportEntry::Kind::kCheck, failed, false),
      mutant_entry(ReportEntry::Kind::kMutant, "claims past the stop",
                   "claims past the stop: rejected by x (y)", true),
      mutant_entry(ReportEntry::Kind::kMutant, "drops a record",
                   "drops a record: SURVIVED the gate", false),
      mutant_entry(ReportEntry::Kind::kMutant, "a key bug", "a key bug: not applicable: no keys",
                   true),
  };
  const char* tests[] = {"S.Progress", "S.Exhaustive", "M.Mutant/1", "M.Mutant/2", "M.Mutant/3"};
  for (std::size_t i = 0; i < out.size(); ++i) out[i].test = tests[i];
  return out;
}

TEST(HtmlReportTest, HoldsVerdictsCounterexamplesScoreAndMap) {
  const std::string page = html_report("gate <x>", entries());
  EXPECT_THAT(page, HasSubstr("<title>gate &lt;x&gt;</title>"));
  EXPECT_THAT(page, HasSubstr("2 not as the tests expect"));
  EXPECT_THAT(page, HasSubstr("<tr class=\"good\"><td>S.Progress</td><td>progress_contract</td>"));
  EXPECT_THAT(page, HasSubstr("<tr class=\"bad\"><td>S.Exhaustive</td>"));
  EXPECT_THAT(page, HasSubstr("<pre class=\"message\">record &lt;3&gt; lost</pre>"));
  EXPECT_THAT(page, HasSubstr("<pre class=\"replay\">check_split_at_fraction(source, 2, 0.5, "
                              "ExpectedSplitOutcome::kMustFail)</pre>"));
  EXPECT_THAT(page, HasSubstr("mutation score: 1 of 2 applicable mutants rejected"));
  EXPECT_THAT(page, HasSubstr("<tr><th>0</th><td class=\"a\"></td><td class=\"r\"></td>"
                              "<td class=\"f\"></td></tr>"));
  EXPECT_THAT(page, HasSubstr("<tr><th>1</th><td class=\"a\"></td><td class=\"n\"></td>"));
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("http")));
}

}  // namespace
}  // namespace splitcheck::testkit
