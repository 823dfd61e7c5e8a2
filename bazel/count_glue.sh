#!/usr/bin/env bash
# Counts the glue a repository writes to put its connectors behind the gate:
# for each gate declaration in its BUILD file (splitcheck_*_test), the
# declaration's lines, the lines of its source file outside the factory
# (what lies between "splitcheck-glue: factory" and "splitcheck-glue: end"
# comments is the connector's test data, not glue), and an equal share of
# what all gates need once (WORKSPACE, .bazelrc, the load of the macros),
# split among the connectors' gates.
# Lines are non-blank and not comments (// in C++, # elsewhere). Fails if a connector's gate
# takes more than the limit (15); expected-rejection tests are listed, not
# limited (their variants are the bugs themselves).
#
#   bazel/count_glue.sh [workspace dir, default examples/consumer] [limit] [BUILD file name]
set -euo pipefail
dir=${1:-examples/consumer}
limit=${2:-15}
build=${3:-BUILD}
cd "$dir"

code_lines() {  # non-blank, non-comment lines of Starlark or a .bazelrc on stdin
  grep -cvE '^\s*(#|$)' || true
}
cc_lines() {  # non-blank, non-comment lines of C++ on stdin (#include counts)
  grep -cvE '^\s*(//|$)' || true
}

# The gate declarations: "name<TAB>kind<TAB>lines<TAB>srcs", srcs as written
# (empty: the default <name>.cc).
declarations=$(awk '
  /^splitcheck_[a-z_]+_test\(/ { inside = 1; kind = $0; sub(/\(.*/, "", kind); lines = 0; name = ""; srcs = "" }
  inside && !/^\s*(#|$)/ { lines++ }
  inside && /name = "/ && name == "" { name = $0; sub(/.*name = "/, "", name); sub(/".*/, "", name) }
  inside && /srcs = \[/ { srcs = $0; sub(/.*srcs = \[ *"/, "", srcs); sub(/".*/, "", srcs) }
  inside && /^\)/ { print name "\t" kind "\t" lines "\t" srcs; inside = 0 }
' "$build")
# The shared lines are split among the connectors' gates only.
gates=$(printf '%s\n' "$declarations" | grep -v splitcheck_rejection_test | grep -c . || true)
((gates > 0)) || { echo "count_glue: no splitcheck_*_test in $dir/$build" >&2; exit 2; }

load_lines=$(awk '/^load\(\s*$/ { l = 1; buf = "" } l { buf = buf $0 "\n" } l && /^\)/ { l = 0; if (buf ~ /splitcheck\/\/bazel:/) printf "%s", buf }
                  /^load\("@splitcheck\/\/bazel:/ { print }' "$build" | code_lines)
count_file() { if [[ -f "$1" ]]; then code_lines <"$1"; else echo 0; fi; }
shared=$(($(count_file WORKSPACE) + $(count_file .bazelrc) + load_lines))
share=$(( (shared + gates - 1) / gates ))

printf '%-28s %-36s %6s %6s %6s %6s\n' gate kind BUILD file shared glue
over=0
while IFS=$'\t' read -r name kind decl srcs; do
  file=${srcs:-$name.cc}
  [[ -f "$file" ]] || { echo "count_glue: $name: no $file" >&2; exit 2; }
  file_glue=$(awk '/splitcheck-glue: factory/ { f = 1; next } /splitcheck-glue: end/ { f = 0; next } !f' "$file" | cc_lines)
  total=$((decl + file_glue + share))
  note=""
  if [[ "$kind" != splitcheck_rejection_test ]] && ((total > limit)); then
    note="  over the limit of $limit"
    over=1
  fi
  printf '%-28s %-36s %6d %6d %6d %6d%s\n' "$name" "$kind" "$decl" "$file_glue" "$share" "$total" "$note"
done <<<"$declarations"
echo "shared: WORKSPACE, .bazelrc and the load of the macros, $shared lines over $gates gates"
((over == 0)) && echo "glue: every gate within $limit lines beyond its factory"
exit $over
