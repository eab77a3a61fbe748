"""BackgroundWorker: the window's one way to run slow work (file queries) off the GUI thread.

A worker object lives on a persistent QThread. Requests have a kind (an Enum member); a newer
request of a kind replaces one of that kind still waiting, and the answer of a request that a
newer one of its kind overtook is dropped, so the window only ever draws the newest answer.
Answers come back to the GUI thread, queued. Stopping is cooperative: waiting requests are
dropped, the query that runs now is interrupted (its DuckDB cursor), then ``quit()`` and
``wait()`` with no timed give-up, so Qt never destroys a running thread.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6 import QtCore

log = logging.getLogger(__name__)


class Query(enum.Enum):
    """The kinds of work the window runs in the background."""

    HISTORY = "history"
    ANOMALY_SPANS = "anomaly spans"
    JOURNAL = "journal"
    FORECAST_OVERLAY = "forecast overlay"  # each channel's recent skill and its past forecasts


class HasCursor(Protocol):
    """A store whose queries on a thread run on that thread's ``cursor()`` (ReadingStore)."""

    def cursor(self) -> Any: ...


@dataclass(frozen=True)
class _Job:
    kind: Query
    number: int
    run: Callable[[], Any]
    done: Callable[[Any], None]
    failed: Callable[[Exception], None] | None


class _Runner(QtCore.QObject):
    """Lives on the worker thread: runs waiting jobs one after another."""

    ran = QtCore.Signal(object, object, object)  # job, result, error (to the GUI thread)
    kick = QtCore.Signal()

    def __init__(self, front: BackgroundWorker) -> None:
        super().__init__()
        self._front = front
        # Queued: requests already waiting in the event loop are read before a job starts.
        self.kick.connect(self._drain, QtCore.Qt.QueuedConnection)

    @QtCore.Slot()
    def _drain(self) -> None:
        front = self._front
        while True:
            job = front._take()
            if job is None:
                return
            try:
                result, error = job.run(), None
            except Exception as exc:  # a busy or damaged file must not stop the window
                result, error = None, exc
            finally:
                front._finished_running()
            if front.stopping:
                return  # interrupted on close: nobody waits for the answer
            self.ran.emit(job, result, error)


class BackgroundWorker(QtCore.QObject):
    """One persistent thread for queries; ``submit`` from the GUI thread, answers come back there.

    ``store``: the jobs query it; ``stop`` interrupts the query running on the thread's cursor.
    """

    def __init__(
        self, name: str, store: HasCursor | None = None, parent: QtCore.QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._lock = threading.Lock()
        self._waiting: dict[Query, _Job] = {}  # in submission order; one per kind
        self._newest: dict[Query, int] = {}
        self._running_cursor = None
        self._stopping = threading.Event()
        self.thread = QtCore.QThread(self)
        self.thread.setObjectName(name)
        self._runner = _Runner(self)
        self._runner.moveToThread(self.thread)
        self._runner.ran.connect(self._on_runner_ran)  # queued: the runner is on the thread
        if parent is not None:
            # A parent destroyed without stop() (a dialog or test that never closes properly)
            # would destroy the running thread with it, which aborts the process: stop first.
            # ``destroyed`` comes before the parent's children (this worker, its thread) go.
            parent.destroyed.connect(lambda *_: self.stop())
        self.thread.start()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def submit(
        self,
        kind: Query,
        run: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``run()`` on the thread; ``done(result)`` (or ``failed(error)``) on the GUI thread,
        unless a newer request of ``kind`` came meanwhile or the worker was stopped."""
        if self.stopping:
            return
        with self._lock:
            number = self._newest.get(kind, 0) + 1
            self._newest[kind] = number
            self._waiting.pop(kind, None)  # a newer request replaces one not yet started
            self._waiting[kind] = _Job(kind, number, run, done, failed)
        self._runner.kick.emit()

    def _take(self) -> _Job | None:
        """The next job to run (on the worker thread), its cursor noted for ``stop``."""
        with self._lock:
            if self.stopping or not self._waiting:
                return None
            kind = next(iter(self._waiting))
            job = self._waiting.pop(kind)
            if self._store is not None:
                try:  # this thread's cursor: the job's queries run on it
                    self._running_cursor = self._store.cursor()
                except Exception as exc:  # the job meets the same problem and reports it
                    log.debug("no cursor to interrupt: %s", exc)
            return job

    def _finished_running(self) -> None:
        with self._lock:
            self._running_cursor = None

    def _on_runner_ran(self, job: _Job, result: Any, error: Exception | None) -> None:
        with self._lock:
            stale = job.number != self._newest.get(job.kind)
        if stale or self.stopping:
            return  # a newer request of this kind is on its way
        if error is None:
            job.done(result)
        elif job.failed is not None:
            job.failed(error)
        else:
            log.warning("%s could not be read: %s", job.kind.value, error)

    def stop(self) -> None:
        """Drop waiting requests, cut the running query short and join the thread (on close)."""
        if self._stopping.is_set() and self.thread.isFinished():
            return
        self._stopping.set()
        with self._lock:
            self._waiting.clear()
            cursor = self._running_cursor
            if cursor is not None:
                try:
                    cursor.interrupt()
                except Exception as exc:  # already finished: nothing to cut short
                    log.debug("background interrupt: %s", exc)
        self.thread.quit()
        self.thread.wait()
