// The machinery of mutation analysis (mutation_analysis.h): wrappers that
// put one generic, classic bug into a user's tracker, source or sink without
// knowing its code. Internal to the testkit.
//
//   MutantTracker<P>   wraps a RangeTracker; TrackerMutation picks the bug.
//   MutantSource<T, P> wraps a BoundedSource; its bundles are mutants too,
//                      and its trackers are MutantTrackers when the mutation
//                      is a tracker one.
//   MutantSink<T>      wraps a Sink.
//
// Each bug is the observable behaviour of a one-line mistake, emulated from
// outside: a split accepted at the last claimed position, a mapping that
// rounds down, a reader that emits the record after a refused claim, and so
// on (see the enums). Where a bug needs the reader to talk to the wrapper
// (the tracker must see the claims), and a source's read() needs its own
// tracker type (ConcatSource does), the mutation cannot be put in through the
// source: source_mutation_applies says so, and the analysis reports it as
// not applicable rather than as a pass.
//
// Thread safety as the wrapped objects': every wrapper may be used as the
// original is. Shared state (caches, the shared cursor of kSharedState, the
// completion order of kShardNamesByCompletion) is guarded by a mutex.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_MUTANTS_H_
#define SPLITCHECK_TESTKIT_INTERNAL_MUTANTS_H_

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/file_system_wrapper.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/trackers/range_tracker.h"
#include "splitcheck/testkit/internal/forwarding_sink.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/source/read_source.h"

namespace splitcheck::testkit::internal {

enum class TrackerMutation {
  kNone,
  // try_split at the last claimed position is accepted, and the range ends
  // there: the reader has emitted that record and the residual reads it too.
  kSplitAtLastClaim,
  // position_at_fraction rounds down: the previous distinct position, unless
  // the fraction is exactly a position's share.
  kFlooredPositions,
  // try_split reports its fraction as a share of what was left to read.
  kFractionOfRemainder,
  // fraction_consumed counts within the current eighth of the range and
  // forgets the eighths before: it jumps back seven times in a read.
  kProgressJumpsBack,
  // A refused claim does not end the range: later claims inside it are
  // accepted, splits too, and progress does not reach 1.
  kRefusedClaimNotFinal,
};

enum class SourceMutation {
  kNone,
  // The reader emits the record at its stop after the refused claim.
  kEmitsAfterRefusedClaim,
  // A reader of a range that does not start at the source's start skips the
  // first record.
  kSkipsFirstRecordOfInnerRange,
  // ... or emits it twice.
  kDuplicatesFirstRecordOfInnerRange,
  // split() ends its last bundle at the source's end, not at the stop asked.
  kLastBundleOverrunsStop,
  // Each bundle of split() but the first starts at the last record of the
  // one before.
  kBundlesOverlapByOne,
  // Readers keep their cursor in the source, shared by all of them.
  kSharedState,
};

enum class SinkMutation {
  kNone,
  // A writer commits its attempt in close(), before anyone chose it.
  kCommitsInClose,
  // finalize_write fails when called again for the same write.
  kFinalizeNotIdempotent,
  // Attempts of one bundle write the same temporary file (named by bundle,
  // not by attempt).
  kSharedTemporaryNames,
  // Shards are numbered in the order the writers closed, not by bundle.
  kShardNamesByCompletion,
  // abort_write does nothing: a write given up leaves what it staged.
  kAbortDoesNothing,
  // The sink's sync and sync_directory calls do nothing (the file system it
  // is given drops them): a power loss can take what it committed.
  kSyncsDropped,
  // The sink's sync_directory of a directory that holds directories and no
  // file does nothing: the entries of the directories a write made (create
  // makes missing parents) are never durable, and a power loss can take
  // them with everything under them.
  kParentSyncsDropped,
};

inline std::string_view mutation_name(TrackerMutation m) {
  switch (m) {
    case TrackerMutation::kNone:
      return "no mutation";
    case TrackerMutation::kSplitAtLastClaim:
      return "tracker: split accepted at the last claim";
    case TrackerMutation::kFlooredPositions:
      return "tracker: position_at_fraction rounds down";
    case TrackerMutation::kFractionOfRemainder:
      return "tracker: split fraction of the remainder";
    case TrackerMutation::kProgressJumpsBack:
      return "tracker: fraction_consumed jumps back";
    case TrackerMutation::kRefusedClaimNotFinal:
      return "tracker: a refused claim does not end the range";
  }
  return "?";
}

inline std::string_view mutation_name(SourceMutation m) {
  switch (m) {
    case SourceMutation::kNone:
      return "no mutation";
    case SourceMutation::kEmitsAfterRefusedClaim:
      return "source: a record emitted after a refused claim";
    case SourceMutation::kSkipsFirstRecordOfInnerRange:
      return "source: first record of a non-initial range skipped";
    case SourceMutation::kDuplicatesFirstRecordOfInnerRange:
      return "source: first record of a non-initial range duplicated";
    case SourceMutation::kLastBundleOverrunsStop:
      return "source: split()'s last bundle overruns its stop";
    case SourceMutation::kBundlesOverlapByOne:
      return "source: bundles overlap by one record";
    case SourceMutation::kSharedState:
      return "source: readers share a cursor";
  }
  return "?";
}

inline std::string_view mutation_name(SinkMutation m) {
  switch (m) {
    case SinkMutation::kNone:
      return "no mutation";
    case SinkMutation::kCommitsInClose:
      return "sink: a writer commits in close()";
    case SinkMutation::kFinalizeNotIdempotent:
      return "sink: finalize is not idempotent";
    case SinkMutation::kSharedTemporaryNames:
      return "sink: attempts share temporary names";
    case SinkMutation::kShardNamesByCompletion:
      return "sink: shard names from completion order";
    case SinkMutation::kAbortDoesNothing:
      return "sink: abort_write does nothing";
    case SinkMutation::kSyncsDropped:
      return "sink: syncs do nothing";
    case SinkMutation::kParentSyncsDropped:
      return "sink: syncs of new directories' parents do nothing";
  }
  return "?";
}

// What kFlooredPositions remembers: the previous distinct position of each
// position, per range, so that rounding down costs one bisection per position.
template <typename P>
class PreviousPositions {
 public:
  std::optional<P> find(const P& start, const P& stop, const P& p) const {
    splitcheck::internal::MutexLock lock(&mu_);
    const auto it = previous_.find(std::make_tuple(start, stop, p));
    if (it == previous_.end()) return std::nullopt;
    return it->second;
  }
  void remember(const P& start, const P& stop, const P& p, const P& previous) {
    splitcheck::internal::MutexLock lock(&mu_);
    previous_.emplace(std::make_tuple(start, stop, p), previous);
  }

