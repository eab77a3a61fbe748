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
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core.acquisition.batch import ReadingBatch
from core.storage.errors import (
    NotADatabaseError,
    Problem,
    StoreDamagedError,
    StoreError,
    StoreLockedError,
    classify,
    damaged_sentence,
    open_error,
)
from core.storage.history import Series, query_channel
from core.storage.rollups import DeferredRollups, repair_rollups
from core.storage.schema import SchemaError, current_version, migrate, transaction

__all__ = [
    "NotADatabaseError",
    "ReadingStore",
    "StoreDamagedError",
    "StoreError",
    "StoreLockedError",
    "check_database_path",
]

log = logging.getLogger(__name__)

# Every DuckDB file carries this at byte 8 of its first header block.
_DUCKDB_MAGIC = b"DUCK"
_HEADER_BYTES = 3 * 4096  # the file header and the two database headers before the first block
# Names that say "this is data for another program": never turned into a database, even when empty.
_FOREIGN_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".parquet", ".xlsx", ".xls", ".sqlite", ".sqlite3"}
# Files up to this size are read whole when opened, to find a damaged block before it is used.
_FULL_CHECK_BYTES = 4_000_000_000
# A commit that collides with another transaction of this process is tried this often.
_CONFLICT_ATTEMPTS = 5
# DuckDB takes 80 % of RAM by default; a plant PC also runs the window, scoring and training.
# Beyond this the buffer manager evicts (or spills to a temporary file) instead of growing.
MEMORY_LIMIT = "256MB"
# Appended rows stay in memory until the WAL reaches this size and is checkpointed into the
# file: DuckDB's 16 MB default makes memory saw up and down by ~20 MB at 8 ch x 100 Hz.
CHECKPOINT_THRESHOLD = "4MB"


def _looks_like(head: bytes, path: Path) -> str:
    if head.startswith(b"SQLite format 3\0"):
        return "an SQLite database"
    if head.startswith(b"PAR1"):
        return "a Parquet file"
    if path.suffix.lower() in _FOREIGN_SUFFIXES:
        return f"a {path.suffix[1:].upper()} file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "some other program's file"
    return "a text file"


