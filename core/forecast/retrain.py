"""Scheduled retraining: which models are old enough to be trained again, and with what settings.

A model is retrained on fresh history with the shape it was trained with (interval, lookback,
horizon, units, gaps), so a retrained model drops into the same place in the forecast cycle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.forecast.artifacts import ModelInfo
from core.forecast.settings import ForecastSettings


def model_age_s(info: ModelInfo, now: datetime | None = None) -> float | None:
    """Seconds since the model was trained, or None if its file does not say when."""
    try:
        created = datetime.fromisoformat(info.created_at)
    except (TypeError, ValueError):
        return None
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return ((now or datetime.now(UTC)) - created).total_seconds()


def due_for_retraining(infos: dict[str, ModelInfo], every_s: float, now: datetime | None = None) -> list[str]:
    """Channels whose model is at least ``every_s`` old (or of unknown age), oldest first."""
    ages = {ch: model_age_s(info, now) for ch, info in infos.items()}
    due = [ch for ch, age in ages.items() if age is None or age >= every_s]
    return sorted(due, key=lambda ch: -(ages[ch] if ages[ch] is not None else float("inf")))


def retrain_settings(info: ModelInfo, base: ForecastSettings) -> ForecastSettings:
    """``base`` (the channel's configured settings) with the model's own shape."""
    return base.replace(
        interval=info.interval,
        lookback=info.arch.lookback,
        horizon=info.arch.horizon,
        units=info.arch.units,
        patch=info.arch.patch,
        max_gap_steps=info.max_gap_steps,
    )


def read_infos(paths: dict[str, Path]) -> dict[str, ModelInfo]:
    """The model information of each channel's file; unreadable files are left out (the forecast
    cycle reports them under their channel)."""
    import json

    out = {}
    for channel, path in paths.items():
        try:
            out[channel] = ModelInfo.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out
