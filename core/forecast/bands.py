"""Uncertainty bands: split-conformal intervals per horizon step, calibrated on validation windows.

For each step ``h`` the half-width is the conformal quantile of the absolute validation residuals,
``|forecast - actual|``: with ``n`` residuals, the ``ceil((n + 1) * level)``-th smallest. If future
errors behave like validation errors, about ``level`` of actual values fall inside — the backtest
measures how well that holds on data the model never saw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LEVELS = (0.8, 0.95)


def conformal_halfwidth(residuals: np.ndarray, level: float) -> np.ndarray:
    """Half-width per step ``(horizon,)`` from residuals ``(n, horizon)`` (the largest one if n is small)."""
    r = np.abs(np.asarray(residuals, dtype=np.float64))
    n = len(r)
    if n == 0:
        raise ValueError("conformal bands need at least one validation window")
    k = min(n, math.ceil((n + 1) * level))
    return np.sort(r, axis=0)[k - 1]


@dataclass(frozen=True, slots=True)
class Bands:
    """Half-widths of the 80 % and 95 % bands per horizon step, on the z-scored scale."""

    half_80: np.ndarray
    half_95: np.ndarray

    @classmethod
    def calibrate(cls, pred_z: np.ndarray, truth_z: np.ndarray) -> Bands:
        residuals = np.asarray(pred_z) - np.asarray(truth_z)
        return cls(conformal_halfwidth(residuals, LEVELS[0]), conformal_halfwidth(residuals, LEVELS[1]))

    def to_dict(self) -> dict[str, list[float]]:
        return {"half_80": self.half_80.tolist(), "half_95": self.half_95.tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, list[float]]) -> Bands:
        return cls(np.asarray(d["half_80"], dtype=np.float64), np.asarray(d["half_95"], dtype=np.float64))

    def coverage(self, pred_z: np.ndarray, truth_z: np.ndarray) -> tuple[float, float]:
        """Share of actual values inside the 80 % and 95 % bands."""
        err = np.abs(np.asarray(pred_z) - np.asarray(truth_z))
        if not err.size:
            return float("nan"), float("nan")
        return float(np.mean(err <= self.half_80)), float(np.mean(err <= self.half_95))
