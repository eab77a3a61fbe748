"""Alarm rules from the ``[alarms]`` table of the TOML configuration, with sensible defaults.

Limit alarms take their deadband and delays from the channel's kind (ISA-18.2 / EEMUA 191 typical
values): temperature 1 % of span and 60 s, pressure 2 % and 15 s, flow 5 % and 15 s, level 5 % and
60 s (other channels 1 % and 15 s). Every key can be overridden per channel; a mistake names the key.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from core.alarms.model import LIMIT_KINDS, AlarmKind, Priority
from core.config_error import ConfigError, check_keys
from core.messages import Message, MessageId

# kind -> (deadband as a share of span, on/off delay in seconds)
KIND_DEFAULTS: dict[str, tuple[float, float]] = {
    "temperature": (0.01, 60.0),
    "pressure": (0.02, 15.0),
    "flow": (0.05, 15.0),
    "level": (0.05, 60.0),
    "other": (0.01, 15.0),
}
_UNIT_KINDS = {
    "temperature": ("°c", "degc", "c", "°f", "degf", "f", "k"),
    "pressure": ("bar", "mbar", "pa", "kpa", "mpa", "hpa", "psi", "atm", "torr", "mmhg"),
    "flow": ("m3/h", "m³/h", "l/min", "l/s", "l/h", "kg/h", "kg/s", "t/h", "gpm", "m3/s", "nm3/h"),
}
DEFAULT_PRIORITY = {
    AlarmKind.HH: Priority.HIGH,
    AlarmKind.H: Priority.MEDIUM,
    AlarmKind.L: Priority.MEDIUM,
    AlarmKind.LL: Priority.HIGH,
    AlarmKind.ANOMALY: Priority.LOW,
    AlarmKind.PREDICTIVE: Priority.MEDIUM,
    AlarmKind.COMM_LOSS: Priority.HIGH,
}


def guess_kind(name: str, unit: str) -> str:
    """The channel's kind from its unit (or, for %, its name); 'other' if nothing fits."""
    u = unit.strip().lower().replace(" ", "")
    for kind, units in _UNIT_KINDS.items():
        if u in units:
            return kind
    lowered = name.lower()
    for kind in ("temperature", "pressure", "flow", "level"):
        if kind in lowered or (kind == "temperature" and "temp" in lowered):
            return kind
    return "other"


@dataclass(frozen=True, slots=True)
class LimitRule:
    kind: AlarmKind  # HH, H, L or LL
    limit: float
    deadband: float  # in the channel's unit
    on_delay: float  # seconds
    off_delay: float
    priority: Priority

    @property
    def high(self) -> bool:
        return self.kind in (AlarmKind.HH, AlarmKind.H)


@dataclass(frozen=True, slots=True)
class ChannelRules:
    channel: str
    kind: str = "other"
    limits: tuple[LimitRule, ...] = ()
    anomaly: bool = True
    predictive: bool = True


@dataclass(frozen=True, slots=True)
class AlarmConfig:
    comm_loss_after: float = 10.0  # seconds without a valid reading on a channel
    comm_loss_priority: Priority = Priority.HIGH
    # Anomaly score that raises the anomaly alarm ... Scores just past 0.5 come from noise a few
    # times a day on a 10 Hz channel (measured on the demo plant: benchmarks/alarm_load.py); the
    # faults an operator must see score above 0.9.
    anomaly_threshold: float = 0.6
    anomaly_deadband: float = 0.2  # ... and holds it while the score stays above threshold - deadband
    anomaly_on_delay: float = 0.0  # seconds the score must stay up before the alarm is raised
    # An episode often shows twice: a level shift and its return a minute or two later are one
    # event for the operator, so the alarm holds that long after the score falls.
    anomaly_off_delay: float = 120.0
    anomaly_priority: Priority = Priority.LOW
    predictive_horizon: float = 3600.0  # seconds ahead a forecast crossing is announced
    predictive_use_band: bool = True  # a crossing of the 95 % band counts, not only of the forecast
    predictive_priority: Priority = Priority.MEDIUM
    # A predicted crossing must stand this long before it is announced, and be gone this long
    # (beyond the limit's deadband) before the alarm returns to normal.
    predictive_on_delay: float = 30.0
    predictive_off_delay: float = 300.0
    # Time constant (s) of the smoothed value that decides "the limit is already reached": noise
    # around the limit must not flip the prediction on and off.
    predictive_filter: float = 60.0
    chatter_count: int = 3  # this many activations ...
    chatter_window: float = 60.0  # ... within this many seconds flag an alarm as chattering
    channels: tuple[ChannelRules, ...] = field(default_factory=tuple)

    def rules(self, channel: str) -> ChannelRules:
        for r in self.channels:
            if r.channel == channel:
                return r
        return ChannelRules(channel)


