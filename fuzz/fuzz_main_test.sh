#!/usr/bin/env bash
# The corpus replay names the input that failed and how to replay it alone;
# a corpus without a failing input passes. $1: the harness binary (aborts on
# "boom"); $2, $3: a fine input and a failing one.
set -uo pipefail
harness=$1 fine=$2 boom=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$harness" "$fine" >"$out" 2>&1 || { echo "a fine corpus failed:"; cat "$out"; exit 1; }
grep -q "replayed 1 inputs" "$out" || { echo "no replay summary:"; cat "$out"; exit 1; }

if "$harness" "$fine" "$boom" >"$out" 2>&1; then
  echo "a failing input passed:"; cat "$out"; exit 1
fi
grep -qF "fuzz: the input that failed: $boom" "$out" || { echo "input not named:"; cat "$out"; exit 1; }
grep -qF "fuzz: replay it alone: $harness $boom" "$out" || { echo "no replay:"; cat "$out"; exit 1; }
if grep -qF "failed: $fine" "$out"; then echo "the fine input was blamed:"; cat "$out"; exit 1; fi
echo "the failing input is named: $boom"
