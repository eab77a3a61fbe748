"""How the forecasts of the last days did against what happened, for the window's tiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from core.storage.forecasts import forecast_errors, past_forecasts

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

__all__ = ["past_forecasts", "recent_skill"]  # past_forecasts: the window imports it from here


def recent_skill(
    store: ReadingStore, channel: str, days: float = 3.0, now: datetime | None = None
) -> tuple[float, int] | None:
    """``(skill, n)``: 1 - MAE of stored forecasts / MAE of persistence over targets in the last days.

    Actual values are the 1-minute means at each target time; persistence repeats the mean of the
    minute before the forecast was made. None until some forecast targets have passed.
    """
    now = now or datetime.now(UTC)
    model_mae, persistence_mae, n = forecast_errors(store, channel, now - timedelta(days=days), now)
    if not n or not persistence_mae:
        return None
    return 1.0 - model_mae / persistence_mae, int(n)
