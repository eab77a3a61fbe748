"""The [alarms] configuration: defaults by channel kind, overrides, and errors naming the key."""

import pytest

from core.alarms.config import guess_kind, parse_alarm_config
from core.alarms.model import AlarmKind, Priority
from core.config import ConfigError


@pytest.mark.parametrize(
    "kind, deadband, delay",
    [("temperature", 1.0, 60.0), ("pressure", 2.0, 15.0), ("flow", 5.0, 15.0), ("level", 5.0, 60.0)],
)
def test_defaults_follow_the_channel_kind(kind, deadband, delay):
    """Deadband (share of span) and on/off delays default to the typical values of the kind."""
    rules = parse_alarm_config({"channels": {"x": {"kind": kind, "span": [0, 100], "h": 80.0}}}).rules("x")
    (h,) = rules.limits
    assert h.deadband == pytest.approx(deadband) and h.on_delay == h.off_delay == delay


def test_kind_follows_from_the_unit():
    """°C is temperature, bar pressure, m³/h flow; a name saying level is level."""
    assert guess_kind("t1", "°C") == "temperature" and guess_kind("p", "bar") == "pressure"
    assert guess_kind("f", "m³/h") == "flow" and guess_kind("tank_level", "%") == "level"
    assert guess_kind("x", "") == "other"


def test_overrides_and_priorities():
    """Explicit deadband, delays and priorities win over the defaults."""
    rules = parse_alarm_config(
        {
            "channels": {
                "b": {"hh": 95.0, "h": 85.0, "deadband": 0.5, "on_delay": 3, "hh_priority": "critical"}
            }
        }
    ).rules("b")
    hh, h = rules.limits
    assert hh.kind is AlarmKind.HH and hh.priority is Priority.CRITICAL and h.priority is Priority.MEDIUM
    assert hh.deadband == 0.5 and hh.on_delay == 3


def test_channels_without_rules_get_anomaly_and_no_limits():
    """A channel not in the config has no limit alarms but keeps anomaly and comm-loss alarms."""
    rules = parse_alarm_config(None).rules("anything")
    assert rules.limits == () and rules.anomaly


@pytest.mark.parametrize(
    "table, message",
    [
        ({"comm_loss": 5}, "unknown key 'comm_loss'"),
        ({"channels": {"b": {"h": "hot"}}}, "alarms.channels.b.h must be a number"),
        ({"channels": {"b": {"h": 90, "hh": 80}}}, "limits must be ordered"),
        ({"channels": {"b": {"h": 90, "h_priority": "urgent"}}}, "alarms.channels.b.h_priority must be low"),
        ({"channels": {"b": {"kind": "speed"}}}, "alarms.channels.b.kind must be one of"),
        ({"anomaly_threshold": 2}, "alarms.anomaly_threshold must be above 0 and at most 1"),
        ({"channels": {"b": {"span": [10, 0]}}}, "alarms.channels.b.span must be"),
    ],
)
def test_mistakes_name_the_key(table, message):
    """Every mistake is one sentence naming the key."""
    with pytest.raises(ConfigError, match=message):
        parse_alarm_config(table)


def test_example_config_parses():
    """The shipped example configuration's [anomaly] and [alarms] sections are valid."""
    from pathlib import Path

    from core.anomaly.settings import parse_anomaly_config
    from core.config import load_config

    cfg = load_config(Path(__file__).resolve().parents[2] / "resources" / "watchkeeper.example.toml")
    parse_anomaly_config(cfg.extra.get("anomaly"))
    parse_alarm_config(cfg.extra.get("alarms"), cfg.units)
