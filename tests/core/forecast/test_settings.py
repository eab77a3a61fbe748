"""The [forecast] config section and ForecastSettings checks: every mistake names its key."""

import pytest

from core.config import ConfigError, config_from_dict
from core.forecast.settings import ForecastSettings, format_interval, parse_forecast_config, parse_interval


def test_defaults_suit_a_one_minute_channel_forecast_an_hour_ahead():
    s = ForecastSettings()
    assert (s.interval, s.lookback, s.horizon, s.step_us) == ("1min", 336, 60, 60_000_000)
    assert s.season_steps == 1440 and s.patch_len == 24


@pytest.mark.parametrize(
    "text,us", [("1min", 60e6), ("15min", 900e6), ("1h", 3600e6), ("30s", 30e6), ("1D", 86400e6)]
)
def test_intervals_parse_to_microseconds(text, us):
    assert parse_interval(text) == us
    assert parse_interval(format_interval(int(us))) == us


@pytest.mark.parametrize("bad", ["soon", "0s", "500ms", "", "-1min"])
def test_bad_intervals_are_rejected_with_an_example(bad):
    with pytest.raises(ValueError, match="interval must be a duration"):
        parse_interval(bad)


def test_a_forecast_section_is_parsed_with_per_channel_overrides():
    cfg = config_from_dict(
        {
            "forecast": {
                "interval": "1h",
                "horizon": 24,
                "channels": ["temp", "flow"],
                "cycle": "30min",
                "channel": {"flow": {"interval": "15min", "lookback": 96}},
            }
        }
    )
    fc = parse_forecast_config(cfg.extra["forecast"])
    assert fc.settings.interval == "1h" and fc.settings.horizon == 24
    assert fc.settings_for("temp") is fc.settings
    flow = fc.settings_for("flow")
    assert (flow.interval, flow.lookback, flow.horizon) == ("15min", 96, 24)  # inherits the section's horizon
    assert fc.channels == ("temp", "flow") and fc.cycle_seconds == 1800


def test_an_empty_or_missing_section_gives_the_defaults():
    assert parse_forecast_config(None).settings == ForecastSettings()
    assert parse_forecast_config({}).channels == ()


@pytest.mark.parametrize(
    "table,message",
    [
        ({"lookback": 1}, "forecast.lookback must be a whole number of at least 2"),
        ({"lookback": 33.5}, "forecast.lookback must be a whole number"),
        ({"horizon": "ten"}, "forecast.horizon must be a whole number"),
        ({"interval": "often"}, "forecast.interval must be a duration"),
        ({"dropout": 2}, "forecast.dropout must be between 0 and 0.9"),
        ({"validation_fraction": True}, "forecast.validation_fraction must be a number"),
        ({"lookbak": 10}, "[forecast] has an unknown key 'lookbak'"),
        ({"channels": "temp"}, "forecast.channels must be a list of channel names"),
        ({"cycle": "never"}, "forecast.cycle must be a duration"),
        ({"models_dir": 3}, "forecast.models_dir must be text"),
        (
            {"channel": {"temp": {"horizon": 0}}},
            "forecast.channel.temp.horizon must be a whole number of at least 1",
        ),
        ({"channel": {"temp": {"cycle": "1h"}}}, "forecast.channel.temp has an unknown key 'cycle'"),
        ({"channel": {"temp": 5}}, "forecast.channel.temp must be a table"),
        ({"patch": 400}, "forecast.patch must not exceed lookback"),
    ],
)
def test_mistakes_name_the_key(table, message):
    with pytest.raises(ConfigError) as info:
        parse_forecast_config(table)
    assert str(info.value).startswith(message)


def test_replace_ignores_options_that_were_not_given():
    s = ForecastSettings().replace(lookback=None, horizon=12)
    assert s.lookback == 336 and s.horizon == 12
