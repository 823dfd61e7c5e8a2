// A harness for fuzz_main_test.sh and fuzz_modes_test.sh: an input that
// holds "boom" aborts, as a contract violation does; any other is fine.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (std::size_t i = 0; i + 4 <= size; ++i) {
    if (std::memcmp(data + i, "boom", 4) != 0) continue;
    std::fprintf(stderr, "==splitcheck== the input went boom\n");
    std::abort();
  }
  return 0;
}
