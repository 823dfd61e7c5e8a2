#!/usr/bin/env bash
# Fails on a dependency that runs upward between splitcheck's layers:
#
#   bazel (build support) < lib < testkit < fuzz < examples < bench
#
# A target may depend on targets of its own layer and of the layers below.
# One exception: a test (a *_test rule, or a testonly target) may also
# depend on the testkit, so that lib's tests can use the checks. Select
# conditions count as dependencies (a library whose copts select on a
# config_setting in //fuzz depends on //fuzz). External repositories and
# files outside the layers are not judged.
#
#   bazel/layering.sh                  # query this workspace (via ./bazelw)
#   bazel/layering.sh GRAPH TESTS      # judge a dot graph (bazel query
#                                      # --output=graph --nograph:factored)
#                                      # and a file of test labels
#
# Prints each upward dependency and exits 1 if there is any.
set -euo pipefail

if (($# == 2)); then
  graph=$1 tests=$2
else
  cd "$(dirname "$0")/.."
  graph=$(mktemp) tests=$(mktemp)
  trap 'rm -f "$graph" "$tests"' EXIT
  layers='//bazel/... + //lib/... + //testkit/... + //fuzz/... + //examples/... + //bench/...'
  ./bazelw query "deps($layers, 1)" --output=graph --nograph:factored 2>/dev/null >"$graph"
  ./bazelw query "kind('.*_test rule', $layers) + attr(testonly, 1, $layers)" 2>/dev/null >"$tests"
fi

awk -v tests="$tests" '
  function layer(label,    pkg) {
    if (label !~ /^\/\//) return -1                  # an external repository
    pkg = substr(label, 3)
    sub(/[\/:].*/, "", pkg)
    if (pkg == "bazel") return 0
    if (pkg == "lib") return 1
    if (pkg == "testkit") return 2
    if (pkg == "fuzz") return 3
    if (pkg == "examples") return 4
    if (pkg == "bench") return 5
    return -1
  }
  BEGIN {
    while ((getline line < tests) > 0) is_test[line] = 1
    names[0] = "bazel"; names[1] = "lib"; names[2] = "testkit"
    names[3] = "fuzz"; names[4] = "examples"; names[5] = "bench"
  }
  / -> / {
    from = $1; to = $3
    gsub(/"/, "", from); gsub(/"/, "", to)
    a = layer(from); b = layer(to)
    if (a < 0 || b < 0 || b <= a) next
    if (is_test[from] && b == 2) next               # tests may use the testkit
    printf "upward dependency: %s (%s) -> %s (%s)\n", from, names[a], to, names[b]
    bad++
  }
  END {
    if (bad) {
      printf "%d upward dependencies; layers: bazel < lib < testkit < fuzz < examples < bench\n", bad
      exit 1
    }
    print "layering: no upward dependency"
  }
' "$graph"
