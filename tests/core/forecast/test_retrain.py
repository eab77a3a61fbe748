"""Scheduled retraining: which models are due, and retraining in the model's own shape."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from core.config import ConfigError
from core.forecast.artifacts import save_model
from core.forecast.retrain import due_for_retraining, model_age_s, read_infos, retrain_settings
from core.forecast.settings import ForecastSettings, parse_forecast_config

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def aged(info, days: float):
    return dataclasses.replace(info, created_at=(NOW - timedelta(days=days)).isoformat(timespec="seconds"))


def test_models_at_or_past_the_age_are_due_oldest_first(tiny_model):
    info = tiny_model[0].info
    infos = {"a": aged(info, 2), "b": aged(info, 9), "c": aged(info, 7), "d": aged(info, 6.9)}
    assert due_for_retraining(infos, 7 * 86400, NOW) == ["b", "c"]
    assert model_age_s(infos["b"], NOW) == pytest.approx(9 * 86400)


def test_a_model_of_unknown_age_is_due(tiny_model):
    info = dataclasses.replace(tiny_model[0].info, created_at="")
    assert model_age_s(info, NOW) is None
    assert due_for_retraining({"x": info, "y": aged(info, 1)}, 7 * 86400, NOW) == ["x"]


def test_retraining_keeps_the_models_shape_and_the_configured_rest(tiny_model):
    info = tiny_model[0].info  # 1min, lookback 24, horizon 6, units 8
    configured = ForecastSettings(interval="10min", lookback=144, horizon=36, epochs=7, units=64)
    s = retrain_settings(info, configured)
    assert (s.interval, s.lookback, s.horizon, s.units) == ("1min", 24, 6, 8)
    assert s.patch == info.arch.patch and s.max_gap_steps == info.max_gap_steps
    assert s.epochs == 7  # how to train comes from the configuration


def test_read_infos_skips_files_it_cannot_read(tmp_path, tiny_model):
    model = tiny_model[0]
    good = save_model(tmp_path, model.info, model.weights)
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    infos = read_infos({"temp": good, "broken": bad})
    assert list(infos) == ["temp"] and infos["temp"].arch == model.info.arch


def test_the_retrain_setting_is_read_and_checked():
    assert parse_forecast_config({}).retrain_seconds is None
    assert parse_forecast_config({"retrain": "7d"}).retrain_seconds == 7 * 86400
    with pytest.raises(ConfigError, match="retrain must be a duration"):
        parse_forecast_config({"retrain": "weekly"})
