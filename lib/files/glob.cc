#include "splitcheck/lib/files/glob.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "splitcheck/lib/error.h"

namespace splitcheck {
namespace {

// One element of a compiled pattern.
struct Token {
  enum Kind { kLiteral, kAny, kStar, kDoubleStar, kSlashDoubleStar, kSet };
  Kind kind = kLiteral;
  char literal = 0;
  bool negated = false;
  std::string set;  // pairs (lo, hi) of inclusive ranges
};

Token make(Token::Kind kind, char literal = 0) {
  Token t;
  t.kind = kind;
  t.literal = literal;
  return t;
}

[[noreturn]] void malformed(std::string_view pattern, std::string_view why) {
  throw UsageError("glob \"" + std::string(pattern) + "\": " + std::string(why));
}

std::vector<Token> compile(std::string_view pattern) {
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 == pattern.size()) malformed(pattern, "ends with an unfinished escape '\\'");
      tokens.push_back(make(Token::kLiteral, pattern[++i]));
    } else if (c == '?') {
      tokens.push_back(make(Token::kAny));
    } else if (c == '*') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
        ++i;
        // "**/" also matches no directory at all: "a/**/b" matches "a/b".
        if (i + 1 < pattern.size() && pattern[i + 1] == '/') {
          ++i;
          tokens.push_back(make(Token::kSlashDoubleStar));
        } else {
          tokens.push_back(make(Token::kDoubleStar));
        }
      } else {
        tokens.push_back(make(Token::kStar));
      }
    } else if (c == '[') {
      Token t = make(Token::kSet);
      std::size_t j = i + 1;
      if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) {
        t.negated = true;
        ++j;
      }
      bool first = true;
      for (;; first = false) {
        if (j >= pattern.size())
          malformed(pattern, "'[' at " + std::to_string(i) + " is not closed");
        if (pattern[j] == ']' && !first) break;
        char lo = pattern[j];
        if (lo == '\\' && j + 1 < pattern.size()) lo = pattern[++j];
        char hi = lo;
        if (j + 2 < pattern.size() && pattern[j + 1] == '-' && pattern[j + 2] != ']') {
          hi = pattern[j + 2];
          if (hi == '\\' && j + 3 < pattern.size()) hi = pattern[++j + 2];
          j += 2;
        }
        t.set.push_back(lo);
        t.set.push_back(hi);
        ++j;
      }
      i = j;
      tokens.push_back(std::move(t));
    } else {
      tokens.push_back(make(Token::kLiteral, c));
    }
  }
  return tokens;
}

bool in_set(const Token& t, char c) {
  bool found = false;
  for (std::size_t k = 0; k + 1 < t.set.size(); k += 2) {
    const auto u = static_cast<unsigned char>(c);
    if (static_cast<unsigned char>(t.set[k]) <= u &&
        u <= static_cast<unsigned char>(t.set[k + 1])) {
      found = true;
      break;
    }
  }
  return found != t.negated;
}

}  // namespace

bool has_wildcards(std::string_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '*' || pattern[i] == '?' || pattern[i] == '[') {
      return true;
    }
  }
  return false;
}

std::string glob_directory_prefix(std::string_view pattern) {
  std::string literal;
  std::size_t last_slash_end = 0;  // length of `literal` through its last '/'
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*' || c == '?' || c == '[') break;
    if (c == '\\') {
      if (i + 1 == pattern.size()) break;
      c = pattern[++i];
    }
    literal.push_back(c);
    if (c == '/') last_slash_end = literal.size();
  }
  literal.resize(last_slash_end);
  return literal;
}

void check_glob(std::string_view pattern) { compile(pattern); }

bool glob_match(std::string_view pattern, std::string_view path) {
  const std::vector<Token> tokens = compile(pattern);
  // reach[j]: the tokens matched so far can end exactly before path[j].
  // One row per token, rolling, so the cost is O(tokens * path).
  const std::size_t n = path.size();
  std::vector<char> reach(n + 1, 0), next(n + 1, 0);
  reach[0] = 1;
  for (const Token& t : tokens) {
    std::fill(next.begin(), next.end(), 0);
    switch (t.kind) {
      case Token::kLiteral:
      case Token::kAny:
      case Token::kSet:
        for (std::size_t j = 0; j < n; ++j) {
          if (!reach[j]) continue;
          const char c = path[j];
          const bool ok = t.kind == Token::kLiteral ? c == t.literal
                          : c == '/'                ? false
                          : t.kind == Token::kAny   ? true
                                                    : in_set(t, c);
          if (ok) next[j + 1] = 1;
        }
        break;
      case Token::kStar:
        for (std::size_t j = 0; j <= n; ++j) {
          if (reach[j]) {
            next[j] = 1;
          } else if (j > 0 && next[j - 1] && path[j - 1] != '/') {
            next[j] = 1;
          }
        }
        break;
      case Token::kDoubleStar:
        for (std::size_t j = 0; j <= n; ++j) next[j] = reach[j] || (j > 0 && next[j - 1]);
        break;
      case Token::kSlashDoubleStar:
        // Zero directories, or any run ending with '/'.
        {
          bool any = false;  // some reach[i] with i < j
          for (std::size_t j = 0; j <= n; ++j) {
            if (reach[j]) next[j] = 1;
            if (j > 0 && any && path[j - 1] == '/') next[j] = 1;
            if (reach[j]) any = true;
          }
        }
        break;
    }
    reach.swap(next);
  }
  return reach[n] != 0;
}

}  // namespace splitcheck
