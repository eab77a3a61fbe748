"""The raw evidence of one reading: window features, a stuck sensor and an impossible rate.

Each function or tracker turns readings into a non-negative strangeness (window features) or a
direct surprise in decades (stuck, rate), using earlier readings only.
"""

from __future__ import annotations

import math

import numpy as np

from core.anomaly.rolling import past_order_stats, run_lengths, trailing_mean

_IQR_TO_SIGMA = 1 / 1.349
_MEAN_ABS_TO_SIGMA = 1.2533  # sigma of Gaussian steps from their mean absolute value
RATE_SURPRISE = 12.0  # decades given to a physically impossible rate of change
STUCK_MAX = 8.0  # a stuck run's surprise stops growing here, so a lasting fault can become known


def window_features(
    full: np.ndarray, h: int, window: int, short: int, res: np.ndarray
) -> tuple[np.ndarray, ...]:
    """``(level, shift, step, spread, base, sigma)`` of the readings ``full[h:]`` (NaN: too early).

    level: distance from the median of the previous ``window`` readings, in IQR-sigmas;
    shift: the median of the last ``short`` readings (this one included) against the median of the
    ``window`` readings before them, in their IQR-sigmas (a level shift; one spike cannot move it);
    step: the change from the previous reading, in units of the usual change;
    spread: log of the recent (``short``) mean change over the usual one — above 0: variance up.
    base, sigma: the rolling median and IQR-sigma that ``level`` measured against.
    ``res`` is the signal's resolution before each reading (a floor for every scale).
    """
    m = len(full) - h
    j0 = max(0, window + short - h)  # first reading with a full window of earlier readings
    if j0 >= m:
        return tuple(nan_array(m) for _ in range(6))
    start = h + j0
    n = m - j0
    x = full[start:]
    before = full[start - window - 1 :]
    absdiff = np.abs(before[1:] - before[:-1])  # absdiff[k] = |full[a+k+1] - full[a+k]|
    ranks = (window // 4, window // 2, (3 * window) // 4)
    # The window before each reading from ``short - 1`` readings before x on: the last n rows are
    # the level's windows, the first n the shift's reference (the window before the last
    # ``short`` readings), in one partition.
    stats = past_order_stats(full, start - short + 1, window, ranks)
    q1, med, q3 = stats[:, short - 1 :]
    r1, rmed, r3 = stats[:, :n]
    usual = trailing_mean(absdiff, window - 1, window)[:n]  # the `window` changes before x
    recent = trailing_mean(absdiff, window, short)  # the `short` changes up to and including x
    floor = np.maximum(res[j0:], 1e-9 * (1.0 + np.abs(med)))
    base = med
    sigma = np.maximum((q3 - q1) * _IQR_TO_SIGMA, floor)
    level = np.abs(x - med) / sigma
    # The median of the last ``short`` readings (x included): the window before the next reading.
    (recent_med,) = past_order_stats(full, start + 1, short, (short // 2,), stop=len(full) + 1)
    shift = np.abs(recent_med - rmed) / np.maximum((r3 - r1) * _IQR_TO_SIGMA, floor)
    step = absdiff[window:] / np.maximum(usual * _MEAN_ABS_TO_SIGMA, floor)
    # A spread that collapses to nothing is the stuck tracker's business: bound the ratio at 20.
    calm = np.maximum(floor, 0.05 * usual)
    spread = np.log((recent + calm) / (usual + calm))
    out = (level, shift, step, spread, base, sigma)
    if j0:
        return tuple(np.concatenate((nan_array(j0), a)) for a in out)
    return out


def nan_array(m: int) -> np.ndarray:
    """``np.full(m, np.nan)`` without its Python-level cost."""
    out = np.empty(m)
    out.fill(np.nan)
    return out


class StuckTracker:
    """Surprise of a run of identical readings longer than any the channel has finished.

    Beyond the longest finished run (and ``minimum``), each further identical reading adds the
    surprise of one more chance repeat, ``-log10`` of the channel's repeat rate outside the run:
    a noisy signal that freezes is news within a few readings, a coarse slow one only much later.
    A channel that has never changed is not stuck; it is constant.
    """

    __slots__ = ("_count", "_longest", "_repeats", "_run", "_start_us", "_value", "last", "minimum")

    def __init__(self, minimum: int = 3) -> None:
        self.minimum = minimum
        # Of the last batch, per reading: (run length, longest finished run, run's first time).
        self.last: tuple[np.ndarray, np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0), np.zeros(0))
        self._start_us = 0
        self._run = 0
        self._value = math.nan
        self._longest = 0
        self._repeats = 0
        self._count = 0

    def surprise(self, x: np.ndarray, t: np.ndarray) -> np.ndarray:
        m = len(x)
        if not m:
            return np.zeros(0)
        if not (self._run > 0 and x[0] == self._value) and not (x[1:] == x[:-1]).any():
            return self._all_changed(x, t)
        run, breaks = run_lengths(x, self._value, self._run)
        first = np.arange(m) - run + 1
        start_us = np.where(first >= 0, t[np.maximum(first, 0)], self._start_us)
        prev_run = np.concatenate(([self._run], run[:-1]))
        finished = np.where(breaks & (prev_run > 0), prev_run, 0)
        longest = np.maximum.accumulate(np.maximum(finished, self._longest))
        repeats = self._repeats + np.cumsum(~breaks)
        count = self._count + np.arange(1, m + 1)
        q = (repeats - (run - 1) + 1.0) / (count - (run - 1) + 2.0)
        per_reading = np.clip(-np.log10(q), 0.05, 3.0)
        allowed = np.maximum(longest, self.minimum)
        out = np.where((longest > 0) & (run > allowed), (run - allowed) * per_reading, 0.0)
        self.last = (run, longest, start_us)
        self._run, self._value, self._start_us = int(run[-1]), float(x[-1]), int(start_us[-1])
        self._longest, self._repeats, self._count = int(longest[-1]), int(repeats[-1]), int(count[-1])
        return np.minimum(out, STUCK_MAX)

    def _all_changed(self, x: np.ndarray, t: np.ndarray) -> np.ndarray:
        """:meth:`surprise` when every reading differs from the one before (a noisy signal): each
        starts a run of one, the run before the first one is finished, and nothing is stuck."""
        m = len(x)
        run = np.empty(m, np.int64)
        run.fill(1)
        longest = np.empty(m, np.int64)
        first = max(self._run, self._longest)
        longest.fill(max(first, 1))
        longest[0] = first
        self.last = (run, longest, t.copy())
        self._run, self._value, self._start_us = 1, float(x[-1]), int(t[-1])
        self._longest, self._count = int(longest[-1]), self._count + m
        return np.zeros(m)


def rate_surprise(
    t: np.ndarray, step: np.ndarray, t_before: int | None, max_rate: float | None
) -> np.ndarray:
    """Direct evidence for a change faster than ``max_rate`` units per second."""
    if max_rate is None or not len(t):
        return np.zeros(len(t))
    prev_t = np.concatenate(([t[0] if t_before is None else t_before], t[:-1]))
    dt = np.maximum(t - prev_t, 1) / 1e6
    too_fast = np.nan_to_num(step, nan=0.0) / dt > max_rate
    return np.where(too_fast, RATE_SURPRISE, 0.0)
