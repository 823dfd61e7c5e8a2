// WorkerProcess: a child process forked to run a function, and the framed
// channel between it and its parent. The machinery of LocalRunner's process
// mode (RunnerOptions::worker_processes); internal.
//
// A frame is a type byte, a 4-byte little-endian length and that many bytes.
// The channel is a Unix stream socket pair, so that writing to a peer that
// died is an error (EPIPE, never SIGPIPE) and the parent sees a child's
// death as the end of the stream. Frames are buffered: send() appends,
// flush() writes.
//
// The child is forked from the calling thread: it holds a copy of the
// parent's memory as it was at that moment and runs only that thread. It
// must not wait for a lock another thread of the parent held then; it never
// returns into the parent's code (it ends with _exit), and it dies with the
// parent (PR_SET_PDEATHSIG). Destroying a WorkerProcess kills (SIGKILL) and
// reaps a child that is still running.

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_WORKER_PROCESS_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_WORKER_PROCESS_H_

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace splitcheck::internal {

class FrameChannel {
 public:
  // Owns `fd`, a connected stream socket.
  explicit FrameChannel(int fd);
  ~FrameChannel();
  FrameChannel(const FrameChannel&) = delete;
  FrameChannel& operator=(const FrameChannel&) = delete;

  // Appends a frame to the output buffer, writing it out when the buffer is
  // large; InternalError if the peer is gone.
  void send(char type, std::string_view payload);
  void flush();
  // The next frame, its payload valid until the next call; false at the
  // end of the stream (the peer closed or died). InternalError for a stream
  // that breaks off inside a frame.
  bool receive(char& type, std::string_view& payload);
  // Whether receive() would return without blocking.
  bool readable();
  int fd() const { return fd_; }

 private:
  // Reads more into in_; false at the end of the stream.
  bool fill();

  int fd_;
  std::string out_;
  std::string in_;
  std::size_t in_pos_ = 0;
};

class WorkerProcess {
 public:
  // Forks a child that closes `close_in_child` (other workers' channels),
  // runs body(channel) and exits: status 0, or 70 when body throws.
  WorkerProcess(const std::function<void(FrameChannel&)>& body,
                const std::vector<int>& close_in_child);
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  FrameChannel& channel() { return *channel_; }
  pid_t pid() const { return pid_; }

  // SIGKILL and reap. Idempotent.
  void kill();
  // How the child ended, waiting for it ("exit status 0", "killed by
  // signal 9"); the channel is closed first, so a child waiting for a frame
  // sees the end of its input and exits.
  std::string wait();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string status_;
  FrameChannel* channel_ = nullptr;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_WORKER_PROCESS_H_
