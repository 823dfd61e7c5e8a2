#include "splitcheck/lib/postgres/postgres_source.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/postgres/internal/pg_connection.h"
#include "splitcheck/lib/postgres/internal/pg_copy_text.h"
#include "splitcheck/lib/postgres/internal/pg_text_bound.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck {
namespace {

using internal::PgConnection;
using internal::PgResult;
using internal::quote_pg_identifier;
using internal::quote_pg_literal;

using Params = std::vector<std::optional<std::string>>;

constexpr std::size_t kMaxIdleConnections = 8;
// Rows of a COPY a reader split dynamically reads past its last claim, at
// most, to keep its connection.
constexpr int kMaxRowsDrained = 4096;

std::optional<std::int64_t> parse_int64(std::string_view text) {
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

// An option the user gave (start_key, end_key).
std::int64_t parse_int_option(const std::string& text, std::string_view what) {
  const std::optional<std::int64_t> out = parse_int64(text);
  if (!out) {
    throw UsageError("ReadFromPostgres: " + std::string(what) + " \"" + text +
                     "\" is not a 64-bit integer");
  }
  return *out;
}

// A key the server sent.
std::int64_t parse_int_key(std::string_view text) {
  const std::optional<std::int64_t> out = parse_int64(text);
  if (!out) {
    throw InputError("ReadFromPostgres: the key \"" + std::string(text) +
                     "\" is not a 64-bit integer (ReadFromPostgresByTextKey reads a text key)");
  }
  return *out;
}

// The two key types. Positions of an integer key are key - base; a text
// key's position is its bytes.
struct IntKey {
  using Position = std::int64_t;
  static constexpr const char* kName = "ReadFromPostgres";
  std::int64_t base = 0;

  std::int64_t get_base() const { return base; }
  void set_base(std::int64_t b) { base = b; }

  static std::string column(const std::string& key) { return quote_pg_identifier(key); }
  // Bounds are bigint whatever the column's integer type (a smallint or
  // integer key compares with them through PostgreSQL's cross-type
  // operators, and its index still serves): max + 1 is a valid stop.
  static constexpr const char* kBoundType = "::bigint";
  // The SQL bound of a position; nullopt: past every key.
  std::optional<std::string> bound(std::int64_t position) const {
    std::int64_t key;
    if (__builtin_add_overflow(base, position, &key)) return std::nullopt;
    return std::to_string(key);
  }
  bool unbounded_stop(std::int64_t) const { return false; }
  static void check_options(const ReadFromPostgresOptions& o) {
    if (o.start_key) parse_int_option(*o.start_key, "start_key");
    if (o.end_key) parse_int_option(*o.end_key, "end_key");
  }
  std::int64_t position(std::string_view key_text) const {
    const std::int64_t key = parse_int_key(key_text);
    std::int64_t p;
    if (__builtin_sub_overflow(key, base, &p) || p < 0) {
      throw InputError(std::string(kName) + ": key " + std::string(key_text) +
                       " lies before the source's first key " + std::to_string(base));
    }
    return p;
  }
  // The key of a position, as the server writes it.
  std::string text(std::int64_t position) const { return std::to_string(base + position); }
  std::unique_ptr<RangeTracker<std::int64_t>> tracker(std::int64_t start, std::int64_t stop) const {
    return std::make_unique<OffsetRangeTracker>(start, stop);
  }
  static std::string describe(std::int64_t p) { return std::to_string(p); }
};

struct TextKey {
  using Position = std::string;
  static constexpr const char* kName = "ReadFromPostgresByTextKey";

  std::int64_t get_base() const { return 0; }
  void set_base(std::int64_t) {}

  static std::string column(const std::string& key) {
    return quote_pg_identifier(key) + " COLLATE \"C\"";
  }
  static constexpr const char* kBoundType = "::text";
  std::optional<std::string> bound(const std::string& position) const {
    return internal::smallest_text_at_least(position);
  }
  // An empty stop is the end of the key space.
  bool unbounded_stop(const std::string& stop) const { return stop.empty(); }
  static void check_options(const ReadFromPostgresOptions&) {}
  std::string position(std::string_view key_text) const { return std::string(key_text); }
  std::string text(const std::string& position) const { return position; }
  std::unique_ptr<RangeTracker<std::string>> tracker(const std::string& start,
                                                     const std::string& stop) const {
    return std::make_unique<LexicographicKeyRangeTracker>(start, stop);
  }
  static std::string describe(const std::string& p) { return "\"" + p + "\""; }
};

// What every copy and bundle of one source shares: how to reach the server,
// the snapshot, the idle connections.
class SourceState {
 public:
  SourceState(std::string conninfo, ReadFromPostgresOptions options)
      : conninfo_(std::move(conninfo)), options_(std::move(options)) {}
  // A decoded source's: the snapshot another process exported and holds.
  SourceState(std::string conninfo, ReadFromPostgresOptions options,
              std::optional<std::string> snapshot)
      : conninfo_(std::move(conninfo)),
        options_(std::move(options)),
        snapshot_(std::move(snapshot)) {}

  const std::optional<std::string>& snapshot() const { return snapshot_; }

  const ReadFromPostgresOptions& options() const { return options_; }
  const std::string& conninfo() const { return conninfo_; }

  // Opens the connection that holds the snapshot (when options ask for
  // one) and returns it, in its transaction, for the first queries.
  PgConnection& open_snapshot() {
    holder_ = std::make_unique<PgConnection>(conninfo_, options_.io_timeout);
    if (options_.snapshot) {
      holder_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      snapshot_ = std::string(holder_->exec("SELECT pg_export_snapshot()").value(0, 0));
    } else {
      holder_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    return *holder_;
  }
  // Without a snapshot to hold, the holder is closed once the source is made.
  void finish_opening() {
    if (!options_.snapshot) holder_.reset();
  }

  // A connection in a read-only transaction on the source's snapshot,
  // given back (transaction rolled back) when the lease ends.
  class Lease {
   public:
    Lease(const SourceState* state, std::unique_ptr<PgConnection> conn)
        : state_(state), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (conn_) state_->give_back(std::move(conn_));
    }
    PgConnection& operator*() const { return *conn_; }
    PgConnection* operator->() const { return conn_.get(); }

   private:
    const SourceState* state_;
    std::unique_ptr<PgConnection> conn_;
  };

  Lease lease() const {
    std::unique_ptr<PgConnection> conn;
    {
      internal::MutexLock lock(&mu_);
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (conn) {
      try {
        begin(*conn);
        return Lease(this, std::move(conn));
      } catch (const internal::PgConnectionLost&) {
        // Closed while idle (the server or the network ended it): a new one.
      }
    }
    conn = std::make_unique<PgConnection>(conninfo_, options_.io_timeout);
    begin(*conn);
    return Lease(this, std::move(conn));
  }

 private:
  void begin(PgConnection& conn) const {
    std::string sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    if (snapshot_) sql += "; SET TRANSACTION SNAPSHOT " + quote_pg_literal(*snapshot_);
    conn.exec(sql);
  }

  void give_back(std::unique_ptr<PgConnection> conn) const {
    if (conn->broken()) return;
    try {
      conn->exec("ROLLBACK");
    } catch (const Error&) {
      return;  // lost: dropped
    }
    internal::MutexLock lock(&mu_);
    if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(conn));
  }

  const std::string conninfo_;
  const ReadFromPostgresOptions options_;
  std::unique_ptr<PgConnection> holder_;  // set while the source is made, then never touched
  std::optional<std::string> snapshot_;
  mutable internal::Mutex mu_;
  mutable std::vector<std::unique_ptr<PgConnection>> idle_ SPLITCHECK_GUARDED_BY(mu_);
};

template <typename Key>
class PostgresSource final : public BoundedSource<PgRow, typename Key::Position> {
 public:
  using Position = typename Key::Position;
  using Bundle = SourceBundle<PgRow, Position>;

  PostgresSource(std::string conninfo, ReadFromPostgresOptions options)
      : state_(std::make_shared<SourceState>(std::move(conninfo), std::move(options))) {
    prepare_statements();
    measure(state_->open_snapshot());
    state_->finish_opening();
  }

  // A decoded source: what the original measured, nothing asked of the
  // server (decode below).
  struct Measured {
    std::int64_t key_base = 0;
    Position start{};
    Position stop{};
    std::int64_t total_rows = 0;
    std::int64_t total_bytes = 0;
    double avg_row_bytes = 1;
  };
  PostgresSource(std::shared_ptr<SourceState> state, const Measured& m) : state_(std::move(state)) {
    prepare_statements();
    key_type_.set_base(m.key_base);
    start_ = m.start;
    stop_ = m.stop;
    total_rows_ = m.total_rows;
    total_bytes_ = m.total_bytes;
    avg_row_bytes_ = m.avg_row_bytes;
  }

  // Serializable: the connection string, the options, the exported
  // snapshot's name and what was measured in it. A decoded source reads
  // that snapshot, which the original's holding connection keeps alive: a
  // worker reads the rows every other bundle reads, as long as the source
  // it was sent from lives (as on a runner, whose driver holds the
  // source). Without a snapshot (options.snapshot = false), each reader
  // has its own, as in one process.
  void encode(ByteWriter& out) const override {
    const ReadFromPostgresOptions& o = state_->options();
    out.put_string(Key::kName);
    out.put_string(state_->conninfo());
    out.put_string(o.table);
    out.put_string(o.schema);
    out.put_string(o.query);
    out.put_string(o.key);
    encode_value(o.columns, out);
    encode_value(o.start_key, out);
    encode_value(o.end_key, out);
    out.put_signed(o.io_timeout.count());
    out.put_bool(o.snapshot);
    encode_value(state_->snapshot(), out);
    out.put_signed(key_type_.get_base());
    encode_value(start_, out);
    encode_value(stop_, out);
    out.put_signed(total_rows_);
    out.put_signed(total_bytes_);
    out.put_double(avg_row_bytes_);
  }

  static std::shared_ptr<const PostgresSource> decode(ByteReader& in) {
    in.expect_tag(Key::kName);
    std::string conninfo = in.get_string("conninfo");
    ReadFromPostgresOptions o;
    o.table = in.get_string("table");
    o.schema = in.get_string("schema");
    o.query = in.get_string("query");
    o.key = in.get_string("key");
    o.columns = decode_value<std::vector<std::string>>(in);
    o.start_key = decode_value<std::optional<std::string>>(in);
    o.end_key = decode_value<std::optional<std::string>>(in);
    std::size_t at = in.offset();
    const std::int64_t timeout = in.get_signed("io_timeout");
    if (timeout <= 0) in.fail(at, "io_timeout", "not positive");
    o.io_timeout = std::chrono::milliseconds(timeout);
    o.snapshot = in.get_bool("snapshot");
    auto snapshot = decode_value<std::optional<std::string>>(in);
    Measured m;
    const std::size_t base_at = in.offset();
    m.key_base = in.get_signed("key base");
    m.start = decode_value<Position>(in);
    m.stop = decode_value<Position>(in);
    at = in.offset();
    m.total_rows = in.get_signed("total rows");
    m.total_bytes = in.get_signed("total bytes");
    if (m.total_rows < 0 || m.total_bytes < 0) in.fail(at, "sizes", "negative");
    at = in.offset();
    m.avg_row_bytes = in.get_double("mean row bytes");
    if (!(m.avg_row_bytes >= 1)) in.fail(at, "mean row bytes", "below 1");
    auto state =
        std::make_shared<SourceState>(std::move(conninfo), std::move(o), std::move(snapshot));
    std::shared_ptr<const PostgresSource> source;
    try {
      source = std::make_shared<const PostgresSource>(std::move(state), m);
    } catch (const UsageError& e) {
      in.fail(0, "options", e.what());
    }
    // A key type without a base (text keys) keeps none: the field is 0.
    if (source->key_type_.get_base() != m.key_base) {
      in.fail(base_at, "key base", "not a base of this key type");
    }
    return source;
  }

  static std::shared_ptr<const BoundedSource<PgRow, Position>> decode_any(ByteReader& in) {
    return decode(in);
  }

  SourceDecoder<PgRow, Position> decoder() const override { return decode_any; }

 private:
  // The statements' parts, from the options (UsageError for bad ones).
  void prepare_statements() {
    const ReadFromPostgresOptions& o = state_->options();
    if (o.table.empty() == o.query.empty()) {
      throw UsageError(std::string(Key::kName) + ": give exactly one of a table and a query");
    }
    if (o.key.empty()) throw UsageError(std::string(Key::kName) + ": no key column");
    if (o.table.empty()) {
      from_ = "(" + o.query + ") AS splitcheck_query";
      what_ = "query";
    } else {
      from_ = (o.schema.empty() ? "" : quote_pg_identifier(o.schema) + ".") +
              quote_pg_identifier(o.table);
      what_ = o.schema.empty() ? o.table : o.schema + "." + o.table;
    }
    key_ = Key::column(o.key);
    select_ = "SELECT " + key_ + " AS splitcheck_key";
    if (o.columns.empty()) {
      select_ += ", *";
    } else {
      for (const std::string& c : o.columns) select_ += ", " + quote_pg_identifier(c);
    }
    select_ += " FROM " + from_;
    key_type_.check_options(o);
  }

 public:
  std::int64_t estimate_size() const override { return total_bytes_; }

  std::vector<Bundle> split(std::int64_t desired_bundle_size, std::optional<Position> start,
                            std::optional<Position> stop) const override {
    if (desired_bundle_size <= 0) {
      throw UsageError(debug_string() + ": split(" + std::to_string(desired_bundle_size) +
                       "): the desired bundle size must be positive");
    }
    const Position first = start.value_or(start_);
    const Position last = stop.value_or(stop_);
    check_range(first, last);
    auto conn = state_->lease();
    Params params;
    const std::string where = range_where(first, last, &params);
    const bool whole = !(first < start_) && !(start_ < first) && !(last < stop_) && !(stop_ < last);
    const std::int64_t rows =
        whole ? total_rows_
              : conn->exec_params("SELECT count(*) FROM " + from_ + where, params).int64(0, 0);
    const double bytes = static_cast<double>(rows) * avg_row_bytes_;
    const std::int64_t wanted = std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::ceil(bytes / static_cast<double>(desired_bundle_size))), 1,
        std::max<std::int64_t>(rows, 1));
    // Cuts strictly inside the range, increasing: repeated quantiles (few
    // rows) collapse.
    std::vector<Position> cuts;
    auto add_cut = [&](std::string_view key) {
      Position p = key_type_.position(key);
      if (!(first < p) || (!key_type_.unbounded_stop(last) && !(p < last))) return;
      if (!cuts.empty() && !(cuts.back() < p)) return;
      cuts.push_back(std::move(p));
    };
    if (wanted > 1) {
      // The planner's histogram of the key (equal-depth buckets, read in
      // the snapshot) when it has enough bounds in the range: no scan.
      // Else the quantiles of the range itself.
      const std::vector<Position> bounds = histogram_bounds(*conn, first, last);
      if (static_cast<std::int64_t>(bounds.size()) >= 2 * wanted) {
        for (std::int64_t i = 1; i < wanted; ++i) {
          add_cut(key_text(bounds[static_cast<std::size_t>(
              i * static_cast<std::int64_t>(bounds.size()) / wanted)]));
        }
      } else {
        std::string fractions = "ARRAY[";
        for (std::int64_t i = 1; i < wanted; ++i) {
          if (i > 1) fractions += ",";
          fractions += std::to_string(static_cast<double>(i) / static_cast<double>(wanted));
        }
        fractions += "]::float8[]";
        const PgResult keys =
            conn->exec_params("SELECT unnest(percentile_disc(" + fractions +
                                  ") WITHIN GROUP (ORDER BY " + key_ + ")) FROM " + from_ + where,
                              params);
        for (int r = 0; r < keys.rows(); ++r) add_cut(keys.value(r, 0));
      }
    }
    std::vector<Bundle> out;
    const double weight = bytes / static_cast<double>(cuts.size() + 1);
    const auto self = this->self();
    Position begin = first;
    for (Position& cut : cuts) {
      out.push_back({weight, self, begin, cut});
      begin = std::move(cut);
    }
    out.push_back({weight, self, begin, last});
    return out;
  }

