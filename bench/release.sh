#!/usr/bin/env bash
# Overhead of the release protocol and speed of `evidence verify`.
#
# Usage: bench/release.sh
#   RUNS   repetitions per measurement, the best one counts (default 3)
#   MB     size of each of the 4 large files in the verify bundle (default 128)
#
# 1. Protocol: release `noop` has a 1-run canary and a 20-run canary of the
#    same suite of 5 `true` scenarios (21 runs, 105 scenarios). The same 105
#    `sh -c true` are timed bare; the difference divided by 21 is the
#    protocol's cost per run beyond the scenarios (run ids, logs, result
#    files, run-<k>.json, latest.json, state.json, the seal). A 1-run-only
#    release gives the fixed cost of an attempt (versions, lock, mkdir, seal).
# 2. Verify: an attempt holding 4 files of MB MiB of random bytes;
#    `stablegate evidence verify` against `sha256sum -c MANIFEST.sha256` on
#    the same files, page cache warm; prints MB/s and the ratio.
# Exit status 0 unless a command fails.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
mb="${MB:-128}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
bin="$target/release/stablegate"

work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

echo "== building (release)"
(cd "$repo" && cargo build --release --quiet -p stablegate)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# best_ms CMD...: the best wall time of RUNS runs, in ms.
best_ms() {
    local best=999999999 start took
    for _ in $(seq "$runs"); do
        start=$(now_ms)
        "$@" >/dev/null
        took=$(( $(now_ms) - start ))
        (( took < best )) && best=$took
    done
    echo "$best"
}

project="$work/noop"
mkdir -p "$project"
suite='[release.RELEASE.suite.noop]
scenario = [
  { id = 1, name = "a", command = "true" },
  { id = 2, name = "b", command = "true" },
  { id = 3, name = "c", command = "true" },
  { id = 4, name = "d", command = "true" },
  { id = 5, name = "e", command = "true" },
]'
cat > "$project/stablegate.toml" <<TOML
[release.noop]
evidence_dir = "evidence"

[[release.noop.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "noop", runs = 1, evidence = "single" }

[[release.noop.stage]]
name = "twenty"
reaches = "TWENTY_RUNS_PASSED"
canary = { suite = "noop", runs = 20, evidence = "runs" }

${suite//RELEASE/noop}

[release.one]
evidence_dir = "evidence"

[[release.one.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "noop", runs = 1, evidence = "single" }

${suite//RELEASE/one}
TOML

bare() { for _ in $(seq 105); do sh -c true; done; }

echo "== protocol: 1 + 20 runs of 5 \`true\` scenarios (best of $runs)"
t_bare=$(best_ms bare)
t_all=$(best_ms "$bin" --root "$project" release run noop)
t_one=$(best_ms "$bin" --root "$project" release run one)
per_run=$(awk -v a="$t_all" -v b="$t_bare" 'BEGIN { printf "%.2f", (a - b) / 21 }')
marginal=$(awk -v a="$t_all" -v o="$t_one" -v b="$t_bare" 'BEGIN { printf "%.2f", ((a - o) - b * 20 / 21) / 20 }')
echo "   105 bare \`sh -c true\`:            ${t_bare} ms"
echo "   release run noop (21 runs):        ${t_all} ms"
echo "   release run one (1 run):           ${t_one} ms  (fixed cost of an attempt included)"
echo "   beyond the scenarios, per run:     ${per_run} ms  (attempt's fixed cost spread over 21 runs)"
echo "   marginal cost of one more run:     ${marginal} ms  (target: under 20 ms)"

echo "== verify: 4 files of $mb MiB (best of $runs, page cache warm)"
big="$work/big"
mkdir -p "$big"
cat > "$big/stablegate.toml" <<'TOML'
[release.big]
evidence_dir = "evidence"
tag = "big"

[[release.big.stage]]
name = "single"
reaches = "SINGLE_RUN_PASSED"
canary = { suite = "big", runs = 1, evidence = "single" }

[release.big.suite.big]
scenario = [
  { id = 1, name = "write", command = "for i in 1 2 3 4; do head -c \"${MB}M\" /dev/urandom > \"$STABLEGATE_ATTEMPT_DIR/big-$i.bin\"; done" },
]
TOML
MB="$mb" "$bin" --root "$big" release run big >/dev/null
attempt="$big/evidence/big-attempt1"
"$bin" evidence verify "$attempt" >/dev/null
t_verify=$(best_ms "$bin" evidence verify "$attempt")
t_sum=$(best_ms sh -c "cd '$attempt' && sha256sum -c --quiet MANIFEST.sha256")
total=$(( mb * 4 ))
echo "   stablegate evidence verify:        ${t_verify} ms  ($(awk -v m="$total" -v t="$t_verify" 'BEGIN { printf "%.0f", m * 1000 / t }') MiB/s)"
echo "   sha256sum -c MANIFEST.sha256:      ${t_sum} ms  ($(awk -v m="$total" -v t="$t_sum" 'BEGIN { printf "%.0f", m * 1000 / t }') MiB/s)"
echo "   ratio verify / sha256sum:          $(awk -v a="$t_verify" -v b="$t_sum" 'BEGIN { printf "%.2f", a / b }')"