# -- parsing ----------------------------------------------------------------------------------
_TOP_KEYS = {
    "comm_loss_after",
    "comm_loss_priority",
    "anomaly_threshold",
    "anomaly_deadband",
    "anomaly_on_delay",
    "anomaly_off_delay",
    "anomaly_priority",
    "predictive_horizon",
    "predictive_use_band",
    "predictive_priority",
    "predictive_on_delay",
    "predictive_off_delay",
    "predictive_filter",
    "chatter_count",
    "chatter_window",
    "channels",
}
_LIMIT_KEYS = {"hh": AlarmKind.HH, "h": AlarmKind.H, "l": AlarmKind.L, "ll": AlarmKind.LL}
_CHANNEL_KEYS = {
    "kind",
    "span",
    "deadband",
    "on_delay",
    "off_delay",
    "anomaly",
    "predictive",
    *_LIMIT_KEYS,
    *(f"{k}_priority" for k in _LIMIT_KEYS),
}


def _number(where: str, value: Any, minimum: float | None = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_NUMBER, where=where, value=repr(value)))
    if minimum is not None and value < minimum:
        raise ConfigError(
            Message.of(MessageId.CONFIG_AT_LEAST, where=where, low=f"{minimum:g}", value=repr(value))
        )
    return float(value)


def _priority(where: str, value: Any) -> Priority:
    try:
        return Priority(str(value).lower())
    except ValueError:
        raise ConfigError(Message.of(MessageId.PRIORITY_BAD, where=where, value=repr(value))) from None


def _bool(where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_BOOL, where=where, value=repr(value)))
    return value


def _channel(name: str, table: Any, units: dict[str, str]) -> ChannelRules:
    where = f"alarms.channels.{name}"
    if not isinstance(table, dict):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_TABLE, where=where))
    check_keys(f"[{where}]", table, _CHANNEL_KEYS)
    kind = table.get("kind", guess_kind(name, units.get(name, "")))
    if kind not in KIND_DEFAULTS:
        raise ConfigError(
            Message.of(
                MessageId.CONFIG_ONE_OF,
                where=f"{where}.kind",
                names=", ".join(KIND_DEFAULTS),
                value=repr(kind),
            )
        )
    limits = {
        k: _number(f"{where}.{key}", table[key], None) for key, k in _LIMIT_KEYS.items() if key in table
    }
    order = [limits[k] for k in LIMIT_KINDS if k in limits]  # HH >= H >= L >= LL
    if any(a < b for a, b in itertools.pairwise(order)):
        raise ConfigError(Message.of(MessageId.LIMITS_OUT_OF_ORDER, where=where))
    span = table.get("span")
    if span is not None:
        if not (isinstance(span, list) and len(span) == 2):
            raise ConfigError(Message.of(MessageId.SPAN_SHAPE, where=f"{where}.span", value=repr(span)))
        lo, hi = (_number(f"{where}.span", v, None) for v in span)
        if hi <= lo:
            raise ConfigError(Message.of(MessageId.SPAN_ORDER, where=f"{where}.span", value=repr(span)))
        width = hi - lo
    elif len(order) >= 2:
        width = order[0] - order[-1]
    else:
        width = abs(order[0]) if order else 0.0
    share, delay = KIND_DEFAULTS[kind]
    deadband = _number(f"{where}.deadband", table["deadband"]) if "deadband" in table else share * width
    on_delay = _number(f"{where}.on_delay", table.get("on_delay", delay))
    off_delay = _number(f"{where}.off_delay", table.get("off_delay", delay))
    rules = tuple(
        LimitRule(
            k,
            value,
            deadband,
            on_delay,
            off_delay,
            _priority(f"{where}.{key}_priority", table.get(f"{key}_priority", DEFAULT_PRIORITY[k].value)),
        )
        for key, k in _LIMIT_KEYS.items()
        if (value := limits.get(k)) is not None
    )
    return ChannelRules(
        name,
        kind,
        rules,
        _bool(f"{where}.anomaly", table.get("anomaly", True)),
        _bool(f"{where}.predictive", table.get("predictive", True)),
    )