  std::unique_ptr<RangeTracker<Position>> get_range_tracker(
      std::optional<Position> start, std::optional<Position> stop) const override {
    return key_type_.tracker(start.value_or(start_), stop.value_or(stop_));
  }

  Generator<PgRow> read(RangeTracker<Position>& tracker) const override {
    // COPY streams the range's rows with no round trip per batch; it takes
    // no parameters, so the bounds are literals.
    const std::string where = range_where(tracker.start_position(), tracker.stop_position());
    auto conn = state_->lease();
    conn->copy_start("COPY (" + select_ + where + " ORDER BY " + key_ + ") TO STDOUT");
    std::vector<std::optional<std::string>> fields;
    std::optional<Position> previous;
    while (const std::optional<std::string_view> line = conn->copy_out_row()) {
      internal::parse_copy_row(*line, fields);
      if (fields.empty() || !fields[0]) {
        throw InputError(debug_string() + ": a row has a NULL key");
      }
      Position p = key_type_.position(*fields[0]);
      if (previous && !(*previous < p)) {
        throw InputError(debug_string() + ": key " + *fields[0] +
                         " appears twice (or out of order): the key column must be unique");
      }
      if (!tracker.try_claim(p)) {
        // The rest of the COPY belongs to another reader. A short rest is
        // read and dropped, so that the connection can serve the next
        // reader (connecting costs a server process); a long one is cut
        // by closing the connection.
        bool drained = false;
        for (int left = kMaxRowsDrained; left > 0 && !drained; --left) {
          drained = !conn->copy_out_row();
        }
        if (!drained) conn->abandon();
        co_return;
      }
      previous = std::move(p);
      PgRow row;
      row.values.assign(std::make_move_iterator(fields.begin() + 1),
                        std::make_move_iterator(fields.end()));
      co_yield std::move(row);
    }
    // The end of the range: a last, refused claim tells the tracker the
    // read is over (progress reaches 1, a split after the last row is
    // refused).
    const Position stop = tracker.stop_position();
    if (!key_type_.unbounded_stop(stop)) tracker.try_claim(stop);
  }

