#!/usr/bin/env bash
# bazel/layering.sh rejects an upward dependency, a select on another
# layer's config_setting included, and a test that depends on a layer above
# the testkit; it accepts downward ones and a lib test that uses the
# testkit.
set -uo pipefail
script=$1 graph=$2 tests=$3
out=$("$script" "$graph" "$tests")
status=$?
fail() { echo "FAIL: $*"; echo "$out"; exit 1; }
((status == 1)) || fail "expected exit 1, got $status"
grep -q 'upward dependency: //testkit:check_result (testkit) -> //fuzz:libfuzzer (fuzz)' <<<"$out" ||
  fail "the select on //fuzz:libfuzzer was not reported"
grep -q 'upward dependency: //testkit/sink:sink_checks_test (testkit) -> //examples/kv:kv_commit_in_close_sink (examples)' <<<"$out" ||
  fail "the testkit test depending on examples was not reported"
grep -q '^2 upward dependencies' <<<"$out" || fail "expected exactly 2 upward dependencies"
grep -q 'text_source_test' <<<"$out" && fail "a lib test using the testkit was reported"
echo "PASS"
