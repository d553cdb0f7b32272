"""`python -m stablegate ARGS`: run the installed executable with ARGS."""

from __future__ import annotations

import os
import sys

from stablegate import find_stablegate_bin


def main() -> None:
    exe = os.fsdecode(find_stablegate_bin())
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.run([exe, *sys.argv[1:]]).returncode)
    os.execv(exe, [exe, *sys.argv[1:]])


if __name__ == "__main__":
    main()
