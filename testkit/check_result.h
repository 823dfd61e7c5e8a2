// CheckResult: the outcome of one testkit check.
//
// Like a RapidCheck result, a check ends in one of four ways:
//   kPassed  every case held;
//   kFailed  a case broke the contract: `message` names the check, the
//            bundle or range, the records read before the split, the split
//            position and fraction, and the first record lost or duplicated;
//            `replay` says how to run that case again;
//   kGaveUp  too few cases could be made to say anything (a source with fewer
//            than two records, say): never counted as a pass;
//   kBroken  the check itself could not run (the source threw while the
//            reference was read, for instance): `message` says why.
// `cases` counts the cases checked and `records_read` the records the check
// read, so that the cost of a check is visible; `notes` carries remarks that
// are not failures (a check that had to sample instead of enumerating).
//
// A CheckResult converts to true only when passed. With GoogleTest, use
// SPLITCHECK_EXPECT_PASSED / SPLITCHECK_ASSERT_PASSED from
// splitcheck/testkit/gtest.h, which print the whole result on failure.

#ifndef SPLITCHECK_TESTKIT_CHECK_RESULT_H_
#define SPLITCHECK_TESTKIT_CHECK_RESULT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace splitcheck::testkit {

// What the exhaustive split check tried, for a picture of it (the HTML
// report draws it): rows are records-read counts, columns split positions in
// order, each cell one of
//   'a'  a split was accepted and the case held,
//   'r'  the split was refused and the case held,
//   'f'  the case failed,
//   '.'  not run (the check stopped at a failure).
// At most kMaxSide rows and columns: a cell then covers several cases and
// shows the worst of them (f over a over r over .), so one failing case
// still shows, and a boundary bug shows as a stripe.
struct SplitMap {
  static constexpr std::size_t kMaxSide = 120;
  std::vector<std::int64_t> read_counts;  // the records-read count of each row (its first)
  std::string first_position;             // the positions of the first and last column
  std::string last_position;
  std::int64_t positions = 0;  // distinct split positions in all
  std::vector<std::string> rows;
};

struct CheckResult {
  enum class Outcome { kPassed, kFailed, kGaveUp, kBroken };

  static CheckResult passed(std::string check);
  static CheckResult failed(std::string check, std::string message);
  static CheckResult gave_up(std::string check, std::string message);
  static CheckResult broken(std::string check, std::string message);

  bool ok() const { return outcome == Outcome::kPassed; }
  explicit operator bool() const { return ok(); }

  // This result turned into a failure with `message`, its counts and notes
  // kept: a check counts each case before it runs it, so that a failure
  // reports the cases run, the failing one included.
  CheckResult& fail(std::string failure) {
    outcome = Outcome::kFailed;
    message = std::move(failure);
    return *this;
  }

  // The result as text: outcome, check, message, replay, counts and notes.
  std::string to_string() const;

  Outcome outcome = Outcome::kPassed;
  std::string check;
  std::string message;
  std::string replay;
  std::int64_t cases = 0;
  std::int64_t records_read = 0;
  std::vector<std::string> notes;
  std::optional<SplitMap> split_map;  // the exhaustive split check's cases
};

std::ostream& operator<<(std::ostream& os, const CheckResult& result);

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_CHECK_RESULT_H_
