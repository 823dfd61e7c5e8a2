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
// A child forked from a thread of a multi-threaded process holds whatever
// locks the other threads held at that moment (the allocator's under a
// sanitizer, a library's): it can hang at its first malloc. So workers are
// not forked from the runner's threads: a ProcessSpawner is forked once,
// before the runner starts its threads, and stays single-threaded; every
// worker is forked by it and handed to the parent (its channel passed as a
// file descriptor over the spawner's socket). The spawner kills and reaps
// its workers on the parent's request, so that no pid is ever signalled
// after it could have been reused.
//
// Every child holds a copy of its forker's memory as it was then; it never
// returns into the parent's code (it ends with _exit), and it dies with its
// forker (PR_SET_PDEATHSIG). Destroying a WorkerProcess kills (SIGKILL) and
// reaps a child that is still running.

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_WORKER_PROCESS_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_WORKER_PROCESS_H_

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
  // send(type, head + body) then flush(), with `body` written from where it
  // is (not copied into the output buffer): for large payloads.
  void send_now(char type, std::string_view head, std::string_view body);
  void flush();
  // The next frame, its payload valid until the next call; false at the
  // end of the stream (the peer closed or died). InternalError for a stream
  // that breaks off inside a frame.
  bool receive(char& type, std::string_view& payload);
  // Whether input is waiting (a frame, part of one, or the end of the
  // stream): receive() then returns at once, unless only part of a frame
  // has arrived, when it waits for the rest.
  bool readable();
  int fd() const { return fd_; }

 private:
  // Reads more into in_; false at the end of the stream.
  bool fill();
  // Appends a frame header (type, 4-byte little-endian length) to out_.
  void append_header(char type, std::size_t length);
  // Writes out_ and then `body`, and empties out_; InternalError if the
  // peer is gone.
  void write_out(std::string_view body);

  int fd_;
  std::string out_;
  std::string in_;  // storage; its bytes [in_pos_, in_end_) are unread
  std::size_t in_pos_ = 0;
  std::size_t in_end_ = 0;
};

class ProcessSpawner;

class WorkerProcess {
 public:
  // Forks a child that closes `close_in_child` (other workers' channels),
  // runs body(channel) and exits: status 0, or 70 when body throws.
  WorkerProcess(const std::function<void(FrameChannel&)>& body,
                const std::vector<int>& close_in_child);
  // A worker `spawner` forked: it kills and reaps it.
  WorkerProcess(ProcessSpawner* spawner, pid_t pid, int fd);
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  FrameChannel& channel() { return *channel_; }
  pid_t pid() const { return pid_; }

  // SIGKILL and reap. Idempotent.
  void kill();
  // Shuts the channel down: a child waiting for a frame sees the end of its
  // input and exits. Lets a caller end several children before waiting for
  // any, so that they exit at the same time. Idempotent.
  void end_input();
  // How the child ended, waiting for it ("exit status 0", "killed by
  // signal 9"); the channel is shut down first, so a child waiting for a
  // frame sees the end of its input and exits. The channel object stays
  // valid: sends on it fail.
  std::string wait();

 private:
  ProcessSpawner* spawner_ = nullptr;  // null: this process's own child
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string status_;
  FrameChannel* channel_ = nullptr;
};

// A single-threaded process that forks workers running `body` (see above).
// spawn() is thread-safe. Destroying it ends it; workers it made die with it.
class ProcessSpawner {
 public:
  explicit ProcessSpawner(std::function<void(FrameChannel&)> body);
  ~ProcessSpawner();
  ProcessSpawner(const ProcessSpawner&) = delete;
  ProcessSpawner& operator=(const ProcessSpawner&) = delete;

  std::unique_ptr<WorkerProcess> spawn();

  // Ends the spawner without waiting: it kills (SIGKILL) and reaps every
  // worker it made that is not yet reaped, then exits; the destructor waits
  // for that, so no process of the spawner's is left once it returns. For
  // a caller that wants nothing more from its workers (their output all
  // received) and has other work to do while the processes end. A worker's
  // kill() and wait() then return at once ("left to the spawner at its
  // end"), and spawn() throws InternalError. Idempotent.
  void shut_down();

 private:
  friend class WorkerProcess;
  // SIGKILL (kill) or not, then the wait status of worker `pid`, described.
  std::string reap(pid_t pid, bool kill);
  // One request, one answer; `fd` receives a passed descriptor, if any.
  // Nothing after shut_down().
  std::optional<int> call(char command, pid_t pid, int* fd);

  std::mutex mu_;
  int fd_ = -1;  // -1 once shut down
  pid_t pid_ = -1;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_WORKER_PROCESS_H_
