#!/usr/bin/env bash
# Speed and memory of ast-grep scans: the ast-grep CLI (the reference) against
# stablegate's finding sources, over one Python corpus, with a selective rule
# (`json.loads($X)`: few files can match, the prefilter skips the rest) and a
# rule that matches everywhere (`$A.$B`: every file is parsed).
#
# Usage: bench/check.sh [CORPUS_DIR]
#   CORPUS_DIR  default: the stdlib of python3, site-packages left out
#   RUNS        runs per tool and rule, the best one counts (default 3)
#
# The corpus's .py files are copied into a temporary project (so that the
# configuration can live inside the root) and every tool scans that copy.
# Prints, per rule and tool: best wall time, peak RSS and the number of
# findings. Tools ("sides") are functions `side_NAME RULE`, listed in SIDES:
#   ast_grep  `ast-grep scan -r RULE.yml` (pip install ast-grep-cli if absent)
#   collect   the stablegate_gates `collect` example (source::collect per gate)
#   check     `stablegate check --format json` (findings + keys + verdicts)
# and prints the ratio ast-grep / stablegate check per rule.
# Exit status 0 unless a tool fails.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
corpus="${1:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
corpus="$(cd "$corpus" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
project="$work/project"
mkdir -p "$project" "$work/runs"

echo "== building (release)"
(cd "$repo" && cargo build --release --quiet -p stablegate_gates --example collect && cargo build --release --quiet -p stablegate)

echo "== corpus: $corpus (site-packages left out), copied to a temporary project"
(cd "$corpus" && find . -path ./site-packages -prune -o -name '*.py' -type f -print0 |
    tar --null -cf - -T - | tar -xf - -C "$project")
echo "   $(find "$project" -name '*.py' | wc -l) .py files, $(du -sm "$project" | cut -f1) MB"

# The rules: NAME and ast-grep pattern. Each becomes an ast-grep rule file
# rules/NAME.yml and a stablegate configuration NAME.toml in the project.
declare -A patterns=([json_loads]='json.loads($X)' [attribute]='$A.$B')
rules=(json_loads attribute)
mkdir -p "$project/rules"
for rule in "${rules[@]}"; do
    printf 'id: %s\nlanguage: python\nrule:\n  pattern: %s\n' "$rule" "${patterns[$rule]}" >"$project/rules/$rule.yml"
    printf '[[gate]]\nname = "%s"\nrule_file = "rules/%s.yml"\n' "$rule" "$rule" >"$project/$rule.toml"
done

# --- sides: each runs one scan of rule $1 over $project, writing findings to
# stdout in any form, and defines count_NAME to turn that output into a count.

ast_grep=""
for candidate in ast-grep sg; do
    if command -v "$candidate" >/dev/null && "$candidate" --version 2>/dev/null | grep -q ast-grep; then
        ast_grep="$candidate"
        break
    fi
done
if [[ -z "$ast_grep" ]] && python3 -m pip install --quiet ast-grep-cli >/dev/null 2>&1; then
    ast_grep="ast-grep"
fi
side_ast_grep() { (cd "$project" && "$ast_grep" scan -r "rules/$1.yml" --json=stream .); }
count_ast_grep() { wc -l <"$1"; }

collect="$target/release/examples/collect"
side_collect() { "$collect" "$project" --config "$project/$1.toml"; }
count_collect() { sed -n 's/.* findings=\([0-9]*\) .*/\1/p' "$1"; }

# `stablegate check`: the whole gate (findings, keys of every finding's line,
# reconciliation, a JSON report); red (exit 1) is its normal outcome here, as
# no site is allowlisted.
stablegate="$target/release/stablegate"
side_check() {
    local status=0
    "$stablegate" --root "$project" --config "$project/$1.toml" --format json check || status=$?
    [[ "$status" -le 1 ]]
}
count_check() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(sum(1 for g in d["gates"] for i in g["items"] if i["verdict"] == "violation"))' "$1"
}

# The sides run under /usr/bin/time, in a child bash: export what they use.
export project ast_grep collect stablegate
export -f side_ast_grep side_collect side_check

SIDES=(collect check)
if [[ -n "$ast_grep" ]]; then
    SIDES=(ast_grep "${SIDES[@]}")
    echo "== ast-grep: $("$ast_grep" --version)"
else
    echo "== ast-grep CLI not found and not installable: its side is skipped"
fi

# measure OUT CMD...: runs CMD, stdout to OUT, and prints "WALL_S MAXRSS_KB".
measure() {
    local out="$1"
    shift
    local status=0
    /usr/bin/time -o "$out.time" -f '%e %M' "$@" >"$out" 2>"$out.err" || status=$?
    if [[ "$status" -ne 0 ]]; then
        echo "failed (exit status $status): $*" >&2
        tail -20 "$out.err" >&2
        exit 3
    fi
    tail -1 "$out.time"
}

echo "== $runs run(s) each; best wall time counts"
printf '%-12s %-10s %8s %8s %9s\n' rule tool wall_s rss_mb findings
for rule in "${rules[@]}"; do
    for side in "${SIDES[@]}"; do
        best=""
        for ((i = 1; i <= runs; i++)); do
            out="$work/runs/$rule.$side.$i"
            read -r wall rss < <(measure "$out" bash -c '"$@"' _ "side_$side" "$rule")
            if [[ -z "$best" ]] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
                best="$wall $rss $("count_$side" "$out")"
            fi
        done
        read -r wall rss found <<<"$best"
        printf '%-12s %-10s %8s %8.1f %9s\n' "$rule" "$side" "$wall" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$found"
        eval "wall_${rule}_${side}=$wall"
    done
done

if [[ -n "$ast_grep" ]]; then
    echo "== ratios (ast-grep scan wall / stablegate check wall; > 1 means stablegate is faster)"
    for rule in "${rules[@]}"; do
        a="wall_${rule}_ast_grep"
        c="wall_${rule}_check"
        printf '%-12s %6.2fx\n' "$rule" "$(awk -v a="${!a}" -v c="${!c}" 'BEGIN { print a / c }')"
    done
    echo "   targets: >= 2x for the selective rule (json_loads), >= 1x for the everywhere rule (attribute)"
fi
