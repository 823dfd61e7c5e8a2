#!/usr/bin/env bash
# Shows that each of the testkit's deliberately broken trackers is found by
# its fuzzer within 60 s under --config=libfuzzer, starting from the seed
# corpus, and, for comparison, starting from nothing. Not part of CI: it
# fuzzes for up to 16 minutes. Run from anywhere:
#
#   fuzz/prove_bugs_found.sh            # seed corpus, then empty corpus
#   fuzz/prove_bugs_found.sh --seeds    # seed corpus only
set -uo pipefail
cd "$(dirname "$0")/.."

bugs=(kOffByOneAtStop kSplitAtLastClaim kDoneFractionZero kSplitFractionOfFirstRange
      kSplitPointsCountCurrent kPositionPastStop kClaimBeforeStartAccepted kRacySplit
      kMisuseEndsTheRange kMisuseMovesLastClaim kFlooredFractions)
targets=()
for bug in "${bugs[@]}"; do targets+=("//fuzz:buggy_${bug}_fuzz_test_run"); done
./bazelw build --config=libfuzzer "${targets[@]}" >/dev/null 2>&1 || {
  echo "build failed: ./bazelw build --config=libfuzzer ${targets[*]}" >&2
  exit 1
}
# Resolve the symlink now: a later build with another config repoints bazel-bin.
bin=$(readlink -f bazel-bin)

modes=(seeds empty)
[[ "${1:-}" == "--seeds" ]] && modes=(seeds)
failures=0
for mode in "${modes[@]}"; do
  echo "== starting from: $mode"
  for bug in "${bugs[@]}"; do
    work=$(mktemp -d)
    corpus=()
    [[ "$mode" == seeds ]] && corpus=(fuzz/corpus/offsets)
    start=$(date +%s.%N)
    "$bin/fuzz/buggy_${bug}_fuzz_test_run" --fuzz --output="$work" -max_total_time=60 \
      -max_len=128 -dict=fuzz/offsets.dict "${corpus[@]}" >"$work/log" 2>&1
    elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    if grep -q "==splitcheck==" "$work/log"; then
      rule=$(grep -A1 "==splitcheck==" "$work/log" | tail -1 | cut -c1-110)
      printf '  %-28s found in %5.1f s: %s\n' "$bug" "$elapsed" "$rule"
    else
      printf '  %-28s NOT found in 60 s\n' "$bug"
      failures=$((failures + 1))
    fi
    rm -rf "$work"
  done
done
exit $((failures > 0))