 private:
  mutable splitcheck::internal::Mutex mu_;
  std::map<std::tuple<P, P, P>, P> previous_ SPLITCHECK_GUARDED_BY(mu_);
};

template <typename P>
class MutantTracker final : public RangeTracker<P> {
 public:
  using Factory = std::function<std::unique_ptr<RangeTracker<P>>(const P& start, const P& stop)>;

  // `remake` makes a fresh tracker for a range; kRefusedClaimNotFinal needs
  // it (the wrapped tracker is replaced by one that never saw the refusal).
  MutantTracker(std::unique_ptr<RangeTracker<P>> inner, TrackerMutation mutation,
                std::shared_ptr<PreviousPositions<P>> previous, Factory remake = nullptr)
      : mutation_(mutation),
        previous_(std::move(previous)),
        remake_(std::move(remake)),
        inner_(std::move(inner)),
        start_(inner_->start_position()) {}

  // The wrapped tracker, for a reader that needs its own type.
  RangeTracker<P>& inner() const { return *current(); }

  P start_position() const override { return start_; }

  P stop_position() const override {
    {
      splitcheck::internal::MutexLock lock(&mu_);
      if (stop_override_) return *stop_override_;
    }
    return current()->stop_position();
  }

  bool try_claim(const P& position) override {
    if (mutation_ == TrackerMutation::kSplitAtLastClaim) {
      splitcheck::internal::MutexLock lock(&mu_);
      if (done_) return false;
      if (stop_override_ && !(position < *stop_override_)) {
        if (last_claim_ && !(*last_claim_ < position)) {
          throw UsageError(debug_string() + ": claims must increase");
        }
        done_ = true;
        return false;
      }
    }
    const auto inner = current();
    const bool claimed = inner->try_claim(position);
    splitcheck::internal::MutexLock lock(&mu_);
    if (claimed) {
      last_claim_ = position;
      ++claims_;
      history_.emplace_back(true, position);
    } else if (mutation_ == TrackerMutation::kRefusedClaimNotFinal && remake_) {
      // Forget the refusal: a fresh tracker that saw every accepted call.
      auto fresh = remake_(start_, inner->stop_position());
      for (const auto& [claim, p] : history_) {
        if (claim) {
          fresh->try_claim(p);
        } else {
          fresh->set_current_position(p);
        }
      }
      inner_ = std::move(fresh);
    }
    return claimed;
  }

