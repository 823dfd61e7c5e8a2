// Sinks with one classic bug each, for the tests that prove the sink checks
// bite. Test-only; never use them for anything else.
//
// A BrokenLineSink writes lines to "<prefix>-<bundle>" shards through
// temporary files "<prefix>.tmp/<uid>", like a minimal FileBasedSink, except
// for its bug:
//   kNone                       correct (the control);
//   kFinalizeFailsIfTempMissing finalize renames without asking whether an
//                               earlier finalize already did: a rerun fails;
//   kPreFinalizeDeletesOutputs  pre_finalize deletes every existing shard (as
//                               Beam's Python sink does): a rerun after a
//                               partial finalize deletes moved shards;
//   kNoCleanup                  abandoned attempts' files are left behind.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_BROKEN_SINKS_H_
#define SPLITCHECK_TESTKIT_INTERNAL_BROKEN_SINKS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/file_system.h"
#include "splitcheck/lib/sink.h"

namespace splitcheck::testkit::internal {

enum class SinkBug { kNone, kFinalizeFailsIfTempMissing, kPreFinalizeDeletesOutputs, kNoCleanup };

class BrokenLineSink final : public Sink<std::string> {
 public:
  BrokenLineSink(std::shared_ptr<FileSystem> fs, std::string prefix, SinkBug bug)
      : fs_(std::move(fs)), prefix_(std::move(prefix)), bug_(bug) {}

  std::string initialize_write() const override { return prefix_ + ".tmp"; }

  std::unique_ptr<Writer<std::string>> open_writer(const std::string& init,
                                                   const std::string& uid) const override {
    return std::make_unique<LineWriter>(fs_->create(init + "/" + uid));
  }

  std::string pre_finalize(const std::string&, const std::vector<std::string>&) const override {
    if (bug_ == SinkBug::kPreFinalizeDeletesOutputs) {
      for (const FileMetadata& f : fs_->match(prefix_ + "-*", EmptyMatchTreatment::kAllow)) {
        fs_->remove(f.path);
      }
    }
    return "";
  }

  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    std::vector<std::string> outputs;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const std::string shard = prefix_ + "-" + std::to_string(i);
      const bool moved_before = !fs_->stat(results[i]) && fs_->stat(shard);
      if (bug_ == SinkBug::kFinalizeFailsIfTempMissing || !moved_before) {
        fs_->rename(results[i], shard);
      }
      outputs.push_back(shard);
    }
    if (bug_ != SinkBug::kNoCleanup) {
      for (const FileMetadata& f : fs_->list(init)) fs_->remove(f.path);
    }
    return outputs;
  }

  std::string debug_string() const override { return "BrokenLineSink(\"" + prefix_ + "\")"; }

 private:
  class LineWriter final : public Writer<std::string> {
   public:
    explicit LineWriter(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
    void write(const std::string& line) override {
      file_->append(line);
      file_->append("\n");
    }
    std::string close() override {
      const std::string path = file_->path();
      file_->close();
      return path;
    }

   private:
    std::unique_ptr<WritableFile> file_;
  };

  const std::shared_ptr<FileSystem> fs_;
  const std::string prefix_;
  const SinkBug bug_;
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_BROKEN_SINKS_H_
