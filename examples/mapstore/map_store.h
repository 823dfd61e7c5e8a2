// MapStore: a key-value store held in the test's process, with a durability
// model, as the example of the testkit's wrapper API for a store that is
// neither a file system nor SQLite (docs/testkit.md, "Stores").
//
// A connector over a real store does the same three things this one does:
//   * each call that changes the store is a fault point: FaultPoints::before
//     ("put <key>") ahead of it and after(...) behind it, so the sink checks
//     can fail it, acknowledge it and then fail (the call happened, the
//     caller saw an error), or crash the machine there;
//   * the store says what a power loss would keep (CrashableStore): here,
//     everything flushed, and of what was put or erased since the last
//     flush() any subset, as a store that persists writes out of order
//     (or a cache that writes them back in its own order) may keep. Listed
//     up to CrashModel::max_states: none, all, each change alone, all but
//     each one, then each prefix in call order; marked sampled when that
//     leaves subsets out (from four changes pending on);
//   * it registers itself with the write's FaultPoints (attach), so the
//     crash check recovers each of those states.
// put, erase and flush never hold the store's lock across a fault point:
// the crash check's handler lists the states from inside one.
//
// A store is found by name (named()): the crash check's recovery makes a
// new sink, in a new environment with the same run id, which must find the
// store the crashed write left. It lives as long as someone holds it (a
// sink, or the FaultPoints it is attached to). Thread-safe.
//
// `StoreBug` makes a broken store, kept to prove the crash check rejects a
// store that lists no crash state or cannot restore one
// (map_sink_test.cc); never use them for anything else.

#ifndef SPLITCHECK_EXAMPLES_MAPSTORE_MAP_STORE_H_
#define SPLITCHECK_EXAMPLES_MAPSTORE_MAP_STORE_H_

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/testkit/faults/crashable_store.h"
#include "splitcheck/testkit/faults/fault_points.h"

namespace splitcheck::examples {

enum class StoreBug {
  kNone,
  kListsNoStates,  // crash_states() returns nothing
  kRestoreThrows,  // restore() of any state but the first throws
};

class MapStore final : public testkit::CrashableStore,
                       public std::enable_shared_from_this<MapStore> {
 public:
  using Contents = std::map<std::string, std::string>;

  // The store named `name` in this process: the live one, or a new, empty
  // one.
  static std::shared_ptr<MapStore> named(const std::string& name, StoreBug bug = StoreBug::kNone) {
    static std::mutex mu;
    static std::map<std::string, std::weak_ptr<MapStore>> stores;
    std::lock_guard<std::mutex> lock(mu);
    if (std::shared_ptr<MapStore> store = stores[name].lock()) return store;
    std::erase_if(stores, [](const auto& entry) { return entry.second.expired(); });
    auto store = std::shared_ptr<MapStore>(new MapStore(name, bug));
    stores[name] = store;
    return store;
  }

  // From now on, the store's calls are points of `faults`, and its crash
  // states are recovered by a crash there.
  void attach(const std::shared_ptr<testkit::FaultPoints>& faults) {
    if (faults == nullptr) throw UsageError("MapStore::attach: the fault points are null");
    faults->add_store(shared_from_this());
    std::lock_guard<std::mutex> lock(mu_);
    faults_ = faults;
  }

  void put(const std::string& key, const std::string& value) {
    change("put " + key, Change{key, value});
  }
  void erase(const std::string& key) { change("erase " + key, Change{key, std::nullopt}); }
  // Makes every change so far durable.
  void flush() {
    const auto faults = points();
    if (faults) faults->before("flush " + name_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      durable_ = applied_;
      pending_.clear();
    }
    if (faults) faults->after("flush " + name_);
  }

  // What is in the store now (applied, durable or not).
  Contents contents() const {
    std::lock_guard<std::mutex> lock(mu_);
    return applied_;
  }

  // The keys starting with `prefix`, in order.
  std::vector<std::string> keys_with_prefix(const std::string& prefix) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> keys;
    for (auto it = applied_.lower_bound(prefix);
         it != applied_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      keys.push_back(it->first);
    }
    return keys;
  }

