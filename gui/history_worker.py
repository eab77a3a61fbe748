"""HistoryWorker: answers history queries on its own thread; the newest request wins."""

from __future__ import annotations

import logging
import threading
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
        self._stopping = threading.Event()
        self._cursor = None  # the cursor of the query running now, for stop() to interrupt
        self._cursor_lock = threading.Lock()
        # Queued: requests already waiting in the event loop are read before the query runs.
        self._kick.connect(self._run, QtCore.Qt.QueuedConnection)

    @QtCore.Slot(object)
    def request(self, req: HistoryRequest) -> None:
        first = self._pending is None
        self._pending = req  # a newer request replaces one not yet started
        if first:
            self._kick.emit()

    def stop(self) -> None:
        """Called from the window's thread on close: drop what is pending and cut short the query
        that runs now, so the thread's event loop can quit at once (a week of history at a coarse
        resolution is quick, but a busy file can make any query slow)."""
        self._stopping.set()
        with self._cursor_lock:
            cursor = self._cursor
            if cursor is not None:
                try:
                    cursor.interrupt()
                except Exception as exc:  # already finished: nothing to cut short
                    log.debug("history interrupt: %s", exc)

    @QtCore.Slot()
    def _run(self) -> None:
        req, self._pending = self._pending, None
        if req is None or self._stopping.is_set():
            return
        with self._cursor_lock:
            self._cursor = self.store.cursor()  # the cursor store.history() uses on this thread
        try:
            series = self.store.history(list(req.channels), req.start_us, req.end_us, req.max_points)
        except Exception as exc:  # a busy or damaged file must not stop the window
            if self._stopping.is_set():
                return  # interrupted on close: nobody is waiting for the answer
            log.warning("history query failed: %s", exc)
            self.failed.emit(self.tr("History could not be read just now; the plots try again in a moment."))
            return
        finally:
            with self._cursor_lock:
                self._cursor = None
        if not self._stopping.is_set():
            self.finished.emit(HistoryResult(req, series))
