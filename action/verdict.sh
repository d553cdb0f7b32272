#!/usr/bin/env bash
# The GitHub Action's last step (action.yml): fail the job unless the check
# step recorded exit code 0. A missing code (the check step itself broke) is
# a failure too: the action fails closed.
set -euo pipefail

code="${STABLEGATE_EXIT:-}"
case "$code" in
    0) echo "stablegate: every gate is green" ;;
    1) echo "::error::stablegate: at least one gate is red"; exit 1 ;;
    "") echo "::error::stablegate: the check step recorded no exit code"; exit 2 ;;
    *) echo "::error::stablegate could not decide (exit $code)"; exit "$code" ;;
esac
