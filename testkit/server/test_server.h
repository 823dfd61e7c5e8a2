// TestServer: a server a connector's tests start for themselves, on this
// machine only, and stop when they end.
//
// The reusable shape for gating a connector whose store is a server (a
// database, a queue, a key-value service): the test owns the server's whole
// life, so CI needs nothing running beforehand and nothing is left behind.
//
//   * Starting is constructing: an implementation's constructor (or factory)
//     returns once the server accepts connections, or throws an Error naming
//     what failed (a missing binary, a port in use, the server's own log).
//   * endpoint() is where it listens: a Unix socket or a loopback port,
//     never another interface, so no test traffic leaves the machine.
//   * connection_info(via) is what a client of the store passes to connect,
//     either to endpoint() itself or to another endpoint that forwards to it
//     (a TcpFaultProxy, testkit/server/tcp_fault_proxy.h, between the
//     connector and the server).
//   * stop() (and the destructor) stops the server and removes everything
//     it wrote; an implementation must also clean up when the test process
//     dies without running destructors (PostgresServer leaves a watchdog
//     process for that).
//
// PostgresServer (testkit/postgres/postgres_server.h) is the implementation
// splitcheck ships; docs/ci-gate.md shows how to write one for another store.
// Thread-safe: connection_info and endpoint may be called from any thread.

#ifndef SPLITCHECK_TESTKIT_SERVER_TEST_SERVER_H_
#define SPLITCHECK_TESTKIT_SERVER_TEST_SERVER_H_

#include <string>

namespace splitcheck::testkit {

// Where a server (or a proxy) listens: a Unix socket path, or a loopback
// TCP port.
struct Endpoint {
  std::string unix_socket;  // non-empty: a Unix socket at this path
  std::string host = "127.0.0.1";
  int port = 0;

  std::string describe() const {
    return unix_socket.empty() ? host + ":" + std::to_string(port) : "unix:" + unix_socket;
  }
};

class TestServer {
 public:
  virtual ~TestServer() = default;
  virtual Endpoint endpoint() const = 0;
  virtual std::string connection_info(const Endpoint& via) const = 0;
  std::string connection_info() const { return connection_info(endpoint()); }
  virtual void stop() = 0;
};

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SERVER_TEST_SERVER_H_
