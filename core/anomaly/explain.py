"""Explanation: what was unusual about a flagged reading, in the channel's own units.

An explanation is an id (``kind``) and numbers (``params``), so any language can phrase it; its
:meth:`Explanation.describe` gives the English sentence ("dropped to 2.81 bar in 1 s; usual
4.00 ± 0.05"). The scorer builds one only for flagged readings, so it costs nothing in between.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# The evidence kinds, in the words an operator uses.
KINDS = (
    "spike",  # one reading far from the recent level
    "shift",  # the level moved and stayed
    "step",  # a change much faster than usual
    "variance",  # fluctuating much more, or much less, than usual
    "stuck",  # the same value for longer than ever before
    "profile",  # off the usual value for this time of day or week
    "forecast",  # outside the forecast band
    "rate",  # a change faster than physically possible (``max_rate``)
    "relation",  # breaks its usual relation to another channel
)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Which evidence fired and how big it was against normal, in the channel's units."""

    kind: str
    params: dict[str, float | str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The English sentence without a unit."""
        return self.describe()

    def describe(self, unit: str = "") -> str:
        """The English sentence, values followed by ``unit``; starts with a capital letter."""
        p = self.params
        scale = float(p.get("sigma", p.get("usual_step", 0.0)) or 0.0)

        def v(name: str, ref: float = scale) -> str:
            return fmt_number(float(p[name]), ref, unit)

        def n(name: str, ref: float = scale) -> str:  # a size, never with a unit sign twice
            return fmt_number(float(p[name]), ref, "")

        up = float(p.get("direction", 1.0)) >= 0
        # Judged against a daily or weekly profile: what is usual depends on the time.
        when = f" at this time of {p['period']}" if "period" in p and self.kind != "profile" else ""
        k = self.kind
        if k == "spike":
            verb = "jumped" if up else "dropped"
            seconds = float(p.get("seconds", 0.0))
            sudden = f" in {fmt_duration(seconds)}" if seconds > 0 else ""
            out = f"{verb} to {v('value')}{sudden}; usual{when} {n('usual')} ± {n('sigma')}"
        elif k == "shift":
            verb = "shifted up" if up else "shifted down"
            seconds = float(p.get("seconds", 0.0))
            lasting = f" for {fmt_duration(seconds)}" if seconds > 0 else ""
            out = f"{verb} to {v('value')}{lasting}; usual{when} {n('usual')} ± {n('sigma')}"
        elif k == "step":
            verb = "rose" if up else "dropped"
            out = (
                f"{verb} to {v('value', float(p['usual_step']))} in {fmt_duration(float(p['seconds']))}; "
                f"usual change ± {v('usual_step')}"
            )
        elif k == "variance":
            ratio = float(p["ratio"])
            more = ratio >= 1
            times = ratio if more else 1.0 / max(ratio, 1e-12)
            out = (
                f"fluctuating {times:.1f} times {'more' if more else 'less'} than usual "
                f"(changes of ± {v('recent_step', float(p['usual_step']))} against ± {v('usual_step')})"
            )
        elif k == "stuck":
            out = (
                f"stuck at {v('value')} for {fmt_duration(float(p['seconds']))}, "
                f"longest before {fmt_duration(float(p['longest_seconds']))}"
            )
        elif k == "profile":
            period = p.get("period", "day")
            out = f"at {v('value')}; usual at this time of {period} {n('usual')} ± {n('sigma')}"
        elif k == "forecast":
            out = f"at {v('value')}, outside the forecast {n('usual')} ± {n('band')} (95 %)"
        elif k == "rate":
            size = fmt_number(abs(float(p["change"])), scale, unit)
            limit = float(p["max_rate"])
            out = (
                f"{'rose' if up else 'dropped'} by {size} in {fmt_duration(float(p['seconds']))}, "
                f"faster than the possible {fmt_number(limit, limit / 10, unit)}/s"
            )
        elif k == "relation":
            out = (
                f"at {v('value')}, off its usual relation to {p['other']}: expected {n('usual')} "
                f"± {v('sigma')} from it"
            )
        else:
            out = f"unusual at {v('value')}" if "value" in p else "unusual behaviour"
        return out[:1].upper() + out[1:]


def fmt_number(value: float, scale: float, unit: str = "") -> str:
    """``value`` with as many decimals as ``scale`` (its uncertainty) needs, then ``unit``."""
    if not math.isfinite(value):
        text = str(value)
    else:
        ref = abs(scale) if scale and math.isfinite(scale) else abs(value) / 1000 if value else 0.01
        decimals = min(
            6,
            max(
                0, -math.floor(math.log10(ref)) + (1 if ref < 1.5 * 10 ** math.floor(math.log10(ref)) else 0)
            ),
        )
        text = f"{value:.{decimals}f}"
    return f"{text} {unit}" if unit else text


def fmt_duration(seconds: float) -> str:
    """A short duration an operator reads at a glance: 1 s, 45 s, 14 min, 2.5 h, 3 d."""
    if not math.isfinite(seconds) or seconds < 0:
        return "an unknown time"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds > 0 else "0 s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        hours = seconds / 3600
        return f"{hours:.1f} h" if hours < 10 else f"{hours:.0f} h"
    return f"{seconds / 86400:.1f} d"
