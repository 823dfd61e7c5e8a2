#include "splitcheck/lib/sources/source_coder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::internal::InMemorySource;
using ::splitcheck::testkit::ErrorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

template <typename T, typename P>
std::vector<T> read_all(const BoundedSource<T, P>& source, std::optional<P> start = std::nullopt,
                        std::optional<P> stop = std::nullopt) {
  auto tracker = source.get_range_tracker(start, stop);
  std::vector<T> out;
  for (T& record : source.read(*tracker)) out.push_back(record);
  return out;
}

TEST(SourceCoderTest, AnInMemorySourceRoundTrips) {
  const auto source =
      std::make_shared<const InMemorySource<std::string>>(std::vector<std::string>{"a", "b", "c"});
  const std::string bytes = encode_source(*source);
  const auto decoded = decode_source(bytes, decoder_of<InMemorySource<std::string>>());
  EXPECT_THAT(read_all(*decoded), ElementsAre("a", "b", "c"));
  EXPECT_EQ(encode_source(*decoded), bytes);
}

TEST(SourceCoderTest, ABundleKeepsItsBoundsAndWeight) {
  const auto source =
      std::make_shared<const InMemorySource<int>>(std::vector<int>{10, 11, 12, 13, 14});
  const SourceBundle<int> bundle{2.5, source, 1, 3};
  const auto decoded =
      decode_bundle_from_bytes(encode_bundle_to_bytes(bundle), decoder_of<InMemorySource<int>>());
  EXPECT_EQ(decoded.weight, 2.5);
  EXPECT_EQ(decoded.start, std::optional<std::int64_t>(1));
  EXPECT_EQ(decoded.stop, std::optional<std::int64_t>(3));
  EXPECT_THAT(read_all(*decoded.source, decoded.start, decoded.stop), ElementsAre(11, 12));
}

TEST(SourceCoderTest, AConcatenationAndItsBundlesRoundTrip) {
  const auto a = std::make_shared<const InMemorySource<int>>(std::vector<int>{1, 2, 3});
  const auto b = std::make_shared<const InMemorySource<int>>(std::vector<int>{4, 5});
  const auto concat = std::make_shared<const ConcatSource<int>>(
      std::vector<std::shared_ptr<const BoundedSource<int>>>{a, b});
  const auto decode = ConcatSource<int>::decoder(decoder_of<InMemorySource<int>>());
  const auto decoded = decode_source(encode_source(*concat), decode);
  EXPECT_THAT(read_all(*decoded), ElementsAre(1, 2, 3, 4, 5));
  for (const auto& bundle : concat->split(1, std::nullopt, std::nullopt)) {
    const auto copy = decode_bundle_from_bytes(encode_bundle_to_bytes(bundle), decode);
    EXPECT_EQ(read_all(*copy.source, copy.start, copy.stop),
              read_all(*bundle.source, bundle.start, bundle.stop));
  }
}

TEST(SourceCoderTest, EveryTruncationOfASourceIsCorruptData) {
  const auto a = std::make_shared<const InMemorySource<int>>(std::vector<int>{1, 2, 3});
  const auto concat = std::make_shared<const ConcatSource<int>>(
      std::vector<std::shared_ptr<const BoundedSource<int>>>{a, a});
  const auto decode = ConcatSource<int>::decoder(decoder_of<InMemorySource<int>>());
  const std::string bytes = encode_source(*concat);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    ErrorOf<CorruptDataError>([&] { decode_source(bytes.substr(0, cut), decode); });
  }
}

TEST(SourceCoderTest, AnotherSourcesBytesAreNamed) {
  const auto a = std::make_shared<const InMemorySource<int>>(std::vector<int>{1});
  const auto decode = ConcatSource<int>::decoder(decoder_of<InMemorySource<int>>());
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { decode_source(encode_source(*a), decode); }),
              HasSubstr("expected \"ConcatSource\", got \"InMemorySource\""));
}

struct Unencodable {
  int x = 0;
};

TEST(SourceCoderTest, ASourceWithoutEncodeSaysSo) {
  const auto source =
      std::make_shared<const InMemorySource<Unencodable>>(std::vector<Unencodable>{{1}});
  EXPECT_THAT(ErrorOf<UsageError>([&] { encode_source(*source); }),
              HasSubstr("encode() is not implemented"));
}

}  // namespace
}  // namespace splitcheck
