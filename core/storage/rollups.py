"""Rollups: 1-minute and 1-hour (count, min, max, sum) per channel, kept up to date incrementally.

Every commit merges the aggregates of just the new samples into the rollup tables, in the same
transaction as the samples, so a reader never sees one without the other and nothing is ever
recomputed from scratch. Means are ``vsum / n``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import duckdb
import pandas as pd

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


# Live commits come every half second; folding each into both rollup tables costs DuckDB three
# times the work of the inserts alone and grows its memory (benchmarks/soak.py). They are folded
# in every ROLLUP_INTERVAL_S instead, from the frames kept since (a few thousand rows at most).
ROLLUP_INTERVAL_S = 10.0
MAX_DEFERRED_ROWS = 100_000  # a larger commit (an import, a backfill) is folded at once
_STAGED = "wk_rollup_pending"


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
        self._frames: list = []  # pandas frames (channel_id, ts, value) committed, not folded
        self._since: float | None = None  # clock() when the first of them was committed
        self._since_us: int | None = None  # their oldest reading (what rollup_pending holds)

    @property
    def pending(self) -> int:
        return sum(len(f) for f in self._frames)

    def commit(self, cur: duckdb.DuckDBPyConnection, frame, oldest_us: int, defer: bool):
        """Inside the commit's transaction (after its samples are inserted): fold now, or keep
        the frame pending. Returns what to run once the transaction has committed."""
        waits = (
            defer
            and len(frame) <= MAX_DEFERRED_ROWS
            and (self._since_us is None or oldest_us >= self._since_us)
            and not (self._since is not None and self._clock() - self._since >= self.interval_s)
        )
        if waits:
            first = not self._frames
            if first:
                cur.execute("INSERT INTO rollup_pending VALUES (make_timestamptz(?))", [int(oldest_us)])

            def keep() -> None:
                if first:
                    self._since, self._since_us = self._clock(), int(oldest_us)
                self._frames.append(frame)

            return keep
        self._fold(cur, [*self._frames, frame])
        return self.flushed

    def flush(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Fold what is pending (inside a transaction; then call :meth:`flushed`)."""
        if self._frames:
            self._fold(cur, self._frames)

    def flushed(self) -> None:
        self._frames, self._since, self._since_us = [], None, None

    def _fold(self, cur: duckdb.DuckDBPyConnection, frames: list) -> None:
        staged = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        cur.register(_STAGED, staged)
        try:
            merge_rollups(cur, _STAGED, int(staged["ts"].min().value // 1000))
        finally:
            cur.unregister(_STAGED)
        if self._frames:
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
