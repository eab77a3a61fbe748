"""StoreWriter: the thread that commits readings to the store in batches.

Producers ``submit`` batches without blocking. The writer commits what has arrived at least every
``commit_interval`` seconds and once more on ``stop``. If a commit fails (disk full, file made
read-only) the readings stay in a bounded memory buffer, the error is reported, and the writer keeps
retrying; the oldest readings are dropped, and counted, only when that buffer is full.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from core.acquisition.batch import ReadingBatch, concat_batches
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)


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

    # -- producer side ------------------------------------------------------------------------
    def submit(self, batch: ReadingBatch) -> None:
        """Queue a batch for the next commit (never blocks on the disk)."""
        if not len(batch):
            return
        with self._cond:
            self._pending.append(batch)
            self._pending_count += len(batch)
            while self._pending_count > self.max_pending and len(self._pending) > 1:
                old = self._pending.popleft()
                self._pending_count -= len(old)
                self.dropped += len(old)

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

    def flush(self) -> bool:
        """Commit what is pending now, on the caller's thread; True on success."""
        with self._cond:
            batches = list(self._pending)
            self._pending.clear()
            count = self._pending_count
            self._pending_count = 0
        if not batches:
            return True
        batch = concat_batches(batches)
        try:
            self.store.append(batch)
        except Exception as exc:  # disk full, read-only file, lost network share, ...
            with self._cond:
                self._pending.appendleft(batch)
                self._pending_count += count
                self.failures += 1
                message = f"Cannot write to {self.store.path}: {str(exc).splitlines()[0]}"
                first = message != self.last_error
                self.last_error = message
            if first:
                log.error("%s; keeping readings in memory and retrying", message)
                if self._on_error:
                    self._on_error(message)
            return False
        with self._cond:
            self.stored += count
            self.commits += 1
            recovered = bool(self.last_error)
            self.last_error = ""
        if recovered:
            log.info("writing to %s again", self.store.path)
            if self._on_error:
                self._on_error("")
        if self._on_commit:
            self._on_commit(batch)
        return True

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
