"""stablegate: CI gates you can trust.

The wheel ships the `stablegate` executable (a Rust binary, installed next to
the Python interpreter's scripts); this package only finds it, so that
`python -m stablegate` works wherever `pip` put it.
"""

from __future__ import annotations

import os
import sys
import sysconfig

__all__ = ["find_stablegate_bin"]


def _candidates(exe: str) -> list[str]:
    dirs = [sysconfig.get_path("scripts")]
    if sys.version_info >= (3, 10):
        user = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user = "nt_user"
    elif sys.platform == "darwin" and getattr(sys, "_framework", None):
        user = "osx_framework_user"
    else:
        user = "posix_user"
    dirs.append(sysconfig.get_path("scripts", scheme=user))
    # `pip install --target DIR` puts the package in DIR and scripts in DIR/bin.
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dirs.append(os.path.join(package_parent, "bin"))
    return [os.path.join(d, exe) for d in dirs if d]


def find_stablegate_bin() -> str:
    """Return the path of the installed `stablegate` executable."""
    exe = "stablegate" + (sysconfig.get_config_var("EXE") or "")
    candidates = _candidates(exe)
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        "the stablegate executable is not installed next to this Python package; looked in: "
        + ", ".join(candidates)
    )
