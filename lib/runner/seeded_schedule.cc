#include "splitcheck/lib/runner/seeded_schedule.h"

#include <string>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"

namespace splitcheck {
namespace {

// SplitMix64's finaliser: a fast, well-mixed 64-bit hash step.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void check_probability(const char* name, double p) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw UsageError(std::string("SeededSchedule: ") + name + " must be in [0, 1], got " +
                     internal::describe_double(p));
  }
}

}  // namespace

SeededSchedule::SeededSchedule(std::uint64_t seed, Options options)
    : seed_(seed), options_(options) {
  check_probability("split_probability", options_.split_probability);
  check_probability("failure_probability", options_.failure_probability);
  if (!(options_.min_fraction > 0.0 && options_.min_fraction <= options_.max_fraction &&
        options_.max_fraction < 1.0)) {
    throw UsageError("SeededSchedule: need 0 < min_fraction <= max_fraction < 1, got " +
                     internal::describe_double(options_.min_fraction) + " and " +
                     internal::describe_double(options_.max_fraction));
  }
}

double SeededSchedule::draw(const ReadProgress& progress, std::uint64_t salt) const {
  std::uint64_t h = mix(seed_ ^ mix(salt));
  for (const char c : progress.bundle_id) h = mix(h ^ static_cast<unsigned char>(c));
  h = mix(h ^ static_cast<std::uint64_t>(progress.attempt));
  h = mix(h ^ static_cast<std::uint64_t>(progress.records_read));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

std::optional<double> SeededSchedule::split_after(const ReadProgress& progress) const {
  if (draw(progress, 1) >= options_.split_probability) return std::nullopt;
  return options_.min_fraction +
         draw(progress, 2) * (options_.max_fraction - options_.min_fraction);
}

bool SeededSchedule::fail_after(const ReadProgress& progress) const {
  return progress.attempt <= options_.max_failed_attempts &&
         draw(progress, 3) < options_.failure_probability;
}

}  // namespace splitcheck
