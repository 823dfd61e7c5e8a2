// new_write_id(): a name for one write's private state (its temporary
// directory, its staging tables) that no other write shares, in this process
// or another, now or after a crash: 16 hex digits of random bits mixed with
// the time. A sink calls it once per write, in initialize_write, and keeps
// the result in its write state, so that a retried finalize finds the same
// name and a concurrent or earlier crashed write never collides with it.
//
//   std::string dir = prefix + ".temp-" + new_write_id();

#ifndef SPLITCHECK_LIB_SINKS_WRITE_ID_H_
#define SPLITCHECK_LIB_SINKS_WRITE_ID_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

namespace splitcheck {

inline std::string new_write_id() {
  std::random_device device;
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::uint64_t id =
      (std::uint64_t{device()} << 32 ^ device()) ^ static_cast<std::uint64_t>(now);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(id));
  return hex;
}

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SINKS_WRITE_ID_H_
