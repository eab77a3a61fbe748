"""ReadingStore: the DuckDB file that holds every reading.

One connection per process; every thread works through its own ``cursor()`` (DuckDB connections
are not shared across threads). Only one process may write a file: DuckDB's own file lock enforces
it, and we turn its error into one sentence.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import duckdb
import numpy as np
import pandas as pd

from core.messages import Message, MessageId
from core.readings import ReadingBatch
from core.storage.channels import all_channel_ids, create_channels
from core.storage.conflicts import retry_conflicts
from core.storage.errors import (
    NotADatabaseError,
    Problem,
    StoreDamagedError,
    StoreError,
    StoreLockedError,
    classify,
    open_error,
)
from core.storage.files import check_database_path, check_integrity, remove_new_file
from core.storage.history import Series, query_channel
from core.storage.rollups import DeferredRollups, Samples, repair_rollups
from core.storage.schema import SchemaError, migrate, transaction

if TYPE_CHECKING:
    from core.storage.writer import StoreWriter

T = TypeVar("T")

__all__ = [
    "NotADatabaseError",
    "ReadingStore",
    "StoreDamagedError",
    "StoreError",
    "StoreLockedError",
    "check_database_path",
]

log = logging.getLogger(__name__)

# DuckDB takes 80 % of RAM by default; a plant PC also runs the window, scoring and training.
# Beyond this the buffer manager evicts (or spills to a temporary file) instead of growing.
MEMORY_LIMIT = "256MB"
# Appended rows stay in memory until the WAL reaches this size and is checkpointed into the
# file: DuckDB's 16 MB default makes memory saw up and down by ~20 MB at 8 ch x 100 Hz.
CHECKPOINT_THRESHOLD = "4MB"


class ReadingStore:
    """The readings file: schema, channel table, batched appends and simple queries."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        """Open (or create) the file, refusing anything that is not a healthy Watchkeeper database.

        A refused file is left exactly as it was; a file this call created is removed again when
        the open fails, so a failed start never leaves an empty database behind.
        """
        self.path = Path(path)
        self.read_only = read_only
        self.non_finite_dropped = 0  # readings that were NaN or infinite, left out (see append)
        # The StoreWriter of this file while one runs (it sets and clears this): every write of
        # another thread is handed to it (see write()), so the file has one writer.
        self.writer: StoreWriter | None = None
        self._closed = True
        existed = check_database_path(self.path, read_only)
        self.created = not existed or self.path.stat().st_size == 0
        if self.created and self.path.exists():
            remove_new_file(self.path)  # an empty leftover: DuckDB refuses 0-byte files
        if not read_only:
            self._make_folder()
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            log.info("cannot open %s: %s", self.path, exc)
            if self.created:
                remove_new_file(self.path)
            raise open_error(self.path, exc) from exc
        self._local = threading.local()
        self._channel_lock = threading.Lock()
        # One commit at a time, also when no writer runs (tests, a command on a closed file): two
        # transactions merging into the same rollup row would conflict.
        self._write_lock = threading.RLock()
        self._oldest: dict[str, int] = {}
        self._generation = 0  # a reconnect makes every thread take a fresh cursor
        try:
            self._configure()
            if not self.created:
                check_integrity(self._con, self.path)
            if not read_only:
                migrate(self._con)
                with transaction(self._con):
                    if repair_rollups(self._con):
                        log.info("%s: recomputed the newest rollups (the last run ended abruptly)", self.path)
            self._rollups = DeferredRollups()
            self._channel_ids: dict[str, int] = all_channel_ids(self._con)
            self.refresh_extents()
        except (duckdb.Error, SchemaError, StoreError) as exc:
            with contextlib.suppress(duckdb.Error):
                self._con.close()  # no checkpoint: a refused file stays as it was
            if self.created:
                remove_new_file(self.path)
            if isinstance(exc, StoreError):
                raise
            if isinstance(exc, SchemaError):
                raise StoreError(
                    Message.of(MessageId.CANNOT_USE, path=str(self.path), problem=exc.message)
                ) from exc
            log.info("cannot use %s: %s", self.path, exc)
            raise open_error(self.path, exc) from exc
        self._closed = False

    def _make_folder(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.info("cannot create %s: %s", self.path.parent, exc)
            problem = classify(exc)
            why = {
                Problem.READ_ONLY: MessageId.FOLDER_READ_ONLY,
                Problem.NO_PERMISSION: MessageId.FOLDER_NO_PERMISSION,
                Problem.NO_SPACE: MessageId.FOLDER_DISK_FULL,
            }.get(problem)
            # The system's own words when it gave any (kept as they are), else ours.
            reason = (
                exc.strerror if why is None and exc.strerror else Message.of(why or MessageId.FOLDER_REFUSED)
            )
            folder = str(self.path.parent)
            raise StoreError(Message.of(MessageId.NO_FOLDER, folder=folder, why=reason)) from None

    def _configure(self) -> None:
        self._con.execute("SET TimeZone = 'UTC'")
        self._con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self._con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")

    def reconnect(self) -> None:
        """Open the file again after DuckDB invalidated the connection (a checkpoint that failed
        on a full disk does that: "the database must be restarted"). Everything committed is in
        the file or its WAL and comes back; raises ``duckdb.Error`` while that still fails."""
        with self._write_lock, self._channel_lock:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
            self._con = duckdb.connect(str(self.path), read_only=self.read_only)
            self._configure()
            self._channel_ids = all_channel_ids(self._con)
            self._generation += 1
        log.info("reopened %s after DuckDB invalidated the connection", self.path)

    @property
    def write_lock(self) -> threading.RLock:
        """Held for every transaction that adds readings, so commits never conflict on a rollup."""
        return self._write_lock

    # -- connections --------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the shared connection."""
        cur = getattr(self._local, "cursor", None)
        if cur is None or getattr(self._local, "generation", 0) != self._generation:
            cur = self._con.cursor()
            cur.execute("SET TimeZone = 'UTC'")
            self._local.cursor = cur
            self._local.generation = self._generation
        return cur

    def close(self, discard_if_new: bool = False) -> None:
        """Close the file; with ``discard_if_new``, a file this store created is removed again
        if it holds no readings (a start that failed after opening it leaves nothing behind)."""
        if getattr(self, "_closed", True):
            return
        self._closed = True
        discard = discard_if_new and self.created and not self.read_only and self._is_empty()
        if not discard:
            try:
                self.flush_rollups()
            except duckdb.Error as exc:  # left in rollup_pending: the next open recomputes them
                log.warning("could not fold the last readings into the rollups: %s", exc)
        if not self.read_only and not discard:
            with contextlib.suppress(duckdb.Error):
                self._con.execute("CHECKPOINT")  # else the WAL replays on the next open
        self._con.close()
        if discard:
            remove_new_file(self.path)

    def _is_empty(self) -> bool:
        try:
            return not self._con.execute("SELECT count(*) FROM samples").fetchall()[0][0]
        except duckdb.Error:
            return False

    def __enter__(self) -> ReadingStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- channels -----------------------------------------------------------------------------
    def channel_ids(self, names: tuple[str, ...] | list[str]) -> np.ndarray:
        """Ids for ``names``, creating channels seen for the first time (through the writer)."""
        missing = [n for n in names if n not in self._channel_ids]
        if missing:
            self.on_writer(lambda: self._create_channels(missing))
        return np.array([self._channel_ids[n] for n in names], dtype=np.uint32)

    def _create_channels(self, names: list[str]) -> None:
        with self._channel_lock:
            names = [n for n in dict.fromkeys(names) if n not in self._channel_ids]
            if names:
                self._channel_ids.update(create_channels(self.cursor(), names))

    def set_units(self, units: dict[str, str]) -> None:
        """Record channel units (from the config or the device)."""
        if not units:
            return
        self.channel_ids(list(units))

        def update(cur: duckdb.DuckDBPyConnection) -> None:
            for name, unit in units.items():
                cur.execute("UPDATE channels SET unit = ? WHERE name = ?", [unit, name])

        self.write(update, what="recording channel units")

    def channels(self) -> pd.DataFrame:
        return self.cursor().execute("SELECT id, name, unit FROM channels ORDER BY name").df()

    # -- writing ------------------------------------------------------------------------------
    def on_writer(self, work: Callable[[], T]) -> T:
        """Run ``work()`` on this file's writer thread while one runs, else here; return its result.

        Every write of the file goes through here, so while recording they all come from one
        thread, between reading commits, and never collide with each other.
        """
        writer = self.writer
        return work() if writer is None else writer.run(work)

    def write(
        self,
        job: Callable[[duckdb.DuckDBPyConnection], T],
        cursor: duckdb.DuckDBPyConnection | None = None,
        what: str = "a write",
    ) -> T:
        """Run ``job(cur)`` in one transaction on the file's writer (see :meth:`on_writer`).

        ``cur`` is the writer thread's cursor, or ``cursor`` (a session holding temporary tables
        the job needs; its owner waits meanwhile). A transaction conflict rolls the job back and
        runs it again; only one that keeps conflicting is raised. ``what`` names it in the log.
        """
        return self.on_writer(lambda: self.commit(job, cursor, what))

    def commit(
        self,
        job: Callable[[duckdb.DuckDBPyConnection], T],
        cursor: duckdb.DuckDBPyConnection | None = None,
        what: str = "a write",
    ) -> T:
        """Run ``job(cur)`` in one transaction on this thread, under the write lock, retrying a
        conflict; :meth:`write` is what other threads call."""
        cur = cursor if cursor is not None else self.cursor()

        def attempt() -> T:
            with transaction(cur):
                return job(cur)

        with self._write_lock:
            return retry_conflicts(attempt, what)

    def append(self, batch: ReadingBatch, defer_rollups: bool = False) -> int:
        """Insert a batch in one transaction, on this thread; return the number of readings stored.

        The writer calls this; with a writer running, other threads submit to it instead.
        ``defer_rollups`` (the live writer): fold it into the rollups with the next ones, within
        ``ROLLUP_INTERVAL_S`` (see :class:`DeferredRollups`); :meth:`flush_rollups` folds now."""
        if not len(batch):
            return 0
        finite = np.isfinite(batch.values)
        if not finite.all():
            # A device's "no value" (a float register holding NaN, an overflow as inf) is no
            # reading: it is left out, said in the log, and the batch's other readings are stored.
            bad = sorted({batch.names[c] for c in np.unique(batch.codes[~finite])})
            self.non_finite_dropped += int((~finite).sum())
            log.warning(
                "%d readings of %s were not numbers (NaN or infinite) and were not stored (%d in all)",
                int((~finite).sum()),
                ", ".join(bad),
                self.non_finite_dropped,
            )
            batch = batch.finite()
            if not len(batch):
                return 0
        ids = self.channel_ids(batch.names)
        samples = Samples(
            ids[batch.codes],
            np.asarray(batch.ts_us, np.int64),
            np.asarray(batch.values, np.float64),
        )
        cur = self.cursor()

        def insert() -> Callable[[], None]:
            # DuckDB's Arrow scan inserts twice as fast as from a DataFrame, and finding the table
            # as this frame's local (a replacement scan) costs a 40-reading commit a third less
            # than registering it and forgetting it again.
            new_samples = samples.to_arrow()  # noqa: F841 (read by the INSERT below)
            # Nothing of a conflicting try was written, so the same batch is simply tried again.
            with transaction(cur):
                cur.execute("INSERT INTO samples SELECT channel_id, ts, value FROM new_samples")
                return self._rollups.commit(cur, samples, int(samples.ts_us.min()), defer_rollups)

        with self._write_lock:
            retry_conflicts(insert, "a commit of readings")()
        return len(samples)

    def flush_rollups(self) -> None:
        """Fold the commits still waiting into the rollups (on stop and close)."""
        if self.read_only or not self._rollups.pending:
            return
        with self._write_lock:  # no commit may add a frame between the fold and forgetting them
            self.commit(self._rollups.flush, what="folding readings into the rollups")
            self._rollups.flushed()

    # -- reading ------------------------------------------------------------------------------
    def count(self, channel: str | None = None) -> int:
        if channel is None:
            return int(self.cursor().execute("SELECT count(*) FROM samples").fetchall()[0][0])
        return int(
            self.cursor()
            .execute("SELECT count(*) FROM readings WHERE channel = ?", [channel])
            .fetchall()[0][0]
        )

    def oldest_us(self) -> int | None:
        """The time (UTC µs) of the oldest reading in the file, None while it holds none."""
        value = self.cursor().execute("SELECT epoch_us(min(ts)) FROM samples").fetchall()[0][0]
        return None if value is None else int(value)

    def readings(
        self,
        channels: list[str] | None = None,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """Raw readings (ts, channel, value) ordered by time."""
        where, params = [], []
        if channels:
            where.append(f"channel IN ({', '.join('?' * len(channels))})")
            params += list(channels)
        if start is not None:
            where.append("ts >= ?")
            params.append(pd.Timestamp(start).to_pydatetime())
        if end is not None:
            where.append("ts < ?")
            params.append(pd.Timestamp(end).to_pydatetime())
        sql = "SELECT ts, channel, value FROM readings"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.cursor().execute(sql + " ORDER BY ts, channel", params).df()

    def refresh_extents(self) -> None:
        """Remember where each resolution's retained data begins (history uses it)."""
        cur = self.cursor()
        oldest = {}
        for key, table, column in (
            ("raw", "samples", "ts"),
            ("1min", "rollup_1m", "bucket"),
            ("1h", "rollup_1h", "bucket"),
        ):
            value = cur.execute(f"SELECT epoch_us(min({column})) FROM {table}").fetchall()[0][0]
            oldest[key] = int(value) if value is not None else 0
        self._oldest = oldest

    def history(
        self, channels: list[str], start: object, end: object, max_points: int = 2000
    ) -> dict[str, Series]:
        """Plot-ready history per channel for ``[start, end)`` (see :mod:`core.storage.history`).

        ``start``/``end`` are UTC microseconds or anything ``pandas.Timestamp`` accepts.
        """
        if max_points < 2:
            raise ValueError("max_points must be at least 2")
        start_us, end_us = _to_us(start), _to_us(end)
        cur = self.cursor()
        if any(name not in self._channel_ids for name in channels):
            # Another connection (the recorder) may have created channels since this one opened.
            with self._channel_lock:
                self._channel_ids.update(all_channel_ids(cur))
        out = {}
        for name in channels:
            cid = self._channel_ids.get(name)
            if cid is None:
                continue
            out[name] = query_channel(cur, name, cid, start_us, end_us, max_points, self._oldest)
        return out

    def file_size(self) -> int:
        """Bytes on disk, write-ahead log included."""
        wal = self.path.with_name(self.path.name + ".wal")
        return sum(p.stat().st_size for p in (self.path, wal) if p.exists())


def _to_us(t: object) -> int:
    if isinstance(t, int | np.integer):
        return int(t)
    stamp = pd.Timestamp(t)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return int(stamp.value // 1000)
