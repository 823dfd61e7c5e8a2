// A 16-hex-digit name that two writes (in this process or another, now or
// after a crash) do not share: random bits mixed with the time. Internal;
// sinks use it to name a write's temporary directory or staging tables.

#ifndef SPLITCHECK_LIB_INTERNAL_UNIQUE_ID_H_
#define SPLITCHECK_LIB_INTERNAL_UNIQUE_ID_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

namespace splitcheck::internal {

inline std::string unique_id() {
  std::random_device device;
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::uint64_t id =
      (std::uint64_t{device()} << 32 ^ device()) ^ static_cast<std::uint64_t>(now);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(id));
  return hex;
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_UNIQUE_ID_H_
