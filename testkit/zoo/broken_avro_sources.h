// Broken Avro readers for the zoo: each is AvroSource's reader with one step
// of the split logic wrong, as Avro readers have had it wrong. The gate must
// reject every one (broken_avro_sources_test.cc names the checks).
//
//   kStraddlingMarkerLost     searches for the sync marker window by window
//                             without keeping the last 15 bytes, so a marker
//                             that straddles two windows is never found and
//                             its block is read by no range. The window is
//                             64 bytes here, so small files show it.
//   kBlockUnderTheSplitTwice  starts its search 15 bytes before its range,
//                             taking a marker that straddles the split as its
//                             own, and claims max(marker, start) so that its
//                             tracker never sees a claim before the range:
//                             the block after it is read by both ranges.
//   kClaimsTheDataStart       claims a block at its first byte (its record
//                             count, just after the marker) instead of its
//                             marker: a block whose marker starts in one range
//                             and ends in the next is read by neither.
//   kCodecIgnored             decodes every block as if the file's codec were
//                             null: a deflate file's blocks are read as
//                             records.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_AVRO_SOURCES_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_AVRO_SOURCES_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/avro/avro_record.h"
#include "splitcheck/lib/avro/internal/avro_reader.h"
#include "splitcheck/lib/sources/file_based_source.h"

namespace splitcheck::examples::broken {

enum class AvroBug {
  kStraddlingMarkerLost,
  kBlockUnderTheSplitTwice,
  kClaimsTheDataStart,
  kCodecIgnored,
};

class BrokenAvroSource final : public FileBasedSource<AvroRecord> {
 public:
  BrokenAvroSource(std::string pattern, std::shared_ptr<const FileSystem> fs, AvroBug bug)
      : FileBasedSource(std::move(pattern), options(std::move(fs))), bug_(bug) {}
  BrokenAvroSource(Matched matched, AvroBug bug) : FileBasedSource(std::move(matched)), bug_(bug) {}

  std::string debug_string() const override { return "BrokenAvroSource(" + pattern() + ")"; }

  // Serializable: the bug is the format's one option.
  SourceDecoder<AvroRecord, Position> decoder() const override {
    return file_decoder([](Matched matched, ByteReader& in) {
      in.expect_tag("BrokenAvroSource");
      const std::size_t at = in.offset();
      const std::uint64_t bug = in.get_varint("bug");
      if (bug > static_cast<std::uint64_t>(AvroBug::kCodecIgnored)) {
        in.fail(at, "bug", std::to_string(bug) + " names no bug");
      }
      return std::make_shared<const BrokenAvroSource>(std::move(matched),
                                                      static_cast<AvroBug>(bug));
    });
  }

 protected:
  void encode_format(ByteWriter& out) const override {
    out.put_string("BrokenAvroSource");
    out.put_varint(static_cast<std::uint64_t>(bug_));
  }

  Generator<AvroRecord> read_records(const SourceFile& file,
                                     RangeTracker<std::int64_t>& tracker) const override {
    internal::AvroFileDecoder decoder(file, nullptr);
    const internal::AvroHeader& header = decoder.header();
    std::unique_ptr<internal::AvroByteStream> stream;
    std::int64_t position;
    std::string skipped;
    const std::int64_t start = tracker.start_position();
    if (start <= header.sync_offset) {
      stream = decoder.take_header_stream();
      position = header.sync_offset;
    } else {
      const std::optional<std::int64_t> marker = find(decoder, header, start, file.size_bytes());
      if (!marker) co_return;
      position = *marker;
      stream = decoder.open(position);
      stream->read_bytes(internal::kAvroSyncSize, "sync marker", skipped);
    }
    internal::AvroBlock block;
    while (!stream->at_end()) {
      const std::int64_t claim = bug_ == AvroBug::kClaimsTheDataStart ? stream->offset()
                                 : bug_ == AvroBug::kBlockUnderTheSplitTwice
                                     ? std::max(position, start)
                                     : position;
      if (!tracker.try_claim(claim)) co_return;
      internal::read_avro_block(*stream, header, position, block);
      if (bug_ == AvroBug::kCodecIgnored) {
        decoder.start_block(block, internal::AvroCodec::kNull);
      } else {
        decoder.start_block(block);
      }
      while (std::optional<AvroRecord> record = decoder.next_record()) co_yield std::move(*record);
      position = stream->offset() - static_cast<std::int64_t>(internal::kAvroSyncSize);
    }
  }

 private:
  static FileBasedSourceOptions options(std::shared_ptr<const FileSystem> fs) {
    FileBasedSourceOptions o;
    o.file_system = std::move(fs);
    o.compression = Compression::kUncompressed;
    return o;
  }

  // The first marker at or after `start` as the bug finds it.
  std::optional<std::int64_t> find(internal::AvroFileDecoder& decoder,
                                   const internal::AvroHeader& header, std::int64_t start,
                                   std::int64_t size) const {
    if (bug_ == AvroBug::kBlockUnderTheSplitTwice) {
      auto stream = decoder.open(std::max<std::int64_t>(0, start - 15));
      return stream->find(header.sync);
    }
    if (bug_ != AvroBug::kStraddlingMarkerLost) return decoder.open(start)->find(header.sync);
    auto stream = decoder.open(start);
    std::string piece;
    for (std::int64_t at = start; at < size; at += 64) {
      stream->read_bytes(std::min<std::int64_t>(64, size - at), "window", piece);
      const std::size_t hit =
          std::string_view(piece).find(std::string_view(header.sync.data(), header.sync.size()));
      if (hit != std::string_view::npos) return at + static_cast<std::int64_t>(hit);
    }
    return std::nullopt;
  }

  const AvroBug bug_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_AVRO_SOURCES_H_
