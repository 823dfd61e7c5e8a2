// ReadFromPostgres and WriteToPostgres against the server's own COPY, on a
// throwaway PostgreSQL server started by the benchmark (testkit's
// PostgresServer, on a Unix socket), all in one run:
//   * read: a table of --rows rows (default 10 million: id bigint primary
//     key, name text, value double precision) read by ReadFromPostgres
//     through LocalRunner with 2 workers into a counting ReadOutput, beside
//     `COPY t TO STDOUT` of the same table on one connection, each row
//     handed to the client. Target (issue 25): >= 0.7x COPY's rows/s.
//   * write: --write_rows rows (default 2 million) written by
//     WriteToPostgres with 2 workers (staging tables, then the finalize
//     that moves them), beside `COPY t FROM STDIN` of the same rows,
//     already encoded, on one connection, into an empty table. Target:
//     >= 0.5x COPY's rows/s.
// Prints the server's start-up time, then min, median and max of
// --repetitions runs (default 3) and the ratios of the medians. Rows read
// and written are counted and checked.
//
//   ./bazelw run -c opt //bench:postgres_bench
//   ./bazelw run -c opt //bench:postgres_bench -- --rows=1000000 --repetitions=5

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/bench/file_bench.h"
#include "splitcheck/lib/postgres/internal/pg_connection.h"
#include "splitcheck/lib/postgres/postgres_sink.h"
#include "splitcheck/lib/postgres/postgres_source.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/read_output.h"
#include "splitcheck/testkit/postgres/postgres_server.h"

namespace splitcheck {
namespace {

using bench::Timing;
using internal::PgConnection;

constexpr auto kTimeout = std::chrono::minutes(10);

struct Flags {
  std::int64_t rows = 10'000'000;
  std::int64_t write_rows = 2'000'000;
  int repetitions = 3;
};

Flags parse(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--rows=", 0) == 0) {
      flags.rows = std::atoll(arg.c_str() + 7);
    } else if (arg.rfind("--write_rows=", 0) == 0) {
      flags.write_rows = std::atoll(arg.c_str() + 13);
    } else if (arg.rfind("--repetitions=", 0) == 0) {
      flags.repetitions = std::atoi(arg.c_str() + 14);
    } else {
      std::fprintf(stderr, "unknown flag %s (known: --rows=N, --write_rows=N, --repetitions=N)\n",
                   arg.c_str());
      std::exit(2);
    }
  }
  if (flags.rows < 1 || flags.write_rows < 1 || flags.repetitions < 1) {
    std::fprintf(stderr, "--rows, --write_rows and --repetitions must be at least 1\n");
    std::exit(2);
  }
  return flags;
}

// Counts rows and sums their ids, per attempt, published at commit.
class CountingOutput final : public ReadOutput<PgRow> {
 public:
  std::int64_t rows() const { return rows_.load(); }
  std::int64_t id_sum() const { return id_sum_.load(); }

  std::unique_ptr<AttemptOutput<PgRow>> open(const AttemptInfo&) override {
    return std::make_unique<Attempt>(this);
  }

 private:
  class Attempt final : public AttemptOutput<PgRow> {
   public:
    explicit Attempt(CountingOutput* out) : out_(out) {}
    void add(PgRow&& row) override {
      ++rows_;
      id_sum_ += std::atoll(row.values[0]->c_str());
    }
    void commit() override {
      out_->rows_ += rows_;
      out_->id_sum_ += id_sum_;
    }
    void discard() noexcept override {}

   private:
    CountingOutput* const out_;
    std::int64_t rows_ = 0;
    std::int64_t id_sum_ = 0;
  };

  std::atomic<std::int64_t> rows_{0};
  std::atomic<std::int64_t> id_sum_{0};
};

void print_rows_figure(const char* what, const Timing& t, std::int64_t rows) {
  std::printf("%-44s %8.3f %8.3f %8.3f s %11.0f rows/s\n", what, t.min, t.median, t.max,
              static_cast<double>(rows) / t.median);
  std::fflush(stdout);
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "check failed: %s\n", what);
    std::exit(1);
  }
}

