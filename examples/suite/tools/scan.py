"""A detector: one JSON Lines record per `print(` call and per HTTP call
through `requests` under src/, with its rule id (`print` or `http`)."""

import json
import os
import re
import sys

PRINT = re.compile(r"^[^#]*\bprint\s*\(")
HTTP = re.compile(r"^[^#]*\brequests\s*\.\s*\w+\s*\(")

for folder, dirs, files in os.walk("src"):
    dirs.sort()
    for name in sorted(files):
        if not name.endswith(".py"):
            continue
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                for rule, pattern in (("print", PRINT), ("http", HTTP)):
                    if pattern.search(line):
                        record = {"file": path, "line": number, "rule": rule,
                                  "message": f"{rule} found"}
                        sys.stdout.write(json.dumps(record) + "\n")
