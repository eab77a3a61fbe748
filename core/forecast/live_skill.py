"""How the forecasts of the last days did against what happened, for the window's tiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.storage.store import ReadingStore


def recent_skill(store: ReadingStore, channel: str, days: float = 3.0,
                 now: datetime | None = None) -> tuple[float, int] | None:
    """``(skill, n)``: 1 - MAE of stored forecasts / MAE of persistence over targets in the last days.

    Actual values are the 1-minute means at each target time; persistence repeats the mean of the
    minute before the forecast was made. None until some forecast targets have passed.
    """
    now = now or datetime.now(UTC)
    since = now - timedelta(days=days)
    row = store.cursor().execute(
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
    ).fetchall()[0]
    model_mae, persistence_mae, n = row
    if not n or not persistence_mae:
        return None
    return 1.0 - model_mae / persistence_mae, int(n)


def past_forecasts(store: ReadingStore, channel: str, start_s: float, end_s: float,
                   before: datetime | None = None) -> list[tuple[float, float, float]]:
    """``(generated_at_s, target_s, value)`` of stored forecasts with targets in the range."""
    params: list[object] = [channel, datetime.fromtimestamp(start_s, UTC), datetime.fromtimestamp(end_s, UTC)]
    cond = ""
    if before is not None:
        cond = " AND generated_at < ?"
        params.append(before)
    return store.cursor().execute(
        "SELECT epoch(generated_at), epoch(target_ts), value FROM forecasts WHERE channel = ? "
        f"AND target_ts >= ? AND target_ts < ?{cond} ORDER BY generated_at, target_ts",
        params,
    ).fetchall()
