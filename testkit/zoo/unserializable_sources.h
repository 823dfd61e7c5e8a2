// A ledger of numbered entries, "<label> <n>" for n in [first, first +
// count), that reads correctly in one process and breaks on the way to a
// worker in another. One bug each, all passing every check of the battery
// that runs in one address space; check_source_serialization rejects each
// (testkit/zoo/unserializable_sources_test.cc):
//
//   kForgetsTheLabel          encode() writes the numbers but not the label
//                             (an option with a default): a worker reads
//                             "entry 7" where the source read "invoice 7".
//   kSavesAResumePoint        read() remembers the last number it claimed
//                             ("so that a retried bundle can resume") and
//                             encode() writes it: a bundle sent after a read
//                             has started skips what was read.
//   kDefaultsMissingFields    the decoder treats a field missing at the end
//                             of the bytes as its default: a truncated
//                             message becomes a ledger of no entries, data
//                             lost without an error.
//   kNotSerializable          neither encode() nor decoder(): the base
//                             class's, which say so.
//   kIgnoresTheVersion        every ledger writes a format version (0); this
//                             decoder reads it and ignores it, where the
//                             others refuse any other: bytes encode() did not
//                             write decode without an error.
//
//   kDecodesToItself          the decoder holds the source it came from and
//                             returns it, whatever the bytes say: a worker
//                             forked after it was made still has it, so
//                             only the serialization check, which sees the
//                             original come back, rejects it.
//
// And LedgerPartsSource, whose split() makes each bundle a new part kept in
// a process-wide table and encodes a part as its index there; its decoder
// copies the part it finds. The bundles of two split() calls encode
// differently (the serialization check rejects that), and the worker
// processes of check_dynamic_split_schedules, forked before the runner's
// split, have no such part (the schedules reject it): what a real cluster
// would do to a bundle that names memory.
//
// Never use them for anything else.

#ifndef SPLITCHECK_TESTKIT_ZOO_UNSERIALIZABLE_SOURCES_H_
#define SPLITCHECK_TESTKIT_ZOO_UNSERIALIZABLE_SOURCES_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::examples::broken {

enum class LedgerBug {
  kNone,
  kForgetsTheLabel,
  kSavesAResumePoint,
  kDefaultsMissingFields,
  kNotSerializable,
  kDecodesToItself,
  kIgnoresTheVersion,
};

class LedgerSource final : public BoundedSource<std::string> {
 public:
  LedgerSource(std::int64_t first, std::int64_t count, std::string label, LedgerBug bug,
               std::int64_t resume_at = 0)
      : first_(first), count_(count), label_(std::move(label)), bug_(bug), resume_at_(resume_at) {
    if (first < 0 || count < 0) throw UsageError("LedgerSource: negative first number or count");
  }

  std::int64_t estimate_size() const override { return count_; }

  std::vector<SourceBundle<std::string>> split(std::int64_t desired,
                                               std::optional<std::int64_t> start,
                                               std::optional<std::int64_t> stop) const override {
    return split_offset_range<std::string>(self(), start.value_or(first_),
                                           stop.value_or(first_ + count_), desired);
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    const std::int64_t from = std::max(start.value_or(first_), resume_at_);
    return std::make_unique<OffsetRangeTracker>(from, stop.value_or(first_ + count_));
  }

  Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t n = tracker.start_position(); tracker.try_claim(n); ++n) {
      if (bug_ == LedgerBug::kSavesAResumePoint) last_claimed_.store(n);
      co_yield label_ + " " + std::to_string(n);
    }
  }

  std::string debug_string() const override {
    return "LedgerSource(" + std::to_string(first_) + ", " + std::to_string(count_) + ")";
  }

  void encode(ByteWriter& out) const override {
    if (bug_ == LedgerBug::kNotSerializable) return BoundedSource::encode(out);
    out.put_string("LedgerSource");
    out.put_varint(static_cast<std::uint64_t>(bug_));
    out.put_varint(0);  // the format's version
    out.put_varint(static_cast<std::uint64_t>(first_));
    out.put_varint(static_cast<std::uint64_t>(count_));
    if (bug_ != LedgerBug::kForgetsTheLabel) out.put_string(label_);
    if (bug_ == LedgerBug::kSavesAResumePoint)
      out.put_varint(static_cast<std::uint64_t>(last_claimed_.load()));
  }

  SourceDecoder<std::string> decoder() const override {
    if (bug_ == LedgerBug::kNotSerializable) return BoundedSource::decoder();
    if (bug_ == LedgerBug::kDecodesToItself) {
      return [me = self()](ByteReader& in) -> std::shared_ptr<const BoundedSource<std::string>> {
        (void)decode(in);  // reads the bytes, then ignores them
        return me;
      };
    }
    return decoder_of<LedgerSource>();
  }

  static std::shared_ptr<const LedgerSource> decode(ByteReader& in) {
    in.expect_tag("LedgerSource");
    const std::size_t at = in.offset();
    const std::uint64_t bug = in.get_varint("bug");
    if (bug > static_cast<std::uint64_t>(LedgerBug::kIgnoresTheVersion)) {
      in.fail(at, "bug", std::to_string(bug) + " names no bug");
    }
    const auto b = static_cast<LedgerBug>(bug);
    // A ledger that is not serializable writes nothing to decode.
    if (b == LedgerBug::kNotSerializable) in.fail(at, "bug", "a ledger that encodes nothing");
    const std::size_t version_at = in.offset();
    const std::uint64_t version = in.get_varint("version");
    if (version != 0 && b != LedgerBug::kIgnoresTheVersion) {
      in.fail(version_at, "version", std::to_string(version) + " is not a version of the format");
    }
    const bool lenient = b == LedgerBug::kDefaultsMissingFields;
    const auto number = [&](const char* field) -> std::int64_t {
      if (lenient && in.at_end()) return 0;
      const std::size_t begin = in.offset();
      const std::uint64_t v = in.get_varint(field);
      if (v > static_cast<std::uint64_t>(INT64_MAX / 2)) in.fail(begin, field, "too large");
      return static_cast<std::int64_t>(v);
    };
    const std::int64_t first = number("first");
    const std::int64_t count = number("count");
    std::string label = "entry";
    if (b != LedgerBug::kForgetsTheLabel && !(lenient && in.at_end()))
      label = in.get_string("label");
    const std::int64_t resume = b == LedgerBug::kSavesAResumePoint ? number("resume point") : 0;
    return std::make_shared<const LedgerSource>(first, count, std::move(label), b, resume);
  }

 private:
  const std::int64_t first_;
  const std::int64_t count_;
  const std::string label_;
  const LedgerBug bug_;
  const std::int64_t resume_at_;  // where a decoded copy starts reading
  mutable std::atomic<std::int64_t> last_claimed_{0};
};