  std::string debug_string() const override {
    return std::string(Key::kName) + "(" + what_ + ", key " + state_->options().key + ")";
  }

 private:
  // The range's bounds, the total size and the mean row size, read in the
  // snapshot the readers will read.
  void measure(PgConnection& conn) {
    const ReadFromPostgresOptions& o = state_->options();
    // First the bounds as the user gave them (raw keys), then positions.
    std::string where;
    Params params;
    if (o.start_key) {
      params.push_back(*o.start_key);
      where += " WHERE " + key_ + " >= $" + std::to_string(params.size()) + Key::kBoundType;
    }
    if (o.end_key) {
      params.push_back(*o.end_key);
      where += std::string(where.empty() ? " WHERE " : " AND ") + key_ + " < $" +
               std::to_string(params.size()) + Key::kBoundType;
    }
    // The key alone (an index-only scan can count it), then the mean size of
    // up to 1000 rows.
    const PgResult r = conn.exec_params(
        "SELECT min(splitcheck_key)::text, max(splitcheck_key)::text, count(*), "
        "count(*) FILTER (WHERE splitcheck_key IS NULL) FROM (SELECT " +
            key_ + " AS splitcheck_key FROM " + from_ + where + ") AS splitcheck_keys",
        params);
    total_rows_ = r.int64(0, 2);
    // A range bound never selects a NULL key: such rows would be read by
    // no bundle.
    if (const std::int64_t nulls = r.int64(0, 3); nulls > 0) {
      throw InputError(debug_string() + ": " + std::to_string(nulls) +
                       " rows have a NULL key, which no key range holds: they would never be "
                       "read (filter them out with a query, or split on a NOT NULL column)");
    }
    const PgResult sample = conn.exec_params(
        "SELECT coalesce(avg(pg_column_size(splitcheck_row.*)), 1)::float8::text FROM (" + select_ +
            where + " LIMIT 1000) AS splitcheck_row",
        params);
    avg_row_bytes_ = std::max(1.0, std::stod(std::string(sample.value(0, 0))));
    total_bytes_ =
        static_cast<std::int64_t>(std::llround(static_cast<double>(total_rows_) * avg_row_bytes_));
    set_bounds(total_rows_ > 0 ? std::optional<std::string>(r.value(0, 0)) : std::nullopt,
               total_rows_ > 0 ? std::optional<std::string>(r.value(0, 1)) : std::nullopt);
  }

