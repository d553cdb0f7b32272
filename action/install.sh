#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts a `stablegate` on PATH
# for the next steps. STABLEGATE_VERSION is `source` (pip-install the action's
# own checkout, STABLEGATE_SOURCE), a PyPI version, or `installed` (use the
# one on PATH). Installs go into a virtual environment under RUNNER_TEMP, so
# the runner's Python is left alone (PEP 668).
set -euo pipefail

version="${STABLEGATE_VERSION:-source}"
if [ "$version" = installed ]; then
    if ! command -v stablegate >/dev/null 2>&1; then
        echo "::error::version: installed, but there is no stablegate on PATH"
        exit 1
    fi
    stablegate --version
    exit 0
fi

python=python3
command -v "$python" >/dev/null 2>&1 || python=python
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/stablegate-venv"
"$python" -m venv "$venv"
bin="$venv/bin"
[ -d "$venv/Scripts" ] && bin="$venv/Scripts"

case "$version" in
    source)
        if [ -z "${STABLEGATE_SOURCE:-}" ]; then
            echo "::error::version: source, but STABLEGATE_SOURCE names no checkout"
            exit 1
        fi
        "$bin/python" -m pip install --quiet --disable-pip-version-check "$STABLEGATE_SOURCE"
        ;;
    *)
        "$bin/python" -m pip install --quiet --disable-pip-version-check "stablegate==$version"
        ;;
esac

if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$bin" >>"$GITHUB_PATH"
fi
"$bin/stablegate" --version
