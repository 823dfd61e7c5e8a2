#!/usr/bin/env bash
# The co_yield lint: a natural reader is rejected at each of its five
# co_yields of a braced temporary, naming the fix; its fixed form passes;
# the Bazel rule finds the natural reader in a dependency's headers. $1: the
# script, $2: the natural reader, $3: the fixed one, $4: the rule's test
# over a library holding the natural reader.
set -uo pipefail
lint=$1 natural=$2 fixed=$3 rule_test=$4
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "$1:"; cat "$out"; exit 1; }

if "$lint" "$natural" >"$out" 2>&1; then fail "the natural reader passed"; fi
for line in 4 8 9 10 13; do
  grep -q "^$natural:$line: co_yield of a braced" "$out" || fail "line $line not flagged"
done
(($(wc -l <"$out") == 5)) || fail "not exactly five findings"
grep -qF "Row value{...}; co_yield std::move(value);" "$out" || fail "the fix is not named"
"$lint" "$fixed" >"$out" 2>&1 || fail "the fixed reader was flagged"
"$lint" >"$out" 2>&1 || fail "no files is not a pass"
if "$lint" /nonexistent >"$out" 2>&1; then fail "a missing file passed"; fi
grep -q "no such file: /nonexistent" "$out" || fail "a missing file is not named"

if "$rule_test" >"$out" 2>&1; then fail "the rule's test passed over the natural reader"; fi
grep -q "natural_reader.h:4: co_yield of a braced temporary of Row" "$out" ||
  fail "the rule did not lint the dependency's header"
echo "the natural reader is flagged at its five lines, the fixed one passes"
