// TrackerScenario<P>: a sequence of range-tracker operations with their
// arguments, the unit the tracker contract checker generates, runs, shrinks
// and prints.
//
// An operation is one of try_claim(p), set_current_position(p), try_split(p),
// fraction_consumed(), position_at_fraction(f) and split_points(). run_op
// applies one to a tracker and records what came back (a result, or the
// UsageError or other exception it threw) without letting anything escape.
// to_cpp prints a scenario as C++ statements, with the recorded results as
// comments, so that a failing one can be pasted into a test.

#ifndef SPLITCHECK_TESTKIT_TRACKER_TRACKER_SCENARIO_H_
#define SPLITCHECK_TESTKIT_TRACKER_TRACKER_SCENARIO_H_

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/lib/trackers/range_tracker.h"
#include "splitcheck/testkit/tracker/position_domain.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {

enum class TrackerOpKind {
  kTryClaim,
  kSetCurrentPosition,
  kTrySplit,
  kFractionConsumed,
  kPositionAtFraction,
  kSplitPoints,
};

template <typename P>
struct TrackerOp {
  TrackerOpKind kind = TrackerOpKind::kFractionConsumed;
  std::optional<P> position;  // try_claim, set_current_position, try_split
  double fraction = 0;        // position_at_fraction
};

template <typename P>
struct TrackerOpResult {
  // What the call threw, kept as thrown: copying the message of every
  // UsageError would cost the fuzzer an allocation per misuse, and it is
  // read only for a report (error_message).
  std::exception_ptr thrown;
  bool usage_error = false;             // `thrown` is a UsageError
  bool other_error = false;             // `thrown` is anything else: always wrong
  bool claimed = false;                 // try_claim
  std::optional<SplitResult<P>> split;  // try_split
  double fraction = 0;                  // fraction_consumed
  std::optional<P> position;            // position_at_fraction
  SplitPoints points;                   // split_points
};

template <typename P>
struct TrackerScenario {
  P start;
  P stop;
  std::vector<TrackerOp<P>> ops;
};

// Runs `op` on `tracker` and records what came back in `r` (which must be
// fresh); nothing escapes.
template <typename P>
void run_op(RangeTracker<P>& tracker, const TrackerOp<P>& op, TrackerOpResult<P>& r) {
  try {
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
        r.claimed = tracker.try_claim(*op.position);
        break;
      case TrackerOpKind::kSetCurrentPosition:
        tracker.set_current_position(*op.position);
        break;
      case TrackerOpKind::kTrySplit:
        r.split = tracker.try_split(*op.position);
        break;
      case TrackerOpKind::kFractionConsumed:
        r.fraction = tracker.fraction_consumed();
        break;
      case TrackerOpKind::kPositionAtFraction:
        r.position = tracker.position_at_fraction(op.fraction);
        break;
      case TrackerOpKind::kSplitPoints:
        r.points = tracker.split_points();
        break;
    }
  } catch (const UsageError&) {
    r.thrown = std::current_exception();
    r.usage_error = true;
  } catch (...) {
    r.thrown = std::current_exception();
    r.other_error = true;
  }
}

template <typename P>
TrackerOpResult<P> run_op(RangeTracker<P>& tracker, const TrackerOp<P>& op) {
  TrackerOpResult<P> r;
  run_op(tracker, op, r);
  return r;
}

// The message of what an operation threw: what() of a std::exception, a
// note for anything else, "" for nothing.
inline std::string error_message(const std::exception_ptr& thrown) {
  if (!thrown) return "";
  try {
    std::rethrow_exception(thrown);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

template <typename P>
std::string error_message(const TrackerOpResult<P>& r) {
  return error_message(r.thrown);
}

// The call, as C++.
template <typename P>
std::string op_to_cpp(const TrackerOp<P>& op, const PositionDomain<P>& domain) {
  const auto at = [&] { return domain.literal(*op.position); };
  switch (op.kind) {
    case TrackerOpKind::kTryClaim:
      return "tracker->try_claim(" + at() + ")";
    case TrackerOpKind::kSetCurrentPosition:
      return "tracker->set_current_position(" + at() + ")";
    case TrackerOpKind::kTrySplit:
      return "tracker->try_split(" + at() + ")";
    case TrackerOpKind::kFractionConsumed:
      return "tracker->fraction_consumed()";
    case TrackerOpKind::kPositionAtFraction:
      return "tracker->position_at_fraction(" + splitcheck::internal::describe_double(op.fraction) +
             ")";
    case TrackerOpKind::kSplitPoints:
      return "tracker->split_points()";
  }
  return "?";
}

// What came back, for a comment.
template <typename P>
std::string result_to_string(const TrackerOp<P>& op, const TrackerOpResult<P>& r) {
  using splitcheck::internal::describe_double;
  using splitcheck::internal::describe_value;
  if (r.usage_error) return "UsageError: " + error_message(r);
  if (r.other_error) return "threw: " + error_message(r);
  switch (op.kind) {
    case TrackerOpKind::kTryClaim:
      return r.claimed ? "true" : "false";
    case TrackerOpKind::kSetCurrentPosition:
      return "ok";
    case TrackerOpKind::kTrySplit:
      return r.split ? "split at " + describe_value(r.split->position) + ", fraction " +
                           describe_double(r.split->fraction)
                     : "refused";
    case TrackerOpKind::kFractionConsumed:
      return describe_double(r.fraction);
    case TrackerOpKind::kPositionAtFraction:
      return describe_value(*r.position);
    case TrackerOpKind::kSplitPoints:
      return "consumed " + std::to_string(r.points.consumed) + ", remaining " +
             (r.points.remaining == SplitPoints::kUnknown ? std::string("unknown")
                                                          : std::to_string(r.points.remaining));
  }
  return "?";
}

// The scenario as C++ statements, each with its recorded result (if any) as
// a comment; `mark` (if set) flags one operation.
template <typename P>
std::string to_cpp(const TrackerScenario<P>& scenario, const PositionDomain<P>& domain,
                   const std::vector<TrackerOpResult<P>>& results = {},
                   std::optional<std::size_t> mark = std::nullopt) {
  std::string out = "auto tracker = factory(" + domain.literal(scenario.start) + ", " +
                    domain.literal(scenario.stop) + ");\n";
  for (std::size_t i = 0; i < scenario.ops.size(); ++i) {
    out += op_to_cpp(scenario.ops[i], domain) + ";";
    if (i < results.size()) out += "  // " + result_to_string(scenario.ops[i], results[i]);
    if (mark && *mark == i) out += "  <-- violates the contract";
    out += "\n";
  }
  return out;
}

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_TRACKER_TRACKER_SCENARIO_H_
