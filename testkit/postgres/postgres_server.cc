#include "splitcheck/testkit/postgres/postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <vector>

#include "libpq-fe.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/postgres/internal/pg_connection.h"

namespace splitcheck::testkit {
namespace {

namespace fs = std::filesystem;
constexpr int kPort = 5432;  // names the socket file; there is no TCP port

// The directory holding initdb and postgres.
std::string find_bin_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("SPLITCHECK_POSTGRES_BINDIR"); env && *env) return env;
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
  }
  if (!found.empty()) {
    // Versions are numbers: the newest is the one with the largest.
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
      return std::atoi(a.parent_path().filename().c_str()) <
             std::atoi(b.parent_path().filename().c_str());
    });
    return found.back().string();
  }
  return "";  // PATH
}

// The path of a server binary: in bin_dir, else the first on PATH.
std::string binary(const std::string& bin_dir, const std::string& name) {
  if (!bin_dir.empty()) return bin_dir + "/" + name;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t at = 0; at <= dirs.size();) {
    std::size_t end = dirs.find(':', at);
    if (end == std::string::npos) end = dirs.size();
    const std::string candidate = dirs.substr(at, end - at) + "/" + name;
    if (end > at && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    at = end + 1;
  }
  throw InputError("PostgresServer: no " + name +
                   " in /usr/lib/postgresql/*/bin or on PATH; install Debian's postgresql "
                   "package (./bazelw does) or set SPLITCHECK_POSTGRES_BINDIR");
}

std::string log_tail(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::size_t kTail = 1500;
  if (text.size() > kTail) text = "..." + text.substr(text.size() - kTail);
  return text.empty() ? "(the log is empty)" : text;
}

// Who the server runs as: nobody when we are root, else ourselves.
struct ServerUser {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

ServerUser server_user() {
  ServerUser user;
  if (::geteuid() != 0) return user;
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) {
    throw InputError(
        "PostgresServer: running as root, and there is no user \"nobody\" to run the server as "
        "(PostgreSQL refuses to run as root)");
  }
  user.drop = true;
  user.uid = nobody->pw_uid;
  user.gid = nobody->pw_gid;
  return user;
}

