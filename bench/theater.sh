#!/usr/bin/env bash
# Cost of the theater triad against `check`, on a gate with 100 allowlisted
# sites over the Python standard library (SPEC §7; issue: the triad must cost
# at most a few `check` runs).
#
# Usage: bench/theater.sh [CORPUS_DIR]
#   CORPUS_DIR  default: the stdlib of python3, site-packages left out
#   RUNS        runs per command, the best one counts (default 3)
#   SITES       allowlisted entries (default 100)
#
# The corpus's .py files are copied into a temporary project with one gate,
# `warnings.warn($$$ARGS)`; `stablegate allow` accepts every site, then the allowlist
# is cut to its first SITES entries (the rest stay violations: the gate is red,
# which the triad judges against, as it does for any gate). Prints the best
# wall time of `check` and of `theater` (drift: 1 run; content: every
# entry edited at once: 1 run; non-vacuity: 1 run), the triad's legs, and the ratio
# theater/check; then the detector runs of a `command` gate's triad for 2, 7 and
# 30 sites (at most 4 each; exit 1 otherwise).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
sites="${SITES:-100}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
corpus="${1:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
corpus="$(cd "$corpus" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
project="$work/project"
mkdir -p "$project"

echo "== building (release)"
(cd "$repo" && cargo build --release --quiet -p stablegate)
stablegate="$target/release/stablegate"

echo "== corpus: $corpus (site-packages left out), copied to a temporary project"
(cd "$corpus" && find . -path ./site-packages -prune -o -name '*.py' -type f -print0 |
    tar --null -cf - -T - | tar -xf - -C "$project")
echo "   $(find "$project" -name '*.py' | wc -l) .py files"

cat >"$project/stablegate.toml" <<'TOML'
[[gate]]
name = "warn_calls"
pattern = "warnings.warn($$$ARGS)"
allowlist = "allow.yaml"
on_parse_error = "warn"
TOML
env -u CI "$stablegate" --root "$project" --quiet allow warn_calls --reason "bench" >/dev/null
python3 - "$project/allow.yaml" "$sites" <<'PY'
import sys
path, keep = sys.argv[1], int(sys.argv[2])
head, *entries = open(path).read().split("\n- ")
entries = entries[:keep]
open(path, "w").write("\n- ".join([head, *entries]).rstrip("\n") + "\n")
print(f"   allowlist: {len(entries)} entries")
PY

best() {
    local best="" start end ms status
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        status=0
        "$@" >/dev/null || status=$?
        end=$(date +%s%N)
        [[ "$status" -le 1 ]] || { echo "command failed ($status): $*" >&2; exit 2; }
        ms=$(((end - start) / 1000000))
        if [[ -z "$best" || "$ms" -lt "$best" ]]; then best="$ms"; fi
    done
    echo "$best"
}

check_ms=$(best "$stablegate" --root "$project" --format json check)
theater_ms=$(best "$stablegate" --root "$project" --format json theater)
echo "== legs"
"$stablegate" --root "$project" theater | sed -n '1,4p' | cut -c1-110 || true
echo "== results (best of $runs)"
printf '   check     %6d ms\n' "$check_ms"
printf '   theater   %6d ms\n' "$theater_ms"
awk -v t="$theater_ms" -v c="$check_ms" 'BEGIN { printf "   ratio theater/check: %.1f (the triad costs %.1f check runs)\n", t / c, t / c }'

# ---------------------------------------------------------------------------
# Detector runs of a `command` gate's triad (issue 16 item 9): the unmutated
# run, drift, content (every entry edited in one view) and non-vacuity; at
# most 4 whatever the number of allowlisted sites. The detector sleeps
# DETECTOR_SLEEP seconds (default 0.5) to stand for a slow scanner and
# appends a line to a counter file at each run.
echo "== command gate: detector runs of the triad"
sleep_s="${DETECTOR_SLEEP:-0.5}"
status=0
for n in 2 7 30; do
    cmd="$work/cmd-$n"
    mkdir -p "$cmd/src" "$cmd/tools"
    counter="$work/runs-$n.txt"
    {
        echo "import json"
        for i in $(seq "$n"); do printf '\n\ndef load_%d(f):\n    return json.load(f)\n' "$i"; done
    } >"$cmd/src/a.py"
    cat >"$cmd/tools/finder.py" <<'PY'
import json, pathlib
for path in sorted(pathlib.Path("src").rglob("*.py")):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if "json.load(" in line:
            print(json.dumps({"file": str(path), "line": number}))
PY
    cat >"$cmd/stablegate.toml" <<TOML
[[gate]]
name = "loads"
paths = ["src"]
command = "echo run >> '$counter'; sleep $sleep_s; python3 tools/finder.py"
allowlist = "allow.yaml"
TOML
    env -u CI "$stablegate" --root "$cmd" --quiet allow loads --reason bench >/dev/null
    rm -f "$counter"
    start=$(date +%s%N)
    "$stablegate" --root "$cmd" --quiet theater || { echo "theater failed on $n sites" >&2; exit 2; }
    end=$(date +%s%N)
    count=$(wc -l <"$counter")
    printf '   %3d sites: %d detector runs, %6d ms\n' "$n" "$count" $(((end - start) / 1000000))
    [[ "$count" -le 4 ]] || { echo "   FAIL: more than 4 detector runs" >&2; status=1; }
done
exit "$status"
