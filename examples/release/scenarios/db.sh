#!/bin/sh
# Runs one SQL statement against state.db and prints the rows, `|`-separated
# (python3's sqlite3, so no sqlite3 binary is needed).
exec python3 -c '
import sqlite3, sys
db = sqlite3.connect("state.db")
for row in db.execute(sys.argv[1]):
    print("|".join("NULL" if v is None else str(v) for v in row))
db.commit()
' "$1"
