// ForwardingSink<T>: a sink that passes every call to another one, for the
// testkit's wrappers (a mutant, a finalize that fails for good, a crash
// check's sink) to override only the calls they change. Internal to the
// testkit.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_FORWARDING_SINK_H_
#define SPLITCHECK_TESTKIT_INTERNAL_FORWARDING_SINK_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sinks/sink.h"

namespace splitcheck::testkit::internal {

template <typename T>
class ForwardingSink : public Sink<T> {
 public:
  explicit ForwardingSink(std::shared_ptr<const Sink<T>> inner) : inner_(std::move(inner)) {
    if (inner_ == nullptr) throw UsageError("ForwardingSink: the sink is null");
  }

  std::string initialize_write() const override { return inner_->initialize_write(); }
  std::unique_ptr<Writer<T>> open_writer(const std::string& init,
                                         const std::string& uid) const override {
    return inner_->open_writer(init, uid);
  }
  std::string pre_finalize(const std::string& init,
                           const std::vector<std::string>& results) const override {
    return inner_->pre_finalize(init, results);
  }
  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string& pre) const override {
    return inner_->finalize_write(init, results, pre);
  }
  void abort_write(const std::string& init,
                   const std::vector<std::string>& results) const override {
    inner_->abort_write(init, results);
  }
  std::optional<int> num_shards() const override { return inner_->num_shards(); }
  std::string debug_string() const override { return inner_->debug_string(); }

 protected:
  const Sink<T>& inner() const { return *inner_; }

 private:
  const std::shared_ptr<const Sink<T>> inner_;
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_FORWARDING_SINK_H_
