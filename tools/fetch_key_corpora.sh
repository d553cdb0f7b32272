#!/usr/bin/env bash
# Fetches real source code for the key property tests and the keys benchmark
# (bench/keys_langs.sh) into a cache directory, one folder per source:
#
#   javascript: lodash, express (npm)
#   typescript: rxjs, zod (npm; sources shipped as .ts)
#   tsx:        @tanstack/react-query (npm; ships src/*.tsx)
#   go:         the Go 1.19 standard library (Debian golang-1.19-src)
#   rust:       crates of this workspace's Cargo.lock (cargo's registry cache)
#   java:       @capacitor/android (npm; Java sources), OpenJDK 17's
#               java.base/java/{util,lang,io} (Debian openjdk-17-source)
#
# Usage: tools/fetch_key_corpora.sh [DIR]
#   DIR  default: $STABLEGATE_KEYS_CORPORA, else ~/.cache/stablegate-key-corpora
#
# Every source is fetched with its registry's ordinary client (npm pack,
# apt-get download, cargo fetch) at a pinned version; a source already in DIR
# is kept. A source that cannot be fetched is reported and skipped; the exit
# status is 1 if any was. The tests find DIR through STABLEGATE_KEYS_CORPORA
# (or the default above).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-${STABLEGATE_KEYS_CORPORA:-$HOME/.cache/stablegate-key-corpora}}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
failed=0

note() { printf '%s\n' "$*" >&2; }

# npm_source DEST SPEC: unpacks the npm package SPEC into DEST.
npm_source() {
    local dest="$1" spec="$2"
    [[ -d "$dir/$dest" ]] && return 0
    local tmp
    tmp="$(mktemp -d)"
    if (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>&1) &&
        mkdir -p "$tmp/out" && tar xzf "$tmp"/*.tgz -C "$tmp/out"; then
        mkdir -p "$(dirname "$dir/$dest")"
        mv "$tmp/out/package" "$dir/$dest"
        note "fetched $dest ($spec)"
    else
        note "could not fetch $spec"
        failed=1
    fi
    rm -rf "$tmp"
}

# deb_source DEST PACKAGE: unpacks the Debian package into DEST (not installed).
deb_source() {
    local dest="$1" package="$2"
    [[ -d "$dir/$dest" ]] && return 0
    local tmp
    tmp="$(mktemp -d)"
    if (cd "$tmp" && apt-get download -qq "$package" >/dev/null 2>&1) &&
        dpkg-deb -x "$tmp"/*.deb "$tmp/out"; then
        mkdir -p "$(dirname "$dir/$dest")"
        mv "$tmp/out" "$dir/$dest"
        note "fetched $dest ($package)"
    else
        note "could not fetch $package (run apt-get update first?)"
        failed=1
    fi
    rm -rf "$tmp"
}

npm_source javascript/lodash lodash@4.17.21
npm_source javascript/express express@4.21.2
npm_source typescript/rxjs rxjs@7.8.1
npm_source typescript/zod zod@3.23.8
npm_source tsx/react-query @tanstack/react-query@5.59.0
npm_source java/capacitor @capacitor/android@6.1.2

deb_source go/golang-1.19-src golang-1.19-src

# OpenJDK ships its sources as one zip; keep three packages of java.base.
if [[ ! -d "$dir/java/openjdk-17" ]]; then
    tmp="$(mktemp -d)"
    if (cd "$tmp" && apt-get download -qq openjdk-17-source >/dev/null 2>&1) &&
        dpkg-deb -x "$tmp"/*.deb "$tmp/out"; then
        zip="$(find "$tmp/out" -name src.zip | head -1)"
        mkdir -p "$dir/java/openjdk-17"
        if [[ -n "$zip" ]] && python3 - "$zip" "$dir/java/openjdk-17" <<'PY'
import sys, zipfile
src, dest = sys.argv[1], sys.argv[2]
keep = ("java.base/java/util/", "java.base/java/lang/", "java.base/java/io/")
with zipfile.ZipFile(src) as z:
    for name in z.namelist():
        if name.startswith(keep) and name.endswith(".java"):
            z.extract(name, dest)
PY
        then
            note "fetched java/openjdk-17 (openjdk-17-source)"
        else
            rm -rf "$dir/java/openjdk-17"
            note "could not unpack openjdk-17-source"
            failed=1
        fi
    else
        note "could not fetch openjdk-17-source (run apt-get update first?)"
        failed=1
    fi
    rm -rf "$tmp"
fi

# Rust: crates this workspace already depends on, at their locked versions.
if [[ ! -d "$dir/rust" ]]; then
    (cd "$repo" && cargo fetch --quiet) || failed=1
    registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
    mkdir -p "$dir/rust.tmp"
    for crate in serde_json regex-syntax toml_edit clap_builder ignore rayon-core proptest tree-sitter; do
        version="$(awk -v n="$crate" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$repo/Cargo.lock")"
        src="$(ls -d "$registry"/*/"$crate-$version" 2>/dev/null | head -1)"
        if [[ -n "$version" && -d "$src" ]]; then
            cp -r "$src" "$dir/rust.tmp/"
        else
            note "could not find crate $crate $version in $registry"
            failed=1
        fi
    done
    mv "$dir/rust.tmp" "$dir/rust"
    note "fetched rust (crates of Cargo.lock)"
fi

echo "$dir"
exit "$failed"