  // The bounds of the planner's histogram of the key column strictly inside
  // (first, last), in key order; none for a query, or a table not analyzed.
  std::vector<Position> histogram_bounds(PgConnection& conn, const Position& first,
                                         const Position& last) const {
    const ReadFromPostgresOptions& o = state_->options();
    std::vector<Position> out;
    if (o.table.empty()) return out;
    const PgResult r = conn.exec(
        "SELECT unnest(histogram_bounds::text::text[]) FROM pg_stats WHERE schemaname = " +
        (o.schema.empty() ? std::string("current_schema()") : quote_pg_literal(o.schema)) +
        " AND tablename = " + quote_pg_literal(o.table) +
        " AND attname = " + quote_pg_literal(o.key));
    for (int i = 0; i < r.rows(); ++i) {
      Position p;
      try {
        p = key_type_.position(r.value(i, 0));
      } catch (const InputError&) {
        continue;  // before the first key: not inside the range
      }
      if (first < p && (key_type_.unbounded_stop(last) || p < last)) out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string key_text(const Position& p) const { return key_type_.text(p); }

  void set_bounds(const std::optional<std::string>& min_key,
                  const std::optional<std::string>& max_key);

  void check_range(const Position& first, const Position& last) const {
    if (!key_type_.unbounded_stop(last) && last < first) {
      throw UsageError(debug_string() + ": the range [" + Key::describe(first) + ", " +
                       Key::describe(last) + ") ends before it starts");
    }
  }

  // " WHERE key >= $1 [AND key < $2]" for [start, stop), parameters added;
  // without `params`, the bounds are literals.
  std::string range_where(const Position& start, const Position& stop,
                          Params* params = nullptr) const {
    auto bound = [&](std::string value) {
      if (params == nullptr) return quote_pg_literal(value) + Key::kBoundType;
      params->push_back(std::move(value));
      return "$" + std::to_string(params->size()) + Key::kBoundType;
    };
    const std::optional<std::string> low = key_type_.bound(start);
    if (!low) return " WHERE false";  // past every key
    std::string where = " WHERE " + key_ + " >= " + bound(*low);
    if (!key_type_.unbounded_stop(stop)) {
      if (const std::optional<std::string> high = key_type_.bound(stop)) {
        where += " AND " + key_ + " < " + bound(*high);
      }
    }
    return where;
  }

  std::shared_ptr<SourceState> state_;
  Key key_type_;
  std::string from_;
  std::string what_;
  std::string key_;
  std::string select_;
  Position start_{};
  Position stop_{};
  std::int64_t total_rows_ = 0;
  std::int64_t total_bytes_ = 0;
  double avg_row_bytes_ = 1;
};

template <>
void PostgresSource<IntKey>::set_bounds(const std::optional<std::string>& min_key,
                                        const std::optional<std::string>& max_key) {
  const ReadFromPostgresOptions& o = state_->options();
  // Positions count from the first key the range can hold.
  key_type_.base = o.start_key ? parse_int_option(*o.start_key, "start_key")
                               : (min_key ? parse_int_key(*min_key) : 0);
  start_ = 0;
  std::int64_t end;
  if (o.end_key) {
    end = parse_int_option(*o.end_key, "end_key");
  } else if (max_key) {
    end = parse_int_key(*max_key);
    if (__builtin_add_overflow(end, 1, &end)) {
      throw InputError(debug_string() +
                       ": the largest key is 2^63 - 1, which cannot be read (the "
                       "range's stop would be past it); give end_key");
    }
  } else {
    end = key_type_.base;
  }
  if (end < key_type_.base) {
    throw UsageError(debug_string() + ": end_key " + std::to_string(end) + " is before start_key " +
                     std::to_string(key_type_.base));
  }
  if (__builtin_sub_overflow(end, key_type_.base, &stop_)) {
    throw InputError(debug_string() + ": keys from " + std::to_string(key_type_.base) + " to " +
                     std::to_string(end) + " span more than 2^63 positions");
  }
}

template <>
void PostgresSource<TextKey>::set_bounds(const std::optional<std::string>& min_key,
                                         const std::optional<std::string>& max_key) {
  const ReadFromPostgresOptions& o = state_->options();
  start_ = o.start_key ? *o.start_key : min_key.value_or("");
  // Just past the last key, so that fractions spread over the keys that
  // exist (the snapshot holds no key between it and the last).
  stop_ = o.end_key ? *o.end_key : (max_key ? *max_key + std::string(1, '\0') : start_);
  if (!stop_.empty() && stop_ < start_) {
    throw UsageError(debug_string() + ": end_key \"" + stop_ + "\" is before start_key \"" +
                     start_ + "\"");
  }
}

}  // namespace

Read<PgRow, std::int64_t> ReadFromPostgres(std::string conninfo, ReadFromPostgresOptions options) {
  return Read<PgRow, std::int64_t>(
      std::make_shared<const PostgresSource<IntKey>>(std::move(conninfo), std::move(options)));
}

SourceDecoder<PgRow, std::int64_t> PostgresSourceDecoder() {
  return PostgresSource<IntKey>::decode_any;
}

SourceDecoder<PgRow, std::string> PostgresTextKeySourceDecoder() {
  return PostgresSource<TextKey>::decode_any;
}

Read<PgRow, std::string> ReadFromPostgresByTextKey(std::string conninfo,
                                                   ReadFromPostgresOptions options) {
  return Read<PgRow, std::string>(
      std::make_shared<const PostgresSource<TextKey>>(std::move(conninfo), std::move(options)));
}

}  // namespace splitcheck
