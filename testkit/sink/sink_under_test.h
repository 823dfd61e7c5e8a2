// SinkUnderTest<T>: what the sink checks need to know about a sink.
//
// Every write a check makes gets a SinkEnvironment of its own: a fresh
// in-memory file system (behind a FaultInjectingFileSystem, so file
// operations are fault points), the FaultPoints a sink over another store
// marks its external calls with (faults.before("insert"), faults.after(...)),
// and a run name unique within the check, for a store that needs a fresh
// database per run. Run names recur from one check to the next (and the
// mutation analysis prefixes them per mutant): a store keyed by run name
// alone should also carry a tag of its SinkUnderTest, as
// examples/kv/kv_conformance_test.cc does.

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_UNDER_TEST_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_UNDER_TEST_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/testkit/faults/fault_points.h"

namespace splitcheck::testkit {

// What one write of a check runs in.
struct SinkEnvironment {
  // The file system the sink must use (faults are injected through it).
  std::shared_ptr<FileSystem> file_system;
  // Where a store that is not a file system marks its own fault points.
  std::shared_ptr<FaultPoints> faults;
  // A name no other write of the check shares: a store of its own per write
  // (a database file, a schema) can be keyed on it.
  std::string run_id;
};

// A fresh sink writing to a destination (a path prefix for files, a table
// for a database), a way to read back what it committed there, and the
// records to write. Two different destinations must not share outputs.
template <typename T>
struct SinkUnderTest {
  std::function<std::shared_ptr<const Sink<T>>(const SinkEnvironment& env,
                                               const std::string& destination)>
      make_sink;
  // Every record committed at `destination`, in a deterministic order. `env`
  // is the write's, with no fault left to fire.
  std::function<std::vector<T>(const SinkEnvironment& env, const std::string& destination)>
      read_back;
  // Optional, for stores other than files: temporary state the writes left
  // (staging tables, ...), described, or nothing. Files left over are found
  // without it.
  std::function<std::optional<std::string>(const SinkEnvironment& env)> leftovers;
  std::vector<T> records;
  // Where the checks write (the isolation check adds others beside it).
  std::string destination = "out/data";
};

// For read_back of a sink that writes uncompressed lines: the '\n'-separated
// lines of every file matching `pattern` (a glob; none is fine), file by file
// in path order, each file's lines in order. A last line without '\n'
// counts. Not sorted: the order-independence check compares read-backs as
// lists, and a sink that puts records in the wrong shard must show it.
inline std::vector<std::string> committed_lines(const SinkEnvironment& env,
                                                const std::string& pattern) {
  std::vector<std::string> lines;
  for (const FileMetadata& file : env.file_system->match(pattern, EmptyMatchTreatment::kAllow)) {
    const std::string bytes = env.file_system->read_all(file.path);
    for (std::size_t begin = 0; begin < bytes.size();) {
      std::size_t end = bytes.find('\n', begin);
      if (end == std::string::npos) end = bytes.size();
      lines.push_back(bytes.substr(begin, end - begin));
      begin = end + 1;
    }
  }
  return lines;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_UNDER_TEST_H_
