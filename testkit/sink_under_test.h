// SinkUnderTest<T>: what the sink checks need to know about a sink.

#ifndef SPLITCHECK_TESTKIT_SINK_UNDER_TEST_H_
#define SPLITCHECK_TESTKIT_SINK_UNDER_TEST_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/file_system.h"
#include "splitcheck/lib/sink.h"

namespace splitcheck::testkit {

// What the sink checks need: a fresh sink writing to a named place (a path
// prefix for files, a table for a database) through a file system, a way to
// read back what it committed there, and the records to write. Two
// different places must not share outputs.
template <typename T>
struct SinkUnderTest {
  std::function<std::shared_ptr<const Sink<T>>(std::shared_ptr<FileSystem> file_system,
                                               const std::string& place)>
      make_sink;
  // Every record committed at `place`, in a deterministic order.
  std::function<std::vector<T>(std::shared_ptr<FileSystem> file_system,
                               const std::string& place)>
      read_back;
  std::vector<T> records;
  std::string place = "out/data";
};

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_UNDER_TEST_H_
