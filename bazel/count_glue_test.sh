#!/usr/bin/env bash
# count_glue.sh rejects a gate with too much glue, naming it and the limit.
# (The consumer's real count runs in .ci/run: examples/consumer is a
# workspace of its own, outside this one.) $1: count_glue.sh; $2: the
# fixture's BUILD file, beside its glue_over_test.cc.
set -uo pipefail
script=$1 fixture=$2
out=$("$script" "$(dirname "$fixture")" 15 "$(basename "$fixture")" 2>&1)
status=$?
echo "$out"
((status == 1)) || { echo "expected exit 1, got $status"; exit 1; }
grep -qE '^glue_over_test .* 8 +11 +1 +20  over the limit of 15$' <<<"$out" ||
  { echo "the over-limit gate is not reported as expected"; exit 1; }
out=$("$script" "$(dirname "$fixture")" 20 "$(basename "$fixture")" 2>&1) ||
  { echo "within a limit of 20 it should pass:"; echo "$out"; exit 1; }
echo "count_glue rejects 20 lines of glue at a limit of 15 and passes them at 20"
