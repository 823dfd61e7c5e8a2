// check_source_serialization: a source, its bundles and its residuals survive
// the trip to another process as bytes, and reading does not change them.
//
//   const auto result = check_source_serialization(factory);            // source->decoder()
//   const auto result = check_source_serialization(factory, decoder);   // another decoder
//
// A runner sends a worker the encoding of a bundle (source_coder.h), never a
// pointer, and a dynamic split's residual is sent the same way. The check,
// in this order (the first failure is reported, so the counterexample is
// the smallest case: the whole source before its bundles, fewer records
// read before more):
//   1. the whole source: encode() is deterministic (twice the same bytes);
//      the decoder accepts those bytes, and the decoded source encodes to
//      the same bytes, estimates the same size and reads the same records;
//      every truncation of the bytes is a CorruptDataError (the decoder
//      never reads past what it was given, never succeeds on too little);
//   2. every bundle of split() at each of `bundle_counts`: the same, the
//      bundle (weight, source, bounds) encoded with encode_bundle;
//   3. residuals: each bundle read k records into (k = 0, 1, half, all but
//      one), its tracker split halfway through what is left; the residual,
//      encoded and decoded, reads what the residual reads in this process;
//   4. throughout: reading a source or a bundle, or splitting its tracker,
//      leaves its encoding unchanged. State a read mutates (a cursor, a
//      cache of what was read, a resume point) shows up here.
//
// What one address space cannot show: a decoder that finds the original
// object again through a global (a registry keyed by an encoded id) passes
// here and fails on real workers. LocalRunner's process mode is the check
// for that.
//
// The decoder is the one the source names (BoundedSource::decoder()), or
// one given.

#ifndef SPLITCHECK_TESTKIT_SOURCE_SOURCE_SERIALIZATION_H_
#define SPLITCHECK_TESTKIT_SOURCE_SOURCE_SERIALIZATION_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/source/read_source.h"
#include "splitcheck/testkit/source/source_factory.h"

namespace splitcheck::testkit {

struct SerializationOptions {
  // Bundle counts split() is asked for (as in the reference-equality check).
  std::vector<std::int64_t> bundle_counts = {1, 3, 10};
  // Truncations of an encoding decoded: all of them for an encoding up to
  // this many bytes, else this many spread over it (the shortest first).
  std::size_t max_truncations = 256;
};

namespace internal {

// Where two encodings first differ, for messages.
inline std::string first_byte_difference(const std::string& expected, const std::string& actual) {
  const std::size_t common = std::min(expected.size(), actual.size());
  std::size_t i = 0;
  while (i < common && expected[i] == actual[i]) ++i;
  if (i == common) {
    return std::to_string(expected.size()) + " bytes, then " + std::to_string(actual.size());
  }
  return "byte " + std::to_string(i) + " of " + std::to_string(expected.size()) + " differs";
}

// The lengths of the truncations to try: every one below `size` when there
// are few, else the first half of the budget from the start and the rest
// spread evenly.
inline std::vector<std::size_t> truncation_lengths(std::size_t size, std::size_t budget) {
  std::set<std::size_t> lengths;
  if (size <= budget) {
    for (std::size_t n = 0; n < size; ++n) lengths.insert(n);
  } else {
    for (std::size_t n = 0; n < budget / 2; ++n) lengths.insert(n);
    const std::size_t spread = budget - budget / 2;
    for (std::size_t i = 1; i <= spread; ++i) lengths.insert(size - 1 - (i - 1) * size / spread);
  }
  return {lengths.begin(), lengths.end()};
}

// What reading a range gives: its records, or the message of what the read
// threw. A source whose reads throw is the other checks' to reject; this
// one asks only that a decoded copy do the same.
template <typename T>
struct ReadOutcome {
  std::vector<T> records;
  std::optional<std::string> error;
};

template <typename T, typename P>
ReadOutcome<T> read_outcome(const BoundedSource<T, P>& source, const std::optional<P>& start,
                            const std::optional<P>& stop) {
  ReadOutcome<T> out;
  try {
    out.records = read_from_source(source, start, stop);
  } catch (...) {
    out.error = current_exception_message();
  }
  return out;
}

// How the copy's outcome differs from the original's, if it does.
template <typename T>
std::optional<std::string> outcome_difference(const ReadOutcome<T>& original,
                                              const ReadOutcome<T>& copy) {
  if (original.error || copy.error) {
    if (original.error == copy.error) return std::nullopt;
    if (!copy.error)
      return "it reads " + std::to_string(copy.records.size()) +
             " records where the original threw: " + *original.error;
    if (!original.error)
      return "it threw where the original reads " + std::to_string(original.records.size()) +
             " records: " + *copy.error;
    return "it threw \"" + *copy.error + "\" where the original threw \"" + *original.error + "\"";
  }
  return first_list_difference(original.records, copy.records);
}

// Runs the serialization cases; each returns the failure, if any.
template <typename T, typename P>
class SerializationCases {
 public:
  using Bundle = SourceBundle<T, P>;

