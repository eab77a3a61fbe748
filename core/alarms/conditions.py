"""Process conditions behind alarms: on/off delays, limit messages and forecast crossings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from core.alarms.config import LimitRule
from core.alarms.model import LIMIT_WORDS
from core.messages import Message, MessageId


class DelayedCondition:
    """A condition that must hold for ``on_delay`` to activate and be gone ``off_delay`` to clear.

    ``step`` takes, at time ``now_us``: ``enter`` (the raw condition that starts the on-delay),
    ``keep`` (what keeps the on-delay running) and ``hold`` (what keeps an active condition active:
    the deadband side of the limit). It returns True when the condition activates, False when it
    clears and None otherwise. ``poll`` re-applies the last inputs, so delays also complete while
    no new readings arrive.
    """

    __slots__ = ("_last", "_pending_us", "active", "off_delay_us", "on_delay_us")

    def __init__(self, on_delay: float = 0.0, off_delay: float = 0.0, active: bool = False) -> None:
        self.on_delay_us = round(on_delay * 1e6)
        self.off_delay_us = round(off_delay * 1e6)
        self.active = active
        self._pending_us: int | None = None
        self._last: tuple[bool, bool, bool] | None = None

    @property
    def pending(self) -> bool:
        return self._pending_us is not None

    def step(self, now_us: int, enter: bool, keep: bool, hold: bool) -> bool | None:
        self._last = (enter, keep, hold)
        if not self.active:
            if self._pending_us is not None and not keep:
                self._pending_us = None
            if self._pending_us is None and enter:
                self._pending_us = now_us
            if self._pending_us is not None and now_us - self._pending_us >= self.on_delay_us:
                self.active, self._pending_us = True, None
                return True
            return None
        if hold:
            self._pending_us = None
            return None
        if self._pending_us is None:
            self._pending_us = now_us
        if now_us - self._pending_us >= self.off_delay_us:
            self.active, self._pending_us = False, None
            return False
        return None

    def poll(self, now_us: int) -> bool | None:
        return None if self._last is None else self.step(now_us, *self._last)

    def reset(self) -> None:
        """Forget the condition (used while an alarm is suppressed)."""
        self.active, self._pending_us, self._last = False, None, None


def fmt_value(v: float, unit: str = "") -> str:
    """A value as an operator reads it: ``85.0 °C``, ``0.0125 bar``."""
    text = f"{v:.1f}" if abs(v) >= 1 or v == 0 else f"{v:.3g}"
    return f"{text} {unit}".rstrip()


def limit_message(rule: LimitRule, value: float, unit: str) -> Message:
    """``HIGH 72.5 °C (limit 70.0 °C)``."""
    return Message.of(
        MessageId.LIMIT,
        word=LIMIT_WORDS[rule.kind],
        value=fmt_value(value, unit),
        limit=fmt_value(rule.limit, unit),
    )


def fmt_wait(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60:02d} min"


def shelve_message(duration: float | None, until_us: int | None) -> Message:
    """The journal's words for a shelving; the restore reads the UTC end time back from them."""
    if duration is None or until_us is None:
        return Message.of(MessageId.SHELVED_UNTIL_NORMAL)
    until = datetime.fromtimestamp(until_us / 1e6, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return Message.of(MessageId.SHELVED_FOR, wait=fmt_wait(duration), until=until)


def local_hhmm(ts_us: int) -> str:
    return datetime.fromtimestamp(ts_us / 1e6, UTC).astimezone().strftime("%H:%M")


@dataclass(frozen=True, slots=True)
class Forecast:
    """The latest forecast of one channel (UTC microseconds; bands may be NaN)."""

    ts_us: np.ndarray
    value: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray


@dataclass(frozen=True, slots=True)
class Crossing:
    rule: LimitRule
    at_us: int
    value: float  # the forecast (or band) value at the crossing
    expected_at_us: int | None = None  # when the forecast itself crosses (None: only its band does)
    near: bool = False  # only within the deadband of the limit (an active prediction holding)


def beyond(rule: LimitRule, value: float) -> bool:
    """``value`` is past the rule's limit (above a high limit, below a low one)."""
    return value > rule.limit if rule.high else value < rule.limit


def first_crossing(
    forecast: Forecast,
    rules: tuple[LimitRule, ...],
    now_us: int,
    horizon_us: int,
    use_band: bool,
    current: float | None,
    holding: bool = False,
) -> Crossing | None:
    """The earliest forecast crossing of a limit within ``(now, now + horizon]``.

    With ``use_band`` the 95 % band's edge counts (the upper edge for high limits). A limit the
    ``current`` value (a smoothed one: noise must not decide) already exceeds is the limit alarm's
    business, not a prediction: leave such rules out of ``rules``, or pass ``current``.
    ``holding``: the predictive alarm is active, so a forecast within the rule's deadband of the
    limit still counts (hysteresis, as for the limit alarm itself).
    """
    window = (forecast.ts_us > now_us) & (forecast.ts_us <= now_us + horizon_us)
    if not window.any():
        return None
    best: Crossing | None = None
    for rule in rules:
        if current is not None and beyond(rule, current):
            continue
        margin = rule.deadband if holding else 0.0
        limit = rule.limit - margin if rule.high else rule.limit + margin
        edge = forecast.upper_95 if rule.high else forecast.lower_95
        series = np.where(np.isfinite(edge), edge, forecast.value) if use_band else forecast.value
        past = (series > limit) if rule.high else (series < limit)
        hits = np.flatnonzero(window & past)
        if len(hits):
            i = int(hits[0])
            # The message speaks of the limit itself; the deadband only keeps the alarm up.
            real = (series > rule.limit) if rule.high else (series < rule.limit)
            reached = np.flatnonzero(window & real)
            itself = (forecast.value > rule.limit) if rule.high else (forecast.value < rule.limit)
            expected = np.flatnonzero(window & itself)
            j = int(reached[0]) if len(reached) else i
            found = Crossing(
                rule,
                int(forecast.ts_us[j]),
                float(series[j]),
                int(forecast.ts_us[expected[0]]) if len(expected) else None,
                near=not len(reached),
            )
            if best is None or found.at_us < best.at_us:
                best = found
    return best


def predictive_message(crossing: Crossing, now_us: int, unit: str) -> Message:
    """When the forecast reaches the limit, and from when its 95 % band does if that is earlier
    (local time), e.g. ``Predicted HIGH 85.0 °C at 14:20 (in 35 min)``,
    ``Predicted HIGH 85.0 °C at 14:20 (in 35 min), possible from 14:05``, or, when only the band
    reaches it, ``Predicted HIGH 85.0 °C possible from 14:05 (in 20 min, within the 95 % band)``."""
    limit = {"word": LIMIT_WORDS[crossing.rule.kind], "value": fmt_value(crossing.rule.limit, unit)}
    if crossing.near:  # the alarm holds on its deadband: say so, never a crossing time
        return Message.of(
            MessageId.FORECAST_CLOSE,
            **limit,
            deadband=fmt_value(crossing.rule.deadband, unit),
            **{"from": local_hhmm(crossing.at_us)},
        )
    expected = crossing.expected_at_us
    if expected is None:
        wait = fmt_wait((crossing.at_us - now_us) / 1e6)
        return Message.of(
            MessageId.PREDICTED_IN_BAND, **limit, wait=wait, **{"from": local_hhmm(crossing.at_us)}
        )
    at = {"at": local_hhmm(expected), "wait": fmt_wait((expected - now_us) / 1e6)}
    if crossing.at_us < expected:
        return Message.of(
            MessageId.PREDICTED_AT_POSSIBLE_FROM, **limit, **at, **{"from": local_hhmm(crossing.at_us)}
        )
    return Message.of(MessageId.PREDICTED_AT, **limit, **at)
