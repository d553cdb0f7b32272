#!/bin/sh
# Creates state.db (the "service" state the demo release probes) afresh.
set -eu
cd "$(dirname "$0")"
rm -f state.db
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("state.db")
db.executescript(open("schema.sql").read())
db.executemany("insert into orders values (?, ?, ?)", [(1, "ada", "settled"), (2, "grace", "settled")])
db.commit()
PY
echo "created $(pwd)/state.db"
