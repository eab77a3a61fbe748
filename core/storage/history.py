"""History queries: any span, plot-ready, fast.

Raw readings are returned when they fit in ``max_points``; otherwise the finest rollup that fits,
and beyond a year's worth of hours, hours merged into wider buckets. Every answer carries min/max
envelopes next to the mean, so a spike stays visible however far the operator zooms out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import numpy as np

from core.storage.rollups import RESOLUTIONS


@dataclass(frozen=True, slots=True)
class Series:
    """One channel's history. For raw readings ``vmin == vmax == mean`` and ``count == 1``."""

    channel: str
    resolution: str  # "raw", "1min", "1h" or e.g. "6h"
    ts_us: np.ndarray  # reading time, or bucket start (UTC microseconds)
    mean: np.ndarray
    vmin: np.ndarray
    vmax: np.ndarray
    count: np.ndarray

    def __len__(self) -> int:
        return len(self.ts_us)

    @property
    def bucket_us(self) -> int:
        """Width of one point in microseconds (0 for raw readings)."""
        if self.resolution == "raw":
            return 0
        if self.resolution == "1min":
            return 60_000_000
        return int(self.resolution[:-1]) * 3_600_000_000


def _dt(us: int) -> datetime:
    return datetime.fromtimestamp(us / 1e6, UTC)


def _floor(us: int, seconds: int) -> int:
    step = seconds * 1_000_000
    return (us // step) * step


def _rollup_count(
    cur: duckdb.DuckDBPyConnection, table: str, seconds: int, cid: int, start: int, end: int
) -> int:
    row = cur.execute(
        f"SELECT coalesce(sum(n), 0) FROM {table} WHERE channel_id = ? AND bucket >= ? AND bucket < ?",
        [cid, _dt(_floor(start, seconds)), _dt(end)],
    ).fetchall()[0]
    return int(row[0])


def _series(channel: str, resolution: str, cols: dict[str, np.ndarray]) -> Series:
    return Series(
        channel,
        resolution,
        cols["t"].astype(np.int64),
        cols["mean"].astype(np.float64),
        cols["vmin"].astype(np.float64),
        cols["vmax"].astype(np.float64),
        cols["n"].astype(np.int64),
    )


def query_channel(
    cur: duckdb.DuckDBPyConnection,
    channel: str,
    cid: int,
    start_us: int,
    end_us: int,
    max_points: int,
    oldest: dict[str, int],
) -> Series:
    """History of one channel in ``[start_us, end_us)``; ``oldest`` holds each table's first time."""
    span_s = max(end_us - start_us, 1) / 1e6
    if start_us >= oldest.get("raw", 0):
        estimate = _rollup_count(cur, "rollup_1h", 3600, cid, start_us, end_us)
        if estimate > max_points and span_s / 60 <= 4 * max_points:
            estimate = _rollup_count(cur, "rollup_1m", 60, cid, start_us, end_us)
        if estimate <= max_points:
            cols = cur.execute(
                "SELECT epoch_us(ts) AS t, value AS mean, value AS vmin, value AS vmax, 1 AS n "
                "FROM samples WHERE channel_id = ? AND ts >= ? AND ts < ? ORDER BY ts",
                [cid, _dt(start_us), _dt(end_us)],
            ).fetchnumpy()
            return _series(channel, "raw", cols)
    for resolution, (table, _, seconds) in RESOLUTIONS.items():
        if span_s / seconds <= max_points and (resolution == "1h" or start_us >= oldest.get(resolution, 0)):
            cols = cur.execute(
                f"SELECT epoch_us(bucket) AS t, vsum / n AS mean, vmin, vmax, n FROM {table} "
                "WHERE channel_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket",
                [cid, _dt(_floor(start_us, seconds)), _dt(end_us)],
            ).fetchnumpy()
            return _series(channel, resolution, cols)
    hours = math.ceil(span_s / 3600 / max_points)
    step = hours * 3_600_000_000
    cols = cur.execute(
        f"SELECT (epoch_us(bucket) // {step}) * {step} AS t, sum(vsum) / sum(n) AS mean, "
        "min(vmin) AS vmin, max(vmax) AS vmax, sum(n) AS n FROM rollup_1h "
        "WHERE channel_id = ? AND bucket >= ? AND bucket < ? GROUP BY 1 ORDER BY 1",
        [cid, _dt(_floor(start_us, hours * 3600)), _dt(end_us)],
    ).fetchnumpy()
    return _series(channel, f"{hours}h", cols)
