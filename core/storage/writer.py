"""StoreWriter: the thread that commits readings to the store in batches.

Producers ``submit`` batches without blocking. The writer commits what has arrived at least every
``commit_interval`` seconds and once more on ``stop``. If a commit fails (disk full, file made
read-only) the readings stay in a bounded memory buffer, the error is reported, and the writer keeps
retrying; the oldest readings are dropped, and counted, only when that buffer is full.

It is the one writer of its file's readings: whatever else has readings to store while it runs
(the demo's history) submits them here, so no two transactions ever merge into the same rollup
row. The operator is told why a commit failed in one sentence; the library's text goes to the log.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from core.acquisition.batch import ReadingBatch, concat_batches
from core.storage.errors import Problem, classify, write_problem
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)

# Commits that collide with another transaction of this process are retried quietly; only if they
# keep colliding is the operator told (and then not as a disk problem).
_QUIET_CONFLICTS = 10


@dataclass(frozen=True, slots=True)
class WriterStats:
    stored: int
    pending: int
    dropped: int
    commits: int
    failures: int
    last_error: str


class StoreWriter:
    """Commit submitted batches to ``store`` from a background thread."""

    def __init__(
        self,
        store: ReadingStore,
        commit_interval: float = 0.5,
        max_pending: int = 5_000_000,
        on_error: Callable[[str], None] | None = None,
        on_commit: Callable[[ReadingBatch], None] | None = None,
    ) -> None:
        if not 0 < commit_interval <= 1.0:
            raise ValueError("commit_interval must be in (0, 1] seconds")
        self.store = store
        self.commit_interval = commit_interval
        self.max_pending = max_pending
        self._on_error = on_error
        self._on_commit = on_commit
        self._pending: deque[ReadingBatch] = deque()
        self._pending_count = 0
        self._cond = threading.Condition()
        self._stop = False
        self._thread: threading.Thread | None = None
        self.stored = 0
        self.dropped = 0
        self.commits = 0
        self.failures = 0
        self.last_error = ""
        self._submitted = 0  # tickets: batches submitted so far
        self._committed = 0  # every batch up to this ticket is committed (or was dropped)
        self._conflicts = 0  # consecutive commits refused by a transaction conflict

    # -- producer side ------------------------------------------------------------------------
    def submit(self, batch: ReadingBatch) -> int:
        """Queue a batch for the next commit (never blocks on the disk); return its ticket
        for :meth:`wait_committed`."""
        with self._cond:
            if not len(batch):
                return self._submitted
            self._submitted += 1
            self._pending.append(batch)
            self._pending_count += len(batch)
            while self._pending_count > self.max_pending and len(self._pending) > 1:
                old = self._pending.popleft()
                self._pending_count -= len(old)
                self.dropped += len(old)
            return self._submitted

    def wait_committed(self, ticket: int, timeout: float) -> bool:
        """Block until the batch with ``ticket`` (and all before it) is committed; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._committed < ticket:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def stats(self) -> WriterStats:
        with self._cond:
            return WriterStats(
                self.stored,
                self._pending_count,
                self.dropped,
                self.commits,
                self.failures,
                self.last_error,
            )

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self.store.active_writer = self  # others with readings for this file submit them here
        self._thread = threading.Thread(target=self._run, name="StoreWriter", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Commit everything still pending and end the thread."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        else:
            self.flush()
        try:
            self.store.flush_rollups()  # a shared store (the window's) stays open after this
        except Exception as exc:  # left pending in the file: the next open folds it
            log.warning("could not fold the last readings into the rollups: %s", exc)
        if getattr(self.store, "active_writer", None) is self:
            self.store.active_writer = None

    def flush(self) -> bool:
        """Commit what is pending now, on the caller's thread; True on success."""
        with self._cond:
            batches = list(self._pending)
            self._pending.clear()
            count = self._pending_count
            self._pending_count = 0
            ticket = self._submitted
        if not batches:
            return True
        batch = concat_batches(batches)
        try:
            self.store.append(batch, defer_rollups=True)
        except Exception as exc:  # disk full, read-only file, lost network share, ...
            self._failed(batch, count, exc)
            if isinstance(exc, duckdb.FatalException) or "has been invalidated" in str(exc):
                try:  # until the file is opened again, no commit can succeed
                    self.store.reconnect()
                except duckdb.Error as again:
                    log.info("reopening %s failed, retrying: %s", self.store.path, again)
            return False
        with self._cond:
            self.stored += count
            self.commits += 1
            self._conflicts = 0
            self._committed = max(self._committed, ticket)
            recovered = bool(self.last_error)
            self.last_error = ""
            self._cond.notify_all()
        if recovered:
            log.info("writing to %s again", self.store.path)
            if self._on_error:
                self._on_error("")
        if self._on_commit:
            self._on_commit(batch)
        return True

    def _failed(self, batch: ReadingBatch, count: int, exc: Exception) -> None:
        """Keep the readings for the next try and tell the operator why, once per reason."""
        conflict = classify(exc) is Problem.CONFLICT
        with self._cond:
            self._pending.appendleft(batch)
            self._pending_count += count
            self.failures += 1
            self._conflicts = self._conflicts + 1 if conflict else 0
            if conflict and self._conflicts < _QUIET_CONFLICTS:
                log.info("commit to %s conflicted, retrying: %s", self.store.path, exc)
                return
            reason = (
                "another part of Watchkeeper keeps writing the same rows; the readings are retried"
                if conflict
                else write_problem(exc)
            )
            message = f"Cannot write to {self.store.path}: {reason}"
            first = message != self.last_error
            self.last_error = message
        log.info("commit to %s failed: %s", self.store.path, exc)  # the library's text: log only
        if first:
            log.error("%s; keeping readings in memory and retrying", message)
            if self._on_error:
                self._on_error(message)

    def _run(self) -> None:
        deadline = time.monotonic() + self.commit_interval
        while True:
            with self._cond:
                while not self._stop and time.monotonic() < deadline:
                    self._cond.wait(max(0.0, deadline - time.monotonic()))
                stopping = self._stop
            deadline = time.monotonic() + self.commit_interval
            ok = self.flush()
            if stopping:
                if not ok:
                    self.flush()  # one last try; what still fails is reported by stats()
                return
