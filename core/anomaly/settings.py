"""Anomaly scoring settings and the ``[anomaly]`` table of the TOML configuration."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, NoReturn

from core.config_error import ConfigError, check_keys
from core.messages import Message, MessageId

# Score s means the recent behaviour has a tail probability of 10**(-SCORE_DECADES * s) under the
# channel's learned normal behaviour: 0.5 is one in 100 000, as in Numenta's log-likelihood.
SCORE_DECADES = 10.0


@dataclass(frozen=True, slots=True)
class ScorerSettings:
    """How one channel is scored. Lengths are counted in readings of that channel."""

    window: int = 64  # rolling median / IQR baseline
    history: int = 1000  # values each calibration learns its tail from
    refresh: int = 128  # readings between calibration refits
    learn_pause: int = 128  # readings of a fresh anomaly the calibrations do not learn from
    probation: int = 200  # the first readings only learn (score 0)
    threshold: float = 0.5  # a reading is flagged when its score reaches this
    short: int = 8  # readings in the short "recent behaviour" window
    long: int = 32  # readings in the long "recent behaviour" window
    point_penalty: float = 1.0  # extra decades one reading alone must reach
    stuck_min: int = 3  # identical readings that are never unusual by themselves
    daily_bins: int = 288  # time-of-day bins of the daily profile
    daily_days: int = 7  # days the daily profile looks back
    max_rate: float | None = None  # units per second that cannot physically happen
    drift_smooth: int = 6  # readings averaged for the level compared with the lagged reference
    drift_lag: int = 200  # readings before the lagged reference ends (how slow a fault may build)

    def validate(self) -> ScorerSettings:
        """Return self, or raise ConfigError: "anomaly." and the key's sentence (``AT_KEY``, so the
        table it came from can be named instead)."""
        for name in (
            "window",
            "history",
            "refresh",
            "short",
            "long",
            "daily_bins",
            "daily_days",
            "drift_smooth",
        ):
            if getattr(self, name) < 2:
                _refuse(
                    Message.of(MessageId.CONFIG_AT_LEAST, where=name, low="2", value=str(getattr(self, name)))
                )
        if min(self.probation, self.learn_pause, self.drift_lag) < 0:
            name = next(n for n in ("probation", "learn_pause", "drift_lag") if getattr(self, n) < 0)
            _refuse(Message.of(MessageId.CONFIG_ZERO_OR_MORE, where=name, value=str(getattr(self, name))))
        if not 0.0 < self.threshold <= 1.0:
            _refuse(
                Message.of(
                    MessageId.CONFIG_ABOVE_ZERO_AT_MOST_ONE, where="threshold", value=str(self.threshold)
                )
            )
        if self.max_rate is not None and self.max_rate <= 0:
            _refuse(Message.of(MessageId.CONFIG_ABOVE_ZERO, where="max_rate", value=str(self.max_rate)))
        return self


def _refuse(problem: Message) -> NoReturn:
    raise ConfigError(Message.of(MessageId.AT_KEY, where="anomaly", problem=problem))


@dataclass(frozen=True, slots=True)
class AnomalyConfig:
    """Defaults for every channel plus per-channel overrides (``[anomaly.channels.NAME]``), and
    the machines: groups of channels whose relations to each other are evidence too."""

    enabled: bool = True
    default: ScorerSettings = field(default_factory=ScorerSettings)
    channels: tuple[tuple[str, ScorerSettings], ...] = ()
    machines: tuple[tuple[str, ...], ...] = ()

    def for_channel(self, name: str) -> ScorerSettings:
        return dict(self.channels).get(name, self.default)


_INT_KEYS = {
    "window",
    "history",
    "refresh",
    "learn_pause",
    "probation",
    "short",
    "long",
    "stuck_min",
    "daily_bins",
    "daily_days",
    "drift_smooth",
    "drift_lag",
}
_FLOAT_KEYS = {"threshold", "point_penalty", "max_rate"}


def _settings(
    where: str, table: dict[str, Any], base: ScorerSettings, also: frozenset[str] = frozenset()
) -> ScorerSettings:
    """``also``: keys of the table read elsewhere (named in the unknown-key sentence)."""
    allowed = {f.name for f in fields(ScorerSettings)}
    changes: dict[str, Any] = {}
    check_keys(f"[{where}]", table, allowed | also)
    for key, value in table.items():
        if key in also:
            continue
        if key in _INT_KEYS and (isinstance(value, bool) or not isinstance(value, int)):
            raise ConfigError(
                Message.of(MessageId.CONFIG_NOT_WHOLE, where=f"{where}.{key}", value=repr(value))
            )
        if key in _FLOAT_KEYS and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ConfigError(
                Message.of(MessageId.CONFIG_NOT_NUMBER, where=f"{where}.{key}", value=repr(value))
            )
        changes[key] = float(value) if key in _FLOAT_KEYS else value
    try:
        return replace(base, **changes).validate()
    except ConfigError as exc:
        # validate names the key under "anomaly"; say the table it came from instead
        problem = exc.message.params["problem"] if exc.message.id is MessageId.AT_KEY else exc.message
        raise ConfigError(Message.of(MessageId.AT_KEY, where=where, problem=problem)) from None


def _machines(value: Any) -> tuple[tuple[str, ...], ...]:
    """``machines = [["current", "flow"], ...]``: each a list of two or more channel names, a
    channel in one machine at most."""
    where = "anomaly.machines"
    if not isinstance(value, list):
        raise ConfigError(Message.of(MessageId.MACHINES_SHAPE, where=where, value=repr(value)))
    machines: list[tuple[str, ...]] = []
    owner: dict[str, int] = {}
    for number, group in enumerate(value, start=1):
        if not isinstance(group, list) or not all(isinstance(c, str) and c.strip() for c in group):
            raise ConfigError(
                Message.of(MessageId.MACHINES_SHAPE_AT, where=where, number=str(number), value=repr(group))
            )
        names = tuple(c.strip() for c in group)
        if len(set(names)) < 2:
            raise ConfigError(Message.of(MessageId.MACHINE_TOO_FEW, where=where, number=str(number)))
        for name in names:
            if name in owner and owner[name] != number:
                raise ConfigError(
                    Message.of(
                        MessageId.MACHINE_SHARED,
                        where=where,
                        name=name,
                        first=str(owner[name]),
                        second=str(number),
                    )
                )
            if name in owner:
                raise ConfigError(
                    Message.of(MessageId.MACHINE_TWICE, where=where, number=str(number), name=name)
                )
            owner[name] = number
        machines.append(names)
    return tuple(machines)


def parse_anomaly_config(table: Any) -> AnomalyConfig:
    """Check the raw ``[anomaly]`` table (``Config.extra['anomaly']``); absent keys take defaults."""
    if table is None:
        return AnomalyConfig()
    if not isinstance(table, dict):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_TABLE, where="[anomaly]"))
    table = dict(table)
    enabled = table.pop("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_BOOL, where="anomaly.enabled", value=repr(enabled)))
    machines = _machines(table.pop("machines", []))
    per_channel = table.pop("channels", {})
    if not isinstance(per_channel, dict):
        raise ConfigError(Message.of(MessageId.CONFIG_PER_CHANNEL_TABLES, where="anomaly.channels"))
    default = _settings("anomaly", table, ScorerSettings(), frozenset({"enabled", "channels", "machines"}))
    channels = []
    for name, sub in per_channel.items():
        if not isinstance(sub, dict):
            raise ConfigError(Message.of(MessageId.CONFIG_NOT_TABLE, where=f"anomaly.channels.{name}"))
        channels.append((name, _settings(f"anomaly.channels.{name}", sub, default)))
    return AnomalyConfig(enabled, default, tuple(channels), machines)
