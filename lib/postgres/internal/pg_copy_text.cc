#include "splitcheck/lib/postgres/internal/pg_copy_text.h"

#include "splitcheck/lib/error.h"

namespace splitcheck::internal {
namespace {

int digit_value(char c, int base) {
  if (c >= '0' && c <= '9' && c - '0' < base) return c - '0';
  if (base == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (base == 16 && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void append_copy_row(const std::vector<std::optional<std::string>>& fields, std::string& out) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += '\t';
    if (!fields[i]) {
      out += "\\N";
      continue;
    }
    for (const char c : *fields[i]) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\0':
          throw InputError("PostgreSQL COPY: a value holds a NUL byte, which text cannot store");
        default:
          out += c;
      }
    }
  }
  out += '\n';
}

void parse_copy_row(std::string_view row, std::vector<std::optional<std::string>>& fields) {
  fields.clear();
  if (!row.empty() && row.back() == '\n') row.remove_suffix(1);
  std::size_t at = 0;
  for (;;) {
    const std::size_t end = std::min(row.find('\t', at), row.size());
    const std::string_view raw = row.substr(at, end - at);
    if (raw == "\\N") {
      fields.emplace_back(std::nullopt);
    } else if (raw.find('\\') == std::string_view::npos) {
      fields.emplace_back(std::string(raw));
    } else {
      std::string value;
      value.reserve(raw.size());
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
          value += raw[i];
          continue;
        }
        if (++i == raw.size()) {
          throw CorruptDataError("PostgreSQL COPY: a row ends with a lone backslash");
        }
        const char c = raw[i];
        switch (c) {
          case 'b':
            value += '\b';
            break;
          case 'f':
            value += '\f';
            break;
          case 'n':
            value += '\n';
            break;
          case 'r':
            value += '\r';
            break;
          case 't':
            value += '\t';
            break;
          case 'v':
            value += '\v';
            break;
          case 'x': {
            int byte = 0, digits = 0;
            while (digits < 2 && i + 1 < raw.size() && digit_value(raw[i + 1], 16) >= 0) {
              byte = byte * 16 + digit_value(raw[++i], 16);
              ++digits;
            }
            value += digits > 0 ? static_cast<char>(byte) : 'x';
            break;
          }
          default:
            if (digit_value(c, 8) >= 0) {
              int byte = digit_value(c, 8), digits = 1;
              while (digits < 3 && i + 1 < raw.size() && digit_value(raw[i + 1], 8) >= 0) {
                byte = byte * 8 + digit_value(raw[++i], 8);
                ++digits;
              }
              value += static_cast<char>(byte);
            } else {
              value += c;
            }
        }
      }
      fields.emplace_back(std::move(value));
    }
    if (end == row.size()) break;
    at = end + 1;
  }
}

}  // namespace splitcheck::internal
