// A harness for fuzz_main_test.sh: an input that is exactly "boom" aborts,
// as a contract violation does; any other input is fine.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 4 && std::memcmp(data, "boom", 4) == 0) {
    std::fprintf(stderr, "==splitcheck== the input went boom\n");
    std::abort();
  }
  return 0;
}