def parse_alarm_config(table: Any, units: dict[str, str] | None = None) -> AlarmConfig:
    """Check the raw ``[alarms]`` table (``Config.extra['alarms']``); absent keys take defaults.

    ``units`` (channel -> unit, from ``[[channels]]``) lets a channel's kind follow from its unit.
    """
    if table is None:
        return AlarmConfig()
    if not isinstance(table, dict):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_TABLE, where="[alarms]"))
    check_keys("[alarms]", table, _TOP_KEYS)
    d = AlarmConfig()
    channels = table.get("channels", {})
    if not isinstance(channels, dict):
        raise ConfigError(Message.of(MessageId.CONFIG_PER_CHANNEL_TABLES, where="alarms.channels"))
    threshold = _number("alarms.anomaly_threshold", table.get("anomaly_threshold", d.anomaly_threshold))
    if not 0 < threshold <= 1:
        raise ConfigError(
            Message.of(
                MessageId.CONFIG_ABOVE_ZERO_AT_MOST_ONE,
                where="alarms.anomaly_threshold",
                value=str(threshold),
            )
        )
    count = table.get("chatter_count", d.chatter_count)
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise ConfigError(
            Message.of(
                MessageId.CONFIG_WHOLE_AT_LEAST, where="alarms.chatter_count", low="2", value=repr(count)
            )
        )
    return AlarmConfig(
        comm_loss_after=_number(
            "alarms.comm_loss_after", table.get("comm_loss_after", d.comm_loss_after), 0.1
        ),
        comm_loss_priority=_priority("alarms.comm_loss_priority", table.get("comm_loss_priority", "high")),
        anomaly_threshold=threshold,
        anomaly_deadband=_number(
            "alarms.anomaly_deadband", table.get("anomaly_deadband", d.anomaly_deadband)
        ),
        anomaly_on_delay=_number(
            "alarms.anomaly_on_delay", table.get("anomaly_on_delay", d.anomaly_on_delay)
        ),
        anomaly_off_delay=_number(
            "alarms.anomaly_off_delay", table.get("anomaly_off_delay", d.anomaly_off_delay)
        ),
        anomaly_priority=_priority("alarms.anomaly_priority", table.get("anomaly_priority", "low")),
        predictive_horizon=_number(
            "alarms.predictive_horizon", table.get("predictive_horizon", d.predictive_horizon), 1.0
        ),
        predictive_use_band=_bool(
            "alarms.predictive_use_band", table.get("predictive_use_band", d.predictive_use_band)
        ),
        predictive_priority=_priority(
            "alarms.predictive_priority", table.get("predictive_priority", "medium")
        ),
        predictive_on_delay=_number(
            "alarms.predictive_on_delay", table.get("predictive_on_delay", d.predictive_on_delay)
        ),
        predictive_off_delay=_number(
            "alarms.predictive_off_delay", table.get("predictive_off_delay", d.predictive_off_delay)
        ),
        predictive_filter=_number(
            "alarms.predictive_filter", table.get("predictive_filter", d.predictive_filter), 1.0
        ),
        chatter_count=count,
        chatter_window=_number("alarms.chatter_window", table.get("chatter_window", d.chatter_window), 1.0),
        channels=tuple(_channel(str(name), sub, units or {}) for name, sub in channels.items()),
    )
