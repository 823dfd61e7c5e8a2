// Read(source): the transform a connector's users see.
//
// Following the connector guide, a connector exposes a function such as
// ReadFromCountingSource(count) that returns Read(source), and keeps the
// source class itself out of its public headers, so the implementation can
// change without breaking users. A Read is a cheap value that names what to
// read; a runner (LocalRunner) executes it:
//
//   LocalRunner runner(options);
//   ReadResult<std::int64_t> result = runner.run(ReadFromCountingSource(1000));
//
// The source must not be null (UsageError).

#ifndef SPLITCHECK_LIB_SOURCES_READ_H_
#define SPLITCHECK_LIB_SOURCES_READ_H_

#include <memory>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"

namespace splitcheck {

template <typename T, typename Position = std::int64_t>
class Read {
 public:
  using record_type = T;
  using position_type = Position;

  explicit Read(std::shared_ptr<const BoundedSource<T, Position>> source)
      : source_(std::move(source)) {
    if (source_ == nullptr) throw UsageError("Read: the source must not be null");
  }

  const std::shared_ptr<const BoundedSource<T, Position>>& source() const { return source_; }

 private:
  std::shared_ptr<const BoundedSource<T, Position>> source_;
};

template <typename Source>
Read(std::shared_ptr<Source>) -> Read<typename Source::record_type, typename Source::position_type>;

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_READ_H_
