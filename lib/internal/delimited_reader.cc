#include "splitcheck/lib/internal/delimited_reader.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck::internal {

namespace {
constexpr std::size_t kInitialBuffer = 1 << 18;
}  // namespace

DelimitedReader::DelimitedReader(std::unique_ptr<ReadableFile> file, std::int64_t offset,
                                 std::string delimiter, std::int64_t size_hint)
    : DelimitedReader(std::move(file), offset, std::move(delimiter), size_hint, Options{}) {}

DelimitedReader::DelimitedReader(std::unique_ptr<ReadableFile> file, std::int64_t offset,
                                 std::string delimiter, std::int64_t size_hint, Options options)
    : file_(std::move(file)),
      delimiter_(std::move(delimiter)),
      options_(options),
      plain_(delimiter_.empty() && !options_.escape && !options_.keep_delimiter),
      reader_start_(offset),
      capacity_(size_hint >= 0 ? std::clamp<std::size_t>(static_cast<std::size_t>(size_hint) + 1,
                                                         64, kInitialBuffer)
                               : kInitialBuffer),
      buffer_offset_(offset) {
  buffer_.reset(new char[capacity_]);
  if (file_ == nullptr) throw UsageError("DelimitedReader: the file must not be null");
  if (options_.escape && escape_is_a_delimiter_byte(*options_.escape, delimiter_)) {
    throw UsageError("DelimitedReader: the escape byte is a byte of the delimiter");
  }
}

bool DelimitedReader::escaped(std::size_t at) const {
  if (!options_.escape) return false;
  const char e = *options_.escape;
  std::size_t run = 0;
  while (at - run > pos_ && buffer_[at - run - 1] == e) ++run;
  // The run reaches back to the record's start; before it is the previous
  // delimiter (never an escape), or the reader's start.
  if (at - run == pos_ && position() == reader_start_ && options_.starts_escaped) ++run;
  return run % 2 == 1;
}

bool DelimitedReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    buffer_offset_ += static_cast<std::int64_t>(pos_);
    pos_ = 0;
  }
  if (end_ == capacity_) {  // one record fills the buffer
    std::unique_ptr<char[]> bigger(new char[capacity_ * 2]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }
  cr_valid_ = false;
  const std::size_t got = file_->read(buffer_.get() + end_, capacity_ - end_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

std::size_t DelimitedReader::next_cr(std::size_t from) {
  if (!cr_valid_ || from > cr_) {
    const void* found = std::memchr(buffer_.get() + from, '\r', end_ - from);
    cr_ = found == nullptr
              ? end_
              : static_cast<std::size_t>(static_cast<const char*>(found) - buffer_.get());
    cr_valid_ = true;
  }
  return cr_;
}

bool DelimitedReader::find_record(std::size_t* end, std::size_t* length) {
  if (pos_ == end_ && !fill()) return false;
  std::size_t scan = pos_;
  for (;;) {
    const char* base = buffer_.get();
    if (delimiter_.empty()) {
      const void* nl = std::memchr(base + scan, '\n', end_ - scan);
      const std::size_t at_nl =
          nl == nullptr ? end_ : static_cast<std::size_t>(static_cast<const char*>(nl) - base);
      const std::size_t at_cr = next_cr(scan);
      if (at_nl < at_cr) {
        if (escaped(at_nl)) {
          scan = at_nl + 1;
          continue;
        }
        *end = at_nl;
        *length = 1;
        return true;
      }
      if (at_cr < end_) {
        if (at_cr + 1 < end_ || eof_) {
          const std::size_t cr_length = at_cr + 1 < end_ && base[at_cr + 1] == '\n' ? 2 : 1;
          if (escaped(at_cr)) {
            scan = at_cr + cr_length;
            continue;
          }
          *end = at_cr;
          *length = cr_length;
          return true;
        }
        scan = at_cr;  // a '\r' at the buffer's end: is a '\n' next?
      } else {
        scan = end_;
      }
    } else {
      const std::string_view window(base + scan, end_ - scan);
      const std::size_t at = window.find(delimiter_);
      if (at != std::string_view::npos) {
        if (escaped(scan + at)) {
          scan += at + delimiter_.size();
          continue;
        }
        *end = scan + at;
        *length = delimiter_.size();
        return true;
      }
      // A delimiter may start in the last size() - 1 bytes.
      scan = std::max(scan, end_ >= delimiter_.size() ? end_ - delimiter_.size() + 1 : 0);
    }
    const std::size_t before = pos_;
    const bool more = fill();
    scan -= before - pos_;  // fill() moved the bytes down by `before`
    if (!more) {
      if (delimiter_.empty() && scan < end_ && !escaped(scan)) {  // the stream ends with '\r'
        *end = scan;
        *length = 1;
      } else {  // the last record has no delimiter
        *end = end_;
        *length = 0;
      }
      return true;
    }
  }
}

bool DelimitedReader::next_slow(std::string* record, std::int64_t* start) {
  std::size_t end, length;
  if (!find_record(&end, &length)) return false;
  *start = position();
  record->assign(buffer_.get() + pos_, end - pos_ + (options_.keep_delimiter ? length : 0));
  pos_ = end + length;
  return true;
}

bool DelimitedReader::skip() {
  std::size_t end, length;
  if (!find_record(&end, &length)) return false;
  pos_ = end + length;
  return true;
}

}  // namespace splitcheck::internal
