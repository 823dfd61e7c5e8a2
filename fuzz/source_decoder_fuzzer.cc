// Fuzzes the decoders of the built-in sources and sinks: whatever bytes a
// worker is sent, decoding is a splitcheck::Error naming what was wrong (a
// CorruptDataError, or the InputError of a file that is not there), never a
// crash, another exception, or an allocation the bytes did not pay for; and
// what decodes re-encodes stably: the encoding of a decoded source (or sink)
// decodes to one with that same encoding.
//
// The first byte picks the decoder (modulo their number); the rest is the
// encoding. Seeds (fuzz/corpus/source_decoders) are the encodings of real
// sources: make them with `source_decoder_fuzzer --make-seeds DIR`.
//
//   ./bazelw test //fuzz:source_decoder_fuzz_test           (the seeds, replayed)
//   ./bazelw run --config=libfuzzer //fuzz:source_decoder_fuzz_test_run

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "splitcheck/lib/avro/avro_record.h"
#include "splitcheck/lib/avro/avro_sink.h"
#include "splitcheck/lib/avro/avro_source.h"
#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/postgres/postgres_sink.h"
#include "splitcheck/lib/postgres/postgres_source.h"
#include "splitcheck/lib/sinks/sink_coder.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/lib/text/text_source.h"

namespace splitcheck {
namespace {

using Files = std::shared_ptr<InMemoryFileSystem>;

const Files& files() {
  static const Files fs = [] {
    auto f = std::make_shared<InMemoryFileSystem>();
    f->set_contents("in/a.txt", "a1\na2\n");
    f->set_contents("in/b.txt", "b1\r\nb2");
    return f;
  }();
  return fs;
}

// Decodes `bytes`, then checks that the re-encoding is stable.
template <typename T, typename P>
void round_trip(std::string_view bytes, const SourceDecoder<T, P>& decoder) {
  const auto source = decode_source(bytes, decoder, "fuzz input");
  const std::string once = encode_source(*source);
  const std::string twice = encode_source(*decode_source(once, decoder, "re-encoding"));
  if (once != twice) {
    std::fprintf(stderr, "==splitcheck== a decoded source's encoding is not stable\n");
    std::abort();
  }
}

template <typename T>
void round_trip_sink(std::string_view bytes, const SinkDecoder<T>& decoder) {
  const auto sink = decode_sink(bytes, decoder, "fuzz input");
  const std::string once = encode_sink(*sink);
  const std::string twice = encode_sink(*decode_sink(once, decoder, "re-encoding"));
  if (once != twice) {
    std::fprintf(stderr, "==splitcheck== a decoded sink's encoding is not stable\n");
    std::abort();
  }
}

const char kUserSchema[] =
    R"({"type": "record", "name": "User", "fields": [{"name": "id", "type": "long"}]})";

std::vector<std::function<void(std::string_view)>> decoders() {
  using Position = ConcatPosition<std::int64_t>;
  return {
      [](std::string_view b) { round_trip(b, TextSource::decoder(files())); },
      [](std::string_view b) { round_trip(b, TextWithFilenameSource::decoder(files())); },
      [](std::string_view b) {
        round_trip<AvroRecord, Position>(
            b, [](ByteReader& in) -> std::shared_ptr<const BoundedSource<AvroRecord, Position>> {
              return AvroSource::decode(in, files());
            });
      },
      [](std::string_view b) { round_trip(b, PostgresSourceDecoder()); },
      [](std::string_view b) { round_trip(b, PostgresTextKeySourceDecoder()); },
      [](std::string_view b) {
        const SourceDecoder<std::string> strings =
            [](ByteReader& in) -> std::shared_ptr<const BoundedSource<std::string>> {
          return internal::InMemorySource<std::string>::decode(in);
        };
        round_trip(b, ConcatSource<std::string>::decoder(strings));
      },
      [](std::string_view b) {
        round_trip_sink<std::string>(
            b, [](ByteReader& in) -> std::shared_ptr<const Sink<std::string>> {
              return TextSink::decode(in, files());
            });
      },
      [](std::string_view b) {
        round_trip_sink<AvroRecord>(b,
                                    [](ByteReader& in) -> std::shared_ptr<const Sink<AvroRecord>> {
                                      return AvroSink::decode(in, files());
                                    });
      },
      [](std::string_view b) {
        static const SinkDecoder<PgRow> postgres =
            WriteToPostgres("host=/nowhere dbname=shop", "orders").sink()->decoder();
        round_trip_sink(b, postgres);
      },
      // Records as the process runner carries them: an Avro record's
      // datum is checked against its schema before avro-c reads it.
      [](std::string_view b) {
        ByteReader in(b, "fuzz input");
        const AvroRecord record = decode_value<AvroRecord>(in);
        in.expect_end();
        ByteWriter out;
        encode_value(record, out);
        ByteReader again(out.bytes(), "re-encoding");
        if (!(decode_value<AvroRecord>(again) == record)) {
          std::fprintf(stderr, "==splitcheck== a decoded Avro record does not round-trip\n");
          std::abort();
        }
      },
  };
}

// A record of kUserSchema with the id given.
AvroRecord user_record(std::int64_t id) {
  avro_schema_t schema = nullptr;
  if (avro_schema_from_json_length(kUserSchema, sizeof kUserSchema - 1, &schema) != 0) std::abort();
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema);
  avro_value_t value;
  avro_generic_value_new(iface, &value);
  avro_value_t field;
  avro_value_get_by_name(&value, "id", &field, nullptr);
  avro_value_set_long(&field, id);
  avro_value_iface_decref(iface);
  avro_schema_decref(schema);
  return AvroRecord::adopt(value);
}

// The encodings of real sources, one file per decoder.
int make_seeds(const std::string& dir) {
  const auto write = [&](int index, const std::string& name, std::string_view bytes) {
    std::ofstream out(dir + "/" + name, std::ios::binary);
    out.put(static_cast<char>(index));
    out << bytes;
  };
  TextSourceOptions text;
  text.file_system = files();
  text.delimiter = "\n";
  text.escape = '\\';
  write(0, "text", encode_source(TextSource("in/*.txt", text)));
  write(1, "text_with_filename", encode_source(TextWithFilenameSource("in/*.txt", text)));
  std::vector<std::shared_ptr<const BoundedSource<std::string>>> subs = {
      std::make_shared<internal::InMemorySource<std::string>>(std::vector<std::string>{"x", "y"}),
      std::make_shared<internal::InMemorySource<std::string>>(std::vector<std::string>{})};
  write(5, "concat", encode_source(*std::make_shared<ConcatSource<std::string>>(subs)));
  // Avro and PostgreSQL sources need a file or a server to be made: their
  // seeds are written field by field, as their encode() writes them.
  ByteWriter avro;
  avro.put_string("FileBasedSource");
  encode_value(std::vector<std::string>{"in/*.txt"}, avro);
  avro.put_varint(static_cast<std::uint64_t>(Compression::kUncompressed));
  avro.put_signed(0);
  avro.put_bool(true);
  avro.put_varint(0);
  avro.put_varint(1);
  avro.put_string("in/a.txt");
  avro.put_signed(6);
  avro.put_varint(static_cast<std::uint64_t>(Compression::kUncompressed));
  avro.put_string("AvroSource");
  avro.put_string("");
  write(2, "avro", avro.bytes());
  for (const bool text_key : {false, true}) {
    ByteWriter pg;
    pg.put_string(text_key ? "ReadFromPostgresByTextKey" : "ReadFromPostgres");
    pg.put_string("host=/nowhere dbname=shop");
    pg.put_string("orders");
    pg.put_string("");
    pg.put_string("");
    pg.put_string("id");
    encode_value(std::vector<std::string>{"id", "total"}, pg);
    encode_value(std::optional<std::string>(), pg);
    encode_value(std::optional<std::string>("900"), pg);
    pg.put_signed(30000);
    pg.put_bool(true);
    encode_value(std::optional<std::string>("00000003-00000002-1"), pg);
    pg.put_signed(text_key ? 0 : 100);
    if (text_key) {
      encode_value(std::string("a"), pg);
      encode_value(std::string("z"), pg);
    } else {
      pg.put_signed(0);
      pg.put_signed(800);
    }
    pg.put_signed(800);
    pg.put_signed(32000);
    pg.put_double(40.0);
    write(text_key ? 4 : 3, text_key ? "postgres_text_key" : "postgres", pg.bytes());
  }
  TextSinkOptions text_sink;
  text_sink.file_system = files();
  text_sink.header = "h";
  text_sink.footer = "f";
  text_sink.delimiter = "\r\n";
  text_sink.max_records_per_shard = 10;
  write(6, "text_sink", encode_sink(TextSink("out/t", text_sink)));
  AvroSinkOptions avro_sink;
  avro_sink.schema = kUserSchema;
  avro_sink.file_system = files();
  avro_sink.metadata = {{"origin", "fuzz"}};
  write(7, "avro_sink", encode_sink(AvroSink("out/a", avro_sink)));
  WriteToPostgresOptions pg_sink;
  pg_sink.schema = "s";
  pg_sink.columns = {"id", "name"};
  write(8, "postgres_sink",
        encode_sink(*WriteToPostgres("host=/nowhere dbname=shop", "orders", pg_sink).sink()));
  ByteWriter record;
  encode_value(user_record(42), record);
  write(9, "avro_record", record.bytes());
  return 0;
}

}  // namespace
}  // namespace splitcheck

// Whether the input decoded (false: a splitcheck::Error, as bad bytes must
// give); aborts on anything else.
bool splitcheck_source_decoder_accepts(const std::uint8_t* data, std::size_t size) {
  static const auto decoders = splitcheck::decoders();
  if (size == 0) return false;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    decoders[data[0] % decoders.size()](bytes);
    return true;
  } catch (const splitcheck::Error&) {
    return false;
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "==splitcheck== a decoder threw something other than a splitcheck::Error: %s\n",
                 e.what());
    std::abort();
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  splitcheck_source_decoder_accepts(data, size);
  return 0;
}

// `--make-seeds DIR` writes the seed corpus (linked only into the seed
// maker, see fuzz/BUILD).
int splitcheck_make_source_decoder_seeds(const char* dir) { return splitcheck::make_seeds(dir); }
