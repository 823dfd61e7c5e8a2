// TcpFaultProxy: a TCP proxy on the loopback interface, put between a
// connector and its server, whose every connection event is a fault point.
//
//   auto faults = std::make_shared<FaultPoints>();
//   TcpFaultProxy proxy(server.endpoint(), faults, {postgres_framing()});
//   auto read = ReadFromPostgres(server.connection_info(proxy.endpoint(), "db"), ...);
//   faults->inject(5, FaultMode::kFail);   // the 6th event from now fails
//
// The proxy listens on 127.0.0.1 (an ephemeral port) and forwards each
// connection to `upstream` (a Unix socket or a loopback port). A framing
// (ProxyFraming) cuts each direction's bytes into the protocol's messages
// and says which are calls and which acknowledge them; each call is two
// points of `faults` (fault_points.h), numbered in the order they happen:
//
//   "before <call>"  the client's message that starts it ("before query
//                    COMMIT", "before connect"): a fault here resets both
//                    sides before the message reaches the server (the call
//                    never happens);
//   "after <call>"   the server's message that completes it (PostgreSQL's
//                    ReadyForQuery): a fault here resets both sides instead
//                    of forwarding it, after the server did the work (a lost
//                    acknowledgement: the client cannot tell whether its
//                    COMMIT committed).
//   "receive ..."    a message in the middle of the server's answer (a row
//                    of a result, if the framing names such points): a
//                    fault here resets both sides instead of forwarding it.
// kTorn, at any point, forwards the first half of the message first (a
// message cut short, in either direction). Before a reset, what was
// queued ahead of the faulted message is sent on.
//   kCrash           the client's machine loses power: FaultPoints runs its
//                    crash handler and the proxy resets every connection it
//                    holds and every one made after (the machine is down;
//                    the server stays up and keeps what it committed).
//
// A client that makes its calls one after another (as libpq does) sees the
// points in the same order in every run, so "point k" names the same call
// each time: what the sink crash-point check and the source fault check
// need. Without a framing, each chunk read from the client is a "before
// send" point and there are no "after" points (the chunking depends on
// timing, so the numbering may not repeat).
//
// Besides faults: options.delay holds each client message back that long
// (a slow link); stall() stops forwarding on every connection until
// resume() (a link that silently stops: the client must time out on its
// own); reset_all() resets every connection now (a network partition).
//
// Bounded and self-stopping: nothing listens on any interface but
// 127.0.0.1, and the destructor resets every connection and joins every
// thread. Thread-safe.

#ifndef SPLITCHECK_TESTKIT_SERVER_TCP_FAULT_PROXY_H_
#define SPLITCHECK_TESTKIT_SERVER_TCP_FAULT_PROXY_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/server/test_server.h"

namespace splitcheck::testkit {

// How one connection's bytes divide into messages. One instance per
// connection, used by its proxy thread only.
class ProxyFraming {
 public:
  virtual ~ProxyFraming() = default;
  // The length of the first whole message at the start of `bytes` (sent by
  // the client when from_client, else by the server), or 0 when it is not
  // all there yet.
  virtual std::size_t message_length(bool from_client, std::string_view bytes) = 0;
  // The call a whole client message starts, as points name it ("query
  // COMMIT"), or "" when the message is not a call of its own.
  virtual std::string call_started(std::string_view message) = 0;
  // Whether a whole server message completes the client's last call.
  virtual bool completes_call(std::string_view message) = 0;
  // The point a whole server message is of its own ("receive row"), or ""
  // when it is none: a fault there resets both sides instead of forwarding
  // it (the connection drops in the middle of a result).
  virtual std::string server_point(std::string_view /*message*/) { return ""; }
};

using ProxyFramingFactory = std::function<std::unique_ptr<ProxyFraming>()>;

// PostgreSQL's frontend/backend protocol (version 3): the startup message
// is the call "connect"; a Query is "query <its first 48 characters>"; a
// Parse is "parse <its statement>"; CopyData, CopyDone and CopyFail are
// "copy data", "copy done", "copy fail"; ReadyForQuery completes a call;
// each row the server sends (a DataRow, or a CopyData of a COPY TO STDOUT)
// is the point "receive row" / "receive copy data".
// An SSLRequest or GSSENCRequest and its one-byte answer are passed through.
ProxyFramingFactory postgres_framing();

struct TcpFaultProxyOptions {
  ProxyFramingFactory framing;  // null: chunks, see above
  std::chrono::microseconds delay{0};
};

class TcpFaultProxy {
 public:
  TcpFaultProxy(Endpoint upstream, std::shared_ptr<FaultPoints> faults,
                TcpFaultProxyOptions options = {});
  ~TcpFaultProxy();
  TcpFaultProxy(const TcpFaultProxy&) = delete;
  TcpFaultProxy& operator=(const TcpFaultProxy&) = delete;

  // 127.0.0.1 and the port the proxy listens on.
  Endpoint endpoint() const;
  void stall();
  void resume();
  void reset_all();
  // Connections accepted so far.
  int connections() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SERVER_TCP_FAULT_PROXY_H_
