// PostgresServer: a throwaway PostgreSQL server for one test process.
//
//   auto server = testkit::PostgresServer::start();   // ~0.5-2 s
//   server->create_database("orders");
//   auto read = ReadFromPostgres(server->connection_info("orders"), ...);
//
// start() runs Debian's initdb into a fresh directory under /tmp, starts
// the server on a Unix socket in that directory (listen_addresses is empty:
// no TCP port at all, so nothing is reachable from another machine), and
// returns once it accepts connections. Running as root, the server runs as
// the user "nobody" (PostgreSQL refuses to run as root) and the directory is
// given to that user. The superuser is "splitcheck", with trust
// authentication on the socket; fsync is off (the server is never crashed:
// the tests crash the client, whose view a server that stays up is exact
// for).
//
// The destructor (or stop()) shuts the server down, waits for it, and
// removes the directory. If the test process dies without running it (a
// crash), a watchdog process started with the server sees the process
// gone, kills the server and removes the directory. Where the watchdog is
// killed too (Bazel kills a timed-out or crashed test's whole process
// tree, and the server with it), the next start() removes every such
// directory whose owner and server are both gone.
//
// The server binaries are found in $SPLITCHECK_POSTGRES_BINDIR, else in the
// newest /usr/lib/postgresql/<version>/bin (Debian's layout), else on PATH.
// A missing binary, a server that does not come up within the timeout, or
// one that exits, is an InputError quoting the end of the server's log.
//
// shared_postgres_server() is the one a test target shares between its
// tests: started on first use, stopped when the process exits.
//
// Thread-safe after start: connection_info and endpoint from any thread;
// create_database from any thread.

#ifndef SPLITCHECK_TESTKIT_POSTGRES_POSTGRES_SERVER_H_
#define SPLITCHECK_TESTKIT_POSTGRES_POSTGRES_SERVER_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/testkit/server/test_server.h"

namespace splitcheck::testkit {

struct PostgresServerOptions {
  // "" : $SPLITCHECK_POSTGRES_BINDIR, the newest /usr/lib/postgresql/*/bin,
  // or PATH, in that order.
  std::string bin_dir;
  std::chrono::seconds start_timeout{30};
  // Extra server settings, "name=value" each (passed as -c name=value).
  std::vector<std::string> settings;
};

class PostgresServer final : public TestServer {
 public:
  static std::unique_ptr<PostgresServer> start(PostgresServerOptions options = {});
  ~PostgresServer() override;
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  Endpoint endpoint() const override;
  // libpq connection info for the database "postgres".
  std::string connection_info(const Endpoint& via) const override;
  using TestServer::connection_info;
  // libpq connection info for `database`, directly or through `via`.
  std::string connection_info(const std::string& database) const;
  std::string connection_info(const Endpoint& via, const std::string& database) const;
  // Creates `database` unless it exists.
  void create_database(const std::string& database);
  void stop() override;

  // Seconds from start() to the first accepted connection.
  double startup_seconds() const { return startup_seconds_; }
  // The directory holding the data, the socket and the log.
  const std::string& directory() const { return directory_; }

 private:
  PostgresServer() = default;
  void launch(const PostgresServerOptions& options);

  std::string directory_;
  std::string bin_dir_;
  int owner_pid_ = -1;
  int server_pid_ = -1;
  int watchdog_pid_ = -1;
  int watchdog_pipe_ = -1;
  double startup_seconds_ = 0;
};

// The server this test process shares: started on first call (with default
// options), stopped at exit.
PostgresServer& shared_postgres_server();

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_POSTGRES_POSTGRES_SERVER_H_