  SerializationCases(const SourceDecoder<T, P>& decoder, const SerializationOptions& options,
                     CheckResult& result)
      : decoder_(decoder), options_(options), result_(result) {}

  // Step 1 (and 4) on the whole source.
  std::optional<std::string> whole(const std::shared_ptr<const BoundedSource<T, P>>& source) {
    ++result_.cases;
    std::string bytes;
    try {
      bytes = encode_source(*source);
    } catch (...) {
      return "encode() threw: " + current_exception_message();
    }
    if (const std::string again = encode_source(*source); again != bytes) {
      return "encode() is not deterministic: two calls on the same source give different bytes (" +
             first_byte_difference(bytes, again) + ")";
    }
    std::shared_ptr<const BoundedSource<T, P>> decoded;
    try {
      decoded = decode_source(bytes, decoder_, "the source's encoding");
    } catch (...) {
      return "the decoder rejects the bytes encode() wrote (" + std::to_string(bytes.size()) +
             " bytes): " + current_exception_message();
    }
    if (const std::string again = encode_source(*decoded); again != bytes) {
      return "the decoded source encodes differently from the original (" +
             first_byte_difference(bytes, again) + "): the decoder loses or changes a field";
    }
    if (decoded->estimate_size() != source->estimate_size()) {
      return "the decoded source estimates " + std::to_string(decoded->estimate_size()) +
             " where the original estimates " + std::to_string(source->estimate_size());
    }
    const auto original = read_outcome(*source, std::optional<P>(), std::optional<P>());
    const auto copy = read_outcome(*decoded, std::optional<P>(), std::optional<P>());
    result_.records_read +=
        static_cast<std::int64_t>(original.records.size() + copy.records.size());
    if (auto diff = outcome_difference(original, copy)) {
      return "the decoded source reads differently from the original: " + *diff;
    }
    if (const std::string after = encode_source(*source); after != bytes) {
      return "reading the source changed its encoding (" + first_byte_difference(bytes, after) +
             "): read() mutates state that encode() writes";
    }
    return truncations(bytes, [&](std::string_view prefix, const std::string& what) {
      (void)decode_source(prefix, decoder_, what);
    });
  }

  // Step 2 (and 4) on one bundle.
  std::optional<std::string> bundle(const Bundle& b) {
    ++result_.cases;
    std::string bytes;
    try {
      bytes = encode_bundle_to_bytes(b);
    } catch (...) {
      return "encoding the bundle threw: " + current_exception_message();
    }
    if (const std::string again = encode_bundle_to_bytes(b); again != bytes) {
      return "the bundle's encoding is not deterministic (" + first_byte_difference(bytes, again) +
             ")";
    }
    Bundle decoded;
    try {
      decoded = decode_bundle_from_bytes(bytes, decoder_, "the bundle's encoding");
    } catch (...) {
      return "the decoder rejects the bundle's bytes (" + std::to_string(bytes.size()) +
             " bytes): " + current_exception_message();
    }
    if (const std::string again = encode_bundle_to_bytes(decoded); again != bytes) {
      return "the decoded bundle encodes differently from the original (" +
             first_byte_difference(bytes, again) + "): the decoder loses or changes a field";
    }
    if (decoded.source->estimate_size() != b.source->estimate_size()) {
      return "the decoded bundle's source estimates " +
             std::to_string(decoded.source->estimate_size()) + " where the original's estimates " +
             std::to_string(b.source->estimate_size());
    }
    const auto original = read_outcome(*b.source, b.start, b.stop);
    const auto copy = read_outcome(*decoded.source, decoded.start, decoded.stop);
    result_.records_read +=
        static_cast<std::int64_t>(original.records.size() + copy.records.size());
    if (auto diff = outcome_difference(original, copy)) {
      return "the decoded bundle reads differently from the original: " + *diff;
    }
    if (const std::string after = encode_bundle_to_bytes(b); after != bytes) {
      return "reading the bundle changed its encoding (" + first_byte_difference(bytes, after) +
             "): read() mutates state that encode() writes";
    }
    return truncations(bytes, [&](std::string_view prefix, const std::string& what) {
      (void)decode_bundle_from_bytes(prefix, decoder_, what);
    });
  }

