#!/usr/bin/env bash
# The GitHub Action's check step (action.yml): runs `stablegate check` with
# workflow annotations on standard output and a SARIF report in INPUT_SARIF,
# and records the exit code as the step output `exit-code` (0 green, 1 red,
# 2 undecided) instead of failing here, so that the SARIF upload still runs;
# the last step of the action fails the job.
#
# The SARIF report comes from the same run, `check --output sarif:PATH`
# (SPEC §12.5): the annotations and the report describe one run.
# `--format github` appends the step summary itself (SPEC §12.5); when it
# could not (exit 2 before any report), this script appends a one-line
# verdict so the summary is never empty.
set -uo pipefail

global=(--root "${INPUT_ROOT:-.}")
if [ -n "${INPUT_CONFIG:-}" ]; then
    global+=(--config "$INPUT_CONFIG")
fi
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
    read -r -a extra <<<"$INPUT_ARGS"
fi
sarif="${INPUT_SARIF:-stablegate.sarif}"
summary="${GITHUB_STEP_SUMMARY:-}"
summary_before=0
if [ -n "$summary" ] && [ -f "$summary" ]; then
    summary_before=$(wc -c <"$summary")
fi

# `${extra[@]+…}`: an empty array under `set -u` in bash 3.2 (macOS runners).
stablegate "${global[@]}" --format github check --output "sarif:$sarif" ${extra[@]+"${extra[@]}"}
code=$?

written=""
if [ -s "$sarif" ]; then
    written="$sarif"
else
    rm -f "$sarif"
fi

if [ -n "$summary" ]; then
    summary_after=0
    [ -f "$summary" ] && summary_after=$(wc -c <"$summary")
    if [ "$summary_after" -eq "$summary_before" ]; then
        case "$code" in
            0) verdict="pass: every gate is green" ;;
            1) verdict="FAIL: at least one gate is red (see the annotations)" ;;
            *) verdict="could not decide (exit $code): see the step's log" ;;
        esac
        printf '### stablegate check\n\n%s\n' "$verdict" >>"$summary"
    fi
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "exit-code=$code"
        echo "sarif=$written"
    } >>"$GITHUB_OUTPUT"
fi
exit 0
