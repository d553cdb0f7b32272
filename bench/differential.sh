#!/usr/bin/env bash
# Differential run over a whole corpus: tools/reference_keys.py (CPython 3.11,
# THE definition of SPEC §2.1) against `stablegate keys`, compared line by line
# by tools/compare_keys.py.
#
# Usage: bench/differential.sh [CORPUS_DIR]
#   CORPUS_DIR  default: the stdlib of python3 (site-packages included)
#   PYTHON      interpreter for the reference (default python3; must be 3.11)
#   JOBS        reference worker processes (default 2)
#   KEEP        directory to keep ref.jsonl / stablegate.jsonl and stderr in
#   SHOW        mismatching files to detail (default 20)
#
# Both sides take *.py and *.pyi from the corpus (stablegate's selection).
# Prints the reference's totals (files, source lines, skips), then the
# comparison: files compared, files skipped and why, agreeing lines / keyed
# lines, mismatching files with a sample diff. Exit status: that of
# compare_keys.py (0 when everything agrees).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
# The real interpreter, not a shim (pyenv's costs 100 ms a start).
python="$("$python" -c 'import sys; print(sys.executable)')"
corpus="${1:-$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
corpus="$(cd "$corpus" && pwd)"
jobs="${JOBS:-2}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
bin="$target/release/stablegate"

echo "== building stablegate (release)"
(cd "$repo" && cargo build --release -p stablegate --quiet)

if [[ -n "${KEEP:-}" ]]; then
    work="$KEEP"
    mkdir -p "$work"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi

echo "== corpus: $corpus"
echo "== reference: $python tools/reference_keys.py --jobs $jobs"
start=$(date +%s.%N)
"$python" -E -S "$repo/tools/reference_keys.py" --ext py,pyi --jobs "$jobs" --stats \
    --root "$corpus" "$corpus" >"$work/ref.jsonl" 2>"$work/ref.err"
ref_time=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo "== stablegate: $bin keys"
start=$(date +%s.%N)
status=0
"$bin" --root "$corpus" keys "$corpus" >"$work/stablegate.jsonl" 2>"$work/stablegate.err" || status=$?
sg_time=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
if [[ $status -ne 0 && $status -ne 2 ]]; then
    echo "stablegate keys failed with exit status $status:" >&2
    tail -20 "$work/stablegate.err" >&2
    exit 3
fi
echo "   (exit status $status; 2 means some files were reported unreadable)"

echo
echo "== reference totals"
grep -Ev '^skipped: .+: ' "$work/ref.err" | sed 's/^/  /'
printf '  wall: reference %.1f s, stablegate %.2f s\n' "$ref_time" "$sg_time"
echo
echo "== comparison"
if cmp -s "$work/ref.jsonl" "$work/stablegate.jsonl"; then
    echo "raw outputs: byte-identical ($(wc -c <"$work/ref.jsonl") bytes)"
else
    echo "raw outputs: differ in bytes (the comparison below is on parsed records)"
fi
"$python" -E -S "$repo/tools/compare_keys.py" "$work/ref.jsonl" "$work/stablegate.jsonl" \
    --expected-stderr "$work/ref.err" --actual-stderr "$work/stablegate.err" \
    --show "${SHOW:-20}"
