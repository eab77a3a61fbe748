"""A channel's history from the database, already bucketed at the forecast interval.

DuckDB does the averaging: from the 1-hour rollup for whole-hour intervals, the 1-minute rollup
for whole-minute intervals (both kept far longer than raw readings), raw samples otherwise. Only
complete buckets are returned: the bucket still filling at ``before`` would drag the last value.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from core.forecast.errors import ForecastInputError
from core.forecast.transform import RegularSeries, from_buckets

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

_HOUR_US, _MINUTE_US = 3_600_000_000, 60_000_000


def _source(step_us: int) -> tuple[str, str, str]:
    """(table, time column, mean expression) for buckets of ``step_us``."""
    if step_us % _HOUR_US == 0:
        return "rollup_1h", "bucket", "sum(vsum) / sum(n)"
    if step_us % _MINUTE_US == 0:
        return "rollup_1m", "bucket", "sum(vsum) / sum(n)"
    return "samples", "ts", "avg(value)"


def channel_names(store: ReadingStore) -> list[str]:
    return [r[0] for r in store.cursor().execute("SELECT name FROM channels ORDER BY name").fetchall()]


def channel_history(
    store: ReadingStore,
    channel: str,
    step_us: int,
    max_gap_steps: int,
    max_steps: int | None = None,
    before_us: int | None = None,
) -> RegularSeries:
    """The newest ``max_steps`` complete buckets of ``channel`` before ``before_us`` (default: now)."""
    cur = store.cursor()
    row = cur.execute("SELECT id FROM channels WHERE name = ?", [channel]).fetchall()
    if not row:
        known = channel_names(store)
        raise ForecastInputError(
            f"The database {store.path} has no channel '{channel}' (channels: {', '.join(known) or 'none'})."
        )
    cid = int(row[0][0])
    if before_us is None:
        before_us = time.time_ns() // 1000
    end_key = before_us // step_us  # first incomplete bucket
    table, column, mean = _source(step_us)
    last = cur.execute(
        f"SELECT epoch_us(max({column})) FROM {table} "
        f"WHERE channel_id = ? AND {column} < make_timestamptz(?)",
        [cid, end_key * step_us],
    ).fetchall()[0][0]
    if last is None:
        return RegularSeries(0, step_us, np.empty(0))
    hi = int(last) // step_us + 1
    lo = hi - max_steps if max_steps else None
    where = f"channel_id = ? AND {column} < make_timestamptz(?)"
    params: list[object] = [cid, hi * step_us]
    if lo is not None:
        where += f" AND {column} >= make_timestamptz(?)"
        params.append(lo * step_us)
    cols = cur.execute(
        f"SELECT epoch_us({column}) // {step_us} AS k, {mean} AS v FROM {table} WHERE {where} "
        "GROUP BY k ORDER BY k",
        params,
    ).fetchnumpy()
    return from_buckets(cols["k"], cols["v"], step_us, max_gap_steps)
