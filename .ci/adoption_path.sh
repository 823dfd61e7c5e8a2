#!/usr/bin/env bash
# Follows docs/ci-gate.md from an empty directory to a green and a red gate:
# the page's WORKSPACE, .bazelrc and BUILD blocks, written as they stand
# (with splitcheck at third_party/splitcheck), a connector the user already
# has (examples/consumer's, as :my_connector, with its factory files), then
# `bazel test //...` must pass; with a bug put into the connector (split()
# skips a day), the source gate must fail, naming the check. Extra
# arguments go to Bazel (CI passes --disk_cache, shared with the consumer
# step). Run from the repository root.
set -uo pipefail
repo=$(pwd)
page=docs/ci-gate.md
work=$(mktemp -d)
trap '(cd "$work" && "$repo/bazelw" shutdown >/dev/null 2>&1); rm -rf "$work"' EXIT

# The first fenced block after the heading that starts with $1.
block() {
  awk -v heading="$1" '
    index($0, heading) == 1 { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }
  ' "$page"
}

mkdir -p "$work/third_party"
ln -s "$repo" "$work/third_party/splitcheck"
block "## 1. Depend on splitcheck" >"$work/WORKSPACE"
block "## 2. Build settings" >"$work/.bazelrc"
{
  echo 'load("@rules_cc//cc:defs.bzl", "cc_library")'
  block "## 3. Declare the tests"
  # The connector the user already has.
  sed -n '/^cc_library(/,/^)/p' examples/consumer/BUILD | sed 's/name = "daily_events"/name = "my_connector"/'
} >"$work/BUILD"
for f in WORKSPACE .bazelrc BUILD; do
  [[ -s "$work/$f" ]] || { echo "adoption: no block for $f in $page"; exit 1; }
done
cp examples/consumer/daily_events.h examples/consumer/daily_events.cc "$work/"
cp examples/consumer/source_conformance_test.cc examples/consumer/sink_conformance_test.cc \
  examples/consumer/sdf_conformance_test.cc "$work/"
cp examples/consumer/day_tracker_fuzz_test.cc "$work/my_tracker_fuzz_test.cc"
echo "adoption: $work from $page:"
sed 's/^/  | /' "$work/WORKSPACE" "$work/.bazelrc"

cd "$work"
log=$(mktemp)
if ! "$repo/bazelw" test "$@" //... >"$log" 2>&1; then
  echo "adoption: the gate is red on the correct connector:"
  tail -40 "$log"
  exit 1
fi
grep -E "tests pass|Executed" "$log" | tail -1
echo "adoption: green on the correct connector"

sed -i 's/      bundle_start = next;/      bundle_start = Day{next.number + 1};  \/\/ the bug: a day lost/' daily_events.cc
grep -q "the bug: a day lost" daily_events.cc || { echo "adoption: could not put the bug in"; exit 1; }
if "$repo/bazelw" test "$@" //:source_conformance_test >"$log" 2>&1; then
  echo "adoption: the gate is green on a connector that loses a day"
  exit 1
fi
if ! grep -q "FAILED: sources_equal_reference_source" bazel-testlogs/source_conformance_test/shard_*/test.log \
    bazel-testlogs/source_conformance_test/test.log 2>/dev/null; then
  echo "adoption: red, but not for the reference equality check:"
  tail -40 "$log"
  exit 1
fi
echo "adoption: red on the connector with a bug, rejected by sources_equal_reference_source"
# The same source run as a splittable DoFn: its gate is red too.
if "$repo/bazelw" test "$@" //:sdf_conformance_test >"$log" 2>&1; then
  echo "adoption: the SDF gate is green on a connector that loses a day"
  exit 1
fi
if ! grep -qE "FAILED: sdf_(exhaustive_split|checkpoints|runner_schedules)" \
    bazel-testlogs/sdf_conformance_test/shard_*/test.log 2>/dev/null; then
  echo "adoption: the SDF gate is red, but not by an SDF check:"
  tail -40 "$log"
  exit 1
fi
echo "adoption: the SDF gate is red on it too"
rm -f "$log"
