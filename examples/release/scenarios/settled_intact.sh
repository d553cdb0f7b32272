#!/bin/sh
# Scenario 2: the settled orders are all there. Writes its own verdict to
# the result file, with details, instead of relying on the exit code.
set -eu
settled=$(sh scenarios/db.sh "select count(*) from orders where status = 'settled'")
if [ "$settled" = 2 ]; then
  printf '{"status": "pass", "failure_mode": null, "details": {"settled": %s}}\n' "$settled" > "$STABLEGATE_RESULT_FILE"
else
  printf '{"status": "fail", "failure_mode": "settled_orders_changed", "details": {"settled": %s}}\n' "$settled" > "$STABLEGATE_RESULT_FILE"
fi
