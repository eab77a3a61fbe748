"""A forecast cycle: rows in the forecasts table, an atomic Prediction.csv, bad channels skipped."""

import os
import threading

import duckdb
import numpy as np
import pandas as pd
import pytest

from core.forecast import Forecaster, ForecastError
from core.forecast.artifacts import save_model
from core.forecast.cycle import CSV_COLUMNS, latest_forecasts, write_prediction_csv
from core.storage.store import ReadingStore

from .conftest import MINUTE_US, T0_US, fill_store, sine

END = pd.Timestamp(T0_US + 900 * MINUTE_US, unit="us", tz="UTC")  # first minute after the history


@pytest.fixture
def models(tmp_path, tiny_model):
    model, _ = tiny_model
    folder = tmp_path / "models"
    save_model(folder, model.info, model.weights)
    return folder


def test_a_cycle_stores_rows_and_writes_prediction_csv(history_db, models, tmp_path):
    """Every horizon step of every channel is in the table and the CSV, after the newest reading."""
    out = tmp_path / "out" / "Prediction.csv"
    with ReadingStore(history_db) as store:
        cycle = Forecaster(models).predict_cycle(store, out_csv=out, now=END + pd.Timedelta("30s"))
        rows = store.cursor().execute("SELECT * FROM forecasts ORDER BY target_ts").df()
        latest = latest_forecasts(store, "temp")
    assert cycle.skipped == {} and cycle.stale == {} and cycle.stored_rows == 6
    csv = pd.read_csv(out)
    assert tuple(csv.columns) == CSV_COLUMNS
    assert len(csv) == 6 and set(csv["channel"]) == {"temp"}
    assert (
        csv["timestamp"].iloc[0] == "2026-01-01T15:00:00Z"
        and csv["timestamp"].iloc[-1] == "2026-01-01T15:05:00Z"
    )
    assert (csv["generated_at"] == "2026-01-01T15:00:30Z").all()
    assert (csv["lower_95"] <= csv["lower_80"]).all() and (csv["upper_80"] <= csv["upper_95"]).all()
    assert rows["value"].tolist() == pytest.approx(csv["forecast"].tolist(), rel=1e-5)
    assert rows["model"].iloc[0].endswith(".json") and len(latest) == 6
    # A noisy sine of amplitude 5 around 20: a sane forecast stays in range.
    assert ((csv["forecast"] > 10) & (csv["forecast"] < 30)).all()


def test_the_bucket_still_filling_is_not_used(history_db, models):
    """At 14:30:20 the 14:30 minute is incomplete: the forecast starts at 14:30 from data up to 14:29."""
    with ReadingStore(history_db) as store:
        cycle = Forecaster(models).predict_cycle(store, now="2026-01-01T14:30:20Z")
    fc = cycle.forecasts["temp"]
    assert fc.last_data == pd.Timestamp("2026-01-01T14:29", tz="UTC")
    assert fc.times[0] == pd.Timestamp("2026-01-01T14:30", tz="UTC")


def test_missing_and_damaged_models_are_skipped_without_failing_the_cycle(history_db, models, tmp_path):
    """A channel without a model, or with a corrupt one, is reported; the others are still forecast."""
    with ReadingStore(history_db) as store:
        fill_store(store, "flow", sine(900, period=30))
    broken_dir = tmp_path / "models"
    (broken_dir / "junk.json").write_text("{")  # a damaged file is listed and skipped by name
    with ReadingStore(history_db) as store:
        cycle = Forecaster(models).predict_cycle(store, out_csv=tmp_path / "P.csv", now=END)
        named = Forecaster(models).predict_cycle(store, channels=["temp", "flow"], now=END)
    assert set(cycle.forecasts) == {"temp"} and "damaged" in str(cycle.skipped["junk"])
    assert "no forecast model for channel 'flow'" in str(named.skipped["flow"]) and "temp" in named.forecasts
    assert len(pd.read_csv(tmp_path / "P.csv")) == 6


def test_an_old_last_reading_is_reported_as_stale(history_db, models):
    """A day without readings: the forecast still starts from the last one, and the cycle says so."""
    with ReadingStore(history_db) as store:
        cycle = Forecaster(models).predict_cycle(store, now=END + pd.Timedelta("1D"))
    assert "temp" in cycle.forecasts and "1 day" in cycle.stale["temp"]


def test_a_long_gap_in_the_last_window_skips_the_channel_with_a_reason(tmp_path, models):
    """Forecasts resume only once a whole lookback has been recorded after a long gap."""
    db = tmp_path / "gap.duckdb"
    with ReadingStore(db) as store:
        fill_store(store, "temp", sine(100))
        fill_store(store, "temp", sine(10), start_us=T0_US + 110 * MINUTE_US)
        cycle = Forecaster(models).predict_cycle(store, now=T0_US + 120 * MINUTE_US)
    assert "gap longer than 3 steps" in str(cycle.skipped["temp"])


def test_prediction_csv_is_replaced_atomically(tmp_path):
    """A reader polling the file while it is rewritten always sees a complete file."""
    path = tmp_path / "Prediction.csv"
    frames = [
        pd.DataFrame(
            {
                "timestamp": pd.date_range("2026-01-01", periods=200 + 50 * k, freq="min", tz="UTC"),
                "channel": "temp",
                "forecast": float(k),
                "lower_80": 0.0,
                "upper_80": 1.0,
                "lower_95": 0.0,
                "upper_95": 1.0,
                "generated_at": pd.Timestamp("2026-01-01", tz="UTC"),
            }
        )
        for k in range(4)
    ]
    write_prediction_csv(frames[0], path)
    seen, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            text = path.read_text()
            seen.append((text.count("\n"), text.splitlines()[-1].split(",")[2]))

    t = threading.Thread(target=reader)
    t.start()
    for i in range(60):
        write_prediction_csv(frames[i % 4], path)
    stop.set()
    t.join()
    assert seen and all(lines == 201 + 50 * int(float(k)) for lines, k in seen)
    assert [p.name for p in tmp_path.iterdir()] == ["Prediction.csv"]


def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "Prediction.csv"
    path.write_text("old\n")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    frame = pd.DataFrame({c: [] for c in CSV_COLUMNS})
    with pytest.raises(ForecastError, match="open in another program"):
        write_prediction_csv(frame, path)
    assert path.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["Prediction.csv"]


def test_the_forecasts_table_keeps_every_cycle(history_db, models):
    with ReadingStore(history_db) as store:
        fc = Forecaster(models)
        fc.predict_cycle(store, now=END)
        fc.predict_cycle(store, now=END + pd.Timedelta("1min"))
    con = duckdb.connect(str(history_db), read_only=True)
    counts = con.execute("SELECT count(DISTINCT generated_at), count(*) FROM forecasts").fetchall()[0]
    assert counts == (2, 12)
    assert np.isfinite(con.execute("SELECT sum(value) FROM forecasts").fetchall()[0][0])
