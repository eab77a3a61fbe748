"""LaggedReference: the channel's level as it ran before, for changes too slow or too long for a window.

The window evidence compares a reading with the readings just before it, so a change that builds
up over longer than the window (a slow drift, spikes that become more frequent, a level that
creeps) becomes "normal" as it happens. Here the mean of the last ``smooth`` readings is compared
with the mean and spread of such means over a long ``history`` that ends ``lag`` readings ago: a
fault is compared with the channel before the fault began. Readings the scorer holds back (inside
a fresh anomaly) never join it; a lasting change joins once the scorer learns it as the new normal.

The reference is refitted only when the owner says (the scorer does it at fixed reading counts),
from readings at least ``lag`` old: causal and the same however readings are batched.
"""

from __future__ import annotations

import numpy as np

from core.anomaly.evidence import nan_array
from core.anomaly.rolling import trailing_mean

MIN_COUNT = 64  # smoothed values the reference needs before it is used


class LaggedReference:
    __slots__ = ("_buffer", "_fit", "_pending", "_tail", "history", "lag", "smooth")

    def __init__(self, smooth: int = 6, lag: int = 200, history: int = 2000) -> None:
        self.smooth, self.lag, self.history = smooth, lag, history
        self._tail = np.empty(0)  # the last smooth - 1 readings
        self._pending = np.empty(0)  # the last ``lag`` smoothed values (NaN: not to be learned)
        self._buffer = np.empty(0)  # smoothed values of normal readings, at least ``lag`` old
        self._fit: tuple[float, float] | None = None  # mean, spread

    def features(self, x: np.ndarray, floor: np.ndarray) -> tuple[np.ndarray, ...]:
        """``(strangeness, smoothed level, reference mean, reference spread)`` of each reading."""
        m, w = len(x), self.smooth
        full = np.concatenate((self._tail, x))
        h = len(self._tail)
        first = max(0, w - 1 - h)
        if not first:
            level = trailing_mean(full, h, w)
        else:
            level = nan_array(m)
            if first < m:
                level[first:] = trailing_mean(full, h + first, w)
        self._tail = full[-(w - 1) :] if w > 1 else full[:0]
        if self._fit is None:
            nan = nan_array(m)
            return nan, level, nan.copy(), nan.copy()
        mean, spread = self._fit
        scale = np.maximum(spread, floor)
        means = np.empty(m)
        means.fill(mean)
        return np.abs(level - mean) / scale, level, means, scale

    def learn(self, level: np.ndarray, held: np.ndarray, restart: int | None = None) -> None:
        """Queue this segment's smoothed levels; those ``lag`` old join the reference.

        ``restart``: the reading where a lasting change became the channel's new normal; the
        reference starts again from the levels after it (the old level is no longer normal, and
        comparing with it would report the same change again and again).
        """
        if restart is not None:
            self._buffer = self._buffer[:0]
            self._pending = self._pending[:0]
            level, held = level[restart + 1 :], held[restart + 1 :]
        self._pending = np.concatenate((self._pending, np.where(held, np.nan, level)))
        ready = self._pending[: max(0, len(self._pending) - self.lag)]
        self._pending = self._pending[len(ready) :]
        ready = ready[np.isfinite(ready)]
        if len(ready):
            self._buffer = np.concatenate((self._buffer, ready))[-self.history :]

    def refit(self) -> None:
        if len(self._buffer) < MIN_COUNT:
            self._fit = None
            return
        # Mean and standard deviation: a spiky channel's smoothed level has heavy tails, and its
        # spread must include them (fresh anomalies never get here).
        self._fit = (float(self._buffer.mean()), float(self._buffer.std()))
