"""SeasonalProfile: the typical value at each time of day (or of week), learned from earlier periods.

Readings are averaged into bins of the period (UTC days or weeks) per period. The profile for
period ``k`` is the median, bin by bin, of the previous periods' bin means (at most ``periods`` of
them, at least ``min_periods``), read by linear interpolation between the bins' mean times (so a
signal sampled on the bin grid is predicted from exactly its own time of day). Because it uses
complete earlier periods only, a period's profile is fixed for the whole period: causal, and the
same however readings are batched.
"""

from __future__ import annotations

import warnings

import numpy as np

DAY_US = 86_400_000_000
WEEK_US = 7 * DAY_US
# 1970-01-01 was a Thursday: shift weeks to start on Monday 00:00 UTC.
_WEEK_SHIFT_US = 3 * DAY_US


class SeasonalProfile:
    """Prediction of each reading from the same time in earlier periods."""

    __slots__ = ("_cache", "_periods", "_shift", "bins", "min_periods", "period_us", "periods")

    def __init__(self, period_us: int = DAY_US, bins: int = 288, periods: int = 7, min_periods: int = 2):
        self.period_us = period_us
        self.bins = bins
        self.periods = periods
        self.min_periods = min_periods
        self._shift = _WEEK_SHIFT_US if period_us == WEEK_US else 0
        # period -> (sum, sum of squares, count, sum of positions) per bin
        self._periods: dict[int, tuple[np.ndarray, ...]] = {}
        self._cache: tuple[int, tuple[np.ndarray, np.ndarray] | None, float] = (-1, None, 0.0)

    def readings_per_period(self, before: int) -> int:
        """Readings learned in the latest complete period before period ``before`` (0 if none)."""
        past = [k for k in self._periods if k < before]
        return int(self._periods[max(past)][2].sum()) if past else 0

    def period_of(self, ts_us: np.ndarray) -> np.ndarray:
        return (ts_us + self._shift) // self.period_us

    def predict(
        self, ts_us: np.ndarray, x: np.ndarray, ordered: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(prediction, spread)`` per reading (NaN where no profile yet); then learns ``x``.

        ``ordered``: the caller knows ``ts_us`` never decreases (then one period and one bin are
        told by the first and last reading alone).
        """
        n = len(x)
        if not n:
            return np.full(n, np.nan), np.full(n, np.nan)
        if ordered:
            k = (int(ts_us[0]) + self._shift) // self.period_us
            if (int(ts_us[-1]) + self._shift) // self.period_us == k:
                pos = (ts_us - (k * self.period_us - self._shift)) * (self.bins / self.period_us)
                pred, spread = self._predict(k, pos)
                self._learn(k, pos, x, ordered=True)
                return pred, spread
        period = self.period_of(ts_us)
        pos = (ts_us + self._shift - period * self.period_us) * (self.bins / self.period_us)
        if (period == period[0]).all():  # all in one period (the usual case)
            k = int(period[0])
            pred, spread = self._predict(k, pos)
            self._learn(k, pos, x)
            return pred, spread
        pred = np.full(n, np.nan)
        spread = np.full(n, np.nan)
        # Readings of one period are contiguous.
        cuts = np.flatnonzero(np.diff(period)) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, n], strict=True):
            k = int(period[lo])
            pred[lo:hi], spread[lo:hi] = self._predict(k, pos[lo:hi])
            self._learn(k, pos[lo:hi], x[lo:hi])
        return pred, spread

    def _predict(self, k: int, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        prof, typical = self._profile(k)
        spread = np.empty(len(pos))
        if prof is None:
            spread.fill(np.nan)
            return spread.copy(), spread
        knots, values = prof
        spread.fill(typical)
        # np.interp(pos, knots, values, period=self.bins), its periodic knots made once a period.
        return np.interp(pos % self.bins, knots, values), spread

    def _learn(self, k: int, pos: np.ndarray, x: np.ndarray, ordered: bool = False) -> None:
        acc = self._periods.get(k)
        if acc is None:
            acc = tuple(np.zeros(self.bins) for _ in range(4))
            self._periods[k] = acc
            for old in [p for p in self._periods if p < k - 2 * self.periods]:
                del self._periods[old]
        first = int(pos[0])
        if ordered:
            b = None
            one_bin = first == int(pos[-1])
        else:
            b = pos.astype(np.int64)
            one_bin = bool((b == first).all())
        if one_bin and first < self.bins:
            # All in one bin: the same additions, one after another, as np.add.at makes, without
            # its per-call cost.
            total, squares, where = float(acc[0][first]), float(acc[1][first]), float(acc[3][first])
            for v, p in zip(x.tolist(), pos.tolist(), strict=True):
                total += v
                squares += v * v
                where += p
            acc[0][first], acc[1][first], acc[3][first] = total, squares, where
            acc[2][first] += len(x)  # a count: exact however it is added
            return
        b = np.minimum(pos.astype(np.int64) if b is None else b, self.bins - 1)
        np.add.at(acc[0], b, x)
        np.add.at(acc[1], b, x * x)
        np.add.at(acc[2], b, 1.0)
        np.add.at(acc[3], b, pos)

    def _profile(self, k: int) -> tuple[tuple[np.ndarray, np.ndarray] | None, float]:
        if self._cache[0] == k:
            return self._cache[1], self._cache[2]
        past = sorted(p for p in self._periods if p < k)[-self.periods :]
        prof, typical = None, 0.0
        if len(past) >= self.min_periods:
            sums = np.array([self._periods[p][0] for p in past])
            sq = np.array([self._periods[p][1] for p in past])
            cnt = np.array([self._periods[p][2] for p in past])
            at = np.array([self._periods[p][3] for p in past]).sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                means = np.where(cnt > 0, sums / cnt, np.nan)
                within = np.where(cnt > 1, sq / cnt - means**2, np.nan)
            seen = (~np.isnan(means)).sum(axis=0)
            usable = seen >= self.min_periods
            if _fillable(usable, max(1, self.bins // 24)):
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # empty bins are expected
                    med = np.nanmedian(np.where(usable, means, np.nan), axis=0)
                    between = np.nanmedian(np.abs(means - med), axis=0) * 1.4826
                    noise = np.sqrt(np.nanmedian(np.maximum(within, 0.0), axis=0))
                    typical = float(
                        np.sqrt(np.nanmedian(between) ** 2 + np.nan_to_num(np.nanmedian(noise)) ** 2)
                    )
                # Where the bins' readings sat (their mean position), else the bin's centre.
                total = cnt.sum(axis=0)
                knots = np.where(total > 0, at / np.maximum(total, 1), np.arange(self.bins) + 0.5)
                knots = np.maximum.accumulate(knots)  # np.interp needs them in order
                prof = _periodic(knots, _fill_circular(med), self.bins)
                if not np.isfinite(typical):
                    typical = 0.0
        self._cache = (k, prof, typical)
        return prof, typical


def _periodic(xp: np.ndarray, fp: np.ndarray, period: int) -> tuple[np.ndarray, np.ndarray]:
    """The knots ``np.interp(..., period=period)`` makes of ``xp`` and ``fp`` (the same steps), so
    each prediction can interpolate without making them again."""
    xp = xp % period
    order = np.argsort(xp)
    xp, fp = xp[order], fp[order]
    return np.concatenate((xp[-1:] - period, xp, xp[0:1] + period)), np.concatenate((fp[-1:], fp, fp[0:1]))


def _fillable(usable: np.ndarray, max_gap: int) -> bool:
    """True if no run of unusable bins (around the wrap too) is longer than ``max_gap``.

    Short gaps are sparse sampling and are interpolated; a long one (data started mid-week, or a
    stoppage) means the profile is not known there, and a guessed profile would raise false alarms.
    """
    if usable.all():
        return True
    if not usable.any():
        return False
    start = int(np.flatnonzero(usable)[0])
    rolled = np.roll(usable, -start)  # begins with a usable bin, so no run wraps
    runs = np.diff(np.flatnonzero(np.r_[True, rolled, True])) - 1
    return int(runs.max()) <= max_gap


def _fill_circular(v: np.ndarray) -> np.ndarray:
    """Fill NaN bins by linear interpolation around the period (it wraps)."""
    ok = ~np.isnan(v)
    if ok.all():
        return v
    idx = np.arange(len(v))
    return np.interp(idx, idx[ok], v[ok], period=len(v))
