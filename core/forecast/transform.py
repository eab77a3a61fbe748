"""From readings to model inputs: regular buckets, gap filling, windows that never cross a long gap,
and a scaler fitted on the training rows only.

Everything here is pure numpy/pandas so it is easy to test and fast: windows are views of one array
(``sliding_window_view``), not Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True, slots=True)
class RegularSeries:
    """A channel on a regular grid: bucket ``i`` starts at ``start_us + i * step_us`` (UTC microseconds).

    ``values`` holds the mean of each bucket; gaps too long to interpolate stay NaN.
    """

    start_us: int
    step_us: int
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.values)

    @property
    def end_us(self) -> int:
        """Start of the bucket after the last one."""
        return self.start_us + len(self.values) * self.step_us

    def times(self) -> pd.DatetimeIndex:
        return pd.to_datetime(self.start_us + np.arange(len(self.values)) * self.step_us, unit="us", utc=True)

    def tail(self, n: int) -> RegularSeries:
        """The newest ``n`` buckets."""
        if n >= len(self.values):
            return self
        cut = len(self.values) - n
        return RegularSeries(self.start_us + cut * self.step_us, self.step_us, self.values[cut:])


def to_us(ts: object) -> np.ndarray:
    """Timestamps (naive = UTC) as int64 microseconds since the epoch."""
    index = pd.DatetimeIndex(pd.to_datetime(ts, utc=True))
    return index.as_unit("us").asi8.astype(np.int64)


def fill_gaps(values: np.ndarray, max_steps: int) -> np.ndarray:
    """Interpolate interior runs of at most ``max_steps`` NaNs linearly; longer runs stay NaN.

    Leading and trailing NaNs have no value on one side and are left alone.
    """
    out = np.array(values, dtype=np.float64)
    missing = np.isnan(out)
    if not missing.any() or max_steps <= 0:
        return out
    known = np.flatnonzero(~missing)
    if len(known) < 2:
        return out
    # Each known point with a short gap after it: fill that gap from it to the next known point.
    gaps = np.diff(known) - 1
    for i in np.flatnonzero((gaps > 0) & (gaps <= max_steps)):
        a, b = known[i], known[i + 1]
        out[a + 1 : b] = np.interp(np.arange(a + 1, b), [a, b], [out[a], out[b]])
    return out


def from_buckets(keys: np.ndarray, means: np.ndarray, step_us: int, max_gap_steps: int) -> RegularSeries:
    """A series from bucket numbers (``time_us // step_us``) and their means, with gaps filled."""
    keys = np.asarray(keys, dtype=np.int64)
    means = np.asarray(means, dtype=np.float64)
    ok = np.isfinite(means)
    keys, means = keys[ok], means[ok]
    if not len(keys):
        return RegularSeries(0, step_us, np.empty(0))
    first = int(keys.min())
    values = np.full(int(keys.max()) - first + 1, np.nan)
    values[keys - first] = means
    return RegularSeries(first * step_us, step_us, fill_gaps(values, max_gap_steps))


def regularise(ts: object, values: object, step_us: int, max_gap_steps: int) -> RegularSeries:
    """Readings at any times → one mean per ``step_us`` bucket, short gaps interpolated.

    Non-finite values are ignored; an empty input gives an empty series.
    """
    t = to_us(ts)
    v = np.asarray(values, dtype=np.float64)
    if len(t) != len(v):
        raise ValueError(f"{len(t)} timestamps but {len(v)} values")
    ok = np.isfinite(v)
    t, v = t[ok], v[ok]
    if not len(t):
        return RegularSeries(0, step_us, np.empty(0))
    keys = t // step_us
    uniq, inverse = np.unique(keys, return_inverse=True)
    means = np.bincount(inverse, weights=v) / np.bincount(inverse)
    return from_buckets(uniq, means, step_us, max_gap_steps)


def infer_step_us(ts: object) -> int:
    """The typical spacing of timestamps (median difference), rounded to whole seconds."""
    t = np.unique(to_us(ts))
    if len(t) < 2:
        raise ValueError("at least two distinct timestamps are needed to infer the interval")
    seconds = max(1, round(float(np.median(np.diff(t))) / 1e6))
    return int(seconds * 1_000_000)


def window_targets(
    values: np.ndarray, lookback: int, horizon: int, lo: int = 0, hi: int | None = None, stride: int = 1
) -> np.ndarray:
    """Start indices ``t`` of windows whose targets ``[t, t + horizon)`` lie in ``[lo, hi)``.

    A window's inputs are ``[t - lookback, t)``; windows with any NaN in inputs or targets (a long
    gap) are left out, so no window crosses a gap. ``stride`` keeps every stride-th usable window.
    """
    n = len(values)
    hi = n if hi is None else min(hi, n)
    first, last = max(lo, lookback), hi - horizon  # inclusive range of t
    if last < first:
        return np.empty(0, dtype=np.int64)
    bad = np.concatenate([[0], np.cumsum(np.isnan(values))])
    t = np.arange(first, last + 1)
    clean = bad[t + horizon] - bad[t - lookback] == 0
    usable = t[clean].astype(np.int64)
    if stride > 1:  # thin from the newest window back, so the most recent one is always kept
        usable = usable[::-1][::stride][::-1].copy()
    return usable


def make_windows(
    z: np.ndarray, targets: np.ndarray, lookback: int, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``(n, lookback)`` and targets ``(n, horizon)`` as float32 for the windows at ``targets``."""
    if not len(targets):
        return np.empty((0, lookback), np.float32), np.empty((0, horizon), np.float32)
    rows = sliding_window_view(np.asarray(z, dtype=np.float32), lookback + horizon)[targets - lookback]
    return np.ascontiguousarray(rows[:, :lookback]), np.ascontiguousarray(rows[:, lookback:])


@dataclass(frozen=True, slots=True)
class Scaler:
    """z-score with the training rows' mean and population standard deviation."""

    mean: float
    std: float

    @classmethod
    def fit(cls, train_values: np.ndarray) -> Scaler:
        """Fit on training rows only (NaNs ignored). A constant series gets std 1 so nothing divides by 0."""
        v = np.asarray(train_values, dtype=np.float64)
        v = v[np.isfinite(v)]
        if not len(v):
            raise ValueError("no finite training values to fit the scaler on")
        mean, std = float(v.mean()), float(v.std())
        if not np.isfinite(std) or std <= 1e-12 * max(1.0, abs(mean)):
            std = 1.0
        return cls(mean, std)

    def transform(self, values: np.ndarray) -> np.ndarray:
        return (np.asarray(values, dtype=np.float64) - self.mean) / self.std

    def inverse(self, z: np.ndarray) -> np.ndarray:
        return np.asarray(z, dtype=np.float64) * self.std + self.mean

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "std": self.std}

    @classmethod
    def from_dict(cls, d: dict[str, float]) -> Scaler:
        return cls(float(d["mean"]), float(d["std"]))
