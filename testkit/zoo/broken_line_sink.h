// A line sink with one classic bug at a time, kept to prove the sink checks
// reject each (testkit/sink/sink_checks_test.cc names the check for every bug).
// Never use it for anything else.
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
//   kNoCleanup                  abandoned attempts' files are left behind;
//   kSharedTempName             attempts of one bundle share a temporary file;
//   kShardNamesByCompletion     a shard's number is the order its writer
//                               closed in, not its bundle;
//   kCommitInClose              close() writes the records to the output
//                               itself: an unused attempt still commits;
//   kRenameBeforeSync           close() does not sync the temporary file;
//                               finalize renames it, syncs the directory,
//                               and only then syncs the shard: a crash in
//                               between keeps an empty shard;
//   kNoTempDirectorySync        close() syncs the temporary file but not its
//                               directory: a crash can lose the file whose
//                               result the runner already holds;
//   kNoOutputDirectorySync      finalize never syncs the output directory: a
//                               crash after the write can undo its renames;
//   kNoNewDirectorySync         close() syncs the file and the temporary
//                               directory's entries, but never the
//                               directories above it that create made: a
//                               crash can lose the temporary directory and
//                               every file in it;
//   kNoAbort                    abort_write does nothing: a write the runner
//                               gives up on leaves its attempts' files;
//   kForgetsTheSuffix           encode() leaves out the shard names' suffix
//                               and the decoder takes none: a finalize on a
//                               decoded copy (another machine's) names the
//                               shards without it.
// The control is crash-safe: close() syncs the file, the temporary
// directory and the directories above it before it returns; finalize syncs the output directory
// after its renames and the temporary directory after its removals. Its abort_write removes the
// temporary files and, once finalize has run, the shards.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_LINE_SINK_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_LINE_SINK_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/sinks/sink.h"

namespace splitcheck::examples::broken {

enum class SinkBug {
  kNone,
  kFinalizeFailsIfTempMissing,
  kPreFinalizeDeletesOutputs,
  kNoCleanup,
  kSharedTempName,
  kShardNamesByCompletion,
  kCommitInClose,
  kRenameBeforeSync,
  kNoTempDirectorySync,
  kNoOutputDirectorySync,
  kNoNewDirectorySync,
  kNoAbort,
  kForgetsTheSuffix,
};

class BrokenLineSink final : public Sink<std::string> {
 public:
  // Shards are "<prefix>-<bundle><suffix>".
  BrokenLineSink(std::shared_ptr<FileSystem> fs, std::string prefix, SinkBug bug,
                 std::string suffix = "")
      : fs_(std::move(fs)), prefix_(std::move(prefix)), bug_(bug), suffix_(std::move(suffix)) {}

  std::string initialize_write() const override { return prefix_ + ".tmp"; }

  std::unique_ptr<Writer<std::string>> open_writer(const std::string& init,
                                                   const std::string& uid) const override {
    std::string name = uid;
    if (bug_ == SinkBug::kSharedTempName) name = uid.substr(0, uid.find("-a"));  // "b3-a2" -> "b3"
    return std::make_unique<LineWriter>(this, fs_->create(init + "/" + name), uid);
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
      if (bug_ == SinkBug::kCommitInClose) {  // close() committed already
        outputs.push_back(results[i]);
        continue;
      }
      std::string shard = prefix_ + "-" + std::to_string(i) + suffix_;
      if (bug_ == SinkBug::kShardNamesByCompletion) {
        // The result ends with the number of writers closed before it.
        shard = prefix_ + "-" + results[i].substr(results[i].rfind('#') + 1) + suffix_;
      }
      const std::string temp = results[i].substr(0, results[i].rfind('#'));
      const bool moved_before = !fs_->stat(temp) && fs_->stat(shard);
      if (bug_ == SinkBug::kFinalizeFailsIfTempMissing || !moved_before) fs_->rename(temp, shard);
      outputs.push_back(shard);
    }
    if (bug_ != SinkBug::kNoOutputDirectorySync) fs_->sync_directory(directory_of(prefix_));
    if (bug_ == SinkBug::kRenameBeforeSync) {
      for (const std::string& shard : outputs) fs_->sync(shard);
    }
    if (bug_ != SinkBug::kNoCleanup) {
      for (const FileMetadata& f : fs_->list(init)) fs_->remove(f.path);
      fs_->sync_directory(init);
    }
    return outputs;
  }