def check_database_path(path: str | os.PathLike[str], read_only: bool = False) -> bool:
    """Refuse ``path`` unless it is a DuckDB file or a new one; True if the file exists.

    Checked before DuckDB sees the file: DuckDB opens a CSV or Parquet path as an empty in-memory
    database (every reading recorded into it is lost) and tries to download its SQLite extension
    for an SQLite file. The window and the command line both open files through this check.
    """
    path = Path(path)
    if path.is_dir():
        raise NotADatabaseError(
            f"{path} is a folder, not a database file; give a file name such as {path / 'plant.duckdb'}."
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        if read_only:
            raise StoreError(f"The database {path} does not exist; check the name given with --db.") from None
        if path.suffix.lower() in _FOREIGN_SUFFIXES:
            raise NotADatabaseError(
                f"{path.name} is the name of {_looks_like(b'', path)}, not of a database; "
                "choose a name ending in .duckdb with --db."
            ) from None
        return False
    except OSError as exc:
        raise open_error(path, exc) from exc
    if size == 0:
        if path.suffix.lower() in _FOREIGN_SUFFIXES or read_only:
            raise NotADatabaseError(
                f"The file {path} is empty and not a Watchkeeper database; choose another file with --db."
            )
        return True  # left by a start that failed; it holds nothing, so it becomes the new database
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise open_error(path, exc) from exc
    if head[8:12] != _DUCKDB_MAGIC:
        raise NotADatabaseError(
            f"The file {path} is {_looks_like(head, path)}, not a Watchkeeper database; "
            "choose another file with --db (a new name starts a new database)."
        )
    return True


def _remove_new_file(path: Path) -> None:
    """Remove a database this process created in a start that then failed (and its log)."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s after a failed start: %s", leftover, exc)


class ReadingStore:
    """The readings file: schema, channel table, batched appends and simple queries."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        """Open (or create) the file, refusing anything that is not a healthy Watchkeeper database.

        A refused file is left exactly as it was; a file this call created is removed again when
        the open fails, so a failed start never leaves an empty database behind.
        """
        self.path = Path(path)
        self.read_only = read_only
        self.active_writer = None  # the StoreWriter committing this file's readings, while one runs
        self._closed = True
        existed = check_database_path(self.path, read_only)
        self.created = not existed or self.path.stat().st_size == 0
        if self.created and self.path.exists():
            _remove_new_file(self.path)  # an empty leftover: DuckDB refuses 0-byte files
        if not read_only:
            self._make_folder()
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            log.info("cannot open %s: %s", self.path, exc)
            if self.created:
                _remove_new_file(self.path)
            raise open_error(self.path, exc) from exc
        self._local = threading.local()
        self._channel_lock = threading.Lock()
        # One commit at a time: the live writer, the demo's history and imports all append through
        # here, and two transactions merging into the same rollup row would conflict.
        self._write_lock = threading.RLock()
        self._oldest: dict[str, int] = {}
        self._generation = 0  # a reconnect makes every thread take a fresh cursor
        try:
            self._configure()
            if not self.created:
                self._check_integrity()
            if not read_only:
                migrate(self._con)
                with transaction(self._con):
                    if repair_rollups(self._con):
                        log.info("%s: recomputed the newest rollups (the last run ended abruptly)", self.path)
            self._rollups = DeferredRollups()
            self._channel_ids: dict[str, int] = dict(
                self._con.execute("SELECT name, id FROM channels").fetchall()
            )
            self.refresh_extents()
        except (duckdb.Error, SchemaError, StoreError) as exc:
            with contextlib.suppress(duckdb.Error):
                self._con.close()  # no checkpoint: a refused file stays as it was
            if self.created:
                _remove_new_file(self.path)
            if isinstance(exc, StoreError):
                raise
            if isinstance(exc, SchemaError):
                raise StoreError(f"Cannot use {self.path}: {exc}.") from exc
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
                Problem.READ_ONLY: "the disk is read-only",
                Problem.NO_PERMISSION: "permission denied",
                Problem.NO_SPACE: "the disk is full",
            }.get(problem, exc.strerror or "the system refused")
            raise StoreError(
                f"Cannot create the folder {self.path.parent} for the database ({why}); "
                "choose a writable place with --db."
            ) from None

    def _check_integrity(self) -> None:
        """Refuse a file that is shorter than its own block count says, or not Watchkeeper's."""
        block_size, blocks = self._con.execute(
            "SELECT block_size, total_blocks FROM pragma_database_size()"
        ).fetchall()[0]
        needed = _HEADER_BYTES + int(block_size) * int(blocks)
        size = self.path.stat().st_size
        if size < needed:
            log.info("%s holds %d bytes but its blocks need %d: truncated", self.path, size, needed)
            raise StoreDamagedError(damaged_sentence(self.path))
        listed = self._con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        tables = {row[0] for row in listed}
        if tables and current_version(self._con) == 0:
            raise NotADatabaseError(
                f"The file {self.path} is a database of another program, not a Watchkeeper "
                "database; choose another file with --db."
            )
        # Read every block (the checksums are verified as blocks are read): a damaged block shows
        # here, not in the middle of recording or of an export. About 0.7 s per GB on a plant PC;
        # beyond _FULL_CHECK_BYTES only the newest day of raw readings is read in full.
        recent = (
            ""
            if size <= _FULL_CHECK_BYTES
            else (" WHERE ts >= (SELECT max(ts) FROM samples) - INTERVAL 1 DAY")
        )
        for table, sql in (
            ("channels", "SELECT bit_xor(hash(id, name, unit)) FROM channels"),
            ("rollup_1h", "SELECT bit_xor(hash(channel_id, bucket, n, vmin, vmax, vsum)) FROM rollup_1h"),
            ("rollup_1m", "SELECT bit_xor(hash(channel_id, bucket, n, vmin, vmax, vsum)) FROM rollup_1m"),
            ("samples", f"SELECT bit_xor(hash(channel_id, ts, value)) FROM samples{recent}"),
        ):
            if table in tables:
                self._con.execute(sql).fetchall()

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
            self._channel_ids = dict(self._con.execute("SELECT name, id FROM channels").fetchall())
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
            _remove_new_file(self.path)

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
        """Ids for ``names``, creating channels seen for the first time."""
        missing = [n for n in names if n not in self._channel_ids]
        if missing:
            with self._channel_lock:
                self._create_channels(missing)
        return np.array([self._channel_ids[n] for n in names], dtype=np.uint32)

    def _create_channels(self, names: list[str]) -> None:
        """Create every new channel of a batch in one statement (a flood of 3,000 new names costs
        one statement, not 3,000)."""
        names = [n for n in dict.fromkeys(names) if n not in self._channel_ids]
        if not names:
            return
        cur = self.cursor()
        for attempt in range(_CONFLICT_ATTEMPTS):
            try:
                # Another store on this file may create channels too: ids continue after the
                # largest, and if two pick the same one the primary key refuses one; it retries.
                cur.execute(
                    "INSERT INTO channels (id, name) "
                    "SELECT (SELECT coalesce(max(id), 0) FROM channels) + row_number() OVER (ORDER BY pos), "
                    "name FROM (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::INTEGER[]) AS pos) "
                    "WHERE name NOT IN (SELECT name FROM channels)",
                    [names, list(range(len(names)))],
                ).fetchall()
                break
            except (duckdb.ConstraintException, duckdb.TransactionException):
                if attempt == _CONFLICT_ATTEMPTS - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        self._channel_ids.update(
            cur.execute(
                "SELECT name, id FROM channels WHERE name IN (SELECT unnest(?::VARCHAR[]))", [names]
            ).fetchall()
        )

    def set_units(self, units: dict[str, str]) -> None:
        """Record channel units (from the config or the device)."""
        if not units:
            return
        self.channel_ids(list(units))
        cur = self.cursor()
        for name, unit in units.items():
            cur.execute("UPDATE channels SET unit = ? WHERE name = ?", [unit, name])

    def channels(self) -> pd.DataFrame:
        return self.cursor().execute("SELECT id, name, unit FROM channels ORDER BY name").df()

    # -- writing ------------------------------------------------------------------------------
    def append(self, batch: ReadingBatch, defer_rollups: bool = False) -> int:
        """Insert a batch in one transaction; return the number of readings stored.

        ``defer_rollups`` (the live writer): fold it into the rollups with the next ones, within
        ``ROLLUP_INTERVAL_S`` (see :class:`DeferredRollups`); :meth:`flush_rollups` folds now."""
        if not len(batch):
            return 0
        ids = self.channel_ids(batch.names)
        frame = pd.DataFrame(
            {
                "channel_id": ids[batch.codes],
                "ts": pd.to_datetime(batch.ts_us, unit="us", utc=True),
                "value": batch.values,
            }
        )
        cur = self.cursor()
        with self._write_lock:
            cur.register("new_samples", frame)
            try:
                for attempt in range(_CONFLICT_ATTEMPTS):
                    try:
                        with transaction(cur):
                            cur.execute("INSERT INTO samples SELECT channel_id, ts, value FROM new_samples")
                            done = self._rollups.commit(cur, frame, int(batch.ts_us.min()), defer_rollups)
                        done()
                        break
                    except duckdb.TransactionException as exc:
                        # Another transaction of this process (retention, say) touched a row this
                        # one needs: nothing was written, so the same batch is simply tried again.
                        if classify(exc) is not Problem.CONFLICT or attempt == _CONFLICT_ATTEMPTS - 1:
                            raise
                        log.info("commit conflicted (%s); trying again", exc)
                        time.sleep(0.02 * (attempt + 1))
            finally:
                cur.unregister("new_samples")
        return len(frame)

    def flush_rollups(self) -> None:
        """Fold the commits still waiting into the rollups (on stop and close)."""
        if self.read_only or not self._rollups.pending:
            return
        cur = self.cursor()
        with self._write_lock:
            with transaction(cur):
                self._rollups.flush(cur)
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
                self._channel_ids.update(cur.execute("SELECT name, id FROM channels").fetchall())
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
