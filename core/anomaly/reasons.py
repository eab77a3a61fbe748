"""Which evidence made a flagged reading unusual, and its size against normal (see :mod:`.explain`).

The scorer hands over what it computed for a segment (:class:`SegmentEvidence`); only flagged
readings are explained, so the cost is paid once per reported anomaly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.anomaly.explain import Explanation

# Evidence rows of the per-reading surprise matrix, and the explanation kind of each.
EVIDENCE = ("level", "shift", "step", "spread", "profile", "forecast", "drift", "stuck")
_IQR_TO_SIGMA = 1 / 1.349
PREFERENCE = ("stuck", "level", "shift", "step", "spread", "drift", "profile", "forecast")
NEARLY = 0.8


@dataclass(slots=True)
class SegmentEvidence:
    """One segment of a channel's readings and what the scorer knew about each."""

    t: np.ndarray  # times (us)
    x: np.ndarray  # readings
    view: np.ndarray  # the judged series (x, or x minus a seasonal profile)
    view_name: str  # raw, daily or weekly
    past_t: np.ndarray  # times of the view's earlier values (for shift and windows)
    past_view: np.ndarray  # the view's earlier values
    feats: dict[str, np.ndarray]  # window features, profile and forecast strangeness
    profile_pred: np.ndarray  # seasonal prediction used by the profile evidence
    profile_spread: np.ndarray
    profile_period: str
    forecast: tuple[np.ndarray, np.ndarray, np.ndarray] | None  # (ts, value, sigma)
    stuck: tuple[np.ndarray, np.ndarray, np.ndarray]  # (run, longest, run start us) per reading
    prev_t: int | None  # time of the reading before the segment
    prev_x: float  # that reading
    max_rate: float | None
    window: int
    short: int
    drift_smooth: int


def explain(ev: SegmentEvidence, i: int, evidence: np.ndarray, component: str) -> Explanation:
    """Explain reading ``i``: ``evidence`` is each EVIDENCE row's surprise summed over the window
    that raised the score; ``component`` is which window that was (point, short, long or rate)."""
    if component == "rate" or (ev.max_rate is not None and _too_fast(ev, i)):
        return _rate(ev, i)
    if component in ("drift", "forecast"):
        return _BUILDERS[component](ev, i)
    # The simplest evidence that is nearly as strong as the strongest: a spike is a spike even
    # if it is also far from the daily profile.
    top = float(np.max(evidence))
    name = next(n for n in PREFERENCE if evidence[EVIDENCE.index(n)] >= NEARLY * top)
    if name == "level" and component != "point":
        name = "shift"  # a lasting departure from the level, not one reading
    return _BUILDERS[name](ev, i)


def _offset(ev: SegmentEvidence, i: int) -> float:
    """What to add to a value of the judged view to get the channel's value."""
    return float(ev.x[i] - ev.view[i]) if np.isfinite(ev.view[i]) else 0.0


def _period(ev: SegmentEvidence) -> dict[str, str]:
    """When the judged view is the signal minus a seasonal profile: which period."""
    return {"period": "week" if ev.view_name == "weekly" else "day"} if ev.view_name != "raw" else {}


def _direction(ev: SegmentEvidence, i: int, usual: float) -> float:
    return 1.0 if ev.x[i] >= usual else -1.0


def _too_fast(ev: SegmentEvidence, i: int) -> bool:
    before, seconds = _previous(ev, i)
    return abs(float(ev.x[i]) - before) > (ev.max_rate or 0.0) * max(seconds, 1e-6)


def _spike(ev: SegmentEvidence, i: int) -> Explanation:
    usual = float(ev.feats["base"][i]) + _offset(ev, i)
    sigma = float(ev.feats["sigma"][i])
    x = float(ev.x[i])
    before, seconds = _previous(ev, i)
    # "in 1 s" when the reading got there from the one before, not over a while.
    sudden = np.isfinite(before) and abs(x - before) >= 0.5 * abs(x - usual)
    return Explanation(
        "spike",
        {
            "value": x,
            "usual": usual,
            "sigma": sigma,
            "direction": _direction(ev, i, usual),
            "seconds": seconds if sudden else 0.0,
            **_period(ev),
        },
    )


def _shift(ev: SegmentEvidence, i: int) -> Explanation:
    full = np.concatenate((ev.past_view, ev.view[: i + 1]))
    times = np.concatenate((ev.past_t, ev.t[: i + 1]))
    s, w = ev.short, ev.window
    recent = full[-s:]
    ref = full[-s - w : -s] if len(full) > s else full[:0]
    ref = ref[np.isfinite(ref)]
    if len(ref) < 4 or not np.isfinite(recent).all():
        return _spike(ev, i)
    offset = _offset(ev, i)
    q1, med, q3 = np.percentile(ref, (25, 50, 75))
    level = float(np.median(recent)) + offset
    usual = float(med) + offset
    sigma = max(
        float(q3 - q1) * _IQR_TO_SIGMA,
        float(ev.feats["sigma"][i]) if np.isfinite(ev.feats["sigma"][i]) else 0.0,
    )
    seconds = (int(times[-1]) - int(times[-s])) / 1e6 if len(times) >= s else 0.0
    return Explanation(
        "shift",
        {
            "value": level,
            "usual": usual,
            "sigma": sigma,
            "seconds": seconds,
            "direction": 1.0 if level >= usual else -1.0,
            **_period(ev),
        },
    )


