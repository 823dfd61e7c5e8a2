// DelimitedReader: splits a byte stream into delimited records, fast.
// Internal to splitcheck (TextSource).
//
// Records are the bytes between delimiters. With an empty delimiter the
// delimiters are "\n", "\r\n" and "\r" (a "\r\n" is one delimiter, never a
// "\r" then an empty record); otherwise the delimiter is the given byte
// string, matched leftmost first without overlap (so "abab" in "ababab" ends
// the first record and "ab" is the next). A record starts at the stream's
// first byte and after every delimiter, except at the end of the stream: a
// trailing delimiter does not start an empty record, and an empty stream has
// no records.
//
// With an escape byte (Options::escape), a delimiter occurrence preceded by
// an odd run of escape bytes does not end a record: the escape escapes the
// next byte, or the whole delimiter occurrence that starts there (an escaped
// "\r\n" is escaped whole), and an escape escapes an escape ("\\" then
// "\n" ends the record). Escapes stay in the record's bytes. Options::
// keep_delimiter puts each record's delimiter at the end of its bytes.
//
// The reader scans a large buffer with memchr (one pass finds "\r" for a
// whole buffer when there is none) and copies each record once.

#ifndef SPLITCHECK_LIB_INTERNAL_DELIMITED_READER_H_
#define SPLITCHECK_LIB_INTERNAL_DELIMITED_READER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "splitcheck/lib/files/file_system.h"

namespace splitcheck::internal {

// Whether `escape` is a byte of `delimiter` ("\r" or "\n" for the default
// delimiters): such an escape is a UsageError.
inline bool escape_is_a_delimiter_byte(char escape, const std::string& delimiter) {
  return delimiter.empty() ? escape == '\n' || escape == '\r'
                           : delimiter.find(escape) != std::string::npos;
}

class DelimitedReader {
 public:
  struct Options {
    // The escape byte, if any; it must not be a byte of the delimiters.
    std::optional<char> escape;
    // Whether the escape byte run just before `offset` is odd (the byte at
    // `offset` is escaped). Only with an escape.
    bool starts_escaped = false;
    // Records end with their delimiter (none on a last record without one).
    bool keep_delimiter = false;
  };

  // Reads `file`, whose next byte is at stream offset `offset`, which must be
  // where the scan of the whole stream would be (a record start, or any
  // position no delimiter occurrence straddles). `size_hint`, when known, is
  // how many bytes are left: the buffer starts no larger than needed.
  DelimitedReader(std::unique_ptr<ReadableFile> file, std::int64_t offset, std::string delimiter,
                  std::int64_t size_hint = -1);
  DelimitedReader(std::unique_ptr<ReadableFile> file, std::int64_t offset, std::string delimiter,
                  std::int64_t size_hint, Options options);

  // The record at position(), without its delimiter (unless keep_delimiter);
  // then moves past the delimiter. False, with nothing changed, at the end of
  // the stream.
  // Inline by force: the reader's coroutine is too large for GCC to inline
  // it by itself, and the call was 5% of a reader's time.
  [[gnu::always_inline]] bool next(std::string* record, std::int64_t* start) {
    // Fast path (inline): default delimiters, no escape and no kept
    // delimiter, a '\n' in the buffer and no '\r' before it.
    if (plain_ && cr_valid_ && pos_ < end_) {
      const char* base = buffer_.get();
      const void* nl = std::memchr(base + pos_, '\n', end_ - pos_);
      if (nl != nullptr) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
        if (cr_ > at && cr_ >= pos_) {
          *start = position();
          const std::size_t length = at - pos_;
          if (length <= record->size()) {
            // The string's own bytes are reused (the caller only read the
            // last line): a copy and erase(), which is inline, where
            // resize() and assign() are calls into libstdc++.
            std::memcpy(record->data(), base + pos_, length);
            record->erase(length);
          } else {
            record->assign(base + pos_, length);
          }
          pos_ = at + 1;
          return true;
        }
      }
    }
    return next_slow(record, start);
  }

  // next() without the copy.
  bool skip();

  // The stream offset of the next record (or of the end of the stream).
  std::int64_t position() const { return buffer_offset_ + static_cast<std::int64_t>(pos_); }

 private:
  // Finds the next record's end: sets *end (index of its delimiter, or of
  // the stream's end) and *length (the delimiter's length, 0 at the end).
  bool find_record(std::size_t* end, std::size_t* length);
  bool next_slow(std::string* record, std::int64_t* start);
  // Whether the delimiter occurrence at buffer index `at` (in the record
  // that starts at pos_) is escaped.
  bool escaped(std::size_t at) const;
  // Keeps [pos_, end_) and reads more after it. False at the end of the stream.
  bool fill();
  std::size_t next_cr(std::size_t from);

  std::unique_ptr<ReadableFile> file_;
  std::string delimiter_;
  Options options_;
  bool plain_;                      // default delimiters, no escape, delimiters dropped
  std::int64_t reader_start_;       // `offset`, where options_.starts_escaped applies
  std::unique_ptr<char[]> buffer_;  // not zero-filled: it is large
  std::size_t capacity_;
  std::int64_t buffer_offset_;  // stream offset of buffer_[0]
  std::size_t pos_ = 0;         // next record
  std::size_t end_ = 0;         // end of valid bytes
  bool eof_ = false;
  bool cr_valid_ = false;  // cr_: first '\r' at or after the last search start
  std::size_t cr_ = 0;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_DELIMITED_READER_H_
