// For lib/postgres's tests and the zoo: a connector made to reach the test
// process's PostgreSQL server through a TcpFaultProxy bound to the given
// fault points, the proxy kept alive as long as the connector.

#ifndef SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_THROUGH_PROXY_H_
#define SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_THROUGH_PROXY_H_

#include <memory>
#include <string>

#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/postgres/postgres_server.h"
#include "splitcheck/testkit/server/tcp_fault_proxy.h"

namespace splitcheck::internal {

// make(conninfo) for `database` through a new proxy bound to `faults`; the
// result shares ownership of the proxy.
template <typename Make>
auto pg_through_proxy(std::shared_ptr<testkit::FaultPoints> faults, const std::string& database,
                      Make make) -> decltype(make(std::string())) {
  testkit::PostgresServer& server = testkit::shared_postgres_server();
  auto proxy = std::make_shared<testkit::TcpFaultProxy>(
      server.endpoint(), std::move(faults),
      testkit::TcpFaultProxyOptions{testkit::postgres_framing()});
  auto made = make(server.connection_info(proxy->endpoint(), database));
  using Pointer = decltype(made);
  struct Held {
    std::shared_ptr<testkit::TcpFaultProxy> proxy;
    Pointer made;
  };
  auto held = std::make_shared<Held>(Held{std::move(proxy), std::move(made)});
  return Pointer(held, held->made.get());
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_THROUGH_PROXY_H_
