"""What a channel's predictive alarm knows besides its alarm record: the latest forecast and how
many have come, a smoothed value of the channel, and which limits are already reached.

The engine's predictive alarm asks it two questions: is a limit already reached (then the limit
alarm speaks, not a prediction), and may this forecast still raise the alarm (once an alarm has
returned to normal, only a newer forecast may).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.alarms.conditions import Forecast, beyond
from core.alarms.config import LimitRule
from core.alarms.model import AlarmKind


@dataclass(slots=True)
class ChannelPrediction:
    forecast: Forecast | None = None
    version: int = 0  # forecasts received
    cleared_with: int | None = None  # the version the predictive alarm last returned on
    smoothed: tuple[int, float] | None = None  # (time, value) of the exponential filter
    reached: set[AlarmKind] = field(default_factory=set)
    released_with: dict[AlarmKind, int] = field(default_factory=dict)  # version when a limit came back

    def take(self, forecast: Forecast) -> None:
        self.forecast = forecast
        self.version += 1

    def cleared(self) -> None:
        """The alarm returned to normal on the current forecast."""
        self.cleared_with = self.version

    @property
    def may_raise(self) -> bool:
        """The current forecast has not already had its say (raised the alarm and seen it clear)."""
        return self.cleared_with != self.version

    def smooth(self, t_us: int, values: np.ndarray, tau_s: float) -> None:
        """Follow the channel through an exponential filter, one step per batch of readings."""
        mean = float(np.mean(values))
        if not np.isfinite(mean):
            return
        if self.smoothed is None:
            self.smoothed = (t_us, mean)
            return
        t0, v0 = self.smoothed
        alpha = 1.0 - float(np.exp(-max(0.0, (t_us - t0) / 1e6) / tau_s))
        self.smoothed = (max(t_us, t0), v0 + alpha * (mean - v0))

    def limit_reached(self, rule: LimitRule, limit_alarm_active: bool) -> bool:
        """The limit is reached already: its alarm is active, or the smoothed value is past it.

        With hysteresis: once reached, it stays reached until the smoothed value is back by the
        rule's deadband (and the limit alarm is not active), so a value hovering at the limit does
        not hand the prediction back and forth. A forecast made while it was reached says nothing
        about crossing it again (it saw the value beyond it): it counts as reached until a newer
        forecast comes.
        """
        kind, value = rule.kind, None if self.smoothed is None else self.smoothed[1]
        if limit_alarm_active or (value is not None and beyond(rule, value)):
            self.reached.add(kind)
        elif kind in self.reached and value is not None:
            back = rule.limit - rule.deadband if rule.high else rule.limit + rule.deadband
            if not (value > back if rule.high else value < back):
                self.reached.discard(kind)
                self.released_with[kind] = self.version
        return kind in self.reached or self.released_with.get(kind) == self.version
