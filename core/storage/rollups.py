"""Rollups: 1-minute and 1-hour (count, min, max, sum) per channel, kept up to date incrementally.

Every commit merges the aggregates of just the new samples into the rollup tables, in the same
transaction as the samples, so a reader never sees one without the other and nothing is ever
recomputed from scratch. Means are ``vsum / n``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

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
