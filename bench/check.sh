#!/usr/bin/env bash
# Speed and memory of `stablegate check` against its peers, on three kinds of
# tree, in one run:
#   stdlib      the Python standard library (site-packages left out)
#   json_heavy  the files of site-packages holding both words `json` and
#               `load`: a tree where a selective rule's words are common but
#               its code is rare (the prefilter must test adjacency)
#   big         stdlib and site-packages together (3M+ lines)
# and two rules: `json.load($F)` (selective) and `$F($$$A)` (everywhere).
#
# Usage: bench/check.sh [KIND...]      (default: stdlib json_heavy big)
#   RUNS   runs per measurement, the best wall time counts (default 2)
#
# Sides, each timed with /usr/bin/time (wall seconds, peak RSS):
#   ast_grep   `ast-grep scan -r RULE.yml --json=stream` (the reference)
#   cold_json  `stablegate --no-cache --format json check` (findings, keys,
#              verdicts, a JSON report)
#   cold_human the same, default human output
#   cold_q     the same, `-q`
#   cold_cache `stablegate -q check` with an empty cache directory (what
#              filling the cache costs a cold run: hashing and writing)
#   warm_q     `stablegate -q check` with the cache filled by a previous run
#   ruff       `ruff check --no-cache --exit-zero -q` with ruff's default
#              rules (a peer's whole lint over the same tree, for scale)
# Ratios printed: ast-grep / cold_json (> 1: stablegate faster), warm_q /
# cold_q, cold_cache / cold_q, cold_human / cold_json, cold_q / cold_json,
# ruff / cold_json.
# Targets (issue 17): selective >= 3x ast-grep on json_heavy, everywhere
# >= 1.5x; warm <= 10% of cold; human and -q within 1.2x of json; peak RSS
# < 200 MB for the everywhere rule over stdlib.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-2}"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
kinds=("$@")
[[ ${#kinds[@]} -eq 0 ]] && kinds=(stdlib json_heavy big)

stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
site="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== building (release)"
(cd "$repo" && cargo build --release --quiet -p stablegate)
stablegate="$target/release/stablegate"

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
ruff="$(command -v ruff || true)"
version() { if [[ -n "$1" ]]; then "$1" --version | head -1; else echo absent; fi; }
echo "== ast-grep: $(version "$ast_grep"); ruff: $(version "$ruff"); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# copy FROM TO [FILTER]: the .py files of FROM (site-packages and
# __pycache__ left out) into TO, keeping paths; FILTER: only files holding
# both `json` and `load`.
copy() {
    local from="$1" to="$2" filter="${3:-}"
    mkdir -p "$to"
    (cd "$from" && find . \( -name site-packages -o -name __pycache__ \) -prune -o -name '*.py' -type f -print0 |
        if [[ -n "$filter" ]]; then xargs -0 grep -lZ 'json' | xargs -0 grep -lZ 'load'; else cat; fi |
        tar --null -cf - -T - | tar -xf - -C "$to")
}

make_tree() {
    local kind="$1" dir="$work/$1"
    case "$kind" in
        stdlib) copy "$stdlib" "$dir" ;;
        json_heavy) copy "$site" "$dir" filter ;;
        big) copy "$stdlib" "$dir/stdlib" && copy "$site" "$dir/site" ;;
        *) echo "unknown tree kind: $kind" >&2; exit 2 ;;
    esac
    declare -A patterns=([json_load]='json.load($F)' [calls]='$F($$$A)')
    mkdir -p "$dir/rules"
    for rule in json_load calls; do
        printf 'id: %s\nlanguage: python\nrule:\n  pattern: %s\n' "$rule" "${patterns[$rule]}" >"$dir/rules/$rule.yml"
        printf '[[gate]]\nname = "%s"\nrule_file = "rules/%s.yml"\n' "$rule" "$rule" >"$dir/$rule.toml"
    done
}

