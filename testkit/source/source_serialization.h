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
//      the decoder accepts those bytes and gives a new object (not the
//      original found again through memory), which encodes to the same
//      bytes, estimates the same size and reads the same records (or
//      throws the same error after the same records); every truncation of
//      the bytes is a CorruptDataError (the decoder never reads past what
//      it was given, never succeeds on too little); the bytes with one byte
//      changed decode to an error or to a source that encodes to exactly
//      them (a decoder that ignores or defaults a field fails);
//   2. split() of the decoded source at each of `bundle_counts` gives the
//      original's bundles, encoding for encoding; every bundle of the
//      original, as in 1 (the bundle, weight, source and bounds, encoded
//      with encode_bundle; the truncations also of its source alone);
//   3. residuals: each bundle and its decoded copy read k records into
//      (k = 0, 1, half, all but one), their trackers split halfway through
//      what is left: the same split (or the same error); the residual,
//      encoded and decoded, reads what the residual reads in this process;
//   4. throughout: reading a source or a bundle, or splitting its tracker,
//      leaves its encoding unchanged. State a read mutates (a cursor, a
//      cache of what was read, a resume point) shows up here.
//
// What one address space cannot show: a decoder that builds a new object
// from state other than the bytes (a global filled when the source was
// made). The dynamic split schedules, run in worker processes forked
// before the source is split, see what split() and reads make afterwards;
// state made before the fork is inherited by the workers and is seen by
// neither.
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
#include "splitcheck/testkit/internal/encoding_cases.h"
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
    const auto tracker = source.get_range_tracker(start, stop);
    if (tracker == nullptr)
      throw UsageError(source.debug_string() + ": get_range_tracker returned null");
    for (T& record : source.read(*tracker)) out.records.push_back(std::move(record));
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
    if (original.error == copy.error) return first_list_difference(original.records, copy.records);
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
    if (decoded.get() == source.get()) return found_in_memory("source");
    decoded_root_ = decoded;
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
    if (auto error = truncations(bytes, [&](std::string_view prefix, const std::string& what) {
          (void)decode_source(prefix, decoder_, what);
        })) {
      return error;
    }
    return changed_bytes(bytes);
  }

  // The source's bytes with each byte changed in one of its two lowest bits
  // (as many as truncations are tried, for each) must decode to an error or
  // to a source that encodes to exactly those bytes: a decoder that ignores,
  // defaults or normalizes a field fails.
  std::optional<std::string> changed_bytes(const std::string& bytes) {
    for (const std::size_t at :
         truncation_lengths(2 * bytes.size(), 2 * options_.max_truncations)) {
      // Bit 0, then bit 1, of each byte: bit 0 of a small signed value is
      // its sign, which a decoder that checks the range rejects anyway.
      ++result_.cases;
      const std::size_t k = at / 2;
      std::string changed = bytes;
      changed[k] = static_cast<char>(changed[k] ^ (at % 2 == 0 ? 1 : 2));
      std::shared_ptr<const BoundedSource<T, P>> lenient;
      try {
        lenient = decode_source(changed, decoder_, "the encoding with a byte changed");
      } catch (const Error&) {
        continue;
      } catch (...) {
        return "decoding its encoding with byte " + std::to_string(k) +
               " changed threw something other than a splitcheck::Error: " +
               current_exception_message();
      }
      std::string again;
      try {
        again = encode_source(*lenient);
      } catch (...) {
        return "the source decoded from its encoding with byte " + std::to_string(k) +
               " changed cannot be encoded: " + current_exception_message();
      }
      if (again != changed) {
        return "its encoding with byte " + std::to_string(k) + " of " +
               std::to_string(bytes.size()) +
               " changed decodes to a source that encodes to other bytes (" +
               first_byte_difference(changed, again) +
               "): the decoder ignores or defaults a field instead of throwing CorruptDataError "
               "for bytes encode() did not write";
      }
    }
    return std::nullopt;
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
    if (decoded.source.get() == b.source.get()) return found_in_memory("bundle's source");
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
    if (auto error = truncations(bytes, [&](std::string_view prefix, const std::string& what) {
          (void)decode_bundle_from_bytes(prefix, decoder_, what);
        })) {
      return error;
    }
    // The bundle's own source, unless it is the whole source (checked
    // already): inside a bundle it is length-prefixed, so its decoder would
    // never see short bytes.
    const std::string own = encode_source(*b.source);
    if (decoded_root_ != nullptr && own == encode_source(*decoded_root_)) return std::nullopt;
    return truncations(own, [&](std::string_view prefix, const std::string& what) {
      (void)decode_source(prefix, decoder_, what);
    });
  }

  // split() of the decoded source gives the bundles split() of the original
  // gives, encoding for encoding.
  std::optional<std::string> same_split(const BoundedSource<T, P>& root, std::int64_t desired,
                                        const std::vector<Bundle>& original) {
    ++result_.cases;
    const std::string call = "split(" + std::to_string(desired) + ")";
    const auto again = root.split(desired, std::nullopt, std::nullopt);
    for (std::size_t i = 0; i < again.size() && i < original.size(); ++i) {
      const std::string a = encode_bundle_to_bytes(original[i]);
      const std::string b = encode_bundle_to_bytes(again[i]);
      if (a != b) {
        return call + ": bundle " + std::to_string(i) +
               " encodes differently from one call to the next (" + first_byte_difference(a, b) +
               "): it encodes something other than its value (an id, an address), which a "
               "worker cannot decode";
      }
    }
    const auto copy = decoded_root_->split(desired, std::nullopt, std::nullopt);
    if (copy.size() != original.size()) {
      return call + " of the decoded source gives " + std::to_string(copy.size()) +
             " bundles where the original gives " + std::to_string(original.size()) +
             ": the decoder loses an option that splitting uses";
    }
    for (std::size_t i = 0; i < copy.size(); ++i) {
      const std::string a = encode_bundle_to_bytes(original[i]);
      const std::string b = encode_bundle_to_bytes(copy[i]);
      if (a != b) {
        return call + " of the decoded source: bundle " + std::to_string(i) +
               " differs from the original's (" + first_byte_difference(a, b) +
               "): the decoder loses an option that splitting uses";
      }
    }
    return std::nullopt;
  }

  // Step 3 (and 4): bundle `b` read `k` records into, split halfway through
  // the rest. `accepted` tells whether the tracker took the split.
  std::optional<std::string> residual(const Bundle& b, std::int64_t k, bool& accepted,
                                      bool& threw) {
    accepted = false;
    threw = false;
    const std::string before = encode_bundle_to_bytes(b);
    const Bundle copy = decode_bundle_from_bytes(before, decoder_, "the bundle's encoding");
    const auto original_split = read_and_split(b, k);
    const auto copy_split = read_and_split(copy, k);
    if (const std::string after = encode_bundle_to_bytes(b); after != before) {
      return "reading the bundle and splitting its tracker changed its encoding (" +
             first_byte_difference(before, after) +
             "): state the read or the split mutates is encoded";
    }
    if (original_split.error || copy_split.error) {
      // A read or a split that throws is the split checks' to reject; the
      // decoded copy must only do the same.
      threw = true;
      if (original_split.error == copy_split.error) return std::nullopt;
      return "read " + std::to_string(k) + " records into and split halfway, the decoded bundle " +
             (copy_split.error ? "threw \"" + *copy_split.error + "\""
                               : std::string("did not throw")) +
             " where the original " +
             (original_split.error ? "threw \"" + *original_split.error + "\""
                                   : std::string("did not"));
    }
    const auto describe_split = [](const std::optional<SplitResult<P>>& s) {
      return s ? "accepted at " + describe_value(s->position) : std::string("refused");
    };
    if (original_split.split.has_value() != copy_split.split.has_value() ||
        (original_split.split && (encode_to_bytes(original_split.split->position) !=
                                      encode_to_bytes(copy_split.split->position) ||
                                  original_split.split->fraction != copy_split.split->fraction))) {
      return "read " + std::to_string(k) + " records into and split halfway, the decoded " +
             "bundle's tracker " + describe_split(copy_split.split) + " where the original's " +
             describe_split(original_split.split) + ": the decoder loses what splitting uses";
    }
    const std::optional<SplitResult<P>>& split = original_split.split;
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
  struct ReadAndSplit {
    std::optional<SplitResult<P>> split;
    std::optional<std::string> error;
  };

  // `b` read k records into, then its tracker split halfway through the
  // rest, then read to the end.
  ReadAndSplit read_and_split(const Bundle& b, std::int64_t k) {
    ReadAndSplit out;
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
      out.split = tracker->try_split(at);
      for (; it != records.end(); ++it) ++result_.records_read;
    } catch (...) {
      out.error = current_exception_message();
    }
    return out;
  }

  static std::string found_in_memory(const std::string& what) {
    return "the decoder returns the original " + what +
           " itself: it finds the object through memory (a pointer it holds, a table of "
           "objects), not the bytes, and a worker in another process has no such object";
  }

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
  std::shared_ptr<const BoundedSource<T, P>> decoded_root_;  // set by whole()

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
      if (auto error = cases.same_split(*source, desired, bundles)) {
        result.replay = "decode_source(encode_source(*source), decoder)->split(" +
                        std::to_string(desired) + ", nullopt, nullopt)";
        return result.fail(*error);
      }
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
    std::int64_t throwing = 0;
    for (const ResidualCase& c : residual_cases) {
      const auto& [desired, bundles] = splits[c.split];
      const std::string name =
          "split(" + std::to_string(desired) + ")[" + std::to_string(c.bundle) + "]";
      bool accepted = false;
      bool threw = false;
      if (auto error = cases.residual(bundles[c.bundle], c.k, accepted, threw)) {
        result.replay = "read " + std::to_string(c.k) + " records of source->" + name +
                        ", split its tracker halfway through the rest, then "
                        "decode_bundle_from_bytes(encode_bundle_to_bytes(residual), decoder)";
        return result.fail("bundle " + name + " after " + std::to_string(c.k) +
                           " records: " + *error);
      }
      if (accepted) ++made;
      if (threw) ++throwing;
    }
    if (throwing > 0) {
      result.notes.push_back(std::to_string(throwing) +
                             " residual cases threw while reading or splitting (the same in the "
                             "decoded copy): the split checks report those");
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
  // The source whose decoder this is, not another one from the factory: a
  // decoder holding its source must be seen returning it.
  const SourceFactory<T, P> same = [&source] { return source; };
  return check_source_serialization(same, decoder, options);
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SOURCE_SERIALIZATION_H_
