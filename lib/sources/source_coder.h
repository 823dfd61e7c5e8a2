// The encodings of sources and bundles, and SourceDecoder<T, P>: what a
// worker in another process receives instead of a pointer.
//
// A source writes itself with BoundedSource::encode(ByteWriter&) and names
// the way back with decoder(), by convention a static function of the
// source class:
//
//   class CountingSource final : public BoundedSource<std::int64_t> {
//    public:
//     void encode(ByteWriter& out) const override;
//     static std::shared_ptr<const CountingSource> decode(ByteReader& in);
//     SourceDecoder<std::int64_t> decoder() const override {
//       return decoder_of<CountingSource>();
//     }
//     ...
//   };
//
// decoder_of<S>() turns the static function into a SourceDecoder. A decoder must
// rebuild every source the connector's bundles and residuals name (a
// source whose bundles name sub-sources of another class dispatches on a
// tag it wrote), from the bytes alone: whatever it needs from the worker's
// environment (a file system, a callback) it takes when the decoder is made,
// not from the bytes. (The bytes are not secret: PostgresSource encodes its
// whole connection string.) Decoding bytes it did not write
// (truncated, corrupted, another source's) throws CorruptDataError naming
// what was wrong.
//
// A bundle is encoded as its weight, its source (length-prefixed, so that a
// decoder that reads too little or too much is caught) and its bounds, the
// positions encoded with Coder<P>.

#ifndef SPLITCHECK_LIB_SOURCES_SOURCE_CODER_H_
#define SPLITCHECK_LIB_SOURCES_SOURCE_CODER_H_

#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"

namespace splitcheck {

// S has the conventional static decode function.
template <typename S>
concept DecodableSource = requires(ByteReader& in) {
  {
    S::decode(in)
    } -> std::convertible_to<
        std::shared_ptr<const BoundedSource<typename S::record_type, typename S::position_type>>>;
};

template <DecodableSource S>
SourceDecoder<typename S::record_type, typename S::position_type> decoder_of() {
  return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<typename S::record_type,
                                                                   typename S::position_type>> {
    return S::decode(in);
  };
}

// The bytes of `source`.
template <typename T, typename P>
std::string encode_source(const BoundedSource<T, P>& source) {
  ByteWriter out;
  source.encode(out);
  return std::move(out).release();
}

// The source of `bytes`, which must hold exactly one. `what` names the bytes
// in errors.
template <typename T, typename P>
std::shared_ptr<const BoundedSource<T, P>> decode_source(std::string_view bytes,
                                                         const SourceDecoder<T, P>& decode,
                                                         std::string what = "source") {
  ByteReader in(bytes, std::move(what));
  auto source = decode(in);
  if (source == nullptr) throw UsageError(in.what() + ": the source decoder returned null");
  in.expect_end();
  return source;
}

// A source inside another's encoding (a sub-source, a bundle's source):
// length-prefixed, and decoded from exactly those bytes.
template <typename T, typename P>
void encode_nested_source(const BoundedSource<T, P>& source, ByteWriter& out) {
  out.put_string(encode_source(source));
}

template <typename T, typename P>
std::shared_ptr<const BoundedSource<T, P>> decode_nested_source(ByteReader& in,
                                                                const SourceDecoder<T, P>& decode,
                                                                std::string_view field) {
  const std::string bytes = in.get_string(field);
  return decode_source(bytes, decode, in.what() + " / " + std::string(field));
}

template <typename T, typename P>
void encode_bundle(const SourceBundle<T, P>& bundle, ByteWriter& out) {
  static_assert(Encodable<P>,
                "a bundle's positions travel to workers: specialize splitcheck::Coder for the "
                "source's position type (lib/coders/coder.h)");
  if (bundle.source == nullptr) throw UsageError("encode_bundle: the bundle's source is null");
  out.put_double(bundle.weight);
  encode_nested_source(*bundle.source, out);
  encode_value(bundle.start, out);
  encode_value(bundle.stop, out);
}

template <typename T, typename P>
SourceBundle<T, P> decode_bundle(ByteReader& in, const SourceDecoder<T, P>& decode) {
  SourceBundle<T, P> bundle;
  bundle.weight = in.get_double("weight");
  bundle.source = decode_nested_source(in, decode, "bundle source");
  bundle.start = decode_value<std::optional<P>>(in);
  bundle.stop = decode_value<std::optional<P>>(in);
  return bundle;
}

template <typename T, typename P>
std::string encode_bundle_to_bytes(const SourceBundle<T, P>& bundle) {
  ByteWriter out;
  encode_bundle(bundle, out);
  return std::move(out).release();
}

template <typename T, typename P>
SourceBundle<T, P> decode_bundle_from_bytes(std::string_view bytes,
                                            const SourceDecoder<T, P>& decode,
                                            std::string what = "bundle") {
  ByteReader in(bytes, std::move(what));
  SourceBundle<T, P> bundle = decode_bundle(in, decode);
  in.expect_end();
  return bundle;
}

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_SOURCE_CODER_H_
