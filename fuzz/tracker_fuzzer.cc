#include "splitcheck/fuzz/tracker_fuzzer.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace splitcheck::fuzz {
namespace {

std::vector<RegisteredTracker>& registry() {
  static std::vector<RegisteredTracker>* trackers = new std::vector<RegisteredTracker>;
  return *trackers;
}

std::string without_spaces(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\t') out += c;
  }
  return out;
}

}  // namespace

std::string RegisteredTracker::name() const {
  std::string name = without_spaces(make_tracker);
  if (harness == "fuzz_tracker_concurrent") name += "/concurrent";
  const std::string compact_options = without_spaces(options);
  if (!compact_options.empty() && compact_options != "{}") name += "/" + compact_options;
  return name;
}

std::string RegisteredTracker::contract_key() const {
  return without_spaces(make_tracker) + "/" + without_spaces(options);
}

bool register_tracker(RegisteredTracker tracker) {
  registry().push_back(std::move(tracker));
  return true;
}

const std::vector<RegisteredTracker>& registered_trackers() { return registry(); }

std::vector<const RegisteredTracker*> selected_trackers() {
  std::vector<const RegisteredTracker*> selected;
  const char* wanted = std::getenv("SPLITCHECK_FUZZ_TARGET");
  std::string names;
  for (const RegisteredTracker& tracker : registry()) {
    if (wanted == nullptr || *wanted == '\0' || tracker.name() == wanted) {
      selected.push_back(&tracker);
    }
    names += "\n  " + tracker.name();
  }
  if (registry().empty()) {
    throw std::invalid_argument(
        "this binary registers no fuzz target: no SPLITCHECK_TRACKER_FUZZER line was linked in "
        "(a cc_library holding one needs alwayslink = True)");
  }
  if (selected.empty()) {
    throw std::invalid_argument("SPLITCHECK_FUZZ_TARGET=" + std::string(wanted) +
                                " names no fuzz target of this binary; it has:" + names);
  }
  return selected;
}

std::vector<const RegisteredTracker*> distinct_contracts() {
  std::vector<const RegisteredTracker*> distinct;
  std::map<std::string, bool> seen;
  for (const RegisteredTracker& tracker : registry()) {
    if (seen.emplace(tracker.contract_key(), true).second) distinct.push_back(&tracker);
  }
  return distinct;
}

namespace internal {
// The fuzz target running now, for report_violation (set by the entry).
const RegisteredTracker* current_fuzz_target = nullptr;
}  // namespace internal

void report_violation(const std::string& report) {
  std::fprintf(stderr, "\n==splitcheck== %s\n", report.c_str());
  if (internal::current_fuzz_target != nullptr && registry().size() > 1) {
    const std::string name = internal::current_fuzz_target->name();
    std::fprintf(stderr,
                 "==splitcheck== fuzz target %s (SPLITCHECK_FUZZ_TARGET='%s' runs it alone)\n",
                 name.c_str(), name.c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace splitcheck::fuzz
