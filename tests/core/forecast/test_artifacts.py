"""Saving and loading models: a faithful round trip, and one clear sentence for any bad file."""

import dataclasses
import json

import numpy as np
import pytest

from core.forecast.artifacts import FORMAT_VERSION, load_model, model_path, model_stem, save_model
from core.forecast.errors import ModelError


@pytest.fixture
def saved(tmp_path, tiny_model):
    model, _ = tiny_model
    return save_model(tmp_path / "models", model.info, model.weights), model


def test_a_saved_model_loads_back_identically(saved):
    """Weights, scaler, bands and metadata survive the round trip; forecasts are identical."""
    path, model = saved
    loaded = load_model(path, "temp")
    for name, w in model.weights.items():
        np.testing.assert_array_equal(loaded.weights[name], w)
    assert loaded.info.scaler == model.info.scaler
    assert loaded.info.bands.half_95.tolist() == model.info.bands.half_95.tolist()
    window = np.linspace(15, 25, model.info.lookback)
    np.testing.assert_array_equal(loaded.forecast(window)["forecast"], model.forecast(window)["forecast"])


def test_the_metadata_describes_the_model(saved):
    """Channel, interval, lookback, horizon, scaler, training range, metrics and versions are in the JSON."""
    path, _ = saved
    meta = json.loads(path.read_text())
    assert meta["channel"] == "temp" and meta["interval"] == "1min"
    assert (meta["lookback"], meta["horizon"]) == (24, 6)
    assert set(meta["scaler"]) == {"mean", "std"}
    assert meta["training"]["start"].startswith("2026-01-01T00:00") and "end" in meta["training"]
    assert {"validation", "persistence", "seasonal_naive", "skill"} <= set(meta["metrics"])
    assert {"watchkeeper", "numpy", "tensorflow", "keras", "python"} <= set(meta["versions"])
    assert path.with_suffix(".npz").exists() and not list(path.parent.glob("*.tmp"))


def test_bands_widen_with_the_horizon_and_nest(saved):
    path, _ = saved
    out = load_model(path).forecast(np.linspace(15, 25, 24))
    assert np.all(out["lower_95"] <= out["lower_80"]) and np.all(out["lower_80"] <= out["forecast"])
    assert np.all(out["forecast"] <= out["upper_80"]) and np.all(out["upper_80"] <= out["upper_95"])


def test_channel_names_become_safe_distinct_file_names():
    assert model_stem("motor/rpm") != model_stem("motor:rpm")
    assert "/" not in model_stem("../../etc/passwd") and model_stem("temp").startswith("temp-")
    assert model_path("m", "temp").suffix == ".json"


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_text("{not json"),
        lambda p: p.write_bytes(b"\x00\xff" * 10),
        lambda p: p.write_text(json.dumps({"format": "something else"})),
        lambda p: p.write_text(p.read_text().replace('"lookback": 24', '"lookback": 25', 1)),
        lambda p: p.write_text(p.read_text().replace('"lookback": 24', '"lookback": 28')),
        lambda p: p.with_suffix(".npz").write_bytes(b"truncated"),
        lambda p: p.with_suffix(".npz").unlink(),
    ],
    ids=["bad-json", "binary", "foreign", "inconsistent", "shape-mismatch", "bad-weights", "no-weights"],
)
def test_a_damaged_model_gives_one_clear_sentence(saved, damage):
    """Any corruption raises ModelError saying the file is damaged and to retrain — no traceback text."""
    path, _ = saved
    damage(path)
    with pytest.raises(ModelError) as info:
        load_model(path, "temp")
    text = str(info.value)
    assert "damaged" in text and "retrain channel 'temp'" in text and "\n" not in text


def test_a_model_from_a_newer_watchkeeper_says_so(saved):
    path, _ = saved
    meta = json.loads(path.read_text())
    meta["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="newer Watchkeeper"):
        load_model(path)


def test_a_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelError, match=r"no forecast model for channel 'x'.*watchkeeper train"):
        load_model(model_path(tmp_path, "x"), "x")


def test_a_seasonal_share_repeats_the_last_period_and_survives_saving(tmp_path, tiny_model):
    """With seasonal weight 1 the forecast is the value one period earlier (here a ramp: 60, 61, …)."""
    model, _ = tiny_model
    info = dataclasses.replace(model.info, seasonal_weight=1.0, season_steps=40)
    assert info.history_steps == 40  # a period longer than the lookback must be fetched too
    loaded = load_model(save_model(tmp_path, info, model.weights))
    assert (loaded.info.seasonal_weight, loaded.info.season_steps) == (1.0, 40)
    out = loaded.forecast(np.arange(100.0))["forecast"]
    np.testing.assert_allclose(out, np.arange(60.0, 66.0), atol=1e-9)