  void set_current_position(const P& position) override {
    current()->set_current_position(position);
    splitcheck::internal::MutexLock lock(&mu_);
    history_.emplace_back(false, position);
  }

  P position_at_fraction(double fraction) const override {
    const auto inner = current();
    P p = inner->position_at_fraction(fraction);
    if (mutation_ != TrackerMutation::kFlooredPositions || !(fraction > 0.0 && fraction < 1.0) ||
        p == start_) {
      return p;
    }
    // A fraction that is exactly the share of p (the top of the fractions
    // that map to p) rounds down to p itself.
    if (!(inner->position_at_fraction(std::nextafter(fraction, 2.0)) == p)) return p;
    const P stop = inner->stop_position();
    if (auto known = previous_->find(start_, stop, p)) return *known;
    double lo = 0.0;  // maps before p
    double hi = fraction;
    P below = inner->position_at_fraction(0.0);
    while (std::nextafter(lo, 2.0) < hi) {
      const double mid = lo + (hi - lo) / 2;
      P at = inner->position_at_fraction(mid);
      if (at < p) {
        lo = mid;
        below = std::move(at);
      } else {
        hi = mid;
      }
    }
    previous_->remember(start_, stop, p, below);
    return below;
  }

  std::optional<SplitResult<P>> try_split(const P& position) override {
    const auto inner = current();
    bool at_last_claim = false;
    {
      splitcheck::internal::MutexLock lock(&mu_);
      if (stop_override_ || done_) return std::nullopt;
      at_last_claim = mutation_ == TrackerMutation::kSplitAtLastClaim && last_claim_ &&
                      *last_claim_ == position;
    }
    if (at_last_claim) {
      // The share of the last claim is what the reader has consumed.
      const double fraction = inner->fraction_consumed();
      splitcheck::internal::MutexLock lock(&mu_);
      stop_override_ = position;
      return SplitResult<P>{position, fraction};
    }
    if (mutation_ == TrackerMutation::kFractionOfRemainder) {
      const double consumed = inner->fraction_consumed();
      auto split = inner->try_split(position);
      if (split && consumed < 1.0) {
        split->fraction = (split->fraction - consumed) / (1.0 - consumed);
      }
      return split;
    }
    return inner->try_split(position);
  }

  double fraction_consumed() const override {
    {
      splitcheck::internal::MutexLock lock(&mu_);
      if (done_) return 1.0;
    }
    const double f = current()->fraction_consumed();
    if (mutation_ == TrackerMutation::kProgressJumpsBack && f < 1.0) {
      return (f * 8 - std::floor(f * 8)) / 8;
    }
    return f;
  }

  SplitPoints split_points() const override {
    SplitPoints points = current()->split_points();
    splitcheck::internal::MutexLock lock(&mu_);
    if (done_) return SplitPoints{claims_, 0};
    return points;
  }

  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<P> callback) override {
    current()->set_split_points_unclaimed_callback(std::move(callback));
  }

  std::string debug_string() const override {
    return "mutant (" + std::string(mutation_name(mutation_)) + ") of " + current()->debug_string();
  }

 private:
  std::shared_ptr<RangeTracker<P>> current() const {
    splitcheck::internal::MutexLock lock(&mu_);
    return inner_;
  }

  const TrackerMutation mutation_;
  const std::shared_ptr<PreviousPositions<P>> previous_;
  const Factory remake_;
  mutable splitcheck::internal::Mutex mu_;
  // Replaced by kRefusedClaimNotFinal.
  std::shared_ptr<RangeTracker<P>> inner_ SPLITCHECK_GUARDED_BY(mu_);
  const P start_;
  std::optional<P> last_claim_ SPLITCHECK_GUARDED_BY(mu_);
  // kSplitAtLastClaim: where it ended the range.
  std::optional<P> stop_override_ SPLITCHECK_GUARDED_BY(mu_);
  // kSplitAtLastClaim: a claim past it was refused.
  bool done_ SPLITCHECK_GUARDED_BY(mu_) = false;
  std::int64_t claims_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  // (claim?, position) of accepted calls.
  std::vector<std::pair<bool, P>> history_ SPLITCHECK_GUARDED_BY(mu_);
};

