"""HistoryWorker: answers history queries on its own thread; the newest request wins."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6 import QtCore

from core.storage.history import Series
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistoryRequest:
    token: int
    channels: tuple[str, ...]
    start_us: int
    end_us: int
    max_points: int


@dataclass(frozen=True)
class HistoryResult:
    request: HistoryRequest
    series: dict[str, Series]


class HistoryWorker(QtCore.QObject):
    """Lives in a QThread; ``request`` may be called (queued) any number of times."""

    finished = QtCore.Signal(object)  # HistoryResult
    failed = QtCore.Signal(str)
    _kick = QtCore.Signal()

    def __init__(self, store: ReadingStore) -> None:
        super().__init__()
        self.store = store
        self._pending: HistoryRequest | None = None
        # Queued: requests already waiting in the event loop are read before the query runs.
        self._kick.connect(self._run, QtCore.Qt.QueuedConnection)

    @QtCore.Slot(object)
    def request(self, req: HistoryRequest) -> None:
        first = self._pending is None
        self._pending = req  # a newer request replaces one not yet started
        if first:
            self._kick.emit()

    @QtCore.Slot()
    def _run(self) -> None:
        req, self._pending = self._pending, None
        if req is None:
            return
        try:
            series = self.store.history(list(req.channels), req.start_us, req.end_us, req.max_points)
        except Exception as exc:  # a busy or damaged file must not stop the window
            log.warning("history query failed: %s", exc)
            self.failed.emit(f"History could not be read: {str(exc).splitlines()[0]}")
            return
        self.finished.emit(HistoryResult(req, series))