# measure OUT CMD...: runs CMD (stdout to OUT), prints "WALL_S MAXRSS_KB";
# exit 1 (a red gate) is a normal outcome.
measure() {
    local out="$1"
    shift
    local status=0
    /usr/bin/time -o "$out.time" -f '%e %M' "$@" >"$out" 2>"$out.err" || status=$?
    if [[ "$status" -gt 1 ]]; then
        echo "failed (exit status $status): $*" >&2
        tail -20 "$out.err" >&2
        exit 3
    fi
    tail -1 "$out.time"
}

side() {
    local side="$1" dir="$2" rule="$3"
    local sg=("$stablegate" --root "$dir" --config "$dir/$rule.toml")
    case "$side" in
        ast_grep) (cd "$dir" && "$ast_grep" scan -r "rules/$rule.yml" --json=stream .) ;;
        cold_json) "${sg[@]}" --no-cache --format json check ;;
        cold_human) "${sg[@]}" --no-cache check ;;
        cold_q) "${sg[@]}" --no-cache -q check ;;
        cold_cache) rm -rf "$work/cold-cache" && "${sg[@]}" --cache-dir "$work/cold-cache" -q check ;;
        warm_q) "${sg[@]}" --cache-dir "$work/cache" -q check ;;
        ruff) "$ruff" check --no-cache --exit-zero -q "$dir" ;;
    esac
}
export -f side
export stablegate ast_grep ruff work

sides=(cold_json cold_human cold_q cold_cache warm_q)
[[ -n "$ast_grep" ]] && sides=(ast_grep "${sides[@]}")
[[ -n "$ruff" ]] && sides+=(ruff)

printf '%-10s %-10s %-10s %8s %8s\n' tree rule side wall_s rss_mb
for kind in "${kinds[@]}"; do
    make_tree "$kind"
    dir="$work/$kind"
    lines=$(find "$dir" -name '*.py' -print0 | xargs -0 cat | wc -l)
    echo "== $kind: $(find "$dir" -name '*.py' | wc -l) files, $lines lines, $(du -sm "$dir" | cut -f1) MB"
    for rule in json_load calls; do
        rm -rf "$work/cache"
        side warm_q "$dir" "$rule" >/dev/null 2>&1 || true # fills the cache
        for s in "${sides[@]}"; do
            [[ "$s" == ruff && "$rule" == calls ]] && continue # the same run as for json_load
            best=""
            for ((i = 1; i <= runs; i++)); do
                out="$work/out.$kind.$rule.$s.$i"
                read -r wall rss < <(measure "$out" bash -c 'side "$@"' _ "$s" "$dir" "$rule")
                if [[ -z "$best" ]] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
                    best="$wall $rss"
                fi
            done
            read -r wall rss <<<"$best"
            printf '%-10s %-10s %-10s %8s %8.1f\n' "$kind" "$rule" "$s" "$wall" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
            eval "wall_${kind}_${rule}_${s}=$wall"
        done
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo "== ratios"
printf '%-10s %-10s %10s %10s %10s %10s %10s %10s\n' tree rule 'sg/json' 'warm/cold' 'fill/cold' 'human/json' 'q/json' 'ruff/json'
for kind in "${kinds[@]}"; do
    for rule in json_load calls; do
        v() { local n="wall_${kind}_${rule}_$1"; echo "${!n:-0}"; }
        r() { local n="wall_${kind}_json_load_ruff"; echo "${!n:-0}"; }
        printf '%-10s %-10s %10s %10s %10s %10s %10s %10s\n' "$kind" "$rule" \
            "$(ratio "$(v ast_grep)" "$(v cold_json)")" "$(ratio "$(v warm_q)" "$(v cold_q)")" \
            "$(ratio "$(v cold_cache)" "$(v cold_q)")" \
            "$(ratio "$(v cold_human)" "$(v cold_json)")" "$(ratio "$(v cold_q)" "$(v cold_json)")" \
            "$(ratio "$(r)" "$(v cold_json)")"
    done
done
