#!/usr/bin/env bash
# Keying throughput per tree-sitter language: stablegate's keys (the
# stablegate_keys `keys_langs` example, in-process) against `ast-grep scan`
# with a trivial rule (the root node of every file: one match per file, so
# the scan's cost is parsing, as the keys' cost mostly is) over the same
# files of real code.
#
# Usage: bench/keys_langs.sh [CORPORA_DIR]
#   CORPORA_DIR  default: $STABLEGATE_KEYS_CORPORA, else
#                ~/.cache/stablegate-key-corpora (tools/fetch_key_corpora.sh
#                fills it when it is missing)
#   RUNS         runs per tool and language, the best one counts (default 3)
#   THREADS      threads for both tools (default: the machine's cores)
#
# Both tools choose files by extension (.js .mjs .cjs .jsx, .ts .mts .cts,
# .tsx, .go, .rs, .java) under the same directory; the script checks that
# they saw the same number of files. Prints per language: files, MB, best
# wall time of each tool, MB/s, and the ratio ast-grep / keys (> 1 means the
# keys are faster). Exit status 0 unless a tool fails.
# Once `stablegate keys` speaks these languages, this script will time it
# instead of the example.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
threads="${THREADS:-$(nproc)}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
corpora="${1:-${STABLEGATE_KEYS_CORPORA:-$HOME/.cache/stablegate-key-corpora}}"
if [[ ! -d "$corpora" ]]; then
    "$repo/tools/fetch_key_corpora.sh" "$corpora" >/dev/null || true
fi
corpora="$(cd "$corpora" && pwd)"

echo "== building the keys_langs example (release)"
(cd "$repo" && cargo build --release --quiet -p stablegate_keys --example keys_langs)
keys_langs="$target/release/examples/keys_langs"

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
if [[ -z "$ast_grep" ]]; then
    echo "error: the ast-grep CLI is not found and could not be installed (pip install ast-grep-cli)" >&2
    exit 1
fi
echo "== ast-grep: $("$ast_grep" --version); corpora: $corpora; $threads threads, best of $runs"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# wall CMD...: runs CMD (stdout to $work/out) and prints its wall time in seconds.
wall() {
    local start end
    start="$(date +%s.%N)"
    "$@" >"$work/out"
    end="$(date +%s.%N)"
    echo "$end - $start" | bc -l
}

# best NAME CMD...: best wall time of $runs runs; the last run's output stays
# in $work/NAME.out.
best() {
    local name="$1" best="" t
    shift
    for _ in $(seq "$runs"); do
        t="$(wall "$@")"
        if [[ -z "$best" ]] || (($(echo "$t < $best" | bc -l))); then best="$t"; fi
    done
    cp "$work/out" "$work/$name.out"
    printf '%.3f' "$best"
}

printf '\n%-11s %7s %8s %10s %10s %9s %9s %8s\n' language files MB "keys s" "ast-grep s" "keys MB/s" "sg MB/s" ratio
# language name for keys_langs, ast-grep's language id, root node kind
for spec in "javascript JavaScript program" "typescript TypeScript program" "tsx Tsx program" \
    "go Go source_file" "rust Rust source_file" "java Java program"; do
    read -r name sg_language root <<<"$spec"
    printf 'id: root\nlanguage: %s\nrule:\n  kind: %s\n' "$sg_language" "$root" >"$work/rule.yml"
    keys_time="$(best keys "$keys_langs" --threads "$threads" --language "$name" "$corpora")"
    sg_time="$(best sg "$ast_grep" scan --threads "$threads" --no-ignore hidden --no-ignore dot \
        --no-ignore vcs -r "$work/rule.yml" --json=stream "$corpora")"
    read -r files mb <<<"$(awk -F'\t' -v n="$name" '$1 == n { print $2, $6 }' "$work/keys.out")"
    sg_files="$(wc -l <"$work/sg.out")"
    if [[ "${files:-0}" != "$sg_files" ]]; then
        echo "warning: $name: keys saw ${files:-0} files, ast-grep matched $sg_files" >&2
    fi
    printf '%-11s %7s %8s %10s %10s %9.1f %9.1f %7.2fx\n' "$name" "${files:-0}" "${mb:-0}" \
        "$keys_time" "$sg_time" "$(echo "${mb:-0} / $keys_time" | bc -l)" \
        "$(echo "${mb:-0} / $sg_time" | bc -l)" "$(echo "$sg_time / $keys_time" | bc -l)"
done
