#include "splitcheck/lib/runner/internal/worker_process.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "splitcheck/lib/error.h"

namespace splitcheck::internal {
namespace {

constexpr std::size_t kFlushAt = 256 * 1024;
// Socket buffers large enough that a worker rarely waits for its parent to
// read, and the parent reads many batches per wakeup.
constexpr int kSocketBuffer = 1 << 20;
constexpr std::size_t kHeader = 5;

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

void set_buffers(int fd) {
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
}

// A new child's start: die with the forker (`forker` is its pid, checked in
// case it died before prctl), then body(channel on `fd`), then _exit: 0, or
// 70 when body throws.
[[noreturn]] void run_child(pid_t forker, int fd, const std::function<void(FrameChannel&)>& body) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::prctl(PR_SET_NAME, "splitcheck-wkr");  // what ps, top and perf show
  if (::getppid() != forker) ::_exit(71);
  // Unmap the free heap this fork shares with the runner: each shared page
  // the runner writes later costs it a copy and a TLB-flush interrupt.
  ::malloc_trim(0);
  int status = 0;
  try {
    FrameChannel channel(fd);
    body(channel);
    channel.flush();
  } catch (...) {
    status = 70;
  }
  ::_exit(status);
}

}  // namespace

FrameChannel::FrameChannel(int fd) : fd_(fd) {}

FrameChannel::~FrameChannel() {
  if (fd_ >= 0) ::close(fd_);
}

void FrameChannel::send(char type, std::string_view payload) {
  if (payload.size() > 0xffffffffu) {
    throw UsageError("worker channel: a frame of " + std::to_string(payload.size()) +
                     " bytes (at most 4 GiB - 1)");
  }
  append_header(type, payload.size());
  out_.append(payload);
  if (out_.size() >= kFlushAt) flush();
}

void FrameChannel::send_now(char type, std::string_view head, std::string_view body) {
  if (head.size() + body.size() > 0xffffffffu) {
    throw UsageError("worker channel: a frame of " + std::to_string(head.size() + body.size()) +
                     " bytes (at most 4 GiB - 1)");
  }
  append_header(type, head.size() + body.size());
  out_.append(head);
  write_out(body);
}

void FrameChannel::flush() { write_out({}); }

void FrameChannel::append_header(char type, std::size_t length) {
  const auto n = static_cast<std::uint32_t>(length);
  const char header[kHeader] = {
      type, static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
      static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff)};
  out_.append(header, kHeader);
}

void FrameChannel::write_out(std::string_view body) {
  // One sendmsg for both parts (a short write resumes where it stopped).
  const iovec parts[2] = {{out_.data(), out_.size()},
                          {const_cast<char*>(body.data()), body.size()}};
  const std::size_t total = out_.size() + body.size();
  std::size_t done = 0;
  while (done < total) {
    iovec rest[2];
    std::size_t count = 0;
    std::size_t skip = done;
    for (const iovec& part : parts) {
      if (skip >= part.iov_len) {
        skip -= part.iov_len;
        continue;
      }
      rest[count++] = {static_cast<char*>(part.iov_base) + skip, part.iov_len - skip};
      skip = 0;
    }
    msghdr message{};
    message.msg_iov = rest;
    message.msg_iovlen = count;
    const ssize_t sent = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      out_.clear();
      throw InternalError(errno_text("worker channel: send"));
    }
    done += static_cast<std::size_t>(sent);
  }
  out_.clear();
}

bool FrameChannel::fill() {
  // The buffer is allocated once and reused: resizing it for every read
  // would zero a chunk each time. Unread bytes move to the front only when
  // the room after them runs low.
  constexpr std::size_t kChunk = 256 * 1024;
  if (in_pos_ == in_end_) in_pos_ = in_end_ = 0;
  if (in_.size() - in_end_ < kChunk / 4) {
    if (in_pos_ > 0) {
      std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
      in_end_ -= in_pos_;
      in_pos_ = 0;
    }
    if (in_.size() - in_end_ < kChunk / 4) in_.resize(std::max(2 * in_.size(), in_end_ + kChunk));
  }
  for (;;) {
    const ssize_t n = ::recv(fd_, in_.data() + in_end_, in_.size() - in_end_, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) return false;
      throw InternalError(errno_text("worker channel: recv"));
    }
    in_end_ += static_cast<std::size_t>(n);
    return n > 0;
  }
}