int run(int argc, char** argv) {
  const Flags flags = parse(argc, argv);
  bench::become_multithreaded();
  auto server = testkit::PostgresServer::start();
  std::printf("server start-up: %.3f s\n", server->startup_seconds());
  server->create_database("bench");
  const std::string db = server->connection_info("bench");
  PgConnection admin(db, kTimeout);
  const std::string n = std::to_string(flags.rows);
  admin.exec(
      "CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, value double precision);"
      "INSERT INTO t SELECT i, 'name ' || i, i * 0.25 FROM generate_series(1, " +
      n + ") i");
  admin.exec("VACUUM ANALYZE t");
  const std::int64_t id_sum = flags.rows * (flags.rows + 1) / 2;
  std::printf("%lld rows to read, %lld to write, %d repetitions\n",
              static_cast<long long>(flags.rows), static_cast<long long>(flags.write_rows),
              flags.repetitions);
  std::printf("%-44s %8s %8s %8s   %11s\n", "", "min", "median", "max", "at median");

  const Timing copy_out = bench::time_runs(flags.repetitions, [&] {
    std::int64_t rows = 0;
    const std::int64_t copied =
        admin.copy_out("COPY t TO STDOUT", [&](std::string_view) { ++rows; });
    check(rows == flags.rows && copied == flags.rows, "COPY TO STDOUT row count");
  });
  print_rows_figure("COPY t TO STDOUT, 1 connection", copy_out, flags.rows);

  RunnerOptions two;
  two.num_workers = 2;
  const Timing read = bench::time_runs(flags.repetitions, [&] {
    ReadFromPostgresOptions options;
    options.table = "t";
    options.key = "id";
    CountingOutput output;
    LocalRunner(two).run(ReadFromPostgres(db, options), output);
    check(output.rows() == flags.rows && output.id_sum() == id_sum, "ReadFromPostgres rows");
  });
  print_rows_figure("ReadFromPostgres, 2 workers", read, flags.rows);

  // The rows to write, and their COPY text.
  std::vector<PgRow> rows;
  rows.reserve(static_cast<std::size_t>(flags.write_rows));
  std::string text;
  for (std::int64_t i = 1; i <= flags.write_rows; ++i) {
    PgRow row;
    row.values = {std::to_string(i), "name " + std::to_string(i), std::to_string(i * 0.25)};
    text += *row.values[0] + "\t" + *row.values[1] + "\t" + *row.values[2] + "\n";
    rows.push_back(std::move(row));
  }
  const std::string fresh = "DROP TABLE IF EXISTS w; CREATE TABLE w (LIKE t)";
  const Timing copy_in = bench::time_runs(
      flags.repetitions,
      [&] { check(admin.copy_in("COPY w FROM STDIN", text) == flags.write_rows, "COPY FROM"); },
      [&] { admin.exec(fresh); });
  print_rows_figure("COPY w FROM STDIN, 1 connection", copy_in, flags.write_rows);

  RunnerOptions write_two = two;
  write_two.write_bundles = 2;
  const Timing write = bench::time_runs(
      flags.repetitions, [&] { LocalRunner(write_two).run(WriteToPostgres(db, "w"), rows); },
      [&] { admin.exec(fresh); });
  check(admin.exec("SELECT count(*) FROM w").int64(0, 0) == flags.write_rows,
        "WriteToPostgres row count");
  print_rows_figure("WriteToPostgres, 2 workers", write, flags.write_rows);

  std::printf("ReadFromPostgres / COPY TO STDOUT:  %.2fx (target >= 0.7x)\n",
              copy_out.median / read.median);
  std::printf("WriteToPostgres / COPY FROM STDIN:  %.2fx (target >= 0.5x)\n",
              copy_in.median / write.median);
  return 0;
}

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) {
  try {
    return splitcheck::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "postgres_bench: %s\n", e.what());
    return 1;
  }
}
