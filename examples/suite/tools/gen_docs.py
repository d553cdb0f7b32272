"""Writes one Markdown page per module of src/shop into the directory given."""

import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for folder, dirs, files in os.walk("src/shop"):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".py") and name != "__init__.py":
            module = os.path.join(folder, name)[len("src/"):-3].replace(os.sep, ".")
            with open(os.path.join(out, module + ".md"), "w", encoding="utf-8") as page:
                page.write(f"# {module}\n")