bool FrameChannel::receive(char& type, std::string_view& payload) {
  while (in_end_ - in_pos_ < kHeader) {
    if (!fill()) {
      if (in_end_ == in_pos_) return false;
      throw InternalError("worker channel: the stream ended inside a frame header");
    }
  }
  const auto* h = reinterpret_cast<const unsigned char*>(in_.data() + in_pos_);
  const std::size_t n = static_cast<std::size_t>(h[1]) | static_cast<std::size_t>(h[2]) << 8 |
                        static_cast<std::size_t>(h[3]) << 16 | static_cast<std::size_t>(h[4]) << 24;
  // fill() moves the buffer: `h` is not used after it.
  while (in_end_ - in_pos_ < kHeader + n) {
    if (!fill()) throw InternalError("worker channel: the stream ended inside a frame");
  }
  type = in_[in_pos_];
  payload = std::string_view(in_).substr(in_pos_ + kHeader, n);
  in_pos_ += kHeader + n;
  return true;
}

bool FrameChannel::readable() {
  if (in_end_ > in_pos_) return true;
  pollfd p{fd_, POLLIN, 0};
  for (;;) {
    const int r = ::poll(&p, 1, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw InternalError(errno_text("worker channel: poll"));
    return r > 0;
  }
}

WorkerProcess::WorkerProcess(const std::function<void(FrameChannel&)>& body,
                             const std::vector<int>& close_in_child) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw InternalError(errno_text("LocalRunner: socketpair for a worker process"));
  }
  set_buffers(fds[0]);
  set_buffers(fds[1]);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw InternalError(errno_text("LocalRunner: fork of a worker process"));
  }
  if (pid_ == 0) {
    ::close(fds[0]);
    for (const int fd : close_in_child) ::close(fd);
    run_child(parent, fds[1], body);
  }
  ::close(fds[1]);
  channel_ = new FrameChannel(fds[0]);
}

WorkerProcess::WorkerProcess(ProcessSpawner* spawner, pid_t pid, int fd)
    : spawner_(spawner), pid_(pid), channel_(new FrameChannel(fd)) {}

WorkerProcess::~WorkerProcess() {
  try {
    kill();
  } catch (const Error&) {
    // The spawner is gone, and its workers with it (PR_SET_PDEATHSIG).
  }
  delete channel_;
}

