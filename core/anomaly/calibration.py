"""TailCalibrator: turn a strangeness value into surprise, learned from that value's own past.

Surprise is ``-log10`` of the probability that normal behaviour produces a value at least this
strange, so 3.0 means "one in a thousand". The distribution is each feature's own recent history
(a conformal-style empirical tail), extended beyond the largest values by an exponential tail fitted
to the excesses over a high quantile (peaks over threshold, as in SPOT). That makes one number mean
the same on a quiet temperature and on a bursty counter, and lets a value far outside anything seen
carry more surprise than the history alone could express.

The owner decides when to :meth:`refit` (the scorer does it at fixed reading counts) and which
values to :meth:`learn` (it skips readings inside a fresh anomaly, so one fault does not teach the
calibration to ignore the next).
"""

from __future__ import annotations

import math

import numpy as np

_LN10 = math.log(10.0)
# Tail probabilities of the interpolation knots below the fitted tail.
_KNOT_P = (0.25, 0.1, 0.05)
MAX_SURPRISE = 20.0
# A learned value is clipped where the current tail gives it this many decades more than the tail
# threshold: one extreme reading then teaches "that was rare", not "anything up to here is normal",
# so a 60-sigma spike an hour ago does not hide the next one; a value that keeps coming back still
# raises the tail, refit by refit, until it is normal.
LEARN_CLIP_DECADES = 1.5


class TailCalibrator:
    """Map a non-negative strangeness to surprise in decades."""

    __slots__ = ("_count", "_hist", "_params", "history", "min_beta", "min_count", "tail")

    def __init__(
        self, history: int = 2000, tail: float = 0.02, min_beta: float = 0.25, min_count: int = 48
    ) -> None:
        self.history = history
        self.tail = tail
        self.min_beta = min_beta  # the tail may not be steeper than this (in the value's units)
        self.min_count = min_count
        self._hist = np.empty(0)
        self._count = 0
        self._params: tuple[np.ndarray, np.ndarray, float, float, float] | None = None

    @property
    def count(self) -> int:
        """Values learned so far."""
        return self._count

    @property
    def ready(self) -> bool:
        return self._params is not None

    def surprise(self, values: np.ndarray) -> np.ndarray:
        """Surprise of each value under the current fit (0 for NaN or before the first fit)."""
        values = np.asarray(values, dtype=np.float64)
        if self._params is None:
            return np.zeros(len(values))
        xp, fp, e_k, u_k, beta = self._params
        v = np.where(values == values, values, -np.inf)  # NaN (absent) maps to surprise 0
        u = np.interp(v, xp, fp, left=0.0)
        over = v > e_k
        if over.any():
            u[over] = u_k + (v[over] - e_k) / (beta * _LN10)
        return np.minimum(u, MAX_SURPRISE)

    def learn(self, values: np.ndarray) -> None:
        """Add values (NaN ignored) to the history the next fit uses."""
        values = values[~np.isnan(values)]
        if not len(values):
            return
        if self._params is not None:
            _, _, e_k, _, beta = self._params
            values = np.minimum(values, e_k + LEARN_CLIP_DECADES * _LN10 * beta)
        hist = np.concatenate((self._hist, values))
        self._hist = hist[-self.history :] if len(hist) > self.history else hist
        self._count += len(values)

    def refit(self) -> None:
        """Fit the tail to the history learned so far."""
        n = len(self._hist)
        if n < self.min_count:
            self._params = None
            return
        p_tail = max(self.tail, 8.0 / n)
        k = max(1, math.ceil(p_tail * n))
        ranks = {"median": (n - 1) // 2, "threshold": n - k - 1}
        knot_p = [p for p in _KNOT_P if p > p_tail]
        ranks.update({p: min(n - 1, math.ceil((1 - p) * n) - 1) for p in knot_p})
        # A partial sort at the few ranks needed is several times cheaper than sorting.
        s = np.partition(self._hist, sorted(set(ranks.values())))
        threshold = s[ranks["threshold"]]
        median = s[ranks["median"]]
        knots_e = [median, *(s[ranks[p]] for p in knot_p), threshold]
        knots_u = [0.0, *(-math.log10(p) for p in knot_p)]
        u_tail = -math.log10(k / n)
        knots_u.append(u_tail)
        xp = np.maximum.accumulate(np.asarray(knots_e))
        # np.interp wants increasing knots; ties (a largely constant feature) get a tiny nudge.
        xp = xp + np.arange(len(xp)) * 1e-12 * max(1.0, abs(float(xp[-1])))
        spread = float(threshold - median)
        beta = max(float(s[n - k :].mean() - threshold), self.min_beta, 0.25 * spread)
        self._params = (xp, np.asarray(knots_u), float(xp[-1]), u_tail, beta)
