"""Retention: drop raw readings and rollups older than their configured age, in the background.

DuckDB reuses the blocks that deleted rows free after a checkpoint, so once retention runs the file
stops growing: new readings go into the freed space. It does not shrink below the largest size it
ever had (a big import, say) — benchmarks/storage.py measures this.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

log = logging.getLogger(__name__)
DAY_US = 86_400 * 1_000_000


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long each resolution is kept, in days."""

    raw_days: float = 30
    minute_days: float = 365
    hour_days: float = 3650

    def validate(self) -> RetentionPolicy:
        for name in ("raw_days", "minute_days", "hour_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"retention.{name} must be a positive number of days, got {value!r}")
        if not self.raw_days <= self.minute_days <= self.hour_days:
            raise ValueError("retention must keep raw_days <= minute_days <= hour_days")
        return self


@dataclass(frozen=True, slots=True)
class RetentionResult:
    raw_deleted: int
    minute_deleted: int
    hour_deleted: int
    seconds: float


def apply_retention(
    store: ReadingStore, policy: RetentionPolicy, now_us: int | None = None
) -> RetentionResult:
    """Delete what the policy no longer keeps, each table in its own short transaction."""
    started = time.perf_counter()
    now_us = time.time_ns() // 1000 if now_us is None else now_us
    cur = store.cursor()
    deleted = []
    for table, column, days in (
        ("samples", "ts", policy.raw_days),
        ("rollup_1m", "bucket", policy.minute_days),
        ("rollup_1h", "bucket", policy.hour_days),
    ):
        cutoff = datetime.fromtimestamp((now_us - days * DAY_US) / 1e6, UTC)
        n = cur.execute(f"DELETE FROM {table} WHERE {column} < ?", [cutoff]).fetchall()[0][0]
        deleted.append(int(n))
    if any(deleted):
        import duckdb  # here, not at the top: the config (and so the window) loads this module

        try:
            cur.execute("CHECKPOINT")  # frees the deleted blocks for reuse
        except duckdb.Error as exc:
            log.info("checkpoint after retention deferred: %s", exc)
        store.refresh_extents()
    return RetentionResult(*deleted, time.perf_counter() - started)


class RetentionWorker:
    """Apply the policy now and then every ``interval`` seconds on a background thread."""

    def __init__(
        self,
        store: ReadingStore,
        policy: RetentionPolicy,
        interval: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.clock = clock
        self.policy = policy.validate()
        self.interval = interval
        self.last: RetentionResult | None = None
        self.last_error = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="Retention", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        import duckdb

        while not self._stop.is_set():
            try:
                self.last = apply_retention(self.store, self.policy, int(self.clock() * 1e6))
                self.last_error = ""
                if self.last.raw_deleted or self.last.minute_deleted or self.last.hour_deleted:
                    log.info("retention: %s", self.last)
            except duckdb.Error as exc:  # e.g. the file went read-only; try again next time
                from core.storage.errors import write_problem

                self.last_error = (
                    f"Old readings could not be removed from {self.store.path}: {write_problem(exc)}"
                )
                log.info("retention failed: %s", exc)
                log.warning("%s; trying again in %.0f s", self.last_error, self.interval)
            self._stop.wait(self.interval)
