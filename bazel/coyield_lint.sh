#!/usr/bin/env bash
# coyield_lint.sh FILE...: finds `co_yield` of a braced temporary, which
# GCC 12 (Debian 12's compiler) gets wrong at the user's line:
#   co_yield Row{"id" + std::to_string(i), "name"};  // "array used as initializer"
#   co_yield Event{day, text};                       // destroyed twice: a double free
#   co_yield {day, text};                            // the same
# clang 14 compiles all three correctly; no Generator design avoids the GCC
# bug (measured with three yield_value designs, docs/guide.md). Each hit is
# printed as FILE:LINE: with the fix, naming the value first:
#   Event event{day, text};
#   co_yield std::move(event);
# Comments and string literals are skipped. Exits 1 when anything was found,
# 0 otherwise (also for no files).
set -uo pipefail
status=0
for file in "$@"; do
  [[ -f "$file" ]] || { echo "coyield_lint: no such file: $file" >&2; exit 2; }
  perl -0777 -ne '
    my $text = $_;
    # Blank out comments and literals, keeping every newline (line numbers).
    $text =~ s{//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'"'"'(?:\\.|[^'"'"'\\\n])*'"'"'}{
      my $m = $&; (substr($m, 0, 1) eq "\"" || substr($m, 0, 1) eq "'"'"'") ? "\"\"" : ($m =~ tr/\n//cdr) =~ s/[^\n]/ /gr
    }gse;
    my $found = 0;
    while ($text =~ /\bco_yield\s+((?:[A-Za-z_][\w]*\s*(?:::\s*[A-Za-z_][\w]*\s*)*(?:<[^;{}()]*>\s*)?)?)\{/g) {
      my $line = 1 + (substr($text, 0, $-[0]) =~ tr/\n//);
      my $type = $1 =~ s/\s+$//r;
      my $what = $type eq "" ? "a braced list" : "a braced temporary of $type";
      print "$ARGV:$line: co_yield of $what: GCC 12 destroys it twice (or rejects an ",
            "initializer list: \"array used as initializer\"); name the value first: ",
            ($type eq "" ? "T" : $type), " value{...}; co_yield std::move(value);\n";
      $found = 1;
    }
    exit($found);
  ' "$file" || status=1
done
exit "$status"
