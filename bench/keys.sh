#!/usr/bin/env bash
# Speed and memory of `stablegate keys` against the reference
# (tools/reference_keys.py on CPython 3.11) over one corpus, in one run.
#
# Usage: bench/keys.sh [CORPUS_DIR]
#   CORPUS_DIR  default: the stdlib of python3 (site-packages included)
#   PYTHON      interpreter for the reference (default python3; must be 3.11)
#   RUNS        stablegate runs, the best one counts (default 3)
#   QUICK=1     skip the single-process reference run (the slow one)
#
# Both sides take *.py and *.pyi from the corpus. Prints the wall time of
# stablegate, of the reference in one process and with --jobs 2, the ratios
# (reference / stablegate) and stablegate's peak RSS. Target: stablegate at
# least 100x faster than the single-process reference, peak RSS under 200 MB.
# Exit status 0 whether or not the target is met (the verdict is printed).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
python="$("$python" -c 'import sys; print(sys.executable)')"
corpus="${1:-$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
corpus="$(cd "$corpus" && pwd)"
runs="${RUNS:-3}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
bin="$target/release/stablegate"

echo "== building stablegate (release)"
(cd "$repo" && cargo build --release -p stablegate --quiet)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# measure NAME CMD...: runs CMD (stdout discarded) and writes "WALL_S MAXRSS_KB"
# to $work/NAME. GNU time when there is one, else getrusage through Python.
measure() {
    local name="$1"
    shift
    if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true 2>/dev/null; then
        local status=0
        /usr/bin/time -o "$work/$name.time" -f '%e %M' "$@" >/dev/null 2>"$work/$name.err" || status=$?
        check_status "$name" "$status"
        tail -1 "$work/$name.time" >"$work/$name"
    else
        "$python" -E -S - "$work/$name" "$@" <<'PY'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.monotonic()
status = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=open(out + ".err", "w"))
wall = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(out, "w").write(f"{wall:.2f} {rss}\n")
open(out + ".status", "w").write(str(status))
PY
        check_status "$name" "$(cat "$work/$name.status")"
    fi
}

check_status() {
    # stablegate exits 2 when it reported unreadable (non-UTF-8) files.
    if [[ "$2" -ne 0 && "$2" -ne 2 ]]; then
        echo "$1 failed (exit status $2):" >&2
        tail -20 "$work/$1.err" >&2
        exit 3
    fi
}

wall() { cut -d' ' -f1 "$work/$1"; }
rss_mb() { awk '{ printf "%.1f", $2 / 1024 }' "$work/$1"; }
# calc EXPR with awk (no bc needed): calc 'a / b' a=1 b=2
calc() {
    local expr="$1" args=() var
    shift
    for var in "$@"; do args+=(-v "$var"); done
    awk "${args[@]}" "BEGIN { print ($expr) }" </dev/null
}

echo "== corpus: $corpus"
files=$(find "$corpus" \( -name '*.py' -o -name '*.pyi' \) -type f | wc -l)
echo "   $files .py/.pyi files; warming the file cache"
find "$corpus" \( -name '*.py' -o -name '*.pyi' \) -type f -print0 | xargs -0 cat >/dev/null

best=""
for run in $(seq 1 "$runs"); do
    measure "stablegate$run" "$bin" --root "$corpus" keys "$corpus"
    echo "   stablegate run $run: $(wall "stablegate$run") s, peak RSS $(rss_mb "stablegate$run") MB"
    if [[ -z "$best" ]] || (($(calc 'a < b' a="$(wall "stablegate$run")" b="$(wall "$best")"))); then
        best="stablegate$run"
    fi
done

echo "== reference --jobs 2"
measure ref2 "$python" -E -S "$repo/tools/reference_keys.py" --ext py,pyi --jobs 2 --root "$corpus" "$corpus"
echo "   $(wall ref2) s"
if [[ -z "${QUICK:-}" ]]; then
    echo "== reference, one process"
    measure ref1 "$python" -E -S "$repo/tools/reference_keys.py" --ext py,pyi --root "$corpus" "$corpus"
    echo "   $(wall ref1) s"
fi

sg=$(wall "$best")
# GNU time prints wall time with 2 decimals: never divide by zero.
sg_div=$(calc 's < 0.01 ? 0.01 : s' s="$sg")
echo
echo "== results ($files files)"
printf '  stablegate keys           %8.2f s   peak RSS %s MB (best of %s)\n' "$sg" "$(rss_mb "$best")" "$runs"
if [[ -z "${QUICK:-}" ]]; then
    ratio1=$(calc 'sprintf("%.1f", r / s)' r="$(wall ref1)" s="$sg_div")
    printf '  reference (1 process)     %8.2f s   ratio %sx   peak RSS %s MB\n' "$(wall ref1)" "$ratio1" "$(rss_mb ref1)"
fi
ratio2=$(calc 'sprintf("%.1f", r / s)' r="$(wall ref2)" s="$sg_div")
printf '  reference (--jobs 2)      %8.2f s   ratio %sx\n' "$(wall ref2)" "$ratio2"
echo
rss_kb=$(cut -d' ' -f2 "$work/$best")
verdict_speed="n/a (QUICK)"
if [[ -z "${QUICK:-}" ]]; then
    if (($(calc 'r >= 100' r="$ratio1"))); then verdict_speed="met"; else verdict_speed="NOT met"; fi
fi
if ((rss_kb < 200 * 1024)); then verdict_rss="met"; else verdict_rss="NOT met"; fi
echo "  target >= 100x the single-process reference: $verdict_speed"
echo "  target peak RSS < 200 MB: $verdict_rss"