void WorkerProcess::kill() {
  if (reaped_ || pid_ <= 0) return;
  if (spawner_ != nullptr) {
    status_ = spawner_->reap(pid_, true);
    reaped_ = true;
    return;
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  status_ = describe_status(status);
}

void WorkerProcess::end_input() {
  // The channel stays (a send on it now fails with an InternalError) until
  // this object goes.
  if (!reaped_) ::shutdown(channel_->fd(), SHUT_RDWR);
}

std::string WorkerProcess::wait() {
  if (reaped_) return status_;
  end_input();
  if (spawner_ != nullptr) {
    status_ = spawner_->reap(pid_, false);
    reaped_ = true;
    return status_;
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  status_ = describe_status(status);
  return status_;
}

namespace {

// The spawner's messages: a command byte and a pid, answered by an int
// (a pid, or a wait status) and, for a fork, the worker's channel.
struct Request {
  char command;  // 'F' fork, 'K' kill and reap, 'W' reap
  std::int32_t pid;
};

bool read_exactly(int fd, void* data, std::size_t n) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = ::recv(fd, p, n, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

bool write_exactly(int fd, const void* data, std::size_t n) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t r = ::send(fd, p, n, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

// An int and, if `pass` >= 0, a descriptor with it.
bool send_answer(int fd, std::int32_t value, int pass) {
  iovec iov{&value, sizeof value};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  if (pass >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &pass, sizeof(int));
  }
  for (;;) {
    const ssize_t r = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    return r == static_cast<ssize_t>(sizeof value);
  }
}

bool receive_answer(int fd, std::int32_t& value, int* passed) {
  iovec iov{&value, sizeof value};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t r;
  do {
    r = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
  } while (r < 0 && errno == EINTR);
  if (r != static_cast<ssize_t>(sizeof value)) return false;
  if (passed != nullptr) {
    *passed = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        std::memcpy(passed, CMSG_DATA(c), sizeof(int));
      }
    }
  }
  return true;
}

// The spawner's loop, in its own process.
[[noreturn]] void spawner_main(int fd, const std::function<void(FrameChannel&)>& body) {
  // Its workers are reaped by it, never by the kernel (a pid signalled
  // after reaping could be another process's).
  ::signal(SIGCHLD, SIG_DFL);
  // As run_child does, and every worker forked from here starts smaller.
  ::malloc_trim(0);
  // No descriptor of the parent's but the standard ones: another run's
  // channels, held here, would keep that run's workers from ever seeing
  // the end of their input.
  if (fd > 3) ::close_range(3, static_cast<unsigned>(fd) - 1, 0);
  ::close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
  std::vector<pid_t> children;  // forked, not yet reaped
  for (;;) {
    Request request{};
    if (!read_exactly(fd, &request, sizeof request)) {
      // The end (ProcessSpawner::shut_down): the parent wants nothing more
      // from the workers left, which may still be exiting, or stuck. Each
      // is killed and reaped first, so that once the parent has reaped the
      // spawner no process of the run is left, and that never waits long.
      for (const pid_t child : children) ::kill(child, SIGKILL);
      while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
      }
      ::_exit(0);
    }
    if (request.command == 'F') {
      int fds[2];
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        send_answer(fd, -errno, -1);
        continue;
      }
      set_buffers(fds[0]);
      set_buffers(fds[1]);
      const pid_t spawner = ::getpid();
      const pid_t child = ::fork();
      if (child == 0) {
        ::close(fd);
        ::close(fds[0]);
        run_child(spawner, fds[1], body);
      }
      ::close(fds[1]);
      if (child > 0) children.push_back(child);
      send_answer(fd, child < 0 ? -errno : child, child < 0 ? -1 : fds[0]);
      ::close(fds[0]);
    } else {
      if (request.command == 'K') ::kill(request.pid, SIGKILL);
      int status = 0;
      pid_t r;
      do {
        r = ::waitpid(request.pid, &status, 0);
      } while (r < 0 && errno == EINTR);
      if (r > 0) std::erase(children, r);
      send_answer(fd, r < 0 ? -1 : status, -1);
    }
  }
}

}  // namespace

ProcessSpawner::ProcessSpawner(std::function<void(FrameChannel&)> body) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw InternalError(errno_text("LocalRunner: socketpair for the process spawner"));
  }
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw InternalError(errno_text("LocalRunner: fork of the process spawner"));
  }
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::prctl(PR_SET_NAME, "splitcheck-spn");
    if (::getppid() != parent) ::_exit(71);
    ::close(fds[0]);
    spawner_main(fds[1], body);
  }
  ::close(fds[1]);
  fd_ = fds[0];
}

void ProcessSpawner::shut_down() {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ < 0) return;
  // The spawner reads the end of its input, kills, reaps and exits. A
  // shutdown, not only a close: a fork made meanwhile by another thread of
  // this process may hold a copy of the descriptor.
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
  fd_ = -1;
}

ProcessSpawner::~ProcessSpawner() {
  shut_down();
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

std::optional<int> ProcessSpawner::call(char command, pid_t pid, int* fd) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ < 0) return std::nullopt;
  const Request request{command, static_cast<std::int32_t>(pid)};
  std::int32_t answer = 0;
  if (!write_exactly(fd_, &request, sizeof request) || !receive_answer(fd_, answer, fd)) {
    throw InternalError("LocalRunner: the process spawner is gone");
  }
  return answer;
}

std::unique_ptr<WorkerProcess> ProcessSpawner::spawn() {
  int fd = -1;
  const std::optional<int> pid = call('F', 0, &fd);
  if (!pid) throw InternalError("LocalRunner: the process spawner was shut down");
  if (*pid <= 0 || fd < 0) {
    throw InternalError("LocalRunner: the process spawner could not fork a worker: " +
                        std::string(std::strerror(-*pid)));
  }
  return std::make_unique<WorkerProcess>(this, static_cast<pid_t>(*pid), fd);
}

std::string ProcessSpawner::reap(pid_t pid, bool kill) {
  const std::optional<int> status = call(kill ? 'K' : 'W', pid, nullptr);
  if (!status) return "left to the spawner at its end";
  if (*status < 0) return "not a worker of the spawner";
  return describe_status(*status);
}

}  // namespace splitcheck::internal
