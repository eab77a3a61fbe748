"""EngineConfig: every section a recording uses, parsed once, for the command line and the window alike.

The command line refuses a configuration with a mistake (one sentence naming the file and key);
the window starts anyway, with defaults for the section that has the mistake, and tells the
operator which section that was (``problems``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from core.alarms.config import AlarmConfig, parse_alarm_config
from core.anomaly.settings import AnomalyConfig, parse_anomaly_config
from core.config import Config, ConfigError, load_config, section_error
from core.forecast.settings import ForecastConfig, parse_forecast_config
from core.forward.settings import ForwardConfig, parse_forward_config
from core.messages import Message, MessageError, MessageId


class Section(Enum):
    """A configuration section that may fall back to its defaults on its own."""

    ANOMALY = "anomaly"
    ALARMS = "alarms"
    FORECAST = "forecast"
    FORWARD = "forward"  # with [notify]; falling back means forwarding nothing


@dataclass(frozen=True)
class EngineConfig:
    base: Config
    anomaly: AnomalyConfig = field(default_factory=AnomalyConfig)
    alarms: AlarmConfig = field(default_factory=AlarmConfig)
    forecast: ForecastConfig = field(default_factory=ForecastConfig)
    forwarding: ForwardConfig | None = None
    problems: tuple[tuple[Section, ConfigError], ...] = ()  # sections that fell back, and why

    def with_alarms(self, table: dict) -> EngineConfig:
        """The same configuration with a new [alarms] table (the window's Limits dialog)."""
        from dataclasses import replace

        base = replace(self.base, extra={**self.base.extra, "alarms": table})
        return replace(self, base=base, alarms=parse_alarm_config(table, base.units))


def parse_engine_config(config: Config, lenient: bool = False) -> EngineConfig:
    """Parse [anomaly], [alarms], [forecast], [forward] and [notify] of ``config``.

    ``lenient``: a section with a mistake falls back to its defaults (forwarding: to nothing) and
    is listed in ``problems``; otherwise the first mistake raises ConfigError."""
    extra = config.extra
    problems: list[tuple[Section, ConfigError]] = []

    def parse(section: Section, fn, default):
        try:
            return fn()
        except (ConfigError, ValueError) as exc:
            if not isinstance(exc, ConfigError):  # a ValueError of a setting: its sentence as it is
                exc = ConfigError(exc.message if isinstance(exc, MessageError) else str(exc))
            error = section_error(config, exc)
            if not lenient:
                raise error from None
            problems.append((section, error))
            return default

    anomaly = parse(Section.ANOMALY, lambda: parse_anomaly_config(extra.get("anomaly")), AnomalyConfig())
    alarms = parse(
        Section.ALARMS, lambda: parse_alarm_config(extra.get("alarms"), config.units), AlarmConfig()
    )
    forecast = parse(Section.FORECAST, lambda: parse_forecast_config(extra.get("forecast")), ForecastConfig())
    forwarding = parse(
        Section.FORWARD, lambda: parse_forward_config(extra.get("forward"), extra.get("notify")), None
    )
    return EngineConfig(config, anomaly, alarms, forecast, forwarding, tuple(problems))


# [ui] is reserved for the window's settings; this release reads none, so any key in it is a
# mistake (or meant for another release) and is refused rather than silently ignored.
UI_KEYS: set[str] = set()


def check_sections(config: Config) -> EngineConfig:
    """Check every section the capabilities read ([anomaly], [alarms], [forecast], [forward],
    [notify], [ui]); ConfigError names the file and the key. Returns them parsed."""
    parsed = parse_engine_config(config)
    ui = config.extra.get("ui")
    if ui is not None:
        if not isinstance(ui, dict):
            raise section_error(config, ConfigError(Message.of(MessageId.CONFIG_NOT_TABLE, where="[ui]")))
        for key in ui:
            if key not in UI_KEYS:
                raise section_error(
                    config,
                    ConfigError(Message.of(MessageId.UI_UNKNOWN_KEY, where="[ui]", key=str(key))),
                )
    return parsed


def load_checked_config(path: str | Path) -> Config:
    """Read a configuration file and check every section: what a command reads before it runs."""
    config = load_config(path)
    check_sections(config)
    return config


def forecast_paths(config: ForecastConfig, folder: Path, demo: bool = False) -> tuple[Path, Path]:
    """Where the models are kept and where each cycle's Prediction.csv goes (the data folder unless
    [forecast] says otherwise); the demo keeps its models apart from the plant's."""
    models = Path(config.models_dir) if config.models_dir else folder / ("demo-models" if demo else "models")
    csv = Path(config.prediction_csv) if config.prediction_csv else folder / "Prediction.csv"
    return models, csv