def _previous(ev: SegmentEvidence, i: int) -> tuple[float, float]:
    """(previous reading, seconds since it)."""
    if i > 0:
        return float(ev.x[i - 1]), (int(ev.t[i]) - int(ev.t[i - 1])) / 1e6
    dt = 0.0 if ev.prev_t is None else (int(ev.t[i]) - ev.prev_t) / 1e6
    return ev.prev_x, dt


def _step(ev: SegmentEvidence, i: int) -> Explanation:
    before, seconds = _previous(ev, i)
    change = float(ev.x[i]) - before
    ratio = float(ev.feats["step"][i])
    usual_step = abs(change) / ratio if ratio > 0 else 0.0
    return Explanation(
        "step",
        {
            "value": float(ev.x[i]),
            "change": change,
            "seconds": seconds,
            "usual_step": usual_step,
            "direction": 1.0 if change >= 0 else -1.0,
        },
    )


def _variance(ev: SegmentEvidence, i: int) -> Explanation:
    ratio = float(np.exp(ev.feats["spread_log"][i]))
    before, _ = _previous(ev, i)
    step_ratio = float(ev.feats["step"][i])
    change = abs(float(ev.x[i]) - before)
    usual_step = change / step_ratio if step_ratio > 0 else float(ev.feats["sigma"][i])
    return Explanation(
        "variance",
        {
            "value": float(ev.x[i]),
            "ratio": ratio,
            "usual_step": usual_step,
            "recent_step": ratio * usual_step,
        },
    )


def _stuck(ev: SegmentEvidence, i: int) -> Explanation:
    run, longest, start_us = (a[i] for a in ev.stuck)
    seconds = (int(ev.t[i]) - int(start_us)) / 1e6
    per_reading = seconds / (run - 1) if run > 1 else 0.0
    return Explanation(
        "stuck",
        {
            "value": float(ev.x[i]),
            "seconds": seconds,
            "readings": int(run),
            "longest_seconds": float(longest) * per_reading,
            "longest_readings": int(longest),
            "sigma": float(ev.feats["sigma"][i]) if np.isfinite(ev.feats["sigma"][i]) else 0.0,
        },
    )


def _profile(ev: SegmentEvidence, i: int) -> Explanation:
    usual = float(ev.profile_pred[i])
    return Explanation(
        "profile",
        {
            "value": float(ev.x[i]),
            "usual": usual,
            "sigma": float(ev.profile_spread[i]),
            "period": "week" if ev.profile_period == "weekly" else "day",
            "direction": _direction(ev, i, usual),
        },
    )


def _forecast(ev: SegmentEvidence, i: int) -> Explanation:
    if ev.forecast is None:
        return _spike(ev, i)
    fts, fval, fsig = ev.forecast
    t = float(ev.t[i])
    usual, sigma = float(np.interp(t, fts, fval)), float(np.interp(t, fts, fsig))
    return Explanation(
        "forecast",
        {
            "value": float(ev.x[i]),
            "usual": usual,
            "sigma": sigma,
            "band": 1.96 * sigma,
            "direction": _direction(ev, i, usual),
        },
    )


def _rate(ev: SegmentEvidence, i: int) -> Explanation:
    before, seconds = _previous(ev, i)
    change = float(ev.x[i]) - before
    return Explanation(
        "rate",
        {
            "value": float(ev.x[i]),
            "change": change,
            "seconds": seconds,
            "max_rate": float(ev.max_rate or 0.0),
            "usual_step": abs(change),
            "direction": 1.0 if change >= 0 else -1.0,
        },
    )


def _drift(ev: SegmentEvidence, i: int) -> Explanation:
    """The recent level against the channel's level before (the lagged reference)."""
    level, usual = float(ev.feats["drift_level"][i]), float(ev.feats["drift_mean"][i])
    times = np.concatenate((ev.past_t, ev.t[: i + 1]))
    n = min(len(times), ev.drift_smooth)
    return Explanation(
        "shift",
        {
            "value": level,
            "usual": usual,
            "sigma": float(ev.feats["drift_sd"][i]),
            "seconds": (int(times[-1]) - int(times[-n])) / 1e6 if n > 1 else 0.0,
            "direction": 1.0 if level >= usual else -1.0,
        },
    )


_BUILDERS = {
    "level": _spike,
    "shift": _shift,
    "step": _step,
    "spread": _variance,
    "profile": _profile,
    "forecast": _forecast,
    "drift": _drift,
    "stuck": _stuck,
}
