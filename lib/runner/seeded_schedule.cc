#include "splitcheck/lib/runner/seeded_schedule.h"

#include <string>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/seeded_hash.h"

namespace splitcheck {
namespace {

using internal::mix64;

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
  std::uint64_t h = mix64(seed_ ^ mix64(salt));
  for (const char c : progress.bundle_id) h = mix64(h ^ static_cast<unsigned char>(c));
  h = mix64(h ^ static_cast<std::uint64_t>(progress.attempt));
  h = mix64(h ^ static_cast<std::uint64_t>(progress.records_read));
  return internal::unit_interval(h);
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
