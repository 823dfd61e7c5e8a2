// CrashAwareSink: a sink whose calls, once the machine is down, end in a
// MachineCrash whatever they threw. Internal to the crash check.
//
// A store reached through a C library (SQLite through SqliteFaultVfs)
// cannot pass the crash on as an exception: the library sees an I/O error
// and the sink throws its own error for it. When the fault points say the
// machine is down, that error is the crash, and the runner must stop as it
// does for a MachineCrash (no retry, no abort_write).

#ifndef SPLITCHECK_TESTKIT_INTERNAL_CRASH_AWARE_SINK_H_
#define SPLITCHECK_TESTKIT_INTERNAL_CRASH_AWARE_SINK_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/internal/forwarding_sink.h"

namespace splitcheck::testkit::internal {

// Runs `call`; if it throws while `points` has crashed, throws MachineCrash
// naming what it threw.
template <typename Call>
auto unless_crashed(const FaultPoints& points, Call call) -> decltype(call()) {
  try {
    return call();
  } catch (const MachineCrash&) {
    throw;
  } catch (const std::exception& e) {
    if (points.crashed()) throw MachineCrash(std::string("the machine is down: ") + e.what());
    throw;
  }
}

template <typename T>
class CrashAwareSink final : public ForwardingSink<T> {
 public:
  CrashAwareSink(std::shared_ptr<const Sink<T>> inner, std::shared_ptr<FaultPoints> points)
      : ForwardingSink<T>(std::move(inner)), points_(std::move(points)) {}

  std::string initialize_write() const override {
    return unless_crashed(*points_, [&] { return this->inner().initialize_write(); });
  }
  std::unique_ptr<Writer<T>> open_writer(const std::string& init,
                                         const std::string& uid) const override {
    return std::make_unique<AwareWriter>(
        unless_crashed(*points_, [&] { return this->inner().open_writer(init, uid); }), points_);
  }
  std::string pre_finalize(const std::string& init,
                           const std::vector<std::string>& results) const override {
    return unless_crashed(*points_, [&] { return this->inner().pre_finalize(init, results); });
  }
  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string& pre) const override {
    return unless_crashed(*points_,
                          [&] { return this->inner().finalize_write(init, results, pre); });
  }
  void abort_write(const std::string& init,
                   const std::vector<std::string>& results) const override {
    unless_crashed(*points_, [&] { this->inner().abort_write(init, results); });
  }

 private:
  class AwareWriter final : public Writer<T> {
   public:
    AwareWriter(std::unique_ptr<Writer<T>> inner, std::shared_ptr<FaultPoints> points)
        : inner_(std::move(inner)), points_(std::move(points)) {}
    void write(const T& record) override {
      unless_crashed(*points_, [&] { inner_->write(record); });
    }
    std::string close() override {
      return unless_crashed(*points_, [&] { return inner_->close(); });
    }

   private:
    const std::unique_ptr<Writer<T>> inner_;
    const std::shared_ptr<FaultPoints> points_;
  };

  const std::shared_ptr<FaultPoints> points_;
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_CRASH_AWARE_SINK_H_