  // Step 3 (and 4): bundle `b` read `k` records into, split halfway through
  // the rest. `accepted` tells whether the tracker took the split.
  std::optional<std::string> residual(const Bundle& b, std::int64_t k, bool& accepted) {
    accepted = false;
    const std::string before = encode_bundle_to_bytes(b);
    std::optional<SplitResult<P>> split;
    try {
      const auto tracker = b.source->get_range_tracker(b.start, b.stop);
      auto records = b.source->read(*tracker);
      auto it = records.begin();
      for (std::int64_t i = 0; i < k && it != records.end(); ++i) {
        ++it;
        ++result_.records_read;
      }
      const double consumed = tracker->fraction_consumed();
      const P at = tracker->position_at_fraction(consumed + (1.0 - consumed) / 2);
      split = tracker->try_split(at);
      for (; it != records.end(); ++it) ++result_.records_read;
    } catch (...) {
      // A read or a split that throws is the split checks' to reject: no
      // residual to send.
      return std::nullopt;
    }
    if (const std::string after = encode_bundle_to_bytes(b); after != before) {
      return "reading the bundle and splitting its tracker changed its encoding (" +
             first_byte_difference(before, after) +
             "): state the read or the split mutates is encoded";
    }
    if (!split) return std::nullopt;
    accepted = true;
    ++result_.cases;
    const Bundle rest{b.weight * (1.0 - split->fraction), b.source, split->position, b.stop};
    const std::string bytes = encode_bundle_to_bytes(rest);
    Bundle decoded;
    try {
      decoded = decode_bundle_from_bytes(bytes, decoder_, "the residual's encoding");
    } catch (...) {
      return "the decoder rejects the residual's bytes: " + current_exception_message();
    }
    const auto here = read_outcome(*rest.source, rest.start, rest.stop);
    const auto there = read_outcome(*decoded.source, decoded.start, decoded.stop);
    result_.records_read += static_cast<std::int64_t>(here.records.size() + there.records.size());
    if (auto diff = outcome_difference(here, there)) {
      return "the decoded residual (split at " + describe_value(split->position) +
             ") reads differently from the residual read here: " + *diff;
    }
    return std::nullopt;
  }

 private:
  // Every truncation of `bytes` decoded by `decode` must throw
  // CorruptDataError.
  template <typename Decode>
  std::optional<std::string> truncations(const std::string& bytes, const Decode& decode) {
    for (const std::size_t n : truncation_lengths(bytes.size(), options_.max_truncations)) {
      ++result_.cases;
      const std::string what =
          "the first " + std::to_string(n) + " of " + std::to_string(bytes.size()) + " bytes";
      try {
        decode(std::string_view(bytes).substr(0, n), what);
      } catch (const CorruptDataError&) {
        continue;
      } catch (...) {
        truncated_to_ = n;
        return "decoding " + what +
               " threw something other than a CorruptDataError: " + current_exception_message();
      }
      truncated_to_ = n;
      return "decoding " + what + " succeeded: a truncated encoding must be a CorruptDataError";
    }
    return std::nullopt;
  }

  const SourceDecoder<T, P>& decoder_;
  const SerializationOptions& options_;
  CheckResult& result_;

 public:
  // The replay's spelling of the bytes decoded: `bytes`, or its truncation
  // that failed.
  std::string bytes_in_replay(const std::string& bytes) const {
    return truncated_to_ ? bytes + ".substr(0, " + std::to_string(*truncated_to_) + ")" : bytes;
  }

