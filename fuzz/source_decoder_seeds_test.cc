// Every seed of the source decoder fuzzer decodes: a seed that does not
// would start the fuzzer from an error path only.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "gtest/gtest.h"

bool splitcheck_source_decoder_accepts(const std::uint8_t* data, std::size_t size);

namespace {

TEST(SourceDecoderSeedsTest, EverySeedDecodes) {
  for (const char* name :
       {"avro", "concat", "postgres", "postgres_text_key", "text", "text_with_filename",
        "text_sink", "avro_sink", "postgres_sink", "avro_record"}) {
    std::ifstream in(std::string("fuzz/corpus/source_decoders/") + name, std::ios::binary);
    ASSERT_TRUE(in) << name;
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(splitcheck_source_decoder_accepts(
        reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()))
        << name;
  }
}

}  // namespace
