"""StoreWriter: the thread that commits readings to the store in batches.

Producers ``submit`` batches without blocking. The writer commits what has arrived at least every
``commit_interval`` seconds and once more on ``stop``. If a commit fails (disk full, file made
read-only) the readings stay in a bounded memory buffer, the error is reported, and the writer keeps
retrying; the oldest readings are dropped, and counted, only when that buffer is full.

It is the one writer of its file: while it runs, the store hands it every other write too
(forecast rows, alarm transitions, imports, retention, forwarder cursors) as a *job*
(:meth:`StoreWriter.call`, :meth:`StoreWriter.run`), which it runs between reading commits, each
in its own transaction, after the readings submitted before it. So no two transactions of this
process ever collide on a row, and the rare conflict left (another store on the same file) is
retried, never reported as a disk problem. The operator is told why a commit failed in one
sentence; the library's text goes to the log.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from core.messages import Message, MessageId
from core.readings import ReadingBatch, concat_batches
from core.storage.errors import Problem, classify, write_problem_message
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)
T = TypeVar("T")

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
        commit_interval: float = 1.0,
        max_pending: int = 5_000_000,
        on_error: Callable[[Message | str], None] | None = None,  # "": writing works again
        on_commit: Callable[[ReadingBatch], None] | None = None,
    ) -> None:
        if not 0 < commit_interval <= 1.0:
            raise ValueError("commit_interval must be in (0, 1] seconds")
        self.store = store
        self.commit_interval = commit_interval
        self.max_pending = max_pending
        self._on_error = on_error
        self._on_commit = on_commit
        self._pending: deque[tuple[int, ReadingBatch]] = deque()  # (ticket of its last batch, batch)
        # (ticket of the readings to commit before it or None, job, its future)
        self._jobs: deque[tuple[int | None, Callable[[], object], Future]] = deque()
        self._accepting = False  # the thread takes jobs: set on start, cleared before it ends
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
            self._pending.append((self._submitted, batch))
            self._pending_count += len(batch)
            while self._pending_count > self.max_pending and len(self._pending) > 1:
                _, old = self._pending.popleft()
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

    def call(self, job: Callable[[], T], after_readings: bool = False) -> Future[T]:
        """Run ``job()`` on the writer thread, between two reading commits; the future holds its
        result or its exception. Jobs run in the order they were handed over.

        ``after_readings``: commit the readings submitted before this call first (a job that must
        see them). Without it the job does not make the readings commit sooner, so jobs never
        make reading commits more frequent.

        When the thread does not run (not started, stopped) or this is the writer thread itself,
        the job runs here and now, so a caller never waits for a writer that is not there.
        """
        future: Future[T] = Future()
        with self._cond:
            if self._accepting and threading.current_thread() is not self._thread:
                self._jobs.append((self._submitted if after_readings else None, job, future))
                self._cond.notify_all()
                return future
        if after_readings:
            self.flush()
        _run_job(job, future)
        return future

    def run(self, job: Callable[[], T], after_readings: bool = False) -> T:
        """:meth:`call` and wait for the job: its result, or its exception raised here."""
        return self.call(job, after_readings).result()

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
        """Start the thread; until :meth:`stop` the store routes every write of its file here."""
        self._thread = threading.Thread(target=self._run, name="StoreWriter", daemon=True)
        with self._cond:
            self._accepting = True
        self._thread.start()
        self.store.writer = self

    def stop(self, timeout: float = 10.0) -> None:
        """Commit everything still pending, run the jobs still queued and end the thread."""
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
        if getattr(self.store, "writer", None) is self:
            self.store.writer = None

    def flush(self, upto: int | None = None) -> bool:
        """Commit what is pending now (only the batches up to ticket ``upto``, if given), on the
        caller's thread; True on success."""
        with self._cond:
            taken: list[ReadingBatch] = []
            ticket = self._committed
            while self._pending and (upto is None or self._pending[0][0] <= upto):
                ticket, batch = self._pending.popleft()
                taken.append(batch)
            count = sum(len(b) for b in taken)
            self._pending_count -= count
        if not taken:
            return True
        batch = concat_batches(taken)
        try:
            stored = self.store.append(batch, defer_rollups=True)
        except Exception as exc:  # disk full, read-only file, lost network share, ...
            self._failed(ticket, batch, count, exc)
            if isinstance(exc, duckdb.FatalException) or "has been invalidated" in str(exc):
                try:  # until the file is opened again, no commit can succeed
                    self.store.reconnect()
                except duckdb.Error as again:
                    log.info("reopening %s failed, retrying: %s", self.store.path, again)
            return False
        if stored != len(batch):  # readings that were not numbers were left out: not forwarded either
            batch = batch.finite()
        with self._cond:
            self.stored += stored
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

    def _failed(self, ticket: int, batch: ReadingBatch, count: int, exc: Exception) -> None:
        """Keep the readings for the next try and tell the operator why, once per reason."""
        conflict = classify(exc) is Problem.CONFLICT
        with self._cond:
            self._pending.appendleft((ticket, batch))
            self._pending_count += count
            self.failures += 1
            self._conflicts = self._conflicts + 1 if conflict else 0
            if conflict and self._conflicts < _QUIET_CONFLICTS:
                log.info("commit to %s conflicted, retrying: %s", self.store.path, exc)
                return
            reason = Message.of(MessageId.WRITE_KEEPS_CONFLICTING) if conflict else write_problem_message(exc)
            said = Message.of(MessageId.CANNOT_WRITE, path=str(self.store.path), problem=reason)
            first = said.english != self.last_error
            self.last_error = said.english
        log.info("commit to %s failed: %s", self.store.path, exc)  # the library's text: log only
        if first:
            log.error("%s; keeping readings in memory and retrying", said.english)
            if self._on_error:
                self._on_error(said)

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            # From here on a job runs on its caller's thread; the ones already queued run now.
            with self._cond:
                self._accepting = False
                jobs = list(self._jobs)
                self._jobs.clear()
            for _, job, future in jobs:
                _run_job(job, future)

    def _loop(self) -> None:
        deadline = time.monotonic() + self.commit_interval
        while True:
            with self._cond:
                while not self._stop and not self._jobs and time.monotonic() < deadline:
                    self._cond.wait(max(0.0, deadline - time.monotonic()))
                stopping = self._stop
                jobs = list(self._jobs)
                self._jobs.clear()
            for after, job, future in jobs:
                if after is not None:
                    # If these readings cannot be committed, the job still runs: its own error
                    # is its caller's to handle.
                    self.flush(upto=after)
                _run_job(job, future)
            if not stopping and time.monotonic() < deadline:
                continue
            deadline = time.monotonic() + self.commit_interval
            ok = self.flush()
            if stopping:
                if not ok:
                    self.flush()  # one last try; what still fails is reported by stats()
                return


def _run_job(job: Callable[[], T], future: Future[T]) -> None:
    """Run ``job`` and settle ``future`` with what it returned or raised."""
    if not future.set_running_or_notify_cancel():
        return
    try:
        result = job()
    except BaseException as exc:  # the caller's to handle, on its own thread
        future.set_exception(exc)
    else:
        future.set_result(result)
