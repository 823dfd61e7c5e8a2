// LLVMFuzzerTestOneInput for binaries of SPLITCHECK_TRACKER_FUZZER lines
// (fuzz/tracker_fuzzer.h): every input goes through each selected fuzz
// target in registration order.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

#include "splitcheck/fuzz/tracker_fuzzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using splitcheck::fuzz::RegisteredTracker;
  static const std::vector<const RegisteredTracker*> targets = [] {
    try {
      return splitcheck::fuzz::selected_trackers();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "==splitcheck== %s\n", e.what());
      std::exit(2);
    }
  }();
  for (const RegisteredTracker* target : targets) {
    splitcheck::fuzz::internal::current_fuzz_target = target;
    target->fuzz(data, size);
  }
  splitcheck::fuzz::internal::current_fuzz_target = nullptr;
  return 0;
}
