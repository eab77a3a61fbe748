"""Temporary files beside their target, for writes that replace a file atomically.

``tempfile.mkstemp`` creates files with mode 0600 whatever the umask, so a Prediction.csv or a
model renamed from one could not be read by the SCADA import or a colleague's account. These are
created like any other file the program writes: 0666 less the user's umask.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def temp_beside(path: Path) -> tuple[int, Path]:
    """Create a new hidden temporary file next to ``path``; return its descriptor and name."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {path}")
