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
from collections.abc import Sequence

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
        self._params = fit_tail(self._hist, self.tail, self.min_beta, self.min_count)


def fit_tail(
    hist: np.ndarray, tail: float, min_beta: float, min_count: int
) -> tuple[np.ndarray, np.ndarray, float, float, float] | None:
    """``(knots, their surprise, last knot, its surprise, tail scale)`` fitted to ``hist``, or None
    while it holds fewer than ``min_count`` values."""
    if len(hist) < min_count:
        return None
    return fit_tails(hist[None, :], tail, [min_beta])[0]


def fit_tails(
    hists: np.ndarray, tail: float, min_beta: Sequence[float]
) -> list[tuple[np.ndarray, np.ndarray, float, float, float]]:
    """:func:`fit_tail` of each row of ``hists`` (rows of one length), the arithmetic row by row
    the same."""
    n = hists.shape[1]
    p_tail = max(tail, 8.0 / n)
    k = max(1, math.ceil(p_tail * n))
    ranks = {"median": (n - 1) // 2, "threshold": n - k - 1}
    knot_p = [p for p in _KNOT_P if p > p_tail]
    ranks.update({p: min(n - 1, math.ceil((1 - p) * n) - 1) for p in knot_p})
    # A partial sort at the few ranks needed is several times cheaper than sorting.
    s = np.partition(hists, sorted(set(ranks.values())), axis=1)
    threshold = s[:, ranks["threshold"]]
    median = s[:, ranks["median"]]
    knots_e = np.stack([median, *(s[:, ranks[p]] for p in knot_p), threshold], axis=1)
    knots_u = np.asarray([0.0, *(-math.log10(p) for p in knot_p), -math.log10(k / n)])
    u_tail = float(knots_u[-1])
    xp = np.maximum.accumulate(knots_e, axis=1)
    # np.interp wants increasing knots; ties (a largely constant feature) get a tiny nudge.
    xp = xp + (np.arange(xp.shape[1]) * 1e-12)[None, :] * np.maximum(1.0, np.abs(xp[:, -1:]))
    top = s[:, n - k :].mean(axis=1) - threshold
    spread = threshold - median
    fits = []
    for r in range(len(hists)):
        beta = max(float(top[r]), min_beta[r], 0.25 * float(spread[r]))
        fits.append((xp[r], knots_u, float(xp[r, -1]), u_tail, beta))
    return fits


class CalibrationBank:
    """Several :class:`TailCalibrator` (rows), each learning its own values, used as one.

    :meth:`surprise` and :meth:`learn` take a ``(rows, m)`` array and do for every row exactly
    what a calibrator of its own would (the same arithmetic, so the same numbers), in a few array
    operations instead of a few per row: the fixed cost of a call is what a live monitor, scoring
    a few readings per channel a second, pays. The values learned are kept in one buffer, NaN
    (absent) included, so every row appends the same columns; the NaN are dropped when the
    buffer is compacted or a fit reads it, leaving each row the values its own calibrator keeps.
    """

    __slots__ = (
        "_all_ready",
        "_any_ready",
        "_base",
        "_buf",
        "_clip",
        "_ek",
        "_end",
        "_fp",
        "_inner",
        "_params",
        "_ready",
        "_scale",
        "_sl",
        "_uk",
        "_x0",
        "_xp",
        "history",
        "min_beta",
        "min_count",
        "tail",
    )

    def __init__(
        self, history: int, min_beta: Sequence[float], min_count: Sequence[int], tail: float = 0.02
    ) -> None:
        rows = len(min_beta)
        if len(min_count) != rows:
            raise ValueError("one min_beta and one min_count per row")
        self.history = history
        self.tail = tail
        self.min_beta = list(min_beta)
        self.min_count = list(min_count)
        self._buf = np.empty((rows, 2 * history + 256))
        self._end = 0  # columns of _buf in use
        self._params: list[tuple[np.ndarray, np.ndarray, float, float, float] | None] = [None] * rows
        self._pack()

    def __len__(self) -> int:
        return len(self.min_beta)

    @property
    def ready(self) -> np.ndarray:
        """Per row: fitted (its surprise is not all zero)."""
        return self._ready

    def values(self, row: int) -> np.ndarray:
        """The history row ``row``'s next fit uses: its last ``history`` values learned."""
        kept = self._buf[row, : self._end]
        return kept[kept == kept][-self.history :]

    def refit(self) -> None:
        """Fit every row's tail to its history learned so far."""
        hists = [self.values(r) for r in range(len(self))]
        params: list[tuple[np.ndarray, np.ndarray, float, float, float] | None] = [None] * len(self)
        # Rows with as many values (all full, once warmed up) are fitted together.
        by_length: dict[int, list[int]] = {}
        for r, hist in enumerate(hists):
            if len(hist) >= self.min_count[r]:
                by_length.setdefault(len(hist), []).append(r)
        for rows in by_length.values():
            fits = fit_tails(np.array([hists[r] for r in rows]), self.tail, [self.min_beta[r] for r in rows])
            for r, fit in zip(rows, fits, strict=True):
                params[r] = fit
        self._params = params
        self._pack()

    def _pack(self) -> None:
        """Lay the fits out as padded arrays: knots, their surprises and the slopes between."""
        rows = len(self)
        width = max([2] + [len(p[0]) for p in self._params if p is not None])
        inner = np.full((rows, width - 2), np.inf)  # knots 1 .. n - 2: they say which segment
        xp = np.zeros((rows, width))
        fp = np.zeros((rows, width))
        sl = np.zeros((rows, width))
        x0 = np.full((rows, 1), np.inf)  # below the first knot (and NaN): surprise 0
        ek, uk, scale = np.full((rows, 1), np.inf), np.zeros((rows, 1)), np.ones((rows, 1))
        clip = np.full((rows, 1), np.inf)
        for r, p in enumerate(self._params):
            if p is None:
                continue
            knots, knots_u, e_k, u_k, beta = p
            n = len(knots)
            xp[r, :n], fp[r, :n], inner[r, : n - 2] = knots, knots_u, knots[1:-1]
            # np.interp's slope between knots j and j + 1 (the same arithmetic).
            sl[r, : n - 1] = (knots_u[1:] - knots_u[:-1]) / (knots[1:] - knots[:-1])
            x0[r] = knots[0]
            ek[r], uk[r], scale[r] = e_k, u_k, beta * _LN10
            clip[r] = e_k + LEARN_CLIP_DECADES * _LN10 * beta
        self._inner = inner[:, None, :]
        self._xp, self._fp, self._sl = xp.ravel(), fp.ravel(), sl.ravel()
        self._x0 = x0
        self._base = (np.arange(rows) * width)[:, None]
        self._ek, self._uk, self._scale, self._clip = ek, uk, scale, clip
        self._ready = np.array([p is not None for p in self._params], dtype=bool)
        self._any_ready, self._all_ready = bool(self._ready.any()), bool(self._ready.all())

    def surprise(self, values: np.ndarray) -> np.ndarray:
        """Surprise of each value, row by row under that row's fit (0 for NaN or before a fit).

        ``values``: ``(rows, m)`` float64. What ``np.interp(v, knots, surprises, left=0.0)`` and
        the tail past the last knot give, the same arithmetic element by element.
        """
        v = values
        if not self._any_ready:
            return np.zeros(v.shape)
        # The segment j with knot j <= v < knot j + 1 (past the last knot: the tail below).
        within = np.minimum(v, self._ek)
        j = (within[:, :, None] >= self._inner).sum(axis=2) + self._base
        u = self._sl.take(j) * (within - self._xp.take(j)) + self._fp.take(j)
        u = np.where(v >= self._x0, u, 0.0)  # below the first knot, NaN (absent) and unfitted: 0
        u = np.where(v >= self._ek, self._uk + (v - self._ek) / self._scale, u)
        u = np.minimum(u, MAX_SURPRISE)
        if not self._all_ready:
            u[~self._ready] = 0.0
        return u

    def learn(self, values: np.ndarray) -> None:
        """Add each row's values (NaN ignored) to the history its next fit uses."""
        m = values.shape[1]
        v = np.minimum(values, self._clip)  # NaN stays NaN
        if self._end + m > self._buf.shape[1]:
            self._compact(v)
            return
        self._buf[:, self._end : self._end + m] = v
        self._end += m

    def _compact(self, more: np.ndarray) -> None:
        """Keep each row's last ``history`` values (with ``more`` after them) at the buffer's start."""
        kept = [np.concatenate((self._buf[r, : self._end], more[r])) for r in range(len(self))]
        kept = [k[k == k][-self.history :] for k in kept]
        end = max(len(k) for k in kept)
        for r, k in enumerate(kept):  # shorter rows are padded with NaN in front
            self._buf[r, : end - len(k)] = np.nan
            self._buf[r, end - len(k) : end] = k
        self._end = end