  void abort_write(const std::string& init,
                   const std::vector<std::string>& results) const override {
    if (bug_ == SinkBug::kNoAbort) return;
    for (std::size_t i = 0; i < results.size(); ++i) {
      fs_->remove(prefix_ + "-" + std::to_string(i) + suffix_);
    }
    if (!results.empty()) fs_->sync_directory(directory_of(prefix_));
    for (const FileMetadata& f : fs_->list(init)) fs_->remove(f.path);
    fs_->sync_directory(init);
  }

  std::string debug_string() const override { return "BrokenLineSink(\"" + prefix_ + "\")"; }

  // Serializable: the prefix and the bug; the decoder carries the file
  // system.
  void encode(ByteWriter& out) const override {
    out.put_string(prefix_);
    out.put_varint(static_cast<std::uint64_t>(bug_));
    if (bug_ != SinkBug::kForgetsTheSuffix) out.put_string(suffix_);
  }
  SinkDecoder<std::string> decoder() const override {
    return [fs = fs_](ByteReader& in) -> std::shared_ptr<const Sink<std::string>> {
      std::string prefix = in.get_string("prefix");
      const std::size_t at = in.offset();
      const std::uint64_t bug = in.get_varint("bug");
      if (bug > static_cast<std::uint64_t>(SinkBug::kForgetsTheSuffix)) {
        in.fail(at, "bug", "no such bug");
      }
      const auto b = static_cast<SinkBug>(bug);
      std::string suffix = b == SinkBug::kForgetsTheSuffix ? "" : in.get_string("suffix");
      return std::make_shared<const BrokenLineSink>(fs, std::move(prefix), b, std::move(suffix));
    };
  }

 private:
  class LineWriter final : public Writer<std::string> {
   public:
    LineWriter(const BrokenLineSink* sink, std::unique_ptr<WritableFile> file, std::string uid)
        : sink_(sink), file_(std::move(file)), uid_(std::move(uid)) {}
    void write(const std::string& line) override {
      file_->append(line);
      file_->append("\n");
      lines_ += line + "\n";
    }
    // "<temp path>#<writers closed before this one>", or for kCommitInClose
    // the output it wrote.
    std::string close() override {
      const std::string path = file_->path();
      file_->close();
      if (sink_->bug_ != SinkBug::kRenameBeforeSync) sink_->fs_->sync(path);
      if (sink_->bug_ != SinkBug::kNoTempDirectorySync) {
        sink_->fs_->sync_directory(sink_->prefix_ + ".tmp");
      }
      if (sink_->bug_ != SinkBug::kNoNewDirectorySync) {
        sync_directory_and_parents(*sink_->fs_, directory_of(sink_->prefix_));
      }
      if (sink_->bug_ == SinkBug::kCommitInClose) {
        const std::string output = sink_->prefix_ + "-" + uid_ + sink_->suffix_;
        auto out = sink_->fs_->create(output);
        out->append(lines_);
        out->close();
        sink_->fs_->sync(output);
        sink_->fs_->sync_directory(directory_of(sink_->prefix_));
        sink_->fs_->remove(path);
        return output;
      }
      return path + "#" + std::to_string(sink_->closed_++);
    }

   private:
    const BrokenLineSink* const sink_;
    std::unique_ptr<WritableFile> file_;
    const std::string uid_;
    std::string lines_;
  };

  // "out" for "out/s"; "" for a prefix without a directory.
  static std::string directory_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
  }

  const std::shared_ptr<FileSystem> fs_;
  const std::string prefix_;
  const SinkBug bug_;
  const std::string suffix_;
  mutable std::atomic<int> closed_{0};
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_LINE_SINK_H_
