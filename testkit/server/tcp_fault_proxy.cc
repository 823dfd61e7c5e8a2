#include "splitcheck/testkit/server/tcp_fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"

namespace splitcheck::testkit {
namespace {

constexpr int kPollMs = 10;

std::uint32_t be32(std::string_view s, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

std::string excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 48;
  std::string out;
  for (const char c : sql.substr(0, kMax)) {
    if (c == '\0') break;
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  if (sql.size() > kMax && out.size() == kMax) out += "...";
  return out;
}

class PostgresFraming final : public ProxyFraming {
 public:
  std::size_t message_length(bool from_client, std::string_view bytes) override {
    if (!from_client && one_byte_answer_) {
      if (bytes.empty()) return 0;
      one_byte_answer_ = false;
      return 1;
    }
    if (from_client && !started_) {  // untyped: length, then the rest
      if (bytes.size() < 4) return 0;
      const std::size_t length = be32(bytes, 0);
      return bytes.size() >= length ? std::max<std::size_t>(length, 4) : 0;
    }
    if (bytes.size() < 5) return 0;
    const std::size_t length = 1 + static_cast<std::size_t>(be32(bytes, 1));
    return bytes.size() >= length ? length : 0;
  }

  std::string call_started(std::string_view message) override {
    if (!started_) {
      // SSLRequest (80877103) and GSSENCRequest (80877104) come before the
      // startup message, and the server answers each with one byte.
      const std::uint32_t code = message.size() >= 8 ? be32(message, 4) : 0;
      if (code == 80877103 || code == 80877104) {
        one_byte_answer_ = true;
        return "";
      }
      started_ = true;
      return "connect";
    }
    const std::string_view body = message.substr(5);
    switch (message[0]) {
      case 'Q':
        return "query " + excerpt(body);
      case 'P': {  // statement name, NUL, query, NUL, ...
        const std::size_t name_end = body.find('\0');
        return "parse " +
               excerpt(name_end == std::string_view::npos ? body : body.substr(name_end + 1));
      }
      case 'd':
        return "copy data";
      case 'c':
        return "copy done";
      case 'f':
        return "copy fail";
      default:
        return "";
    }
  }

  bool completes_call(std::string_view message) override {
    return !message.empty() && message[0] == 'Z';
  }

  std::string server_point(std::string_view message) override {
    if (message.size() < 5) return "";
    if (message[0] == 'D') return "receive row";
    if (message[0] == 'd') return "receive copy data";
    return "";
  }

 private:
  bool started_ = false;
  bool one_byte_answer_ = false;
};

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Closes with a TCP reset (or just closes a Unix socket).
void reset(int& fd) {
  if (fd < 0) return;
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
  fd = -1;
}

int connect_upstream(const Endpoint& upstream) {
  if (!upstream.unix_socket.empty()) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, upstream.unix_socket.c_str(), sizeof addr.sun_path - 1);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    if (fd >= 0) ::close(fd);
    return -1;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(upstream.port));
  if (::inet_pton(AF_INET, upstream.host.c_str(), &addr.sin_addr) != 1 ||
      (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
    if (fd >= 0) ::close(fd);
    return -1;  // loopback only
  }
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
  }
  if (fd >= 0) ::close(fd);
  return -1;
}

// Every chunk the client sends is a call.
class ChunkFraming final : public ProxyFraming {
 public:
  std::size_t message_length(bool, std::string_view bytes) override { return bytes.size(); }
  std::string call_started(std::string_view message) override {
    return "send " + std::to_string(message.size()) + " bytes";
  }
  bool completes_call(std::string_view) override { return false; }
};

}  // namespace

ProxyFramingFactory postgres_framing() {
  return [] { return std::make_unique<PostgresFraming>(); };
}

struct TcpFaultProxy::State {
  Endpoint upstream;
  std::shared_ptr<FaultPoints> faults;
  TcpFaultProxyOptions options;
  int listen_fd = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<bool> stalled{false};
  std::atomic<bool> down{false};  // after a crash
  std::atomic<int> reset_epoch{0};
  std::atomic<int> accepted{0};
  ::splitcheck::internal::Mutex mu;
  std::vector<std::thread> threads SPLITCHECK_GUARDED_BY(mu);
  std::thread acceptor;

  void accept_loop();
  void serve(int client);
};

