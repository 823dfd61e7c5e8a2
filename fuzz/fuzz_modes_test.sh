#!/usr/bin/env bash
# --minimize shrinks a crash and --merge merges a corpus, through libFuzzer.
# Runs only on a binary built with --config=libfuzzer (CI's fuzz step);
# elsewhere the binary says it cannot fuzz, and this test checks that it says
# so. $1: the harness (aborts on inputs holding "boom"); $2: a fine input;
# $3: a crash padded on both sides.
set -uo pipefail
harness=$1 fine=$2 padded=$3
work=${TEST_TMPDIR:-$(mktemp -d)}
log="$work/log"

"$harness" --minimize="$padded" --output="$work/out" -runs=20000 >"$log" 2>&1
status=$?
if grep -q "need a binary built with" "$log"; then
  ((status == 2)) || { echo "exit $status, expected 2:"; cat "$log"; exit 1; }
  echo "not a libFuzzer build: the modes refuse with a message, as they should"
  exit 0
fi
minimized="$work/out/artifacts/minimized-$(basename "$padded")"
[[ -f "$minimized" ]] || { echo "no $minimized:"; tail -20 "$log"; exit 1; }
[[ "$(cat "$minimized")" == boom ]] ||
  { echo "minimized to '$(cat "$minimized")', expected 'boom':"; tail -20 "$log"; exit 1; }
echo "minimized $(wc -c <"$padded") bytes to $(wc -c <"$minimized"): $(cat "$minimized")"

mkdir -p "$work/merged"
"$harness" --merge="$work/merged" --output="$work/fuzz" "$fine" >"$log" 2>&1 ||
  { echo "merge failed:"; tail -20 "$log"; exit 1; }
count=$(find "$work/merged" -type f | wc -l)
((count >= 1)) || { echo "nothing merged:"; tail -20 "$log"; exit 1; }
echo "merged $count input(s) into $work/merged"