 private:
  std::optional<std::size_t> truncated_to_;
};

}  // namespace internal

template <typename T, typename P>
CheckResult check_source_serialization(const SourceFactory<T, P>& factory,
                                       const SourceDecoder<T, P>& decoder,
                                       const SerializationOptions& options = {}) {
  constexpr const char* kCheck = "source_serialization";
  if (!decoder) {
    return CheckResult::failed(
        kCheck,
        "no decoder was given: a source that cannot be decoded cannot be sent to a worker "
        "(docs/guide.md, \"Serializable and immutable\")");
  }
  CheckResult result = CheckResult::passed(kCheck);
  try {
    const auto source = factory();
    if (source == nullptr) return CheckResult::broken(kCheck, "the factory returned null");
    internal::SerializationCases<T, P> cases(decoder, options, result);
    if (auto error = cases.whole(source)) {
      result.replay =
          "decode_source(" + cases.bytes_in_replay("encode_source(*source)") + ", decoder)";
      return result.fail(*error);
    }
    std::vector<std::pair<std::int64_t, std::vector<SourceBundle<T, P>>>> splits;
    for (const std::int64_t count : options.bundle_counts) {
      const std::int64_t desired =
          std::max<std::int64_t>(1, source->estimate_size() / std::max<std::int64_t>(1, count));
      splits.emplace_back(desired, source->split(desired, std::nullopt, std::nullopt));
    }
    for (const auto& [desired, bundles] : splits) {
      for (std::size_t i = 0; i < bundles.size(); ++i) {
        const std::string name =
            "split(" + std::to_string(desired) + ")[" + std::to_string(i) + "]";
        if (auto error = cases.bundle(bundles[i])) {
          result.replay = "decode_bundle_from_bytes(" +
                          cases.bytes_in_replay("encode_bundle_to_bytes(source->" + name + ")") +
                          ", decoder)";
          return result.fail("bundle " + name + ": " + *error);
        }
      }
    }
    // Residuals, fewest records read first.
    struct ResidualCase {
      std::int64_t k;
      std::size_t split;
      std::size_t bundle;
      bool operator<(const ResidualCase& o) const {
        return std::tie(k, split, bundle) < std::tie(o.k, o.split, o.bundle);
      }
    };
    std::set<ResidualCase> residual_cases;
    for (std::size_t s = 0; s < splits.size(); ++s) {
      const auto& bundles = splits[s].second;
      for (std::size_t i = 0; i < bundles.size(); ++i) {
        const auto n = static_cast<std::int64_t>(
            internal::read_outcome(*bundles[i].source, bundles[i].start, bundles[i].stop)
                .records.size());
        for (const std::int64_t k : {std::int64_t{0}, std::int64_t{1}, n / 2, n - 1}) {
          if (k >= 0 && k < std::max<std::int64_t>(n, 1)) residual_cases.insert({k, s, i});
        }
      }
    }
    std::int64_t made = 0;
    for (const ResidualCase& c : residual_cases) {
      const auto& [desired, bundles] = splits[c.split];
      const std::string name =
          "split(" + std::to_string(desired) + ")[" + std::to_string(c.bundle) + "]";
      bool accepted = false;
      if (auto error = cases.residual(bundles[c.bundle], c.k, accepted)) {
        result.replay = "read " + std::to_string(c.k) + " records of source->" + name +
                        ", split its tracker halfway through the rest, then "
                        "decode_bundle_from_bytes(encode_bundle_to_bytes(residual), decoder)";
        return result.fail("bundle " + name + " after " + std::to_string(c.k) +
                           " records: " + *error);
      }
      if (accepted) ++made;
    }
    if (made == 0) {
      result.notes.push_back("no bundle's tracker accepted a split: no residual was checked");
    }
  } catch (...) {
    return result.fail("the source threw: " + internal::current_exception_message());
  }
  return result;
}

// With the decoder the source names.
template <typename T, typename P>
CheckResult check_source_serialization(const SourceFactory<T, P>& factory,
                                       const SerializationOptions& options = {}) {
  std::shared_ptr<const BoundedSource<T, P>> source;
  SourceDecoder<T, P> decoder;
  try {
    source = factory();
    if (source == nullptr)
      return CheckResult::broken("source_serialization", "the factory returned null");
    decoder = source->decoder();
  } catch (...) {
    return CheckResult::failed("source_serialization",
                               "the source threw: " + internal::current_exception_message());
  }
  if (!decoder) {
    return CheckResult::failed(
        "source_serialization",
        source->debug_string() +
            " has no decoder(): a source that cannot be decoded cannot be sent to a worker "
            "(docs/guide.md, \"Serializable and immutable\")");
  }
  return check_source_serialization(factory, decoder, options);
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SOURCE_SERIALIZATION_H_
