"""The CSV-folder path: every series of every file into one Prediction.csv, models saved and reused."""

import json

import numpy as np
import pandas as pd
import pytest

from core.forecast.artifacts import save_model
from core.forecast.batch import _series_list, predict_folder
from core.forecast.csv_input import read_csv_table
from core.forecast.cycle import CSV_COLUMNS
from core.forecast.errors import ForecastInputError, NotEnoughHistory

from .conftest import TINY, sine

N = 900


def minutes(n, start="2026-01-01"):
    return pd.date_range(start, periods=n, freq="min").strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture
def folder(tmp_path):
    """wide.csv: timestamp, temp and a text column; long.csv: timestamp, channel, value for 'flow'."""
    d = tmp_path / "in"
    d.mkdir()
    pd.DataFrame({"timestamp": minutes(N), "temp": sine(N, noise=0.2), "unit": "C"}).to_csv(
        d / "wide.csv", index=False
    )
    pd.DataFrame({"time": minutes(N), "channel": "flow", "value": sine(N, period=30, level=5)}).to_csv(
        d / "long.csv", index=False
    )
    (d / "notes.txt").write_text("not a csv")
    return d


def test_every_series_is_forecast_after_its_last_timestamp_and_models_are_reused(folder, tmp_path):
    """First run trains and saves a model per series; the second reuses them (no training). A series
    too short to train is skipped with its reason while the others are forecast."""
    pd.DataFrame({"timestamp": minutes(50), "short": sine(50)}).to_csv(folder / "short.csv", index=False)
    out, models = tmp_path / "Prediction.csv", tmp_path / "models"
    first = predict_folder(folder, out, models, TINY)
    assert sorted(first.trained) == ["flow", "temp"] and first.reused == []
    assert "needs at least" in first.skipped["short"]
    csv = pd.read_csv(out)
    assert tuple(csv.columns) == CSV_COLUMNS
    assert csv.groupby("channel").size().to_dict() == {"flow": 6, "temp": 6}
    assert (csv["timestamp"].str.startswith("2026-01-01T15:0")).all()  # the 6 minutes after 14:59
    second = predict_folder(folder, out, models, TINY)
    assert sorted(second.reused) == ["flow", "temp"] and second.trained == []
    pd.testing.assert_frame_equal(
        pd.read_csv(out).drop(columns="generated_at"), csv.drop(columns="generated_at")
    )


def test_a_column_filter_and_a_damaged_saved_model(folder, tmp_path, tiny_model):
    """--column picks one series; a saved model that fits is reused; a damaged one is reported and
    replaced by a new one."""
    models, said = tmp_path / "models", []
    model, _ = tiny_model  # trained on exactly wide.csv's temp series
    meta = save_model(models, model.info, model.weights)
    assert predict_folder(folder, tmp_path / "a.csv", models, TINY, column="temp").reused == ["temp"]
    meta.write_text("{broken")
    result = predict_folder(folder, tmp_path / "b.csv", models, TINY, column="temp", report=said.append)
    assert result.trained == ["temp"] and any("damaged" in s for s in said)
    assert json.loads(meta.read_text())["channel"] == "temp"
    assert set(pd.read_csv(tmp_path / "b.csv")["channel"]) == {"temp"}


def test_series_with_the_same_column_in_several_files_are_told_apart(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name in ("a", "b"):
        pd.DataFrame({"ts": minutes(5), "temp": 1.0, "hum": 2.0 if name == "a" else "x"}).to_csv(
            d / f"{name}.csv", index=False
        )
    tables = [read_csv_table(p) for p in sorted(d.glob("*.csv"))]
    assert [n for n, _, _ in _series_list(tables, None, d)] == ["a:temp", "hum", "b:temp"]


def test_when_no_series_can_be_forecast_the_reason_is_raised(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    pd.DataFrame({"timestamp": minutes(50), "v": sine(50)}).to_csv(d / "x.csv", index=False)
    with pytest.raises(NotEnoughHistory, match="training needs at least"):
        predict_folder(d, tmp_path / "P.csv", tmp_path / "models", TINY)
    assert not (tmp_path / "P.csv").exists()


@pytest.mark.parametrize(
    "content,message",
    [
        ("timestamp,v\n2026-01-01 00:00,1\n2026-01-01 00:01,2,3\n", "line 3 has 3 fields, the header 2"),
        ("timestamp,v\nyesterday,1\n", "line 2: 'yesterday' in column 'timestamp' is not a timestamp"),
        ("", "is empty or has no header line"),
        ("timestamp\n2026-01-01,1\n", "needs a timestamp column and at least one value column"),
    ],
    ids=["extra-field", "bad-timestamp", "empty", "one-column"],
)
def test_malformed_files_give_one_sentence_naming_the_file(tmp_path, content, message):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bad.csv").write_text(content)
    with pytest.raises(ForecastInputError) as info:
        predict_folder(d, tmp_path / "P.csv", tmp_path / "m", TINY)
    assert "bad.csv" in str(info.value) and message in str(info.value)


def test_a_missing_column_or_folder_is_explained(folder, tmp_path):
    with pytest.raises(ForecastInputError, match=r"No CSV file in .* has a numeric column 'pressure'"):
        predict_folder(folder, tmp_path / "P.csv", tmp_path / "m", TINY, column="pressure")
    with pytest.raises(ForecastInputError, match="is not a folder"):
        predict_folder(tmp_path / "nowhere", tmp_path / "P.csv", tmp_path / "m", TINY)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ForecastInputError, match=r"no \.csv files"):
        predict_folder(empty, tmp_path / "P.csv", tmp_path / "m", TINY)


def test_semicolon_files_and_non_numeric_cells_are_read():
    """Delimiters are sniffed; a cell that is not a number is a gap, not an error."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "s.csv"
        p.write_text("date;temp\n2026-01-01 00:00;1,5\n2026-01-01 00:01;n/a\n2026-01-01 00:02;3\n")
        table = read_csv_table(p)
    assert (
        table.timestamp_column == "date"
        and np.isnan(table.columns["temp"][1])
        and table.columns["temp"][2] == 3
    )
