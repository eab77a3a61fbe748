"""Forecast settings and the ``[forecast]`` section of the configuration file.

One :class:`ForecastSettings` describes how a channel is forecast: its interval, lookback and
horizon, how gaps are treated and how the model is trained. The defaults suit a 1-minute channel
forecast one hour ahead. Every value is checked when the settings are made; the message starts with
the key's name so the config parser can prefix it with its section.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from core.config_error import ConfigError, check_keys
from core.messages import Message, MessageError, MessageId

US_PER_SECOND = 1_000_000


class SettingsError(MessageError, ValueError):
    """A forecast setting that cannot be used (a ValueError, as before): the sentence starts with
    the key's name, so the config parser can put its section in front (``AT_KEY``)."""


def parse_interval(text: str, key: str = "interval") -> int:
    """``"1min"``, ``"15min"``, ``"1h"``, ``"30s"``, ``"1D"`` → microseconds (whole seconds, ≥ 1 s)."""
    # "7d" is what people write for days; pandas only keeps "D" for that.
    text_ = re.sub(r"(\d)\s*d$", r"\1D", str(text).strip())
    try:
        delta = pd.Timedelta(text_)
    except (ValueError, TypeError):
        delta = None
    if delta is None or pd.isna(delta) or delta.total_seconds() < 1 or delta.value % 1_000_000_000:
        raise SettingsError(Message.of(MessageId.CONFIG_DURATION, where=key, value=repr(text)))
    return int(delta.value // 1000)


def format_interval(us: int) -> str:
    """The shortest readable form of an interval: ``3600000000`` → ``"1h"``."""
    seconds = us // US_PER_SECOND
    for unit, size in (("D", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True, slots=True)
class ForecastSettings:
    """How one channel is regularised, windowed, trained and forecast."""

    interval: str = "1min"  # bucket width; each bucket holds the mean of its readings
    lookback: int = 336  # steps the model sees
    horizon: int = 60  # steps it forecasts, all at once
    max_gap_steps: int = 5  # gaps up to this many steps are interpolated; longer ones split the series
    seasonal_period: str = "1D"  # period of the seasonal-naive baseline
    max_history_steps: int = 50_000  # newest steps used for training (bounds training time)
    validation_fraction: float = 0.2  # newest share of the history used for early stopping and bands
    epochs: int = 40
    patience: int = 5  # epochs without a better validation loss before training stops
    batch_size: int = 128
    learning_rate: float = 1e-3
    units: int = 64  # LSTM units
    patch: int = 0  # steps per LSTM input token; 0 = automatic (about 14 tokens per lookback)
    dropout: float = 0.3
    max_train_windows: int = 10_000  # training windows per epoch; more are thinned with a stride
    seed: int = 0

    def __post_init__(self) -> None:
        parse_interval(self.interval)
        parse_interval(self.seasonal_period, "seasonal_period")
        _whole("lookback", self.lookback, 2)
        _whole("horizon", self.horizon, 1)
        _whole("max_gap_steps", self.max_gap_steps, 0)
        _whole("max_history_steps", self.max_history_steps, 10)
        _whole("epochs", self.epochs, 1)
        _whole("patience", self.patience, 1)
        _whole("batch_size", self.batch_size, 1)
        _whole("units", self.units, 1)
        _whole("patch", self.patch, 0)
        _whole("max_train_windows", self.max_train_windows, 1)
        _whole("seed", self.seed, 0)
        if self.patch > self.lookback:
            raise SettingsError(
                Message.of(
                    MessageId.PATCH_OVER_LOOKBACK,
                    where="patch",
                    lookback=str(self.lookback),
                    value=str(self.patch),
                )
            )
        _number("validation_fraction", self.validation_fraction, 0.05, 0.5)
        _number("learning_rate", self.learning_rate, 1e-6, 1.0)
        _number("dropout", self.dropout, 0.0, 0.9)

    @property
    def step_us(self) -> int:
        """The interval in microseconds."""
        return parse_interval(self.interval)

    @property
    def season_steps(self) -> int:
        """The seasonal-naive period in steps (at least 1)."""
        return max(1, round(parse_interval(self.seasonal_period) / self.step_us))

    @property
    def patch_len(self) -> int:
        """Steps per LSTM token: short sequences train fast on a CPU and keep the LSTM's memory easy."""
        return self.patch or max(1, self.lookback // 14)

    def replace(self, **changes: Any) -> ForecastSettings:
        """A copy with ``changes`` applied (``None`` values are ignored, so CLI options pass straight in)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _whole(key: str, value: Any, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SettingsError(
            Message.of(MessageId.CONFIG_WHOLE_AT_LEAST, where=key, low=str(minimum), value=repr(value))
        )


def _number(key: str, value: Any, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SettingsError(
            Message.of(
                MessageId.CONFIG_NUMBER_BETWEEN,
                where=key,
                low=f"{low:g}",
                high=f"{high:g}",
                value=repr(value),
            )
        )
    if not low <= value <= high:
        raise SettingsError(
            Message.of(
                MessageId.CONFIG_BETWEEN, where=key, low=f"{low:g}", high=f"{high:g}", value=repr(value)
            )
        )


_SETTING_KEYS = {f.name for f in dataclasses.fields(ForecastSettings)}
_SECTION_KEYS = {"channels", "cycle", "models_dir", "prediction_csv", "retrain", "channel"}


@dataclass(frozen=True, slots=True)
class ForecastConfig:
    """The parsed ``[forecast]`` section."""

    settings: ForecastSettings = ForecastSettings()
    channel_settings: dict[str, ForecastSettings] = field(default_factory=dict)  # [forecast.channel.NAME]
    channels: tuple[str, ...] = ()  # channels to forecast; empty = every channel with a model
    cycle: str = "1h"  # how often the window runs a forecast cycle
    models_dir: str = ""  # default: <data dir>/models
    prediction_csv: str = ""  # default: <data dir>/Prediction.csv
    retrain: str = ""  # retrain models this old on fresh history, e.g. "7d"; "" = only by hand

    def settings_for(self, channel: str) -> ForecastSettings:
        """The channel's own settings, else the section's."""
        return self.channel_settings.get(channel, self.settings)

    @property
    def cycle_seconds(self) -> float:
        return parse_interval(self.cycle, "cycle") / US_PER_SECOND

    @property
    def retrain_seconds(self) -> float | None:
        """How old a model may get before it is retrained; None when retraining is by hand only."""
        return parse_interval(self.retrain, "retrain") / US_PER_SECOND if self.retrain else None


def _settings(where: str, table: dict[str, Any], base: ForecastSettings) -> ForecastSettings:
    values = {k: v for k, v in table.items() if k in _SETTING_KEYS}
    for key in ("validation_fraction", "learning_rate", "dropout"):
        if isinstance(values.get(key), int) and not isinstance(values[key], bool):
            values[key] = float(values[key])
    try:
        return dataclasses.replace(base, **values)
    except ValueError as exc:
        raise ConfigError(Message.of(MessageId.AT_KEY, where=where, problem=_problem(exc))) from None


def _problem(exc: ValueError) -> Message:
    return exc.message if isinstance(exc, MessageError) else Message.plain(str(exc))


def parse_forecast_config(table: dict[str, Any] | None) -> ForecastConfig:
    """Check ``Config.extra["forecast"]``; a mistake raises :class:`ConfigError` naming the key."""
    table = table or {}
    if not isinstance(table, dict):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_TABLE, where="[forecast]"))
    allowed = _SETTING_KEYS | _SECTION_KEYS
    check_keys("[forecast]", table, allowed)
    settings = _settings("forecast", table, ForecastSettings())
    per_channel: dict[str, ForecastSettings] = {}
    overrides = table.get("channel", {})
    if not isinstance(overrides, dict):
        raise ConfigError(
            Message.of(
                MessageId.CONFIG_ONE_TABLE_PER_CHANNEL,
                where="forecast.channel",
                example="[forecast.channel.temp]",
            )
        )
    for name, sub in overrides.items():
        where = f"forecast.channel.{name}"
        if not isinstance(sub, dict):
            raise ConfigError(Message.of(MessageId.CONFIG_TABLE_OF_SETTINGS, where=where))
        check_keys(where, sub, _SETTING_KEYS)
        per_channel[name] = _settings(where, sub, settings)
    channels = table.get("channels", [])
    if not isinstance(channels, list) or not all(isinstance(c, str) and c for c in channels):
        raise ConfigError(
            Message.of(MessageId.CONFIG_CHANNEL_NAMES, where="forecast.channels", value=repr(channels))
        )
    texts = {}
    for key in ("cycle", "models_dir", "prediction_csv", "retrain"):
        value = table.get(key, "1h" if key == "cycle" else "")
        if not isinstance(value, str):
            raise ConfigError(
                Message.of(MessageId.CONFIG_NOT_TEXT, where=f"forecast.{key}", value=repr(value))
            )
        texts[key] = value
    try:
        parse_interval(texts["cycle"], "cycle")
        if texts["retrain"]:
            parse_interval(texts["retrain"], "retrain")
    except ValueError as exc:
        raise ConfigError(Message.of(MessageId.AT_KEY, where="forecast", problem=_problem(exc))) from None
    return ForecastConfig(settings, per_channel, tuple(channels), **texts)
