// What a worker process of LocalRunner's process mode does with the write
// attempts it is sent (WriteWorkerMain), and the frames of a write. Internal:
// LocalRunner::run(write, records) with RunnerOptions::worker_processes.
//
// The parent sends an attempt as its sink's bytes (encode()), the write's
// init result and the attempt's uid, then its records (Coder<T>) in batches,
// then either kClose (the worker closes the writer and sends the result
// back) or kCrash (the policy fails the attempt there: the worker asks to be
// killed, kKillMe, and the parent kills it with SIGKILL, so the writer is
// neither closed nor destroyed). An error the sink throws is sent back once
// the attempt's frames have all arrived, and the worker waits for the next
// attempt. pre_finalize and finalize_write run in the parent, on the
// results as bytes.

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_WRITE_WORKER_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_WRITE_WORKER_H_

#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/runner/internal/process_worker.h"
#include "splitcheck/lib/runner/internal/worker_process.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/sink_coder.h"

namespace splitcheck::internal {

namespace write_frame {
// Parent to worker.
inline constexpr char kOpen = 'O';     // string sink bytes, string init, string uid
inline constexpr char kRecords = 'R';  // varint n, n records (Coder<T>)
inline constexpr char kClose = 'C';    // (nothing)
inline constexpr char kCrash = 'X';    // (nothing)
// Worker to parent: frame::kError, frame::kKillMe (process_worker.h), or
inline constexpr char kResult = 'W';  // varint records written, string writer result
}  // namespace write_frame

// Records per batch the parent sends (a batch also ends at 128 KiB).
inline constexpr int kWriteRecordsPerBatch = 4096;

template <typename T>
class WriteWorkerMain {
 public:
  WriteWorkerMain(FrameChannel& channel, const SinkDecoder<T>& decoder)
      : channel_(channel), decoder_(decoder) {}

  void run() {
    char type = 0;
    std::string_view payload;
    while (channel_.receive(type, payload)) {
      try {
        handle(type, payload);
      } catch (const std::exception& e) {
        writer_.reset();  // the attempt is over; its later frames are skipped
        failed_ = true;
        error_kind_ = error_kind(e);
        error_ = e.what();
      }
      if (type == write_frame::kClose || type == write_frame::kCrash) {
        if (failed_) {
          ByteWriter error;
          error.put_varint(static_cast<std::uint64_t>(error_kind_));
          error.put_string(error_);
          channel_.send(frame::kError, error.bytes());
        }
        channel_.flush();
        failed_ = false;
      }
    }
  }

 private:
  void handle(char type, std::string_view payload) {
    ByteReader in(payload, "write attempt frame");
    switch (type) {
      case write_frame::kOpen: {
        failed_ = false;
        writer_.reset();
        written_ = 0;
        const std::string bytes = in.get_string("sink");
        const std::string init = in.get_string("init result");
        const std::string uid = in.get_string("uid");
        const auto sink = decode_sink(bytes, decoder_, "sink of attempt " + uid);
        writer_ = sink->open_writer(init, uid);
        if (writer_ == nullptr) {
          throw UsageError(sink->debug_string() + ": open_writer returned null");
        }
        sink_ = sink;  // the writer may refer to it
        return;
      }
      case write_frame::kRecords: {
        if (failed_) return;
        if (writer_ == nullptr) throw InternalError("write worker process: records before kOpen");
        const std::size_t n = in.get_length("record count");
        for (std::size_t i = 0; i < n; ++i) writer_->write(decode_value<T>(in));
        in.expect_end();
        written_ += static_cast<std::int64_t>(n);
        return;
      }
      case write_frame::kClose: {
        if (failed_) return;
        if (writer_ == nullptr) throw InternalError("write worker process: kClose before kOpen");
        std::string result = writer_->close();
        writer_.reset();
        ByteWriter out;
        out.put_varint(static_cast<std::uint64_t>(written_));
        out.put_string(result);
        channel_.send(write_frame::kResult, out.bytes());
        return;
      }
      case write_frame::kCrash: {
        if (failed_) return;  // the sink's error came first
        // A real crash: the writer is neither closed nor destroyed.
        ByteWriter out;
        out.put_varint(0);
        channel_.send(frame::kKillMe, out.bytes());
        channel_.flush();
        for (;;) ::pause();
      }
      default:
        throw InternalError("write worker process: unknown frame '" + std::string(1, type) + "'");
    }
  }

  FrameChannel& channel_;
  const SinkDecoder<T>& decoder_;
  std::shared_ptr<const Sink<T>> sink_;
  std::unique_ptr<Writer<T>> writer_;
  std::int64_t written_ = 0;  // records of this attempt
  bool failed_ = false;
  ErrorKind error_kind_ = ErrorKind::kOther;
  std::string error_;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_WRITE_WORKER_H_
