"""One window per database file: a second launch brings the running window to the front.

The window that holds a file serves requests on the engine's local channel (core.engine.ipc);
a second launch on the same file finds it there, asks it to come to the front and ends, instead
of showing a lock error. A file the headless recorder holds is taken over (core.engine.handover).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6 import QtCore, QtWidgets

log = logging.getLogger(__name__)


class WindowRaiser(QtCore.QObject):
    """Brings ``window`` to the front when another launch asks (from the channel's thread)."""

    raise_requested = QtCore.Signal()

    def __init__(self, window: QtWidgets.QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.raised = 0  # how many launches were sent here
        self.raise_requested.connect(self._raise)  # queued: the request comes on another thread

    def request(self, **_params) -> bool:
        """The channel's handler for Request.RAISE."""
        self.raise_requested.emit()
        return True

    def _raise(self) -> None:
        self.raised += 1
        log.info("brought to the front: Watchkeeper was started again on the same file")
        w = self.window
        if w.isMinimized():
            w.showNormal()
        w.show()
        w.raise_()
        w.activateWindow()


def raise_running_window(db: Path) -> bool:
    """True when another Watchkeeper window holds ``db`` and was brought to the front (this launch
    should end); False when no window answers for it."""
    from core.engine.ipc import OwnerKind, RemoteError, Request, call, find_owner

    owner = find_owner(db)
    if owner is None or owner.kind is not OwnerKind.WINDOW:
        return False  # (a headless recorder hands its recording over: core.engine.handover)
    try:
        call(owner, Request.RAISE, timeout=10.0)
    except RemoteError as exc:
        log.warning("the window holding %s did not answer: %s", db, exc)
        return False
    return True
