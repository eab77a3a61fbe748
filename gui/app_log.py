"""The window's log file and its handler of unexpected errors."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("watchkeeper")


def setup_logging(data_dir: Path) -> Path:
    """Log to ``watchkeeper.log`` in the data folder (rotated at 2 MB, three kept)."""
    path = data_dir / "watchkeeper.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.watchkeeper_log = True
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "watchkeeper_log", False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def install_excepthook(unexpected: Callable[[BaseException], None]) -> None:
    """An error no code expected is logged with its traceback and handed to ``unexpected`` (the
    window says so once); monitoring goes on. Ctrl+C, an exit or a test's time-out pass through."""
    previous = sys.excepthook

    def hook(kind, value, tb) -> None:
        if not issubclass(kind, Exception):
            previous(kind, value, tb)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        unexpected(value)

    sys.excepthook = hook
