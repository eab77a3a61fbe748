"""`watchkeeper record` runs the whole engine without a window: forecasts, Prediction.csv and
predictive alarms."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from core.alarms.journal import AlarmJournal
from core.cli import run
from core.forecast import Forecaster
from core.simulation.simulator import SimulatedDevice
from core.storage.store import ReadingStore
from tests.core.forecast.conftest import MINUTE_US, TINY, fill_store, sine

pytestmark = pytest.mark.timeout(600)


# The simulated device without its injected faults or drift: over the test's seconds its temperature
# stays within a few tenths of a degree of where it starts.
PORT = "sim://?channels=4&rate=5&anomalies=0&drift=0"


def _temperature_now() -> float:
    device = SimulatedDevice(4, rate_hz=5.0, anomalies=False, drift_per_hour=0.0)
    return float(device.samples_between(time.time() - 1.0, time.time())[1][-1, 0])


@pytest.fixture(scope="module")
def plant(tmp_path_factory) -> tuple[Path, Path]:
    """A file with a day of temperature history that ends now and a small trained model of it.

    The history is an hourly swing of 5 degrees either way that ends at the device's present
    temperature on its steepest rise, so every run forecasts the same climb whatever the time of day
    (the device's own history has its forecast band anywhere from half a degree to four degrees wide).
    The model is trained on a copy first, so training time, however long on a loaded machine, leaves
    no gap between the file's history and the recording that follows."""
    folder = tmp_path_factory.mktemp("plant")
    db, models = folder / "plant.duckdb", folder / "models"
    minutes = 24 * 60  # a whole number of hours: the next minute's value is the level, rising

    def write_history(path: Path) -> ReadingStore:
        store = ReadingStore(path)
        start_us = int(time.time() * 1e6) - minutes * MINUTE_US
        history = sine(minutes, noise=0.2, level=_temperature_now())
        fill_store(store, "temperature", history, start_us=start_us)
        return store

    with write_history(folder / "training.duckdb") as store:
        Forecaster(models).train_channel(store, "temperature", TINY)
    write_history(db).close()
    return db, models


def _config(folder: Path, models: Path, kind: str, limit: float) -> Path:
    path = folder / "watchkeeper.toml"
    path.write_text(
        f"""
[forecast]
cycle = "1min"
channels = ["temperature"]
models_dir = '{models}'
prediction_csv = '{folder / "Prediction.csv"}'

[alarms]
predictive_on_delay = 0
predictive_horizon = 7200

[alarms.channels.temperature]
{kind} = {limit}
""",
        encoding="utf-8",
    )
    return path


def _limit_the_forecast_reaches(db: Path, models: Path) -> tuple[str, float]:
    """A limit the newest readings are well clear of but the forecast's 95 % band reaches: HIGH
    when the band rises further above the newest reading than it falls below it, else LOW."""
    with ReadingStore(db) as store:
        cycle = Forecaster(models).predict_cycle(store, ["temperature"])
        recent = store.readings(["temperature"], pd.Timestamp.now(tz="UTC") - pd.Timedelta(minutes=10))
    bands = cycle.forecasts["temperature"].values
    last = float(recent["value"].iloc[-1])
    rise, fall = float(bands["upper_95"].max()) - last, last - float(bands["lower_95"].min())
    assert max(rise, fall) > 1.5, "the band must leave the readings for this test to mean anything"
    return ("h", round(last + 0.6 * rise, 2)) if rise > fall else ("l", round(last - 0.6 * fall, 2))


def test_record_forecasts_writes_prediction_csv_and_raises_a_predictive_alarm(plant, tmp_path, capsys):
    db, models = plant
    kind, limit = _limit_the_forecast_reaches(db, models)
    config = _config(db.parent, models, kind, limit)
    csv = db.parent / "Prediction.csv"
    csv.unlink(missing_ok=True)
    started = pd.Timestamp.now(tz="UTC")
    code = run(
        [
            "record",
            "--port",
            PORT,
            "--db",
            str(db),
            "--config",
            str(config),
            "--duration",
            "15",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "forecast for temperature and written to" in out
    frame = pd.read_csv(csv)
    assert set(frame["channel"]) == {"temperature"}
    ends = pd.to_datetime(frame["timestamp"], utc=True) + pd.Timedelta(TINY.interval)
    assert (ends > started).all(), "every row is of a minute that has not ended yet"
    assert len(frame) == TINY.horizon
    with ReadingStore(db) as store:
        events = AlarmJournal(store).frame()
    predictive = events[events["alarm_id"] == "temperature.predictive"]
    assert not predictive.empty, out
    assert ("Predicted HIGH" if kind == "h" else "Predicted LOW") in predictive["message"].iloc[0]
    assert not events["alarm_id"].isin(["temperature.H", "temperature.L"]).any(), "the readings stayed clear"
