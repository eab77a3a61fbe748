"""One channel end to end: train a model from a regular series, and forecast from its newest window.

Both the database path (:mod:`core.forecast.forecaster`) and the CSV-folder path
(:mod:`core.forecast.batch`) come through here, so they behave the same.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from core.forecast._tf import library_versions
from core.forecast.artifacts import ModelInfo, SavedModel
from core.forecast.baselines import Scores, persistence, seasonal_naive, skill
from core.forecast.dataset import human_duration, prepare_dataset
from core.forecast.errors import NotEnoughHistory
from core.forecast.settings import ForecastSettings
from core.forecast.train import Progress, fit_network
from core.forecast.transform import RegularSeries
from core.messages import Message, MessageId


def _iso(us: int) -> str:
    return pd.Timestamp(us, unit="us", tz="UTC").isoformat()


def train_series(
    series: RegularSeries,
    channel: str,
    settings: ForecastSettings,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    source: str = "",
) -> SavedModel:
    """Train on ``series`` (regularised at ``settings.interval``); the model is returned, not saved."""
    if series.step_us != settings.step_us:
        raise ValueError("the series must be regularised at the settings' interval")
    data = prepare_dataset(series, settings, channel)
    season_val = seasonal_naive(data.z, data.val_targets, settings.horizon, settings.season_steps)
    fitted = fit_network(
        data.x_train, data.y_train, data.x_val, data.y_val, settings, progress, cancel, season_val
    )
    std = data.scaler.std
    y_val = data.y_val.astype(np.float64)
    model_scores = Scores.of(fitted.val_pred_z, y_val, std)
    pers = Scores.of(persistence(data.z, data.val_targets, settings.horizon), y_val, std)
    seas = Scores.of(season_val, y_val, std)
    used = data.series
    info = ModelInfo(
        channel=channel,
        interval=settings.interval,
        max_gap_steps=settings.max_gap_steps,
        arch=fitted.arch,
        blend=fitted.blend,
        scaler=data.scaler,
        bands=fitted.bands,
        training={
            "start": _iso(used.start_us),
            "end": _iso(used.end_us),
            "validation_start": _iso(used.start_us + data.split * used.step_us),
            "steps": len(used),
            "train_windows": len(data.train_targets),
            "train_stride": data.stride,
            "validation_windows": len(data.val_targets),
            "epochs": fitted.epochs_run,
            "best_epoch": fitted.best_epoch,
            "seconds": round(fitted.seconds, 2),
            "seed": settings.seed,
            "seasonal_period_steps": settings.season_steps,
        },
        metrics={
            "validation": model_scores.to_dict(),
            "persistence": pers.to_dict(),
            "seasonal_naive": seas.to_dict(),
            "skill": skill(model_scores.mae, pers.mae),
            "skill_vs_seasonal": skill(model_scores.mae, seas.mae),
        },
        versions=library_versions(),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=source,
        seasonal_weight=fitted.seasonal_weight,
        season_steps=settings.season_steps,
    )
    return SavedModel(info, fitted.weights)


@dataclass
class ChannelForecast:
    """One channel's forecast from one cycle, in original units."""

    channel: str
    times: pd.DatetimeIndex  # target times (bucket starts), one per horizon step
    values: dict[str, np.ndarray]  # forecast, lower_80, upper_80, lower_95, upper_95
    last_data: pd.Timestamp  # start of the newest bucket the forecast saw
    model: str  # model file name, stored with each row

    def frame(self, generated_at: pd.Timestamp) -> pd.DataFrame:
        """Rows in Prediction.csv's column order."""
        return pd.DataFrame(
            {"timestamp": self.times, "channel": self.channel, **self.values, "generated_at": generated_at}
        )


def forecast_series(model: SavedModel, series: RegularSeries, channel: str) -> ChannelForecast:
    """Forecast the ``horizon`` steps after the end of ``series`` (regularised at the model's interval)."""
    info = model.info
    L = info.lookback
    if len(series) < L:
        raise NotEnoughHistory(
            Message.of(
                MessageId.HISTORY_SHORT_TO_FORECAST,
                channel=channel,
                n=str(len(series)),
                interval=info.interval,
                lookback=str(L),
                dur=human_duration(L * info.step_us),
            )
        )
    window = series.values[-L:]
    if not np.isfinite(window).all():  # the seasonal part copes with gaps; the network needs them filled
        gap_end = series.end_us - (L - int(np.flatnonzero(~np.isfinite(window)).max()) - 1) * series.step_us
        raise NotEnoughHistory(
            Message.of(
                MessageId.GAP_IN_LOOKBACK,
                channel=channel,
                gap=str(info.max_gap_steps),
                lookback=str(L),
                until=f"{pd.Timestamp(gap_end, unit='us', tz='UTC'):%Y-%m-%d %H:%M}",
            )
        )
    step = series.step_us
    times = pd.to_datetime(series.end_us + np.arange(info.horizon) * step, unit="us", utc=True)
    last = pd.Timestamp(series.end_us - step, unit="us", tz="UTC")
    name = model.path.name if model.path is not None else ""
    return ChannelForecast(channel, times, model.forecast(series.values), last, name)
