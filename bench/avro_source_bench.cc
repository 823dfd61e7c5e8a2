// Records per second reading a deflate Avro container file (default 1 GiB,
// from the page cache) with one AvroSource reader, beside avro-c's own
// reading loop (avro_file_reader_read_value into one reused value) over the
// same file in the same run. Target (issue 24): >= 0.8x avro-c's loop. Both
// read every record's id through avro-c's value API, and the sums must
// agree. Prints min, median and max, and the ratio of medians.
//
//   ./bazelw run -c opt //bench:avro_source_bench                 # 1 GiB
//   ./bazelw run -c opt //bench:avro_source_bench -- --size_mb=64
//
// The file, written with avro-c's writer (64 KiB blocks, records of ~100
// bytes of which a random-looking half compresses badly), goes to
// $TEST_TMPDIR, $TMPDIR or /tmp and is removed at the end. Each figure is
// --repetitions runs (default 5).

#include <avro.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "splitcheck/bench/file_bench.h"
#include "splitcheck/lib/avro/avro_source.h"
#include "splitcheck/lib/avro/internal/avro_reader.h"

namespace splitcheck {
namespace {

constexpr char kSchema[] =
    R"({"type": "record", "name": "Event", "fields": [)"
    R"({"name": "id", "type": "long"}, {"name": "kind", "type": "string"},)"
    R"( {"name": "payload", "type": "string"}, {"name": "value", "type": "double"}]})";

struct Generated {
  std::int64_t records = 0;
  std::int64_t id_sum = 0;
};

Generated generate(const std::string& path, std::int64_t bytes) {
  const internal::AvroSchemaHandle schema = internal::parse_avro_schema(kSchema, "bench");
  std::filesystem::remove(path);
  avro_file_writer_t writer;
  if (avro_file_writer_create_with_codec(path.c_str(), schema.get(), &writer, "deflate",
                                         64 * 1024) != 0) {
    std::fprintf(stderr, "avro-c cannot create %s: %s\n", path.c_str(), avro_strerror());
    std::exit(1);
  }
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema.get());
  avro_value_t value;
  avro_generic_value_new(iface, &value);
  Generated out;
  std::uint64_t state = 88172645463325252ull;
  const char* kinds[] = {"click", "view", "purchase", "scroll"};
  for (std::int64_t i = 0;; ++i) {
    if (i % 4096 == 0) {
      avro_file_writer_flush(writer);
      if (static_cast<std::int64_t>(std::filesystem::file_size(path)) >= bytes) break;
    }
    avro_value_t field;
    avro_value_get_by_index(&value, 0, &field, nullptr);
    avro_value_set_long(&field, i);
    avro_value_get_by_index(&value, 1, &field, nullptr);
    avro_value_set_string(&field, kinds[i % 4]);
    std::string payload;
    for (int k = 0; k < 5; ++k) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      char hex[17];
      std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(state));
      payload += hex;
    }
    avro_value_get_by_index(&value, 2, &field, nullptr);
    avro_value_set_string(&field, payload.c_str());
    avro_value_get_by_index(&value, 3, &field, nullptr);
    avro_value_set_double(&field, static_cast<double>(i) * 0.5);
    if (avro_file_writer_append_value(writer, &value) != 0) {
      std::fprintf(stderr, "avro-c cannot append: %s\n", avro_strerror());
      std::exit(1);
    }
    ++out.records;
    out.id_sum += i;
  }
  avro_file_writer_close(writer);
  avro_value_decref(&value);
  avro_value_iface_decref(iface);
  return out;
}

std::int64_t id_of(avro_value_t* value) {
  avro_value_t field;
  std::int64_t id = 0;
  avro_value_get_by_index(value, 0, &field, nullptr);
  avro_value_get_long(&field, &id);
  return id;
}

int run(int argc, char** argv) {
  const bench::FileBenchFlags flags = bench::parse_file_bench_flags(argc, argv, {});
  bench::become_multithreaded();
  const std::string path = bench::scratch_directory() + "/splitcheck_avro_bench.avro";
  const Generated expected = generate(path, flags.size_mb << 20);
  const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::printf("file: %s, %.0f MB deflate, %lld records; %d runs per figure\n", path.c_str(), mb,
              static_cast<long long>(expected.records), flags.repetitions);
  const auto check = [&](const char* who, std::int64_t records, std::int64_t sum) {
    if (records != expected.records || sum != expected.id_sum) {
      std::fprintf(stderr, "%s read %lld records (id sum %lld), expected %lld (%lld)\n", who,
                   static_cast<long long>(records), static_cast<long long>(sum),
                   static_cast<long long>(expected.records),
                   static_cast<long long>(expected.id_sum));
      std::exit(1);
    }
  };
  bench::print_figure_header();

  const bench::Timing avro_c = bench::time_runs(flags.repetitions, [&] {
    avro_file_reader_t reader;
    if (avro_file_reader(path.c_str(), &reader) != 0) std::exit(1);
    avro_value_iface_t* iface =
        avro_generic_class_from_schema(avro_file_reader_get_writer_schema(reader));
    avro_value_t value;
    avro_generic_value_new(iface, &value);
    std::int64_t records = 0, sum = 0;
    while (avro_file_reader_read_value(reader, &value) == 0) {
      ++records;
      sum += id_of(&value);
    }
    avro_value_decref(&value);
    avro_value_iface_decref(iface);
    avro_file_reader_close(reader);
    check("avro-c's loop", records, sum);
  });
  bench::print_figure("avro-c's own reading loop", avro_c, mb);

  const bench::Timing ours = bench::time_runs(flags.repetitions, [&] {
    const auto source = ReadFromAvro(path).source();
    auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
    std::int64_t records = 0, sum = 0;
    for (const AvroRecord& record : source->read(*tracker)) {
      ++records;
      sum += id_of(record.value());
    }
    check("AvroSource", records, sum);
  });
  bench::print_figure("one AvroSource reader", ours, mb);

  const double ratio = avro_c.median / ours.median;
  std::printf("\none reader / avro-c's loop: %.2fx the records per second (target >= 0.8x: %s)\n",
              ratio, ratio >= 0.8 ? "met" : "NOT met");
  std::printf("records per second at the median: avro-c %.2fM, AvroSource %.2fM\n",
              static_cast<double>(expected.records) / avro_c.median / 1e6,
              static_cast<double>(expected.records) / ours.median / 1e6);
  std::filesystem::remove(path);
  return 0;
}

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) { return splitcheck::run(argc, argv); }