// A tracker factory whose trackers carry `mutation`.
template <typename P>
typename MutantTracker<P>::Factory mutant_tracker_factory(
    typename MutantTracker<P>::Factory factory, TrackerMutation mutation) {
  auto previous = std::make_shared<PreviousPositions<P>>();
  return [factory, mutation, previous](const P& start, const P& stop) {
    return std::make_unique<MutantTracker<P>>(factory(start, stop), mutation, previous, factory);
  };
}

// What the mutants of one source share.
template <typename T, typename P>
struct SourceMutantState {
  std::shared_ptr<PreviousPositions<P>> previous = std::make_shared<PreviousPositions<P>>();
  std::atomic<std::size_t> cursor{0};  // kSharedState
};

// Whether a tracker mutation needs the reader to claim through the wrapper
// (else the reader gets the wrapped tracker, and only the callers outside it
// see the bug).
inline bool reader_sees(TrackerMutation m) {
  return m == TrackerMutation::kSplitAtLastClaim || m == TrackerMutation::kRefusedClaimNotFinal;
}

template <typename T, typename P>
class MutantSource final : public BoundedSource<T, P> {
 public:
  using Inner = std::shared_ptr<const BoundedSource<T, P>>;

  MutantSource(Inner inner, TrackerMutation tracker_mutation, SourceMutation source_mutation,
               std::shared_ptr<SourceMutantState<T, P>> state)
      : inner_(std::move(inner)),
        tracker_mutation_(tracker_mutation),
        source_mutation_(source_mutation),
        state_(std::move(state)) {
    const auto whole = inner_->get_range_tracker(std::nullopt, std::nullopt);
    whole_start_.emplace(whole->start_position());
    whole_stop_.emplace(whole->stop_position());
  }

  std::int64_t estimate_size() const override { return inner_->estimate_size(); }

  std::vector<SourceBundle<T, P>> split(std::int64_t desired_bundle_size, std::optional<P> start,
                                        std::optional<P> stop) const override {
    std::vector<SourceBundle<T, P>> bundles = inner_->split(desired_bundle_size, start, stop);
    if (source_mutation_ == SourceMutation::kLastBundleOverrunsStop && stop &&
        !(*stop == *whole_stop_) && !bundles.empty()) {
      bundles.back().stop = std::nullopt;  // the end of its source
    }
    if (source_mutation_ == SourceMutation::kBundlesOverlapByOne) overlap(bundles);
    for (auto& bundle : bundles) {
      if (bundle.source != nullptr) {
        bundle.source = std::make_shared<MutantSource>(bundle.source, tracker_mutation_,
                                                       source_mutation_, state_);
      }
    }
    return bundles;
  }

  std::unique_ptr<RangeTracker<P>> get_range_tracker(std::optional<P> start,
                                                     std::optional<P> stop) const override {
    auto tracker = inner_->get_range_tracker(std::move(start), std::move(stop));
    if (tracker_mutation_ == TrackerMutation::kNone || tracker == nullptr) return tracker;
    return std::make_unique<MutantTracker<P>>(std::move(tracker), tracker_mutation_,
                                              state_->previous);
  }

  Generator<T> read(RangeTracker<P>& tracker) const override {
    RangeTracker<P>* for_reader = &tracker;
    if (auto* mutant = dynamic_cast<MutantTracker<P>*>(&tracker);
        mutant != nullptr && !reader_sees(tracker_mutation_)) {
      for_reader = &mutant->inner();
    }
    return read_mutated(tracker, *for_reader);
  }

  std::string debug_string() const override { return "mutant of " + inner_->debug_string(); }

 private:
  Generator<T> read_mutated(RangeTracker<P>& tracker, RangeTracker<P>& for_reader) const {
    const bool inner_range = !(tracker.start_position() == *whole_start_);
    switch (source_mutation_) {
      case SourceMutation::kSkipsFirstRecordOfInnerRange:
      case SourceMutation::kDuplicatesFirstRecordOfInnerRange: {
        bool first = inner_range;
        for (T& record : inner_->read(for_reader)) {
          if (first && source_mutation_ == SourceMutation::kSkipsFirstRecordOfInnerRange) {
            first = false;
            continue;
          }
          if (first) {
            first = false;
            T copy = record;
            co_yield std::move(copy);
          }
          co_yield std::move(record);
        }
        break;
      }
      case SourceMutation::kEmitsAfterRefusedClaim: {
        for (T& record : inner_->read(for_reader)) co_yield std::move(record);
        const P stop = tracker.stop_position();
        if (!(stop == *whole_stop_)) {
          auto next = inner_->get_range_tracker(stop, *whole_stop_);
          for (T& record : inner_->read(*next)) {
            co_yield std::move(record);
            break;
          }
        }
        break;
      }
      case SourceMutation::kSharedState: {
        state_->cursor = 0;
        std::vector<T> buffer;
        for (T& record : inner_->read(for_reader)) {
          buffer.push_back(std::move(record));
          for (std::size_t i; (i = state_->cursor.load()) < buffer.size();) {
            state_->cursor = i + 1;
            T copy = buffer[i];
            co_yield std::move(copy);
          }
        }
        break;
      }
      default:
        for (T& record : inner_->read(for_reader)) co_yield std::move(record);
        break;
    }
  }

