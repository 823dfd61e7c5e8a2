// File patterns: which paths a glob matches.
//
// The syntax, matched against whole paths with '/' as the separator:
//   *      any run of characters except '/' (possibly empty)
//   **     any run of characters including '/'; "a/**/b" also matches "a/b"
//   ?      one character except '/'
//   [...]  one character (not '/') from a set: [abc], ranges [a-z], negated
//          [!a-z] or [^a-z]; a ']' right after '[' or '[!' is literal
//   \c     the character c itself (escapes a wildcard)
// Everything else matches itself. A pattern with an unclosed '[' or a
// trailing '\' is a UsageError naming the pattern.
//
// glob_match costs O(|pattern| * |path|) in the worst case: no exponential
// backtracking, whatever the stars.

#ifndef SPLITCHECK_LIB_FILES_GLOB_H_
#define SPLITCHECK_LIB_FILES_GLOB_H_

#include <string>
#include <string_view>

namespace splitcheck {

// Throws the UsageError of a malformed pattern (an unclosed '[', a trailing
// '\\'); returns otherwise. FileSystem::match calls it before looking at any
// file, so a bad pattern is an error even where nothing could match it.
void check_glob(std::string_view pattern);

// True if `pattern` holds an unescaped wildcard (*, ?, [).
bool has_wildcards(std::string_view pattern);

// True if the whole of `path` matches `pattern`.
bool glob_match(std::string_view pattern, std::string_view path);

// The longest leading directory of `pattern` free of wildcards, with its
// trailing '/', unescaped: "logs/2024-*/x.txt" -> "logs/"; "*.txt" -> "". A
// listing of that directory holds every path the pattern can match.
std::string glob_directory_prefix(std::string_view pattern);

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_GLOB_H_
