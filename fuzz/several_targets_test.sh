#!/usr/bin/env bash
# One factory file, three fuzz targets (fuzz/several_targets_fuzzer.cc):
# the corpus replay runs every input through each and names the one that
# failed; SPLITCHECK_FUZZ_TARGET runs one alone and an unknown name lists
# them; the contract test checks each distinct tracker once and fails on the
# broken one only. $1: the corpus replay binary, $2: the contract binary,
# $3...: the corpus.
set -uo pipefail
replay=$1 contract=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "$1:"; cat "$out"; exit 1; }

if "$replay" "$@" >"$out" 2>&1; then fail "the off-by-one tracker passed the corpus replay"; fi
grep -qF "fuzz target MakeOffByOne (SPLITCHECK_FUZZ_TARGET='MakeOffByOne' runs it alone)" "$out" ||
  fail "the failing target is not named"

SPLITCHECK_FUZZ_TARGET=MakeTracker "$replay" "$@" >"$out" 2>&1 || fail "MakeTracker alone failed"
SPLITCHECK_FUZZ_TARGET=MakeTracker/concurrent "$replay" "$@" >"$out" 2>&1 ||
  fail "MakeTracker/concurrent alone failed"
if SPLITCHECK_FUZZ_TARGET=MakeOffByOne "$replay" "$@" >"$out" 2>&1; then
  fail "MakeOffByOne alone passed"
fi

SPLITCHECK_FUZZ_TARGET=nope "$replay" "$@" >"$out" 2>&1
status=$?
((status == 2)) || fail "an unknown target exited $status, not 2"
grep -qF "SPLITCHECK_FUZZ_TARGET=nope names no fuzz target of this binary" "$out" ||
  fail "an unknown target is not reported"
for name in MakeTracker MakeTracker/concurrent MakeOffByOne; do
  grep -qx "  $name" "$out" || fail "the list of targets lacks $name"
done

if "$contract" >"$out" 2>&1; then fail "the contract test passed with a broken tracker"; fi
(($(grep -c "^tracker contract of MakeTracker:" "$out") == 1)) ||
  fail "MakeTracker's contract (shared by two fuzz targets) did not run exactly once"
grep -A1 "^tracker contract of MakeTracker:" "$out" | grep -q "^passed: " || fail "MakeTracker's contract did not pass"
grep -A1 "^tracker contract of MakeOffByOne:" "$out" | grep -q "^FAILED: " ||
  fail "MakeOffByOne's contract did not fail"
echo "three fuzz targets in one binary, the broken one named"
