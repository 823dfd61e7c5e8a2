#!/usr/bin/env bash
# Executions per second of each built-in tracker fuzzer under
# --config=libfuzzer (AddressSanitizer on), as `bazel run <name>_run` fuzzes:
# seed corpus, dictionary, -max_len=128. Each fuzzer runs ROUNDS times for
# SECONDS seconds with a fresh copy of its seeds; the median and the spread
# are printed (one core each, so close other work: the figures move by a
# tenth between runs on a shared machine). Not part of CI.
#
#   fuzz/measure_speed.sh                  # 3 rounds of 20 s, every fuzzer
#   SECONDS_EACH=60 ROUNDS=5 fuzz/measure_speed.sh offset_tracker
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${SECONDS_EACH:-20}
rounds=${ROUNDS:-3}
fuzzers=("$@")
[[ ${#fuzzers[@]} -eq 0 ]] && fuzzers=(offset_tracker ordered_tracker key_tracker
  unsplittable_tracker concat_tracker offset_tracker_concurrent)

targets=()
for f in "${fuzzers[@]}"; do targets+=("//fuzz:${f}_fuzz_test_run"); done
./bazelw build --config=libfuzzer "${targets[@]}" >/dev/null 2>&1 || {
  echo "build failed: ./bazelw build --config=libfuzzer ${targets[*]}" >&2
  exit 1
}
bin=$(readlink -f bazel-bin)  # a later build with another config repoints bazel-bin

printf '%-28s %10s %10s %10s %6s   (%d x %d s, -max_len=128)\n' fuzzer median min max cov \
  "$rounds" "$seconds"
for f in "${fuzzers[@]}"; do
  corpus=fuzz/corpus/offsets dict=fuzz/offsets.dict
  [[ $f == key_tracker ]] && corpus=fuzz/corpus/keys dict=fuzz/keys.dict
  rates=() cov=""
  for ((r = 1; r <= rounds; r++)); do
    work=$(mktemp -d)
    cp -r "$corpus" "$work/seeds"
    "$bin/fuzz/${f}_fuzz_test_run" --fuzz --output="$work/out" -seed="$r" \
      -max_total_time="$seconds" -max_len=128 -dict="$dict" "$work/seeds" >"$work/log" 2>&1
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/log" | tail -n 1)
    if [[ -z $done_line ]]; then
      echo "$f: no DONE line (a finding?); log kept in $work/log" >&2
      continue
    fi
    rates+=("$(grep -oE 'exec/s: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+')")
    cov=$(grep -oE 'cov: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+')
    rm -rf "$work"
  done
  [[ ${#rates[@]} -eq 0 ]] && continue
  mapfile -t sorted < <(printf '%s\n' "${rates[@]}" | sort -n)
  printf '%-28s %10s %10s %10s %6s\n' "$f" "${sorted[$((${#sorted[@]} / 2))]}" "${sorted[0]}" \
    "${sorted[-1]}" "$cov"
done
