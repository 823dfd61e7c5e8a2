#include "splitcheck/lib/runner/internal/worker_process.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

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

}  // namespace

FrameChannel::FrameChannel(int fd) : fd_(fd) {}

FrameChannel::~FrameChannel() {
  if (fd_ >= 0) ::close(fd_);
}

void FrameChannel::send(char type, std::string_view payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  const char header[kHeader] = {
      type, static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
      static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff)};
  out_.append(header, kHeader);
  out_.append(payload);
  if (out_.size() >= kFlushAt) flush();
}

void FrameChannel::flush() {
  std::size_t done = 0;
  while (done < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + done, out_.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      out_.clear();
      throw InternalError(errno_text("worker channel: send"));
    }
    done += static_cast<std::size_t>(n);
  }
  out_.clear();
}

bool FrameChannel::fill() {
  if (in_pos_ > 0) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
  constexpr std::size_t kChunk = 256 * 1024;
  const std::size_t have = in_.size();
  in_.resize(have + kChunk);
  for (;;) {
    const ssize_t n = ::recv(fd_, in_.data() + have, kChunk, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      in_.resize(have);
      if (errno == ECONNRESET) return false;
      throw InternalError(errno_text("worker channel: recv"));
    }
    in_.resize(have + static_cast<std::size_t>(n));
    return n > 0;
  }
}

bool FrameChannel::receive(char& type, std::string_view& payload) {
  while (in_.size() - in_pos_ < kHeader) {
    if (!fill()) {
      if (in_.size() == in_pos_) return false;
      throw InternalError("worker channel: the stream ended inside a frame header");
    }
  }
  const auto* h = reinterpret_cast<const unsigned char*>(in_.data() + in_pos_);
  const std::size_t n = static_cast<std::size_t>(h[1]) | static_cast<std::size_t>(h[2]) << 8 |
                        static_cast<std::size_t>(h[3]) << 16 | static_cast<std::size_t>(h[4]) << 24;
  // fill() moves the buffer: `h` is not used after it.
  while (in_.size() - in_pos_ < kHeader + n) {
    if (!fill()) throw InternalError("worker channel: the stream ended inside a frame");
  }
  type = in_[in_pos_];
  payload = std::string_view(in_).substr(in_pos_ + kHeader, n);
  in_pos_ += kHeader + n;
  return true;
}

bool FrameChannel::readable() {
  if (in_.size() > in_pos_) return true;
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
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
    throw InternalError(errno_text("LocalRunner: socketpair for a worker process"));
  }
  for (const int fd : fds) {
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
  }
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw InternalError(errno_text("LocalRunner: fork of a worker process"));
  }
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(71);  // the parent died before prctl
    ::close(fds[0]);
    for (const int fd : close_in_child) ::close(fd);
    int status = 0;
    try {
      FrameChannel channel(fds[1]);
      body(channel);
      channel.flush();
    } catch (...) {
      status = 70;
    }
    ::_exit(status);
  }
  ::close(fds[1]);
  channel_ = new FrameChannel(fds[0]);
}

WorkerProcess::~WorkerProcess() {
  kill();
  delete channel_;
}

void WorkerProcess::kill() {
  if (reaped_ || pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  status_ = describe_status(status);
}

std::string WorkerProcess::wait() {
  if (reaped_) return status_;
  delete channel_;
  channel_ = nullptr;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  status_ = describe_status(status);
  return status_;
}

}  // namespace splitcheck::internal