  std::optional<std::string> get(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = applied_.find(key);
    if (it == applied_.end()) return std::nullopt;
    return it->second;
  }

  std::vector<testkit::StoreCrashState> crash_states(const CrashModel& model) const override {
    if (model.max_states < 1) {
      throw UsageError("MapStore::crash_states: max_states " + std::to_string(model.max_states) +
                       " must be at least 1");
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (bug_ == StoreBug::kListsNoStates) return {};
    // Which of the pending changes each state keeps.
    const std::size_t n = pending_.size();
    const auto max_states = static_cast<std::size_t>(model.max_states);
    std::vector<std::vector<bool>> keeps;
    const auto add = [&](std::vector<bool> keep) {
      if (keeps.size() < max_states && std::find(keeps.begin(), keeps.end(), keep) == keeps.end()) {
        keeps.push_back(std::move(keep));
      }
    };
    add(std::vector<bool>(n, false));  // the most pessimistic
    add(std::vector<bool>(n, true));   // the most optimistic
    for (std::size_t c = 0; c < n; ++c) {
      std::vector<bool> only(n, false), all_but(n, true);
      only[c] = true;
      all_but[c] = false;
      add(only);     // a later change kept, every earlier one lost
      add(all_but);  // an earlier one lost, every later one kept
    }
    for (std::size_t cut = 1; cut < n; ++cut) {
      std::vector<bool> prefix(n, false);
      std::fill(prefix.begin(), prefix.begin() + static_cast<std::ptrdiff_t>(cut), true);
      add(prefix);
    }
    const bool sampled = n >= 30 || keeps.size() < (std::size_t{1} << n);
    std::vector<testkit::StoreCrashState> states;
    for (std::size_t i = 0; i < keeps.size(); ++i) {
      testkit::StoreCrashState state;
      state.sampled = sampled;
      Contents image = durable_;
      for (std::size_t c = 0; c < n; ++c) {
        const Change& change = pending_[c];
        (keeps[i][c] ? state.survived : state.lost).push_back(change.describe());
        if (!keeps[i][c]) continue;
        if (change.value) {
          image[change.key] = *change.value;
        } else {
          image.erase(change.key);
        }
      }
      const bool throws = bug_ == StoreBug::kRestoreThrows && i > 0;
      std::weak_ptr<const MapStore> self = weak_from_this();
      state.restore = [self, image = std::move(image), throws, name = name_] {
        if (throws) throw InputError("MapStore \"" + name + "\": cannot restore");
        const auto store = std::const_pointer_cast<MapStore>(self.lock());
        if (store == nullptr) throw UsageError("MapStore \"" + name + "\" is gone");
        std::lock_guard<std::mutex> lock(store->mu_);
        store->applied_ = image;
        store->durable_ = image;
        store->pending_.clear();
      };
      states.push_back(std::move(state));
    }
    return states;
  }

  std::string debug_string() const override { return "MapStore(\"" + name_ + "\")"; }
  const std::string& name() const { return name_; }

 private:
  struct Change {
    std::string key;
    std::optional<std::string> value;  // none: an erase
    std::string describe() const { return (value ? "put " : "erase ") + key; }
  };

  MapStore(std::string name, StoreBug bug) : name_(std::move(name)), bug_(bug) {}

  std::shared_ptr<testkit::FaultPoints> points() const {
    std::lock_guard<std::mutex> lock(mu_);
    return faults_.lock();
  }

  void change(const std::string& call, Change change) {
    const auto faults = points();
    if (faults) faults->before(call);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (change.value) {
        applied_[change.key] = *change.value;
      } else {
        applied_.erase(change.key);
      }
      pending_.push_back(std::move(change));
    }
    if (faults) faults->after(call);
  }

  const std::string name_;
  const StoreBug bug_;
  mutable std::mutex mu_;
  std::weak_ptr<testkit::FaultPoints> faults_;
  Contents applied_;
  Contents durable_;
  std::vector<Change> pending_;  // since the last flush, in call order
};

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_MAPSTORE_MAP_STORE_H_