void TcpFaultProxy::State::accept_loop() {
  while (!stopping.load()) {
    pollfd p{listen_fd, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    int client = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++accepted;
    if (down.load()) {
      reset(client);
      continue;
    }
    ::splitcheck::internal::MutexLock lock(&mu);
    threads.emplace_back([this, client] { serve(client); });
  }
}

void TcpFaultProxy::State::serve(int client) {
  int server = connect_upstream(upstream);
  if (server < 0) {
    reset(client);
    return;
  }
  set_nonblocking(client);
  set_nonblocking(server);
  const int one = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::unique_ptr<ProxyFraming> framing =
      options.framing ? options.framing() : std::make_unique<ChunkFraming>();
  std::string from_client, from_server, to_client, to_server;
  std::string pending_call;
  const int epoch = reset_epoch.load();
  auto close_both = [&] {
    reset(client);
    reset(server);
  };
  // Sends what is queued, as far as the peers take it within a second:
  // the messages before a faulted one do arrive.
  auto flush_queued = [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    for (int side = 0; side < 2; ++side) {
      std::string& out = side == 0 ? to_client : to_server;
      const int fd = side == 0 ? client : server;
      while (!out.empty() && std::chrono::steady_clock::now() < deadline) {
        const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
        if (n > 0) {
          out.erase(0, static_cast<std::size_t>(n));
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
          break;
        } else {
          pollfd p{fd, POLLOUT, 0};
          ::poll(&p, 1, kPollMs);
        }
      }
    }
  };
  // Counts a point; false when the connection must end (a fault, a crash).
  // A torn message goes half-way to its peer (the server when
  // `toward_server`).
  auto point = [&](const std::string& what, std::string_view message, bool toward_server) {
    std::optional<FaultMode> mode;
    try {
      mode = faults->count(what);
    } catch (const MachineCrash&) {
      down.store(true);
      return false;
    }
    if (!mode) return true;
    if (*mode == FaultMode::kTorn) {
      (toward_server ? to_server : to_client).append(message.substr(0, message.size() / 2));
    }
    flush_queued();
    return false;
  };
  char buffer[65536];
  for (;;) {
    if (stopping.load() || down.load() || reset_epoch.load() != epoch) break;
    const bool stall = stalled.load();
    pollfd fds[2] = {{client, 0, 0}, {server, 0, 0}};
    if (!stall) {
      fds[0].events = static_cast<short>(POLLIN | (to_client.empty() ? 0 : POLLOUT));
      fds[1].events = static_cast<short>(POLLIN | (to_server.empty() ? 0 : POLLOUT));
    }
    if (::poll(fds, 2, kPollMs) < 0 && errno != EINTR) break;
    if (stall) continue;
    bool closed = false;
    for (int side = 0; side < 2 && !closed; ++side) {
      if (!(fds[side].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::recv(side == 0 ? client : server, buffer, sizeof buffer, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        closed = true;
        break;
      }
      if (n > 0)
        (side == 0 ? from_client : from_server).append(buffer, static_cast<std::size_t>(n));
    }
    if (closed) break;
    bool fault = false;
    while (!fault) {
      const std::size_t length = framing->message_length(true, from_client);
      if (length == 0) break;
      const std::string_view message(from_client.data(), length);
      const std::string call = framing->call_started(message);
      if (!call.empty()) {
        pending_call = call;
        if (!point("before " + call, message, true)) fault = true;
      }
      if (fault) break;
      if (options.delay.count() > 0) std::this_thread::sleep_for(options.delay);
      to_server.append(message);
      from_client.erase(0, length);
    }
    while (!fault) {
      const std::size_t length = framing->message_length(false, from_server);
      if (length == 0) break;
      const std::string_view message(from_server.data(), length);
      if (framing->completes_call(message) && !pending_call.empty()) {
        const std::string call = std::exchange(pending_call, "");
        if (!point("after " + call, message, false)) fault = true;
      } else if (const std::string event = framing->server_point(message); !event.empty()) {
        if (!point(event, message, false)) fault = true;
      }
      if (fault) break;
      to_client.append(message);
      from_server.erase(0, length);
    }
    if (fault) break;
    for (int side = 0; side < 2; ++side) {
      std::string& out = side == 0 ? to_client : to_server;
      if (out.empty()) continue;
      const ssize_t n = ::send(side == 0 ? client : server, out.data(), out.size(), MSG_NOSIGNAL);
      if (n > 0) {
        out.erase(0, static_cast<std::size_t>(n));
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        closed = true;
      }
    }
    if (closed) break;
  }
  close_both();
}

TcpFaultProxy::TcpFaultProxy(Endpoint upstream, std::shared_ptr<FaultPoints> faults,
                             TcpFaultProxyOptions options)
    : state_(std::make_shared<State>()) {
  if (faults == nullptr) throw UsageError("TcpFaultProxy: the fault points are null");
  if (options.delay.count() < 0) throw UsageError("TcpFaultProxy: a negative delay");
  state_->upstream = std::move(upstream);
  state_->faults = std::move(faults);
  state_->options = std::move(options);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t size = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 64) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw InputError("TcpFaultProxy: cannot listen on 127.0.0.1: " + why);
  }
  state_->listen_fd = fd;
  state_->port = ntohs(addr.sin_port);
  State* state = state_.get();
  state_->acceptor = std::thread([state] { state->accept_loop(); });
}

TcpFaultProxy::~TcpFaultProxy() {
  state_->stopping.store(true);
  state_->acceptor.join();
  std::vector<std::thread> threads;
  {
    ::splitcheck::internal::MutexLock lock(&state_->mu);
    threads.swap(state_->threads);
  }
  for (std::thread& t : threads) t.join();
  ::close(state_->listen_fd);
}

Endpoint TcpFaultProxy::endpoint() const {
  Endpoint e;
  e.host = "127.0.0.1";
  e.port = state_->port;
  return e;
}

void TcpFaultProxy::stall() { state_->stalled.store(true); }
void TcpFaultProxy::resume() { state_->stalled.store(false); }
void TcpFaultProxy::reset_all() { ++state_->reset_epoch; }
int TcpFaultProxy::connections() const { return state_->accepted.load(); }

}  // namespace splitcheck::testkit
