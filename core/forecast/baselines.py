"""Naive forecasts every model must beat, and the error measures used to compare them.

Forecasts are made for windows identified by their first target index ``t`` (see
:func:`core.forecast.transform.window_targets`): step ``h`` (0-based) forecasts ``values[t + h]``
from values before ``t``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


def persistence(values: np.ndarray, targets: np.ndarray, horizon: int) -> np.ndarray:
    """Repeat the last value before each window: ``(n, horizon)``."""
    last = np.asarray(values, dtype=np.float64)[np.asarray(targets) - 1]
    return np.repeat(last[:, None], horizon, axis=1)


def seasonal_naive(values: np.ndarray, targets: np.ndarray, horizon: int, period: int) -> np.ndarray:
    """The value at the same phase of the latest full period before the window: ``(n, horizon)``.

    Step ``h`` takes ``values[t + h - k * period]`` with the smallest ``k`` that lands before ``t``,
    so horizons longer than a period repeat the last period. Where that value is unknown (before
    the start, or in a long gap) the persistence forecast stands in.
    """
    v = np.asarray(values, dtype=np.float64)
    t = np.asarray(targets, dtype=np.int64)
    h = np.arange(horizon)
    back = period * (h // period + 1)
    idx = t[:, None] + h[None, :] - back[None, :]
    pred = np.where(idx >= 0, v[np.clip(idx, 0, None)], np.nan)
    fallback = persistence(v, t, horizon)
    return np.where(np.isnan(pred), fallback, pred)


def combine(network: np.ndarray, seasonal: np.ndarray | None, seasonal_weight: float) -> np.ndarray:
    """The final forecast: the network's, with ``seasonal_weight`` of the seasonal-naive one mixed in."""
    if seasonal is None or seasonal_weight == 0:
        return np.asarray(network, dtype=np.float64)
    return (1 - seasonal_weight) * np.asarray(network, dtype=np.float64) + seasonal_weight * seasonal


@dataclass(frozen=True, slots=True)
class Scores:
    """Mean squared and absolute error on the z-scored scale and in original units."""

    mse_z: float
    mae_z: float
    mse: float
    mae: float

    @classmethod
    def of(cls, pred_z: np.ndarray, truth_z: np.ndarray, std: float) -> Scores:
        """Scores of z-scored forecasts; original-unit errors scale by the scaler's ``std``."""
        err = np.asarray(pred_z, dtype=np.float64) - np.asarray(truth_z, dtype=np.float64)
        if not err.size:
            return cls(float("nan"), float("nan"), float("nan"), float("nan"))
        mse_z, mae_z = float(np.mean(err**2)), float(np.mean(np.abs(err)))
        return cls(mse_z, mae_z, mse_z * std**2, mae_z * std)

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def skill(mae_model: float, mae_persistence: float) -> float:
    """``1 - MAE_model / MAE_persistence``: above 0 beats repeating the last value (NaN if undefined)."""
    if not np.isfinite(mae_persistence) or mae_persistence <= 0:
        return float("nan")
    return float(1.0 - mae_model / mae_persistence)
