"""Rollups: 1-minute and 1-hour (count, min, max, sum) per channel, kept up to date incrementally.

Every commit merges the aggregates of just the new samples into the rollup tables, in the same
transaction as the samples, so a reader never sees one without the other and nothing is ever
recomputed from scratch. Means are ``vsum / n``.

A commit's readings are aggregated in numpy (counts and sums by ``bincount``, extremes by
``minimum.at``/``maximum.at``), the hours from the minutes, and only those few rows go to DuckDB:
aggregating half a million readings twice in SQL cost a commit more than inserting them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import numpy as np
import pyarrow as pa

RESOLUTIONS = {"1min": ("rollup_1m", "minute", 60), "1h": ("rollup_1h", "hour", 3600)}

_MERGE = """
MERGE INTO {table} AS r
USING (
    SELECT channel_id, make_timestamptz(epoch_us(ts) // {step} * {step}) AS bucket, count(*) AS n,
           min(value) AS vmin, max(value) AS vmax, sum(value) AS vsum
    FROM {source} GROUP BY ALL
) AS a
ON r.channel_id = a.channel_id AND r.bucket = a.bucket AND r.bucket >= ?
WHEN MATCHED THEN UPDATE SET
    n = r.n + a.n, vmin = least(r.vmin, a.vmin), vmax = greatest(r.vmax, a.vmax), vsum = r.vsum + a.vsum
WHEN NOT MATCHED THEN INSERT VALUES (a.channel_id, a.bucket, a.n, a.vmin, a.vmax, a.vsum)
"""


def merge_rollups(cur: duckdb.DuckDBPyConnection, source: str, min_ts_us: int) -> None:
    """Fold the samples in relation ``source`` (channel_id, ts, value) into both rollup tables.

    ``min_ts_us`` (UTC microseconds) is the oldest sample in ``source``; it lets DuckDB skip old
    rollup row groups. Call inside the transaction that inserts the samples.
    """
    for table, _, seconds in RESOLUTIONS.values():
        step = seconds * 1_000_000
        floor = datetime.fromtimestamp((min_ts_us // step) * step / 1e6, UTC)
        # Integer bucketing: date_trunc on TIMESTAMPTZ costs ten times more per commit.
        cur.execute(_MERGE.format(table=table, step=step, source=source), [floor]).fetchall()


_MERGE_AGGREGATES = """
MERGE INTO {table} AS r
USING (SELECT channel_id, make_timestamptz(bucket_us) AS bucket, n, vmin, vmax, vsum FROM {source}) AS a
ON r.channel_id = a.channel_id AND r.bucket = a.bucket AND r.bucket >= ?
WHEN MATCHED THEN UPDATE SET
    n = r.n + a.n, vmin = least(r.vmin, a.vmin), vmax = greatest(r.vmax, a.vmax), vsum = r.vsum + a.vsum
WHEN NOT MATCHED THEN INSERT VALUES (a.channel_id, a.bucket, a.n, a.vmin, a.vmax, a.vsum)
"""
_AGGREGATES = "wk_rollup_aggregates"


@dataclass(frozen=True, slots=True)
class Samples:
    """Readings as the samples table holds them, in columns of one length: channel id, UTC µs, value."""

    channel_id: np.ndarray  # uint32
    ts_us: np.ndarray  # int64
    value: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.value)

    def to_arrow(self) -> pa.Table:
        """The rows for DuckDB's Arrow scan; a NaN value becomes NULL (so the NOT NULL column
        refuses it, as it refused a NaN from a pandas frame)."""
        return pa.table(
            {
                "channel_id": pa.array(self.channel_id, pa.uint32()),
                "ts": pa.array(self.ts_us, pa.timestamp("us", tz="UTC")),
                "value": pa.array(self.value, pa.float64(), from_pandas=True),
            }
        )

    @classmethod
    def concat(cls, parts: Sequence[Samples]) -> Samples:
        if len(parts) == 1:
            return parts[0]
        return cls(
            np.concatenate([p.channel_id for p in parts]),
            np.concatenate([p.ts_us for p in parts]),
            np.concatenate([p.value for p in parts]),
        )


@dataclass(frozen=True, slots=True)
class _Aggregates:
    """(count, min, max, sum) per channel and bucket (UTC µs of its start)."""

    channel_id: np.ndarray
    bucket_us: np.ndarray
    n: np.ndarray
    vmin: np.ndarray
    vmax: np.ndarray
    vsum: np.ndarray

    def coarser(self, step_us: int) -> _Aggregates:
        """The same readings in buckets of ``step_us`` (a multiple of these buckets' length)."""
        buckets = _bucket(self.bucket_us, step_us)
        return _aggregate(self.channel_id, buckets, step_us, self.n, self.vmin, self.vmax, self.vsum)

    def to_arrow(self) -> pa.Table:
        return pa.table(
            {
                "channel_id": pa.array(self.channel_id, pa.uint32()),
                "bucket_us": self.bucket_us,
                "n": self.n,
                "vmin": self.vmin,
                "vmax": self.vmax,
                "vsum": self.vsum,
            }
        )


def _bucket(ts_us: np.ndarray, step_us: int) -> np.ndarray:
    """Bucket starts as the SQL ``epoch_us(ts) // step * step`` gives them (DuckDB's integer
    division truncates toward zero; numpy's floors, which differs before 1970 only)."""
    q = ts_us // step_us
    if len(ts_us) and ts_us.min() < 0:
        q += (ts_us < 0) & (q * step_us != ts_us)
    return q * step_us


def _aggregate(
    ids: np.ndarray,
    buckets: np.ndarray,
    step_us: int,
    n: np.ndarray | None,
    vmin: np.ndarray,
    vmax: np.ndarray,
    vsum: np.ndarray,
) -> _Aggregates:
    """Group rows by (channel, bucket of ``step_us``); ``n`` is None for single readings."""
    id_lo, b_lo = int(ids.min()), int(buckets.min())
    id_span = int(ids.max()) - id_lo + 1
    key = (buckets - b_lo) // step_us
    key *= id_span
    key += ids - id_lo
    keys = None
    size = int(key.max()) + 1
    # Dense keys when the readings cover few channels and buckets (a live commit); a backfill
    # over months is compacted first, so nothing larger than the readings is ever allocated.
    if size > 4 * len(key) + 4096:
        keys, key = np.unique(key, return_inverse=True)
        size = len(keys)
    counts = np.bincount(key, weights=n, minlength=size)
    sums = np.bincount(key, weights=vsum, minlength=size)
    lows = np.full(size, np.inf)
    np.minimum.at(lows, key, vmin)
    highs = np.full(size, -np.inf)
    np.maximum.at(highs, key, vmax)
    used = np.flatnonzero(counts)
    found = used if keys is None else keys[used]
    return _Aggregates(
        (found % id_span + id_lo).astype(np.uint32),
        found // id_span * step_us + b_lo,
        counts[used].astype(np.int64),
        lows[used],
        highs[used],
        sums[used],
    )


def merge_samples(cur: duckdb.DuckDBPyConnection, samples: Samples) -> None:
    """Fold ``samples`` into both rollup tables (inside the transaction that inserts them)."""
    if not len(samples):
        return
    ts = np.asarray(samples.ts_us, np.int64)
    values = np.asarray(samples.value, np.float64)
    ids = np.asarray(samples.channel_id, np.int64)
    aggregates = None
    oldest = int(ts.min())
    for table, _, seconds in RESOLUTIONS.values():
        step = seconds * 1_000_000
        if aggregates is None:
            aggregates = _aggregate(ids, _bucket(ts, step), step, None, values, values, values)
        else:
            aggregates = aggregates.coarser(step)
        floor = datetime.fromtimestamp((oldest // step) * step / 1e6, UTC)
        cur.register(_AGGREGATES, aggregates.to_arrow())
        try:
            cur.execute(_MERGE_AGGREGATES.format(table=table, source=_AGGREGATES), [floor]).fetchall()
        finally:
            cur.unregister(_AGGREGATES)


# Live commits come every half second; folding each into both rollup tables costs DuckDB three
# times the work of the inserts alone and grows its memory (benchmarks/soak.py). They are folded
# in every ROLLUP_INTERVAL_S instead, from the readings kept since (a few thousand at most).
ROLLUP_INTERVAL_S = 10.0
MAX_DEFERRED_ROWS = 100_000  # a larger commit (an import, a backfill) is folded at once


class DeferredRollups:
    """The live commits not yet folded into the rollups, and when to fold them.

    Crash-safe: the first commit after a fold writes its oldest reading's time into
    ``rollup_pending`` in its own transaction, and the fold deletes it; a file opened with a row
    there (the program was killed in between) gets the buckets from that time on recomputed from
    the samples by :func:`repair_rollups`. So only commits no older than that time wait; others
    (a history backfill, a clock set back) and large ones are folded at once.
    """

    def __init__(self, interval_s: float = ROLLUP_INTERVAL_S, clock=None) -> None:
        self.interval_s = interval_s
        self._clock = clock or time.monotonic
        self._parts: list[Samples] = []  # readings committed, not folded
        self._since: float | None = None  # clock() when the first of them was committed
        self._since_us: int | None = None  # their oldest reading (what rollup_pending holds)

    @property
    def pending(self) -> int:
        return sum(map(len, self._parts))

    def commit(self, cur: duckdb.DuckDBPyConnection, samples: Samples, oldest_us: int, defer: bool):
        """Inside the commit's transaction (after its samples are inserted): fold now, or keep
        the readings pending. Returns what to run once the transaction has committed."""
        waits = (
            defer
            and len(samples) <= MAX_DEFERRED_ROWS
            and (self._since_us is None or oldest_us >= self._since_us)
            and not (self._since is not None and self._clock() - self._since >= self.interval_s)
        )
        if waits:
            first = not self._parts
            if first:
                cur.execute("INSERT INTO rollup_pending VALUES (make_timestamptz(?))", [int(oldest_us)])

            def keep() -> None:
                if first:
                    self._since, self._since_us = self._clock(), int(oldest_us)
                self._parts.append(samples)

            return keep
        self._fold(cur, [*self._parts, samples])
        return self.flushed

    def flush(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Fold what is pending (inside a transaction; then call :meth:`flushed`)."""
        if self._parts:
            self._fold(cur, self._parts)

    def flushed(self) -> None:
        self._parts, self._since, self._since_us = [], None, None

    def _fold(self, cur: duckdb.DuckDBPyConnection, parts: list[Samples]) -> None:
        merge_samples(cur, Samples.concat(parts))
        if self._parts:
            cur.execute("DELETE FROM rollup_pending")


def repair_rollups(cur: duckdb.DuckDBPyConnection) -> bool:
    """Recompute the rollup buckets a killed program left unfolded (see :class:`DeferredRollups`),
    from the samples; True if there was anything to repair. Call inside a transaction."""
    since = cur.execute("SELECT epoch_us(min(since)) FROM rollup_pending").fetchall()[0][0]
    if since is None:
        return False
    for table, _, seconds in RESOLUTIONS.values():
        step = seconds * 1_000_000
        floor = datetime.fromtimestamp((int(since) // step) * step / 1e6, UTC)
        cur.execute(f"DELETE FROM {table} WHERE bucket >= ?", [floor])
        cur.execute(
            f"""INSERT INTO {table}
            SELECT channel_id, make_timestamptz(epoch_us(ts) // {step} * {step}) AS bucket, count(*),
                   min(value), max(value), sum(value)
            FROM samples WHERE ts >= ? GROUP BY ALL""",
            [floor],
        )
    cur.execute("DELETE FROM rollup_pending")
    return True
