#!/usr/bin/env bash
# Memory and time of `stablegate check` on hostile inputs (SPEC §12.6: memory
# stays proportional to the input; per-file work is linear).
#
# Usage: bench/memory.sh
#   CAP_MB      address-space cap for each run (ulimit -v), default 2048; a
#               run that needs more aborts (exit 134) and is reported
#   SKIP_BUILD=1  use the binary already built
#
# Cases, each a temporary project with one `$A.$B` gate (or one audit):
#   one_line    one 150 KB line holding 10,000 findings (every finding's
#               token is that line's: shared, not copied); `--format json`
#               (the document is 1.9 GB: it is streamed to /dev/null)
#   one_file    one file with 80,000 findings, one per line (per-file work
#               must be linear), `--format human` (code frames look up one
#               line per item) and `--format json`
#   same_key    one file with 80,000 findings of one content key
#   audit_rows  an audit whose inventory has 100,000 rows for one file
#   allowed     one_file with 80,000 allowlist entries in one scope (green)
#   stale_all   the same entries all stale beside 80,000 violations
# Prints per case: exit status, wall time, CPU time (user + system: the
# machine may be shared, and wall time then says little), peak RSS (from
# /usr/bin/time -v) and the target (on CPU time and RSS). Exit status 0
# unless a case misses its target.
#
# Measured 2026-12-06 (2 shared cores, load ~8, after the merge of main):
#   case        format  exit  wall_s   cpu_s   rss_mb
#   one_line    json       1    2.56    1.67     73.2
#   one_file    human      1    1.58    1.10    172.6
#   one_file    json       1    0.81    0.55    172.1
#   same_key    json       1    0.69    0.48    150.2
#   audit_rows  json       0    1.47    0.99    248.1
#   allowed     json       0    2.33    1.59    406.9
#   stale_all   json       1    2.50    1.64    420.3
# (before shared strings, one_line took 4.1 GB and aborted under a 2 GB cap.)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
bin="$target/release/stablegate"
cap_mb="${CAP_MB:-2048}"

if [[ -z "${SKIP_BUILD:-}" ]]; then
    echo "== building stablegate (release)"
    (cd "$repo" && cargo build --release -p stablegate --quiet)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

gate_config() {
    printf '[[gate]]\nname = "attribute"\npattern = "$A.$B"\nlanguage = "python"\npaths = ["src"]\n' >"$1/stablegate.toml"
}

# one_line: `x = [o.attr_00000, o.attr_00001, ...]` on one line.
mkdir -p "$work/one_line/src"
gate_config "$work/one_line"
python3 - "$work/one_line/src/wide.py" <<'EOF'
import sys
items = ", ".join(f"obj.attr_{i:05d}" for i in range(10_000))
open(sys.argv[1], "w").write(f"x = [{items}]\n")
EOF

# one_file: 80,000 lines `v00000 = obj.a00000`, each a finding with its own key.
mkdir -p "$work/one_file/src"
gate_config "$work/one_file"
python3 - "$work/one_file/src/long.py" <<'EOF'
import sys
with open(sys.argv[1], "w") as out:
    for i in range(80_000):
        out.write(f"v{i:05d} = obj.a{i:05d}\n")
EOF

# same_key: 80,000 lines `x = obj.attr`: one content key, 80,000 sites.
mkdir -p "$work/same_key/src"
gate_config "$work/same_key"
python3 - "$work/same_key/src/same.py" <<'EOF'
import sys
with open(sys.argv[1], "w") as out:
    out.write("x = obj.attr\n" * 80_000)
EOF

# audit_rows: 100,000 sinks in one file and an inventory row for each.
mkdir -p "$work/audit_rows/src"
cat >"$work/audit_rows/stablegate.toml" <<'EOF'
[[gate]]
name = "sinks"
pattern = "sink($X)"
language = "python"
paths = ["src"]

[[audit]]
name = "sink_rows"
gate = "sinks"
inventory = "inventory.md"
columns = { locator = "file:line", qualname = "qualname", token = "token" }
EOF
python3 - "$work/audit_rows" <<'EOF'
import sys
root = sys.argv[1]
rows = ["| file:line | qualname | token |", "| --- | --- | --- |"]
with open(f"{root}/src/m.py", "w") as out:
    for i in range(100_000):
        out.write(f"sink(v{i:05d})\n")
        rows.append(f"| src/m.py:{i + 1} | <module> | `sink ( v{i:05d} )` |")
open(f"{root}/inventory.md", "w").write("# Sinks\n\n" + "\n".join(rows) + "\n")
EOF

# allowed / stale_all: one_file's 80,000 sites with an allowlist of 80,000
# entries in one scope, every entry covering its site (green), or every
# entry stale beside a violation (a mass edit: pairing must stay bounded).
for name in allowed stale_all; do
    mkdir -p "$work/$name/src"
    cp "$work/one_file/src/long.py" "$work/$name/src/"
    gate_config "$work/$name"
    printf 'allowlist = "allow.yaml"\n' >>"$work/$name/stablegate.toml"
done
python3 - "$work" <<'EOF'
import sys
work = sys.argv[1]
for name, var in (("allowed", "v"), ("stale_all", "w")):
    with open(f"{work}/{name}/allow.yaml", "w") as out:
        out.write("attribute:\n")
        for i in range(80_000):
            out.write(f"- file: src/long.py\n  qualname: <module>\n  token: \"{var}{i:05d} = obj . a{i:05d}\"\n  rationale: bench\n")
EOF

# run CASE FORMAT ARGS...: runs stablegate in the case's project under the
# cap, standard output to /dev/null; prints "STATUS WALL_S CPU_S RSS_MB".
run() {
    local name="$1" format="$2"
    shift 2
    local status=0 time="$work/$name.$format.time"
    (
        ulimit -v $((cap_mb * 1024))
        exec /usr/bin/time -v -o "$time" "$bin" --root "$work/$name" --format "$format" "$@"
    ) >/dev/null 2>"$work/$name.err" || status=$?
    local wall cpu rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$time" 2>/dev/null || true)
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$time" 2>/dev/null || true)
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$time" 2>/dev/null || true)
    echo "$status ${wall:-?} ${cpu:-?} ${rss:-?}"
}

missed=0
printf '%-11s %-6s %5s %7s %7s %8s  %s\n' case format exit wall_s cpu_s rss_mb target
report() {
    local name="$1" format="$2" max_s="$3" max_mb="$4" expect="$5"
    shift 5
    read -r status wall cpu rss < <(run "$name" "$format" "$@")
    local verdict="met"
    if [[ "$status" != "$expect" || "$cpu" == "?" || "$rss" == "?" ]] ||
        awk -v c="$cpu" -v r="$rss" -v mc="$max_s" -v mr="$max_mb" 'BEGIN { exit !(c > mc || r > mr) }'; then
        verdict="MISSED"
        missed=1
        tail -3 "$work/$name.err" >&2 || true
    fi
    printf '%-11s %-6s %5s %7s %7s %8s  exit %s, cpu < %s s, < %s MB: %s\n' \
        "$name" "$format" "$status" "$wall" "$cpu" "$rss" "$expect" "$max_s" "$max_mb" "$verdict"
}

# Red gates (no allowlist): exit 1 is the expected outcome.
report one_line json 2 200 1 check
report one_file human 10 400 1 check
report one_file json 10 400 1 check
report same_key json 10 400 1 check
report audit_rows json 10 400 0 audit
report allowed json 10 600 0 check
report stale_all json 10 600 1 check

exit "$missed"