class LedgerPartsSource final : public BoundedSource<std::string> {
 public:
  LedgerPartsSource(std::int64_t first, std::int64_t count) : first_(first), count_(count) {}

  std::int64_t estimate_size() const override { return count_; }

  std::vector<SourceBundle<std::string>> split(std::int64_t desired,
                                               std::optional<std::int64_t> start,
                                               std::optional<std::int64_t> stop) const override {
    auto bundles = split_offset_range<std::string>(self(), start.value_or(first_),
                                                   stop.value_or(first_ + count_), desired);
    for (auto& b : bundles) b.source = Part::make(*b.start, *b.stop);
    return bundles;
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<OffsetRangeTracker>(start.value_or(first_),
                                                stop.value_or(first_ + count_));
  }

  Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t n = tracker.start_position(); tracker.try_claim(n); ++n) {
      co_yield "part entry " + std::to_string(n);
    }
  }

  std::string debug_string() const override { return "LedgerPartsSource"; }

  void encode(ByteWriter& out) const override {
    out.put_string("LedgerParts");
    out.put_signed(first_);
    out.put_signed(count_);
  }

  SourceDecoder<std::string> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<std::string>> {
      const std::size_t at = in.offset();
      const std::string tag = in.get_string("tag");
      if (tag == "LedgerParts") {
        const std::int64_t first = in.get_signed("first");
        const std::int64_t count = in.get_signed("count");
        return std::make_shared<const LedgerPartsSource>(first, count);
      }
      if (tag != "LedgerPart") in.fail(at, "tag", "\"" + tag + "\" is not a ledger's");
      const std::size_t id_at = in.offset();
      const std::uint64_t id = in.get_varint("part");
      auto part = Part::find(id);
      if (part == nullptr) {
        in.fail(id_at, "part", "no part " + std::to_string(id) + " in this process");
      }
      return std::make_shared<const Part>(*part);
    };
  }

 private:
  // The records [a, b) of a ledger; encoded as its index in the table.
  class Part final : public BoundedSource<std::string> {
   public:
    Part(std::int64_t a, std::int64_t b, std::uint64_t id) : a_(a), b_(b), id_(id) {}
    Part(const Part& other)
        : BoundedSource<std::string>(), a_(other.a_), b_(other.b_), id_(other.id_) {}

    static std::shared_ptr<const Part> make(std::int64_t a, std::int64_t b) {
      std::lock_guard<std::mutex> lock(table_mu());
      auto part = std::make_shared<const Part>(a, b, table().size());
      table().push_back(part);
      return part;
    }
    static std::shared_ptr<const Part> find(std::uint64_t id) {
      std::lock_guard<std::mutex> lock(table_mu());
      return id < table().size() ? table()[id] : nullptr;
    }

    std::int64_t estimate_size() const override { return b_ - a_; }
    std::vector<SourceBundle<std::string>> split(std::int64_t desired,
                                                 std::optional<std::int64_t> start,
                                                 std::optional<std::int64_t> stop) const override {
      return split_offset_range<std::string>(self(), start.value_or(a_), stop.value_or(b_),
                                             desired);
    }
    std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
        std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
      return std::make_unique<OffsetRangeTracker>(start.value_or(a_), stop.value_or(b_));
    }
    Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
      for (std::int64_t n = tracker.start_position(); tracker.try_claim(n); ++n) {
        co_yield "part entry " + std::to_string(n);
      }
    }
    std::string debug_string() const override { return "LedgerPart " + std::to_string(id_); }
    void encode(ByteWriter& out) const override {
      out.put_string("LedgerPart");
      out.put_varint(id_);
    }
    SourceDecoder<std::string> decoder() const override {
      return LedgerPartsSource(0, 0).decoder();
    }

   private:
    static std::mutex& table_mu() {
      static std::mutex mu;
      return mu;
    }
    static std::vector<std::shared_ptr<const Part>>& table() {
      static std::vector<std::shared_ptr<const Part>> parts;
      return parts;
    }

    const std::int64_t a_;
    const std::int64_t b_;
    const std::uint64_t id_;
  };

  const std::int64_t first_;
  const std::int64_t count_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_UNSERIALIZABLE_SOURCES_H_
