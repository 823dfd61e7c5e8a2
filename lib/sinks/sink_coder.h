// The encoding of sinks: what a worker in another process receives instead
// of a pointer to the sink it writes.
//
// A sink writes itself with Sink::encode(ByteWriter&) and names the way back
// with decoder(), by convention a static function of the sink class:
//
//   class MySink final : public Sink<std::string> {
//    public:
//     void encode(ByteWriter& out) const override;
//     static std::shared_ptr<const MySink> decode(ByteReader& in);
//     SinkDecoder<std::string> decoder() const override {
//       return sink_decoder_of<MySink>();
//     }
//     ...
//   };
//
// As for sources (source_coder.h): the decoder rebuilds from the bytes
// alone, taking whatever it needs of the worker's environment (a file
// system, a format that is code) when it is made; bytes it did not write
// are a CorruptDataError naming what was wrong. Writer results need no
// encoding: they are bytes already (sink.h).

#ifndef SPLITCHECK_LIB_SINKS_SINK_CODER_H_
#define SPLITCHECK_LIB_SINKS_SINK_CODER_H_

#include <concepts>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sinks/sink.h"

namespace splitcheck {

// S has the conventional static decode function.
template <typename S>
concept DecodableSink = requires(ByteReader& in) {
  { S::decode(in) } -> std::convertible_to<std::shared_ptr<const Sink<typename S::record_type>>>;
};

template <DecodableSink S>
SinkDecoder<typename S::record_type> sink_decoder_of() {
  return [](ByteReader& in) -> std::shared_ptr<const Sink<typename S::record_type>> {
    return S::decode(in);
  };
}

// The bytes of `sink`.
template <typename T>
std::string encode_sink(const Sink<T>& sink) {
  ByteWriter out;
  sink.encode(out);
  return std::move(out).release();
}

// The sink of `bytes`, which must hold exactly one. `what` names the bytes in
// errors.
template <typename T>
std::shared_ptr<const Sink<T>> decode_sink(std::string_view bytes, const SinkDecoder<T>& decode,
                                           std::string what = "sink") {
  ByteReader in(bytes, std::move(what));
  auto sink = decode(in);
  if (sink == nullptr) throw UsageError(in.what() + ": the sink decoder returned null");
  in.expect_end();
  return sink;
}

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SINKS_SINK_CODER_H_
