"""A channel's means per regular time bucket, from the finest table that is not needlessly fine.

DuckDB does the averaging: from the 1-hour rollup for whole-hour buckets, the 1-minute rollup
for whole-minute buckets (both kept far longer than raw readings), raw samples otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

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


def bucket_means(
    store: ReadingStore, channel_id: int, step_us: int, before_us: int, max_steps: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(keys, means)`` of the newest ``max_steps`` complete buckets of ``step_us`` before
    ``before_us`` (the bucket holding ``before_us`` is still filling and left out), oldest first.

    A key is the bucket's start in UTC µs divided by ``step_us``; buckets without readings are
    missing (both arrays are empty when the channel has none before ``before_us``).
    """
    cur = store.cursor()
    end_key = before_us // step_us  # first incomplete bucket
    table, column, mean = _source(step_us)
    last = cur.execute(
        f"SELECT epoch_us(max({column})) FROM {table} "
        f"WHERE channel_id = ? AND {column} < make_timestamptz(?)",
        [channel_id, end_key * step_us],
    ).fetchall()[0][0]
    if last is None:
        return np.empty(0, np.int64), np.empty(0)
    hi = int(last) // step_us + 1
    lo = hi - max_steps if max_steps else None
    where = f"channel_id = ? AND {column} < make_timestamptz(?)"
    params: list[object] = [channel_id, hi * step_us]
    if lo is not None:
        where += f" AND {column} >= make_timestamptz(?)"
        params.append(lo * step_us)
    cols = cur.execute(
        f"SELECT epoch_us({column}) // {step_us} AS k, {mean} AS v FROM {table} WHERE {where} "
        "GROUP BY k ORDER BY k",
        params,
    ).fetchnumpy()
    return cols["k"], cols["v"]