  // Moves each bundle's start back to the last record of the bundle before
  // it (when both name one source): the largest position p of the earlier
  // bundle's range such that [p, its stop) still holds a record.
  void overlap(std::vector<SourceBundle<T, P>>& bundles) const {
    for (std::size_t i = bundles.size(); i-- > 1;) {
      SourceBundle<T, P>& prev = bundles[i - 1];
      if (prev.source != bundles[i].source || prev.source == nullptr) continue;
      try {
        const auto tracker = prev.source->get_range_tracker(prev.start, prev.stop);
        const auto holds_a_record = [&](const P& p) {
          auto t = prev.source->get_range_tracker(p, prev.stop);
          for (T& record : prev.source->read(*t)) {
            (void)record;
            return true;
          }
          return false;
        };
        double lo = 0.0;  // [pos(lo), stop) holds a record
        double hi = 1.0;
        if (!holds_a_record(tracker->position_at_fraction(lo))) continue;
        while (std::nextafter(lo, 2.0) < hi) {
          const double mid = lo + (hi - lo) / 2;
          if (holds_a_record(tracker->position_at_fraction(mid))) {
            lo = mid;
          } else {
            hi = mid;
          }
        }
        bundles[i].start = tracker->position_at_fraction(lo);
      } catch (const Error&) {
        // No positions to take fractions of (a range of unknown size): as is.
      }
    }
  }

  const Inner inner_;
  const TrackerMutation tracker_mutation_;
  const SourceMutation source_mutation_;
  const std::shared_ptr<SourceMutantState<T, P>> state_;
  std::optional<P> whole_start_;
  std::optional<P> whole_stop_;
};

// Whether the source's read() accepts a tracker other than its own (a
// MutantTracker that changes nothing) and reads the same records through
// it; tracker mutations the reader must see need that. The reason if not.
template <typename T, typename P>
std::optional<std::string> reader_refuses_wrapped_trackers(
    const std::shared_ptr<const BoundedSource<T, P>>& source) {
  try {
    const std::vector<T> plain = read_from_source(*source);
    auto tracker = std::make_unique<MutantTracker<P>>(
        source->get_range_tracker(std::nullopt, std::nullopt), TrackerMutation::kNone,
        std::make_shared<PreviousPositions<P>>());
    std::vector<T> wrapped;
    for (T& record : source->read(*tracker)) wrapped.push_back(std::move(record));
    if (auto diff = first_list_difference(plain, wrapped)) {
      return "its read() reads differently through a wrapped tracker: " + *diff;
    }
    return std::nullopt;
  } catch (...) {
    return "its read() needs its own tracker type (" + current_exception_message() + ")";
  }
}

// The file system a kSyncsDropped mutant is given: every call but the syncs
// goes through.
class SyncDroppingFileSystem final : public FileSystemWrapper {
 public:
  using FileSystemWrapper::FileSystemWrapper;
  void sync(const std::string&) override {}
  void sync_directory(const std::string&) override {}
  std::string debug_string() const override {
    return "sync-dropping(" + base().debug_string() + ")";
  }
};

// The file system a kParentSyncsDropped mutant is given: a sync_directory
// of a directory that holds only directories (every path under it lies in
// a subdirectory) does nothing; every other call goes through. Counts what
// it dropped.
class ParentSyncDroppingFileSystem final : public FileSystemWrapper {
 public:
  using FileSystemWrapper::FileSystemWrapper;
  void sync_directory(const std::string& directory) override {
    std::string prefix = directory;
    if (!prefix.empty() && prefix.back() != '/') prefix.push_back('/');
    const std::vector<FileMetadata> under = base().list(directory);
    bool files_of_its_own = under.empty();
    for (const FileMetadata& f : under) {
      const std::size_t from = prefix.size() <= f.path.size() ? prefix.size() : f.path.size();
      files_of_its_own = files_of_its_own || f.path.find('/', from) == std::string::npos;
    }
    if (files_of_its_own) {
      base().sync_directory(directory);
    } else {
      dropped.fetch_add(1);
    }
  }
  std::string debug_string() const override {
    return "parent-sync-dropping(" + base().debug_string() + ")";
  }
  std::atomic<std::int64_t> dropped{0};
};

