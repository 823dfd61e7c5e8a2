#!/usr/bin/env bash
# The HTML report of a failing gate, rendered in a real headless browser
# (Debian's chromium): the page as the browser parsed it has the checks'
# verdicts, the counterexample with its replay, the mutation score and the
# exhaustive split map with failed cells; and it renders to a screenshot.
# $1: report_demo, a gate that fails on purpose.
set -uo pipefail
demo=$1
work=${TEST_TMPDIR:-$(mktemp -d)}
fail() { echo "report_page_test: $*"; exit 1; }

mkdir -p "$work/outputs"
if TEST_UNDECLARED_OUTPUTS_DIR="$work/outputs" TEST_SHARD_INDEX= "$demo" >"$work/demo.log" 2>&1; then
  fail "the demo gate passed; it must fail"
fi
report="$work/outputs/splitcheck_report.html"
[[ -s "$report" ]] || { tail -20 "$work/demo.log"; fail "no report at $report"; }
if grep -qiE '<script|src="http|href="http' "$report"; then
  fail "the report is not self-contained"
fi

chromium=$(command -v chromium || command -v chromium-browser) ||
  fail "chromium is not installed (./bazelw installs it)"
browse() {
  HOME="$work" "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$work/profile" "$@" "file://$report" 2>"$work/chromium.log"
}
browse --dump-dom >"$work/dom.html" || { cat "$work/chromium.log"; fail "chromium failed"; }
dom="$work/dom.html"
count() { grep -o "$1" "$dom" | wc -l; }

grep -q '<h1>splitcheck gate report' "$dom" || fail "no title in the page"
(($(count '<tr class="good">') >= 6)) || fail "fewer than 6 passing rows"
(($(count '<tr class="bad">') >= 1)) || fail "no failing row"
grep -q 'BoundaryBug.ReferenceEquality' "$dom" || fail "the failing test is not named"
grep -q '<section class="failure"' "$dom" || fail "no counterexample section"
grep -q '<pre class="replay">check_split_at_fraction(source, ' "$dom" || fail "no replay"
grep -qE '<p id="mutation-score">mutation score: [0-9]+ of [0-9]+ applicable mutants rejected' \
  "$dom" || fail "no mutation score"
(($(count '<table class="map">') >= 2)) || fail "fewer than 2 split maps"
(($(count '<td class="f">') >= 1)) || fail "no failed cell in a split map"
(($(count '<td class="a">') >= 1)) || fail "no accepted cell in a split map"
echo "the page: $(count '<tr class="good">') passing rows, $(count '<tr class="bad">') failing," \
  "$(count '<td class="f">') failed map cells"

browse --screenshot="$work/page.png" --window-size=1200,3000 >/dev/null ||
  { cat "$work/chromium.log"; fail "no screenshot"; }
size=$(wc -c <"$work/page.png")
((size > 20000)) || fail "the screenshot is $size bytes: the page rendered (nearly) blank"
echo "rendered: a ${size}-byte screenshot"
