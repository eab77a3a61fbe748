"""A channel's history as training material: the time-ordered split, the scaler and the windows.

The newest ``validation_fraction`` of the steps are validation targets (their inputs may reach back
into training rows, as in the literature); everything before is training. The scaler sees only
training rows. Windows never cross a gap longer than ``max_gap_steps``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.forecast.errors import NotEnoughHistory
from core.forecast.settings import ForecastSettings
from core.forecast.transform import RegularSeries, Scaler, make_windows, window_targets
from core.messages import Message, MessageId

M = MessageId

MIN_TRAIN_WINDOWS = 100
MIN_VAL_WINDOWS = 20


@dataclass
class Dataset:
    """Windows ready for :func:`core.forecast.train.fit_network`, with what made them."""

    series: RegularSeries
    scaler: Scaler
    z: np.ndarray  # the whole series, z-scored (NaN in long gaps)
    split: int  # first validation target row
    train_targets: np.ndarray
    val_targets: np.ndarray
    stride: int
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray


def human_duration(us: int) -> str:
    """``90061000000`` → ``"1 day 1 h"``: rough, for messages."""
    minutes = max(1, round(us / 60e6))
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} day{'s' * (days != 1)}"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts) or "1 min"


def _split(n: int, fraction: float) -> int:
    return n - round(fraction * n)


def required_steps(settings: ForecastSettings) -> int:
    """The fewest gap-free steps that give enough training and validation windows."""
    L, H, f = settings.lookback, settings.horizon, settings.validation_fraction
    n = math.ceil(max((L + H + MIN_TRAIN_WINDOWS - 1) / (1 - f), (H + MIN_VAL_WINDOWS - 1) / f))
    while True:
        split = _split(n, f)
        if split - L - H + 1 >= MIN_TRAIN_WINDOWS and n - split - H + 1 >= MIN_VAL_WINDOWS:
            return n
        n += 1


def prepare_dataset(series: RegularSeries, settings: ForecastSettings, channel: str) -> Dataset:
    """Split, scale and window ``series``; :class:`NotEnoughHistory` says how much more is needed."""
    series = series.tail(settings.max_history_steps)
    n, L, H = len(series), settings.lookback, settings.horizon
    need = required_steps(settings)
    if n < need:
        raise NotEnoughHistory(
            Message.of(
                M.HISTORY_SHORT_TO_TRAIN,
                channel=channel,
                n=str(n),
                interval=settings.interval,
                need=str(need),
                dur=human_duration(need * settings.step_us),
                lookback=str(L),
                horizon=str(H),
            )
        )
    split = _split(n, settings.validation_fraction)
    values = series.values
    if not np.isfinite(values[:split]).any():
        raise NotEnoughHistory(Message.of(M.NO_READINGS_TO_TRAIN, channel=channel))
    scaler = Scaler.fit(values[:split])
    z = scaler.transform(values)
    all_train = window_targets(z, L, H, 0, split)
    stride = max(1, math.ceil(len(all_train) / settings.max_train_windows))
    train_t = all_train if stride == 1 else window_targets(z, L, H, 0, split, stride)
    val_t = window_targets(z, L, H, split, n)
    if len(all_train) < MIN_TRAIN_WINDOWS or len(val_t) < MIN_VAL_WINDOWS:
        raise NotEnoughHistory(
            Message.of(
                M.TOO_FEW_WINDOWS,
                channel=channel,
                train=str(len(all_train)),
                val=str(len(val_t)),
                gap=str(settings.max_gap_steps),
                min_train=str(MIN_TRAIN_WINDOWS),
                min_val=str(MIN_VAL_WINDOWS),
            )
        )
    x_tr, y_tr = make_windows(z, train_t, L, H)
    x_va, y_va = make_windows(z, val_t, L, H)
    return Dataset(series, scaler, z, split, train_t, val_t, stride, x_tr, y_tr, x_va, y_va)