// What the mutants of one sink share: the writes already finalized, and the
// order in which writers closed.
struct SinkMutantState {
  splitcheck::internal::Mutex mu;
  std::set<std::string> finalized SPLITCHECK_GUARDED_BY(mu);
  // Results, in the order close() returned.
  std::vector<std::string> closed SPLITCHECK_GUARDED_BY(mu);
};

template <typename T>
class MutantSink final : public ForwardingSink<T> {
 public:
  MutantSink(std::shared_ptr<const Sink<T>> inner, SinkMutation mutation)
      : ForwardingSink<T>(std::move(inner)),
        mutation_(mutation),
        state_(std::make_shared<SinkMutantState>()) {}

  std::unique_ptr<Writer<T>> open_writer(const std::string& init,
                                         const std::string& uid) const override {
    std::string used = uid;
    if (mutation_ == SinkMutation::kSharedTemporaryNames) {
      const std::size_t attempt = uid.find("-a");
      if (attempt != std::string::npos) used = uid.substr(0, attempt);
    }
    return std::make_unique<MutantWriter>(this, init, this->inner().open_writer(init, used));
  }

  std::string pre_finalize(const std::string& init,
                           const std::vector<std::string>& results) const override {
    return this->inner().pre_finalize(init, reordered(results));
  }

  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string& pre) const override {
    if (mutation_ == SinkMutation::kFinalizeNotIdempotent) {
      splitcheck::internal::MutexLock lock(&state_->mu);
      if (!state_->finalized.insert(init).second) {
        throw InputError(debug_string() + ": this write was finalized already");
      }
    }
    return this->inner().finalize_write(init, reordered(results), pre);
  }

  void abort_write(const std::string& init,
                   const std::vector<std::string>& results) const override {
    if (mutation_ == SinkMutation::kAbortDoesNothing) return;
    this->inner().abort_write(init, reordered(results));
  }

  std::string debug_string() const override { return "mutant of " + this->inner().debug_string(); }

  // Serializable as the sink it wraps: its bytes, and a decoder that wraps
  // the decoded sink in the same mutation (code, as a decoder may carry),
  // so that the serialization check sees the mutant, not a sink that
  // cannot be encoded.
  void encode(ByteWriter& out) const override { this->inner().encode(out); }
  SinkDecoder<T> decoder() const override {
    SinkDecoder<T> inner = this->inner().decoder();
    if (!inner) return {};
    return [inner = std::move(inner),
            m = mutation_](ByteReader& in) -> std::shared_ptr<const Sink<T>> {
      std::shared_ptr<const Sink<T>> decoded = inner(in);
      if (decoded == nullptr) return nullptr;
      return std::make_shared<const MutantSink>(std::move(decoded), m);
    };
  }

 private:
  class MutantWriter final : public Writer<T> {
   public:
    MutantWriter(const MutantSink* sink, std::string init, std::unique_ptr<Writer<T>> inner)
        : sink_(sink), init_(std::move(init)), inner_(std::move(inner)) {}
    void write(const T& record) override { inner_->write(record); }
    std::string close() override {
      std::string result = inner_->close();
      if (sink_->mutation_ == SinkMutation::kCommitsInClose) {
        sink_->inner().finalize_write(init_, {result}, "");
      }
      splitcheck::internal::MutexLock lock(&sink_->state_->mu);
      sink_->state_->closed.push_back(result);
      return result;
    }

   private:
    const MutantSink* sink_;
    const std::string init_;
    const std::unique_ptr<Writer<T>> inner_;
  };

  // For kShardNamesByCompletion, the results in the order their writers
  // closed; otherwise as given.
  std::vector<std::string> reordered(const std::vector<std::string>& results) const {
    if (mutation_ != SinkMutation::kShardNamesByCompletion) return results;
    std::vector<std::string> closed;
    {
      splitcheck::internal::MutexLock lock(&state_->mu);
      closed = state_->closed;
    }
    std::vector<std::string> out = results;
    const auto rank = [&](const std::string& r) {
      return std::find(closed.begin(), closed.end(), r) - closed.begin();
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    return out;
  }

  const SinkMutation mutation_;
  const std::shared_ptr<SinkMutantState> state_;
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_MUTANTS_H_
