"""ReadingStore: the DuckDB file that holds every reading.

One connection per process; every thread works through its own ``cursor()`` (DuckDB connections
are not shared across threads). Only one process may write a file: DuckDB's own file lock enforces
it, and we turn its error into one sentence.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core.acquisition.batch import ReadingBatch
from core.storage.history import Series, query_channel
from core.storage.rollups import merge_rollups
from core.storage.schema import SchemaError, migrate, transaction


class StoreError(Exception):
    """The database file cannot be used; the message is one sentence for the operator."""


class StoreLockedError(StoreError):
    """Another process is writing this file."""


_PID = re.compile(r"PID (\d+)")


def _open_error(path: Path, exc: BaseException) -> StoreError:
    text = str(exc)
    if "lock" in text.lower():
        pid = _PID.search(text)
        who = f" (process {pid.group(1)})" if pid else ""
        return StoreLockedError(
            f"The database {path} is already open in another Watchkeeper{who}; "
            "only one program can record to a file at a time."
        )
    if "not a valid duckdb" in text.lower() or "corrupt" in text.lower():
        return StoreError(f"The file {path} is not a Watchkeeper database or is damaged.")
    return StoreError(f"Could not open the database {path}: {text.splitlines()[0]}")


class ReadingStore:
    """The readings file: schema, channel table, batched appends and simple queries."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise _open_error(self.path, exc) from exc
        self._con.execute("SET TimeZone = 'UTC'")
        if not read_only:
            try:
                migrate(self._con)
            except SchemaError as exc:
                self._con.close()
                raise StoreError(f"Cannot use {self.path}: {exc}.") from exc
        self._local = threading.local()
        self._channel_lock = threading.Lock()
        self._channel_ids: dict[str, int] = dict(
            self._con.execute("SELECT name, id FROM channels").fetchall()
        )
        self._oldest: dict[str, int] = {}
        self.refresh_extents()
        self._closed = False

    # -- connections --------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the shared connection."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            cur.execute("SET TimeZone = 'UTC'")
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if not self.read_only:
                with contextlib.suppress(duckdb.Error):
                    self._con.execute("CHECKPOINT")  # else the WAL replays on the next open
            self._con.close()

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
        return np.array([self._channel_ids[n] for n in names], dtype=np.uint16)

    def _create_channels(self, names: list[str]) -> None:
        cur = self.cursor()
        for attempt in range(5):
            try:
                for name in names:
                    # Another connection may create channels too: take the next free id, and if
                    # two pick the same one the primary key refuses one of them; it retries.
                    cur.execute(
                        "INSERT INTO channels (id, name) SELECT coalesce(max(id), 0) + 1, ? FROM channels "
                        "WHERE NOT EXISTS (SELECT 1 FROM channels WHERE name = ?)",
                        [name, name],
                    ).fetchall()
                break
            except duckdb.ConstraintException:
                if attempt == 4:
                    raise
            except duckdb.TransactionException:
                if attempt == 4:
                    raise
        self._channel_ids.update(cur.execute("SELECT name, id FROM channels").fetchall())

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
    def append(self, batch: ReadingBatch) -> int:
        """Insert a batch in one transaction; return the number of readings stored."""
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
        cur.register("new_samples", frame)
        try:
            with transaction(cur):
                cur.execute("INSERT INTO samples SELECT channel_id, ts, value FROM new_samples")
                merge_rollups(cur, "new_samples", int(batch.ts_us.min()))
        finally:
            cur.unregister("new_samples")
        return len(frame)

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
