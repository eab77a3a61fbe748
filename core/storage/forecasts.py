"""The ``forecasts`` table: every forecast cycle's values and 80/95 % bands per channel.

A cycle is the rows of one channel with one ``generated_at``. Cycles are appended through the
file's writer (:meth:`ReadingStore.write`) and only ever read back: the newest for the plot and
the predictive alarm, past ones for the window's skill tiles and the forecast history line.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from core.storage.frames import append_frame

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

COLUMNS = (
    "channel",
    "generated_at",
    "target_ts",
    "value",
    "lower_80",
    "upper_80",
    "lower_95",
    "upper_95",
    "model",
)


def append_forecasts(store: ReadingStore, rows: pd.DataFrame) -> int:
    """Append ``rows`` (the :data:`COLUMNS`, times as UTC timestamps) in one transaction on the
    file's writer; return how many."""
    return append_frame(store, "forecasts", COLUMNS, rows, "storing a forecast cycle")


def latest_cycle(store: ReadingStore, channel: str) -> pd.DataFrame:
    """The newest cycle's rows for ``channel`` ordered by target time: target_ts, value, the bands
    and generated_at (UTC timestamps)."""
    return (
        store.cursor()
        .execute(
            "SELECT target_ts, value, lower_80, upper_80, lower_95, upper_95, generated_at FROM forecasts "
            "WHERE channel = ? "
            "AND generated_at = (SELECT max(generated_at) FROM forecasts WHERE channel = ?) "
            "ORDER BY target_ts",
            [channel, channel],
        )
        .df()
    )


def newest_cycles(store: ReadingStore) -> pd.DataFrame:
    """Each channel's newest cycle: channel, generated_us, target_us, value, lower_95, upper_95
    (times in UTC µs), ordered by channel and target."""
    return (
        store.cursor()
        .execute(
            "SELECT channel, epoch_us(generated_at) AS generated_us, epoch_us(target_ts) AS target_us, "
            "value, lower_95, upper_95 FROM forecasts f "
            "WHERE generated_at = (SELECT max(generated_at) FROM forecasts WHERE channel = f.channel) "
            "ORDER BY channel, target_ts"
        )
        .df()
    )


def past_forecasts(
    store: ReadingStore, channel: str, start_s: float, end_s: float, before: datetime | None = None
) -> list[tuple[float, float, float]]:
    """``(generated_at_s, target_s, value)`` of stored forecasts with targets in ``[start_s, end_s)``
    (and generated before ``before``), oldest cycle first."""
    params: list[object] = [channel, datetime.fromtimestamp(start_s, UTC), datetime.fromtimestamp(end_s, UTC)]
    cond = ""
    if before is not None:
        cond = " AND generated_at < ?"
        params.append(before)
    return (
        store.cursor()
        .execute(
            "SELECT epoch(generated_at), epoch(target_ts), value FROM forecasts WHERE channel = ? "
            f"AND target_ts >= ? AND target_ts < ?{cond} ORDER BY generated_at, target_ts",
            params,
        )
        .fetchall()
    )


def forecast_errors(
    store: ReadingStore, channel: str, since: datetime, now: datetime
) -> tuple[float | None, float | None, int]:
    """``(model_mae, persistence_mae, n)`` over the stored forecasts of ``channel`` with targets
    in ``[since, now)``.

    Actual values are the 1-minute means at each target time; persistence repeats the mean of the
    minute before the forecast was made. Targets without both minutes are left out.
    """
    row = (
        store.cursor()
        .execute(
            """
        WITH a AS (
            SELECT r.bucket, r.vsum / r.n AS mean FROM rollup_1m r JOIN channels c ON c.id = r.channel_id
            WHERE c.name = ? AND r.bucket >= ?
        )
        SELECT avg(abs(f.value - x.mean)), avg(abs(p.mean - x.mean)), count(*)
        FROM forecasts f
        JOIN a x ON x.bucket = date_trunc('minute', f.target_ts)
        JOIN a p ON p.bucket = date_trunc('minute', f.generated_at) - INTERVAL 1 MINUTE
        WHERE f.channel = ? AND f.target_ts >= ? AND f.target_ts < ?
        """,
            [channel, since - timedelta(days=1), channel, since, now],
        )
        .fetchall()[0]
    )
    return row[0], row[1], int(row[2])
