"""Explanation: what was unusual about a flagged reading, in the channel's own units.

An explanation is an id (``kind``) and numbers (``params``); :meth:`Explanation.message` words it
as a message id with parameters (core.messages) that any language can phrase, and
:meth:`Explanation.describe` gives the English sentence ("dropped to 2.81 bar in 1 s; usual
4.00 ± 0.05"). The scorer builds one only for flagged readings, so it costs nothing in between.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.messages import Message, Param
from core.messages import MessageId as M

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
        return self.message(unit).english

    def message(self, unit: str = "") -> Message:
        """The sentence as a message id with its parameters (values followed by ``unit``), so the
        window can phrase it in the operator's language."""
        p = self.params
        scale = float(p.get("sigma", p.get("usual_step", 0.0)) or 0.0)

        def v(name: str, ref: float = scale) -> str:
            return fmt_number(float(p[name]), ref, unit)

        def n(name: str, ref: float = scale) -> str:  # a size, never with a unit sign twice
            return fmt_number(float(p[name]), ref, "")

        up = float(p.get("direction", 1.0)) >= 0
        week = p.get("period") == "week"

        def usual() -> Param:
            # Judged against a daily or weekly profile: what is usual depends on the time.
            if "period" in p:
                return Message.of(M.AT_THIS_TIME_OF_WEEK if week else M.AT_THIS_TIME_OF_DAY, usual=n("usual"))
            return n("usual")

        k = self.kind
        if k in ("spike", "shift"):
            seconds = float(p.get("seconds", 0.0))
            ids = {
                ("spike", True): (M.JUMPED_IN, M.JUMPED),
                ("spike", False): (M.DROPPED_IN, M.DROPPED),
                ("shift", True): (M.SHIFTED_UP_FOR, M.SHIFTED_UP),
                ("shift", False): (M.SHIFTED_DOWN_FOR, M.SHIFTED_DOWN),
            }[k, up]
            timed = {"dur": fmt_duration(seconds)} if seconds > 0 else {}
            return Message.of(
                ids[0 if timed else 1], value=v("value"), usual=usual(), sigma=n("sigma"), **timed
            )
        if k == "step":
            return Message.of(
                M.STEP_UP if up else M.STEP_DOWN,
                value=v("value", float(p["usual_step"])),
                dur=fmt_duration(float(p["seconds"])),
                step=v("usual_step"),
            )
        if k == "variance":
            ratio = float(p["ratio"])
            more = ratio >= 1
            times = ratio if more else 1.0 / max(ratio, 1e-12)
            return Message.of(
                M.FLUCTUATING_MORE if more else M.FLUCTUATING_LESS,
                times=f"{times:.1f}",
                recent=v("recent_step", float(p["usual_step"])),
                step=v("usual_step"),
            )
        if k == "stuck":
            return Message.of(
                M.STUCK,
                value=v("value"),
                dur=fmt_duration(float(p["seconds"])),
                dur2=fmt_duration(float(p["longest_seconds"])),
            )
        if k == "profile":
            return Message.of(
                M.PROFILE_WEEK if week else M.PROFILE_DAY,
                value=v("value"),
                usual=n("usual"),
                sigma=n("sigma"),
            )
        if k == "forecast":
            return Message.of(M.OUTSIDE_FORECAST, value=v("value"), usual=n("usual"), band=n("band"))
        if k == "rate":
            limit = float(p["max_rate"])
            return Message.of(
                M.RATE_UP if up else M.RATE_DOWN,
                size=fmt_number(abs(float(p["change"])), scale, unit),
                dur=fmt_duration(float(p["seconds"])),
                limit=fmt_number(limit, limit / 10, unit),
            )
        if k == "relation":
            return Message.of(
                M.RELATION, value=v("value"), other=str(p["other"]), usual=n("usual"), sigma=v("sigma")
            )
        return Message.of(M.UNUSUAL_AT, value=v("value")) if "value" in p else Message.of(M.UNUSUAL)


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
