#!/usr/bin/env bash
# Fuzzes stablegate's readers with cargo-fuzz (libFuzzer), one target after
# the other, and prints what each run did. See docs/fuzzing.md.
#
# Usage: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 60
#   TARGET              default: every target of fuzz/Cargo.toml, in order
#
# Environment:
#   FUZZ_TARGET_DIR     cargo target dir of the fuzz build (default
#                       fuzz/target); the working corpora live in
#                       $FUZZ_TARGET_DIR/corpus/TARGET, the crash inputs in
#                       $FUZZ_TARGET_DIR/artifacts/TARGET, the logs in
#                       $FUZZ_TARGET_DIR/logs/TARGET.log
#   FUZZ_PYTHON_SEEDS   a directory of .py files: up to 400 of them (at most
#                       8 KiB each) join python_keys' working corpus
#   FUZZ_NO_BUILD=1     skip the build (the binaries must exist)
#   FUZZ_ARGS           more libFuzzer flags (e.g. -max_len=65536)
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# One libFuzzer process runs at a time (no -jobs/-workers/-fork): run the
# script under `nice -n 19` on a shared machine. The committed seeds
# (fuzz/corpus/TARGET) are read, never written. Each target runs with
# -timeout=10 (an input slower than 10 s is a bug: stablegate must never
# hang) and -rss_limit_mb=2048. Exit status: 0 when no target crashed,
# timed out or ran out of memory; 1 otherwise; 2 for bad usage.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz="$repo/fuzz"
seconds="${1:-60}"
case "$seconds" in
  '' | *[!0-9]*) echo "usage: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac
[ $# -gt 0 ] && shift
all_targets=$(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' "$fuzz/Cargo.toml" | grep -v '^stablegate-fuzz$' || true)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && read -r -a targets <<< "$(echo $all_targets)"
for target in "${targets[@]}"; do
  if ! grep -qx "$target" <<< "$all_targets"; then
    echo "tools/fuzz.sh: no fuzz target \`$target\` (targets: $(echo $all_targets))" >&2
    exit 2
  fi
done

target_dir="${FUZZ_TARGET_DIR:-$fuzz/target}"
mkdir -p "$target_dir"
target_dir="$(cd "$target_dir" && pwd)"
bin_dir="$target_dir/x86_64-unknown-linux-gnu/release"

if [ "${FUZZ_NO_BUILD:-}" != 1 ]; then
  echo "== building the fuzz targets (cargo +nightly fuzz build)"
  # One target: build that one only; several: build them all at once.
  only=()
  [ ${#targets[@]} -eq 1 ] && only=("${targets[0]}")
  (cd "$repo" && cargo +nightly fuzz build --target-dir "$target_dir" "${only[@]}")
fi

# The dictionary of each target.
dict_of() {
  case "$1" in
    python_keys) echo python ;;
    config) echo toml ;;
    allowlist) echo yaml ;;
    inventory) echo markdown ;;
    sarif | detector_output) echo json ;;
    manifest | state | run_result | bundle) echo release ;;
    junit) echo junit ;;
  esac
}

summary=()
failed=0
for target in "${targets[@]}"; do
  corpus="$target_dir/corpus/$target"
  artifacts="$target_dir/artifacts/$target"
  logs="$target_dir/logs"
  log="$logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$logs"
  if [ "$target" = python_keys ] && [ -n "${FUZZ_PYTHON_SEEDS:-}" ]; then
    # (`head` closes the pipe early: the pipeline's status is not an error.)
    { find "$FUZZ_PYTHON_SEEDS" -name '*.py' -size -8k -type f 2>/dev/null || true; } |
      sort | head -n 400 |
      while read -r file; do
        cp "$file" "$corpus/seed-$(sha1sum "$file" | cut -c1-16)"
      done || true
  fi
  seeds=()
  [ -d "$fuzz/corpus/$target" ] && seeds=("$fuzz/corpus/$target")
  dict="$fuzz/dict/$(dict_of "$target").dict"
  before=$(ls "$artifacts" | wc -l)
  echo "== $target: ${seconds}s (log: $log)"
  started=$(date +%s)
  status=0
  # ASan's one-definition-rule check trips on the grammar crates' duplicate
  # C symbols (tree-sitter's runtime linked twice through two -sys crates)
  # before the first input runs: a false alarm about the build, not a crash.
  # shellcheck disable=SC2086
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}" "$bin_dir/$target" "$corpus" "${seeds[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -dict="$dict" -artifact_prefix="$artifacts/" \
    ${FUZZ_ARGS:-} > "$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - started ))
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<< "$last")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
  crashes=$(( $(ls "$artifacts" | wc -l) - before ))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  if [ "$crashes" -ne 0 ]; then
    failed=1
    echo "   CRASH (exit $status): $(grep -E 'ERROR|panicked|Test unit written' "$log" | head -n 3 | tr '\n' ' ')"
  fi
  line=$(printf '%-16s %6ss %12s execs %8s exec/s  cov: %-6s ft: %-7s corp: %-12s rss: %5sMb  crashes: %s' \
    "$target" "$elapsed" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$crashes")
  echo "   $line"
  summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