// Forks and execs argv (argv[0] a path) as `user`, stdout and stderr
// appended to log_path. Between fork and exec only system calls are made
// (open, dup2, setgroups, setgid, setuid, execv), no allocation.
pid_t spawn(const std::vector<std::string>& args, const std::string& log_path,
            const ServerUser& user) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0)
    throw InputError(std::string("PostgresServer: fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    const int log = ::open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
    const int null = ::open("/dev/null", O_RDONLY);
    if (log < 0 || null < 0) ::_exit(126);
    ::dup2(null, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    if (user.drop &&
        (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0)) {
      ::_exit(125);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits for `pid` up to `timeout`; whether it exited (its status in *status).
bool wait_exit(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The watchdog: a shell in a session of its own that reads its stdin (a
// pipe only this process writes) until end of file, which comes when this
// process closes it or dies however it dies; it then kills the server
// named in the data directory's postmaster.pid, waits up to 10 s for it to
// go, and removes the directory.
constexpr char kWatchdogScript[] =
    "cat >/dev/null; "
    "pid=$(head -n 1 \"$1/data/postmaster.pid\" 2>/dev/null); "
    "if [ -n \"$pid\" ]; then kill -QUIT \"$pid\" 2>/dev/null; i=0; "
    "while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; fi; "
    "rm -rf \"$1\"";

constexpr char kDirectoryPrefix[] = "splitcheck-postgres-";

bool process_alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// The first number in `path`, or 0.
pid_t pid_in(const fs::path& path) {
  std::ifstream in(path);
  long pid = 0;
  in >> pid;
  return static_cast<pid_t>(pid);
}

// Removes the directories of servers whose owner died without cleaning up
// (Bazel kills a timed-out or crashed test's whole process tree, the
// watchdog with it): those whose owner process and server are both gone.
// A directory without an owner file counts once its server is gone and it
// is a minute old.
void remove_stale_directories() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kDirectoryPrefix, 0) != 0 || !entry.is_directory(ec)) continue;
    if (process_alive(pid_in(entry.path() / "data" / "postmaster.pid"))) continue;
    const fs::path owner = entry.path() / "owner";
    if (fs::exists(owner, ec)) {
      if (process_alive(pid_in(owner))) continue;
    } else {
      const auto age = fs::file_time_type::clock::now() - fs::last_write_time(entry.path(), ec);
      if (ec || age < std::chrono::minutes(1)) continue;
    }
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::start(PostgresServerOptions options) {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->owner_pid_ = ::getpid();
  server->launch(options);
  return server;
}

void PostgresServer::launch(const PostgresServerOptions& options) {
  const auto began = std::chrono::steady_clock::now();
  bin_dir_ = find_bin_dir(options.bin_dir);
  const std::string initdb = binary(bin_dir_, "initdb");
  const std::string postgres = binary(bin_dir_, "postgres");
  if (!bin_dir_.empty() && !fs::exists(initdb)) {
    throw InputError("PostgresServer: no initdb in \"" + bin_dir_ +
                     "\"; install Debian's postgresql package (./bazelw does) or set "
                     "SPLITCHECK_POSTGRES_BINDIR");
  }
  const ServerUser user = server_user();

  // /tmp, not the test's TMPDIR: a socket path must fit in 107 bytes, and
  // "nobody" must be able to reach the directory.
  char pattern[] = "/tmp/splitcheck-postgres-XXXXXX";  // kDirectoryPrefix
  if (::mkdtemp(pattern) == nullptr) {
    throw InputError(std::string("PostgresServer: mkdtemp /tmp failed: ") + std::strerror(errno));
  }
  directory_ = pattern;
  std::ofstream(directory_ + "/owner") << ::getpid() << "\n";
  remove_stale_directories();

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    fs::remove_all(directory_);
    throw InputError(std::string("PostgresServer: pipe failed: ") + std::strerror(errno));
  }
  const std::string shell = "/bin/sh";
  std::vector<std::string> watchdog_args = {shell, "-c", kWatchdogScript, "splitcheck-watchdog",
                                            directory_};
  std::vector<char*> argv;
  for (const std::string& a : watchdog_args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  watchdog_pid_ = ::fork();
  if (watchdog_pid_ == 0) {
    ::setsid();  // out of the test's process group: a kill of the group spares it
    ::dup2(pipe_fds[0], 0);
    ::syscall(SYS_close_range, 3U, ~0U, 0);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[0]);
  watchdog_pipe_ = pipe_fds[1];
  if (watchdog_pid_ < 0) {
    stop();
    throw InputError(std::string("PostgresServer: fork failed: ") + std::strerror(errno));
  }

  const std::string log = directory_ + "/server.log";
  const std::string data = directory_ + "/data";
  if (user.drop && ::chown(directory_.c_str(), user.uid, user.gid) != 0) {
    const int err = errno;
    stop();
    // EINVAL: "nobody" has no id in this user namespace. Bazel's
    // linux-sandbox runs a test as a root that maps no other user, and
    // PostgreSQL will not run as root.
    throw InputError("PostgresServer: cannot give " + directory_ +
                     " to nobody: " + std::strerror(err) +
                     (err == EINVAL ? " (root inside a user namespace with no other user, as in "
                                      "Bazel's sandbox: tag the test \"no-sandbox\", as "
                                      "lib/postgres's tests do)"
                                    : ""));
  }
  int status = 0;
  const pid_t init = spawn({initdb, "-D", data, "-U", "splitcheck", "--auth=trust", "-E", "UTF8",
                            "--locale=C", "--no-sync", "--no-instructions"},
                           log, user);
  while (::waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string tail = log_tail(log);
    stop();
    throw InputError("PostgresServer: " + initdb + " failed (status " + std::to_string(status) +
                     "):\n" + tail);
  }

  std::vector<std::string> args = {postgres,
                                   "-D",
                                   data,
                                   "-k",
                                   directory_,
                                   "-p",
                                   std::to_string(kPort),
                                   "-c",
                                   "listen_addresses=",
                                   "-c",
                                   "fsync=off",
                                   "-c",
                                   "synchronous_commit=off",
                                   "-c",
                                   "full_page_writes=off",
                                   "-c",
                                   "max_connections=200"};
  for (const std::string& s : options.settings) {
    args.push_back("-c");
    args.push_back(s);
  }
  server_pid_ = spawn(args, log, user);

  const std::string ping = connection_info(endpoint(), "postgres");
  const auto deadline = began + options.start_timeout;
  for (;;) {
    if (PQping(ping.c_str()) == PQPING_OK) break;
    if (::waitpid(server_pid_, &status, WNOHANG) == server_pid_) {
      server_pid_ = -1;
      const std::string tail = log_tail(log);
      stop();
      throw InputError("PostgresServer: the server exited while starting (status " +
                       std::to_string(status) + "):\n" + tail);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string tail = log_tail(log);
      stop();
      throw InputError("PostgresServer: the server did not accept connections within " +
                       std::to_string(options.start_timeout.count()) + " s:\n" + tail);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  startup_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
}

PostgresServer::~PostgresServer() {
  // A forked child (a worker process) that exits must not stop its
  // parent's server.
  if (::getpid() == owner_pid_) stop();
}

void PostgresServer::stop() {
  if (server_pid_ > 0) {
    int status = 0;
    ::kill(server_pid_, SIGINT);  // fast shutdown: ends sessions, no waiting for clients
    if (!wait_exit(server_pid_, std::chrono::seconds(10), &status)) {
      ::kill(server_pid_, SIGQUIT);  // immediate shutdown
      if (!wait_exit(server_pid_, std::chrono::seconds(5), &status)) {
        ::kill(server_pid_, SIGKILL);
        ::waitpid(server_pid_, &status, 0);
      }
    }
    server_pid_ = -1;
  }
  if (!directory_.empty()) {
    std::error_code ec;
    fs::remove_all(directory_, ec);
  }
  if (watchdog_pipe_ >= 0) {
    ::close(watchdog_pipe_);  // end of file: the watchdog finds nothing left and exits
    watchdog_pipe_ = -1;
  }
  if (watchdog_pid_ > 0) {
    int status = 0;
    ::waitpid(watchdog_pid_, &status, 0);
    watchdog_pid_ = -1;
  }
}

Endpoint PostgresServer::endpoint() const {
  Endpoint e;
  e.unix_socket = directory_ + "/.s.PGSQL." + std::to_string(kPort);
  e.port = kPort;
  return e;
}

std::string PostgresServer::connection_info(const Endpoint& via) const {
  return connection_info(via, "postgres");
}

std::string PostgresServer::connection_info(const std::string& database) const {
  return connection_info(endpoint(), database);
}

std::string PostgresServer::connection_info(const Endpoint& via,
                                            const std::string& database) const {
  std::string host;
  if (via.unix_socket.empty()) {
    host = via.host;
  } else {
    host = fs::path(via.unix_socket).parent_path().string();
  }
  // Quoted values: a path or name may hold spaces. No TLS or GSS: the
  // server offers neither, and asking would add a round trip per connect.
  auto quoted = [](const std::string& v) {
    std::string out = "'";
    for (const char c : v) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  };
  return "host=" + quoted(host) + " port=" + std::to_string(via.port) +
         " user=splitcheck dbname=" + quoted(database) +
         " sslmode=disable gssencmode=disable connect_timeout=10";
}

void PostgresServer::create_database(const std::string& database) {
  internal::PgConnection conn(connection_info("postgres"), std::chrono::seconds(30));
  const std::string exists =
      "SELECT 1 FROM pg_database WHERE datname = " + internal::quote_pg_literal(database);
  if (conn.exec(exists).rows() > 0) return;
  try {
    conn.exec("CREATE DATABASE " + internal::quote_pg_identifier(database));
  } catch (const internal::PgServerError& e) {
    // 42P04: created meanwhile by another thread (or its catalog row, 23505).
    if (e.sqlstate() != "42P04" && e.sqlstate() != "23505") throw;
  }
}

PostgresServer& shared_postgres_server() {
  static const std::unique_ptr<PostgresServer> server = PostgresServer::start();
  return *server;
}

}  // namespace splitcheck::testkit
