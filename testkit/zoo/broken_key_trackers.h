// Key-range trackers, as a table connector over string keys would write
// them, each with one fraction-mapping bug the tracker contract checker used
// to let through (testkit/zoo/broken_key_trackers_test.cc):
//
//   kTinyFractionsToTheStart  position_at_fraction maps every fraction below
//                             1e-6 to the start key ("too small to matter"):
//                             a runner asking for a sliver gets no split.
//   kShortestKeyPastTarget    position_at_fraction returns the shortest key
//                             at or past the target, as splitcheck's own key
//                             tracker once did: on ["a", "c") every fraction
//                             from 1e-6 to 0.5 gives "b", so a runner asking
//                             for 10% gets 50%.
//
// Claims, splits and progress are a LexicographicKeyRangeTracker's. Never use
// them for anything else.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_KEY_TRACKERS_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_KEY_TRACKERS_H_

#include <optional>
#include <string>

#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck::examples::broken {

enum class KeyMappingBug { kNone, kTinyFractionsToTheStart, kShortestKeyPastTarget };

class BrokenKeyTracker final : public RangeTracker<std::string> {
 public:
  BrokenKeyTracker(const std::string& start, const std::string& stop, KeyMappingBug bug)
      : keys_(start, stop), bug_(bug) {}

  std::string start_position() const override { return keys_.start_position(); }
  std::string stop_position() const override { return keys_.stop_position(); }
  bool try_claim(const std::string& key) override { return keys_.try_claim(key); }
  void set_current_position(const std::string& key) override { keys_.set_current_position(key); }

  std::string position_at_fraction(double f) const override {
    std::string key = keys_.position_at_fraction(f);  // also rejects a bad fraction
    const std::string start = keys_.start_position();
    const std::string stop = keys_.stop_position();
    switch (bug_) {
      case KeyMappingBug::kTinyFractionsToTheStart:
        return f > 0 && f < 1e-6 ? start : key;
      case KeyMappingBug::kShortestKeyPastTarget:
        // Round the key up to its shortest prefix (plus one in its last byte)
        // that is still inside the range.
        for (std::size_t n = 1; n < key.size(); ++n) {
          std::string shorter = key.substr(0, n);
          while (!shorter.empty() && shorter.back() == '\xff') shorter.pop_back();
          if (shorter.empty()) break;
          shorter.back() = static_cast<char>(static_cast<unsigned char>(shorter.back()) + 1);
          if (start < shorter && (stop.empty() || shorter < stop)) return shorter;
        }
        return key;
      case KeyMappingBug::kNone:
        break;
    }
    return key;
  }

  std::optional<SplitResult<std::string>> try_split(const std::string& key) override {
    return keys_.try_split(key);
  }
  double fraction_consumed() const override { return keys_.fraction_consumed(); }
  SplitPoints split_points() const override { return keys_.split_points(); }
  void set_split_points_unclaimed_callback(
      SplitPointsUnclaimedCallback<std::string> callback) override {
    keys_.set_split_points_unclaimed_callback(std::move(callback));
  }
  std::string debug_string() const override { return "Broken" + keys_.debug_string(); }

 private:
  LexicographicKeyRangeTracker keys_;
  const KeyMappingBug bug_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_KEY_TRACKERS_H_
