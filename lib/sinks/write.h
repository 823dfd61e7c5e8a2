// Write(sink): the transform a connector's users see for output.
//
// As with Read, a connector exposes a function such as WriteToText(prefix)
// that returns Write(sink) and keeps the sink class out of its public
// headers. A runner executes it on a collection of records:
//
//   LocalRunner runner;
//   WriteResult result = runner.run(WriteToText("out/part"), lines);
//
// The sink must not be null (UsageError).

#ifndef SPLITCHECK_LIB_SINKS_WRITE_H_
#define SPLITCHECK_LIB_SINKS_WRITE_H_

#include <memory>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sinks/sink.h"

namespace splitcheck {

template <typename T>
class Write {
 public:
  using record_type = T;

  explicit Write(std::shared_ptr<const Sink<T>> sink) : sink_(std::move(sink)) {
    if (sink_ == nullptr) throw UsageError("Write: the sink must not be null");
  }

  const std::shared_ptr<const Sink<T>>& sink() const { return sink_; }

 private:
  std::shared_ptr<const Sink<T>> sink_;
};

template <typename S>
Write(std::shared_ptr<S>) -> Write<typename S::record_type>;

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SINKS_WRITE_H_
