#!/usr/bin/env bash
# One content-keyed baseline for ruff (SPEC §12.7): what `stablegate check`
# of a `command` gate running `ruff check --output-format sarif` costs on top
# of ruff itself, over a real ~150k-line Python tree.
#
# Usage: bench/linters.sh [CORPUS_DIR]
#   CORPUS_DIR  default: python3's stdlib, its top-level modules plus the
#               `email` and `asyncio` packages (about 156k lines)
#   RUNS        runs per side, the best one counts (default 3)
#   SELECT      ruff rules (default E,F,W: long lines in docstrings and
#               comments give many token-less sites)
#
# The files are copied into a temporary project under src/; the gate is
# baselined with `stablegate allow` (timed once), then timed:
#   ruff     `ruff check --isolated --no-cache --output-format sarif` alone
#   check    `stablegate check` of the gate (runs ruff, reads its SARIF,
#            keys every finding's line, reconciles with the allowlist)
# Prints the best wall time of each, the number of findings and entries
# (with `rule:`, with `text:`), the overhead check - ruff and the ratio, and
# whether the overhead is within the budget of the issue (0.5 s).
# Exit status 0 unless a tool fails or the baselined check is not green.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
select="${SELECT:-E,F,W}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
stablegate="$target/release/stablegate"

command -v ruff >/dev/null || python3 -m pip install --quiet --disable-pip-version-check ruff
ruff="$(command -v ruff)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
project="$work/project"
mkdir -p "$project/src" "$project/gates"

echo "== building (release)"
(cd "$repo" && cargo build --release --quiet -p stablegate)

if [[ $# -ge 1 ]]; then
    corpus="$(cd "$1" && pwd)"
    echo "== corpus: $corpus"
    (cd "$corpus" && find . -name '*.py' -type f -print0 | tar --null -cf - -T - | tar -xf - -C "$project/src")
else
    corpus="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
    echo "== corpus: $corpus (top-level modules, email, asyncio)"
    (cd "$corpus" && { find . -maxdepth 1 -name '*.py' -type f -print0; find email asyncio -name '*.py' -type f -print0; } |
        tar --null -cf - -T - | tar -xf - -C "$project/src")
fi
files=$(find "$project/src" -name '*.py' | wc -l)
lines=$(find "$project/src" -name '*.py' -print0 | xargs -0 cat | wc -l)
echo "   $files .py files, $lines lines; ruff $("$ruff" --version | cut -d' ' -f2), rules $select"

lint="$ruff check --isolated --no-cache --output-format sarif --select $select src"
printf '[[gate]]\nname = "ruff"\ncommand = "%s"\nallowlist = "gates/ruff.yaml"\n' "$lint" >"$project/stablegate.toml"

# Best wall time of RUNS runs of a command line, in seconds.
best_of() {
    local best="" wall
    for _ in $(seq "$runs"); do
        /usr/bin/time -o "$work/time" -f '%e' bash -c "$1" >/dev/null 2>&1 || true
        wall=$(tail -1 "$work/time")
        if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best="$wall"
        fi
    done
    echo "$best"
}

cd "$project"
findings=$( { $lint 2>/dev/null || true; } | python3 -c 'import json,sys; print(sum(len(r.get("results", [])) for r in json.load(sys.stdin)["runs"]))')
allow_wall=$( { /usr/bin/time -f '%e' "$stablegate" allow ruff --reason "bench baseline" >/dev/null; } 2>&1 | tail -1)
entries=$(grep -c '^- file: ' gates/ruff.yaml || true)
with_rule=$(grep -c '^  rule: ' gates/ruff.yaml || true)
with_text=$(grep -c '^  text: ' gates/ruff.yaml || true)
echo "   $findings findings; allow wrote $entries entries ($with_rule with rule:, $with_text with text:) in ${allow_wall} s"
if ! "$stablegate" check >/dev/null; then
    echo "error: the baselined gate is not green" >&2
    exit 1
fi

echo "== $runs run(s) each; best wall time counts"
ruff_wall=$(best_of "cd '$project' && $lint; true")
check_wall=$(best_of "cd '$project' && '$stablegate' check")
printf '%-8s %8s s\n' ruff "$ruff_wall" check "$check_wall"
overhead=$(awk -v c="$check_wall" -v r="$ruff_wall" 'BEGIN { printf "%.2f", c - r }')
ratio=$(awk -v c="$check_wall" -v r="$ruff_wall" 'BEGIN { printf "%.2f", (r > 0 ? c / r : 0) }')
verdict=$(awk -v o="$overhead" 'BEGIN { print (o <= 0.5 ? "within" : "OVER") }')
echo "== overhead (check - ruff): $overhead s; ratio check / ruff: $ratio; budget 0.5 s: $verdict"
