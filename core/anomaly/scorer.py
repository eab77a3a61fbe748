"""ChannelScorer: an online, causal anomaly score for one channel's readings.

Evidence, each a non-negative "strangeness" of the newest reading (see :mod:`.evidence`), computed
on the view of the signal that predicts it best (raw, or minus its daily or weekly profile, see
:mod:`.views`):

- level: distance from the rolling median of the previous ``window`` readings, in rolling IQRs;
- shift: the median of the last ``short`` readings against that of the ``window`` before them —
  a level shift, which spikes cannot imitate;
- step: the change from the previous reading, in units of the usual change (rate of change);
- spread: the recent size of changes against the usual one, either way (variance up or down);
- profile: distance from the seasonal profile of earlier days or weeks (catches slow drift);
- forecast: distance from the forecast, in units of its 95 % band (when one is supplied);
- drift: the mean of the last few readings against the channel's level as it was before (a long
  reference that ends ``drift_lag`` readings ago, see :mod:`.reference`): changes too slow or too
  long for the window, such as a creeping level or spikes that become more frequent.

Each is turned into *surprise* (-log10 of its tail probability) by a :class:`TailCalibrator` that
learned that evidence's own past, so no threshold is tuned per signal. The point surprise is the
largest of them, corrected for looking at several, or a stuck sensor's surprise (the same value for
longer than ever before, beyond what the channel's repeat rate explains). "Recent behaviour" is
the point surprise itself and its mean over a short and a long window, each calibrated again
against its own past: a change that lasts adds up there, while one reading alone must clear
``point_penalty`` more decades. The forecast and the drift evidence are smooth already (a
forecast that is off stays off for its cycle), so they are judged alone, not in those means, each
corrected for being one more place to look. An impossible rate of change (``max_rate``) is direct
evidence.

The raw score is the strongest of these, in decades / ``SCORE_DECADES`` clipped to [0, 1]; an
:class:`EpisodeFilter` reports each anomaly once (flag = score at or above the threshold) and keeps
fresh anomalies out of the calibrations. Readings are processed in segments that end at fixed
reading counts, where every calibration is refitted from earlier readings only: a score never
depends on later readings or on how the stream was split into batches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.anomaly.calibration import CalibrationBank
from core.anomaly.episodes import DeferredLearning, EpisodeFilter
from core.anomaly.evidence import StuckTracker, nan_array, rate_surprise, window_features
from core.anomaly.explain import Explanation
from core.anomaly.profile import DAY_US, WEEK_US, SeasonalProfile
from core.anomaly.reasons import EVIDENCE, SegmentEvidence, explain
from core.anomaly.reference import LaggedReference
from core.anomaly.rolling import trailing_mean
from core.anomaly.settings import SCORE_DECADES, ScorerSettings
from core.anomaly.views import ViewSelector

_FEATURES = ("level", "shift", "step", "spread", "profile", "forecast", "drift")
_PROFILE_WARMUP = 1  # periods of profile residuals learned before they count
_WINDOWED = ("level", "shift", "step", "spread", "base", "sigma")
# The forecast and the drift are judged on their own, not in the recent-behaviour means: both are
# smooth (a forecast that is off stays off for its whole cycle), so their means would pile up.
_POINT = _FEATURES[:-2]
_COMPONENTS = ("point", "short", "long", "rate", "forecast", "drift")
_ONE_MORE_PLACE = np.log10(len(_COMPONENTS))


@dataclass(frozen=True, slots=True)
class ChannelScores:
    """What the scorer says about each reading of a batch."""

    scores: np.ndarray  # in [0, 1]
    flags: np.ndarray  # reported anomalies (score at or above the threshold)
    unusual: np.ndarray  # inside an anomaly episode, reported or not (the anomaly is going on)
    explanations: dict[int, Explanation] = field(default_factory=dict)  # flagged index -> why


class ChannelScorer:
    """Score one channel's readings as they arrive; see the module docstring for the method."""

    def __init__(self, settings: ScorerSettings | None = None) -> None:
        self.settings = s = (settings or ScorerSettings()).validate()
        # One calibration per evidence (rows in _FEATURES order: the forecast and the drift are
        # smooth, their tails need more values), and one per recent-behaviour window (point,
        # short, long), each bank used as one array operation.
        point_rows = len(_POINT)
        self._cal = CalibrationBank(
            s.history, [0.25] * point_rows + [0.1, 0.1], [48] * point_rows + [100, 100]
        )
        self._cal_recent = CalibrationBank(s.history, [0.1] * 3, [48] * 3)
        self._learning = DeferredLearning((self._cal, self._cal_recent))
        self._profiles = {
            "daily": SeasonalProfile(DAY_US, s.daily_bins, s.daily_days),
            "weekly": SeasonalProfile(WEEK_US, 7 * s.daily_bins, 4),
        }
        self._views = ViewSelector(s.window, s.window + s.short + 2)
        self._stuck = StuckTracker(s.stuck_min)
        self._reference = LaggedReference(s.drift_smooth, s.drift_lag, s.history)
        self._episodes = EpisodeFilter(s.threshold, s.short, s.learn_pause)
        self._p = np.empty(0)  # the last point surprises (for the recent-behaviour windows)
        self._ev = np.zeros((len(EVIDENCE), 0))  # ... and each evidence's share of them
        self._t_hist = np.empty(0, np.int64)  # times of the views' history
        self._x_last = math.nan
        self._seasonal = "daily"
        self._n = 0
        self._t_last: int | None = None
        self._res = math.inf  # smallest change seen: the signal's resolution
        self._profile_armed = False
        self._forecast: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def count(self) -> int:
        """Valid readings scored so far."""
        return self._n

    @property
    def in_episode(self) -> bool:
        """True while an anomaly this scorer flagged is still going on."""
        return self._episodes.active

    @property
    def view(self) -> str:
        """The view the window features use now: raw, daily or weekly."""
        return self._views.view

    def set_forecast(
        self, ts_us: np.ndarray, value: np.ndarray, lower_95: np.ndarray, upper_95: np.ndarray
    ) -> None:
        """Use this forecast (replacing any earlier one) for readings inside its time span."""
        ts = np.asarray(ts_us, np.int64)
        order = np.argsort(ts, kind="stable")
        value = np.asarray(value, np.float64)[order]
        sigma = (np.asarray(upper_95, np.float64) - np.asarray(lower_95, np.float64))[order] / (2 * 1.96)
        ok = np.isfinite(value) & np.isfinite(sigma)
        self._forecast = (ts[order][ok], value[ok], np.abs(sigma[ok])) if ok.any() else None

    def clear_forecast(self) -> None:
        self._forecast = None

    def update(self, ts_us: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Score a time-ordered batch; return ``(scores in [0, 1], flags)``.

        Non-finite values score 0, are not flagged and are not learned.
        """
        result = self.score(ts_us, values)
        return result.scores, result.flags

    def score(self, ts_us: np.ndarray, values: np.ndarray) -> ChannelScores:
        """Score a time-ordered batch, with the episode state and an explanation of each flag."""
        ts = np.asarray(ts_us, np.int64)
        x = np.asarray(values, np.float64)
        n = len(x)
        ok = np.isfinite(x)
        if ok.all():  # the usual case: every reading is a number
            scores, unusual, explanations = self._score(ts, x)
            return ChannelScores(scores, scores >= self.settings.threshold, unusual, explanations)
        scores, unusual = np.zeros(n), np.zeros(n, dtype=bool)
        explanations = {}
        if ok.any():
            where = np.flatnonzero(ok)
            parts = self._score(ts[ok], x[ok])
            scores[ok], unusual[ok] = parts[0], parts[1]
            explanations = {int(where[i]): e for i, e in parts[2].items()}
        return ChannelScores(scores, scores >= self.settings.threshold, unusual, explanations)

    # -- internals ----------------------------------------------------------------------------
    def _score(self, t: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[int, Explanation]]:
        refresh = self.settings.refresh
        parts = []
        explanations: dict[int, Explanation] = {}
        j = 0
        while j < len(x):
            if self._n % refresh == 0:  # fixed points: the same fits however batches fall
                self._cal.refit()
                self._cal_recent.refit()
                self._reference.refit()
                self._views.choose()
            end = min(len(x), j + refresh - self._n % refresh)
            out, inside, found = self._segment(t[j:end], x[j:end])
            parts.append((out, inside))
            explanations.update({j + i: e for i, e in found.items()})
            j = end
        if len(parts) == 1:
            return parts[0][0], parts[0][1], explanations
        if not parts:
            return np.empty(0), np.zeros(0, dtype=bool), explanations
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            explanations,
        )

    def _segment(self, t: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
        s = self.settings
        m = len(x)
        prev = self._views.history("raw")
        view_name = self._views.view
        past_view = self._views.history(view_name)
        if len(prev):
            joined = np.concatenate((prev[-1:], x))
            step = np.abs(joined[1:] - joined[:-1])
        else:
            step = nan_array(m)
            step[1:] = np.abs(x[1:] - x[:-1])
        res = self._resolution(step)
        series, feats = self._features(t, x, res)
        self._views.observe(series)

        evidence = np.array([feats[name] for name in _FEATURES])
        per = self._cal.surprise(evidence)
        k = len(_POINT)
        surprise = per[:k].max(axis=0)
        # Only calibrated evidence counts: surprises from a calibration still warming up would
        # teach the recent-behaviour calibrations that extreme values are normal.
        calibrated = evidence[:k][self._cal.ready[:k]]
        present = (calibrated == calibrated).sum(axis=0)
        point = np.maximum(surprise - np.log10(np.maximum(present, 1)), 0.0)
        stuck = self._stuck.surprise(x, t)
        point = np.maximum(point, stuck)
        point[present == 0] = np.nan  # nothing calibrated yet
        ev = np.concatenate((self._ev, np.concatenate((per, stuck[None, :]))), axis=1)

        p_all = np.concatenate((self._p, point))
        means = []
        for length in (s.short, s.long):
            k0 = max(0, length - 1 - len(self._p))
            if not k0:
                means.append(trailing_mean(p_all, len(self._p), length))
                continue
            mean = nan_array(m)
            if k0 < m:
                mean[k0:] = trailing_mean(p_all, len(self._p) + k0, length)
            means.append(mean)
        recent = np.array([point, means[0], means[1]])
        recent_surprise = self._cal_recent.surprise(recent)
        single = recent_surprise[0] - s.point_penalty
        components = np.array(
            [
                single,
                recent_surprise[1],
                recent_surprise[2],
                rate_surprise(t, step, self._t_last, s.max_rate),
                *(per[-2:] - _ONE_MORE_PLACE),  # the forecast and the drift: each one more place to look
            ]
        )
        raw = components.max(axis=0)
        if self._n < s.probation:
            raw[: s.probation - self._n] = 0.0  # the readings still in probation
        scores, held, inside, events = self._episodes.apply(
            np.clip(raw / SCORE_DECADES, 0.0, 1.0),
            single / SCORE_DECADES,
            series[self._views.view],
            feats["base"],
            feats["sigma"],
        )
        self._learning.feed((evidence, recent), held, events)
        lasting = self._episodes.lasting
        self._reference.learn(feats["drift_level"], held, lasting[-1] if lasting else None)
        hit = scores >= s.threshold
        found = {}
        if hit.any():
            flagged = np.flatnonzero(hit)
            evidence = SegmentEvidence(
                t, x, series[view_name], view_name, self._t_hist, past_view, feats,
                feats["profile_pred"], feats["profile_spread"], self._seasonal, self._forecast,
                self._stuck.last, self._t_last, self._x_last, s.max_rate, s.window, s.short, s.drift_smooth,
            )  # fmt: skip
            h = self._ev.shape[1]
            for i in flagged.tolist():
                c = int(np.argmax(components[:, i]))
                width = (1, s.short, s.long, 1, 1, 1)[c]
                summed = np.nansum(ev[:, max(0, h + i + 1 - width) : h + i + 1], axis=1)
                found[i] = explain(evidence, i, summed, _COMPONENTS[c])
        keep = self._views.history("raw").shape[0]
        self._t_hist = np.concatenate((self._t_hist, t))[-keep:]
        self._ev = ev[:, -s.long :]
        self._p = p_all[-s.long :]
        self._n += m
        self._t_last = int(t[-1])
        self._x_last = float(x[-1])
        return scores, inside, found

    def _features(
        self, t: np.ndarray, x: np.ndarray, res: np.ndarray
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Every view's values of this segment, and the evidence of each reading."""
        s = self.settings
        series, spreads = {"raw": x}, {}
        ordered = len(t) == 1 or bool((t[1:] >= t[:-1]).all())
        for name, profile in self._profiles.items():
            pred, spreads[name] = profile.predict(t, x, ordered)
            series[name] = x - pred
        view = self._views.view
        feats = dict(zip(_WINDOWED, self._window(view, series[view], res), strict=True))
        if view != "raw":
            # Where the view's window still has gaps (no profile yet), judge the raw signal.
            gaps = np.isnan(feats["level"]) & (self._n + np.arange(len(x)) > s.window)
            if gaps.any():
                for name, values in zip(_WINDOWED, self._window("raw", x, res), strict=True):
                    feats[name][gaps] = values[gaps]
        feats["spread_log"] = feats["spread"]
        feats["spread"] = np.abs(feats["spread"])
        seasonal = view if view != "raw" else "daily"
        resid = series[seasonal]
        self._seasonal = seasonal
        feats["profile_pred"] = x - resid
        feats["profile_spread"] = spreads[seasonal]
        if not self._profile_armed and not np.isnan(resid).all():
            # A profile residual means little until it has been seen over a whole period.
            self._profile_armed = True
            first = int(np.flatnonzero(~np.isnan(resid))[0])
            prof = self._profiles[seasonal]
            row = _FEATURES.index("profile")
            per_period = prof.readings_per_period(int(prof.period_of(t[first : first + 1])[0]))
            self._cal.min_count[row] = max(self._cal.min_count[row], _PROFILE_WARMUP * per_period)
        floor = np.maximum(res, 1e-9 * (1.0 + np.abs(x)))
        feats["profile"] = np.abs(resid) / np.maximum(spreads[seasonal], floor)
        feats["forecast"] = self._forecast_strangeness(t, x, res)
        feats["drift"], feats["drift_level"], feats["drift_mean"], feats["drift_sd"] = (
            self._reference.features(x, floor)
        )
        return series, feats

    def _window(self, view: str, values: np.ndarray, res: np.ndarray) -> tuple[np.ndarray, ...]:
        hist = self._views.history(view)
        full = np.concatenate((hist, values))
        s = self.settings
        if view != "raw" and np.isnan(full).any():  # the raw history holds numbers only
            # A window containing a gap has no statistics: compute on a copy, then blank those.
            bad = np.isnan(full)
            feats = window_features(np.where(bad, 0.0, full), len(hist), s.window, s.short, res)
            reach = s.window + s.short + 2
            near = np.convolve(bad, np.ones(reach), mode="full")[len(hist) : len(full)] > 0
            for arr in feats:
                arr[near] = np.nan
            return feats
        return window_features(full, len(hist), s.window, s.short, res)

    def _resolution(self, step: np.ndarray) -> np.ndarray:
        """Smallest non-zero change before each reading (0 until the signal has changed)."""
        pos = np.where(step > 0, step, np.inf)
        seen = math.isfinite(self._res)
        before = np.minimum.accumulate(np.concatenate(([self._res], pos[:-1])))
        self._res = float(min(self._res, pos.min(initial=np.inf)))
        return before if seen else np.where(np.isfinite(before), before, 0.0)

    def _forecast_strangeness(self, t: np.ndarray, x: np.ndarray, res: np.ndarray) -> np.ndarray:
        out = nan_array(len(x))
        if self._forecast is None:
            return out
        fts, fval, fsig = self._forecast
        inside = (t >= fts[0]) & (t <= fts[-1])
        if inside.any():
            f = np.interp(t[inside], fts, fval)
            sig = np.interp(t[inside], fts, fsig)
            floor = np.maximum(res[inside], 1e-9 * (1.0 + np.abs(f)))
            out[inside] = np.abs(x[inside] - f) / np.maximum(sig, floor)
        return out
