"""watchkeeper train / predict / backtest: output for the operator, one sentence and exit 1 on bad input."""

import pandas as pd
import pytest

from core.cli.main import run
from core.forecast.artifacts import save_model
from core.forecast.cycle import CSV_COLUMNS

from .conftest import sine

TINY_TOML = """
[forecast]
lookback = 24
horizon = 6
max_gap_steps = 3
seasonal_period = "1h"
units = 8
patch = 4
epochs = 4
patience = 2
batch_size = 64
learning_rate = 0.01
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "wk.toml"
    path.write_text(TINY_TOML)
    return str(path)


def _error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("watchkeeper: "), err
    return err[0]


def test_train_then_predict_from_a_database(history_db, config, tmp_path, capsys):
    """train prints each epoch, validation metrics and skill; predict stores rows and writes the CSV."""
    models, out = str(tmp_path / "models"), tmp_path / "Prediction.csv"
    rc = run(["--config", config, "train", "--db", str(history_db), "--channel", "temp", "--models", models])
    text = capsys.readouterr().out
    assert rc == 0
    assert "epoch   1/4" in text and "persistence" in text and "seasonal naive (1 h)" in text
    assert "Skill vs persistence: +" in text and "Saved to" in text
    rc = run(
        [
            "predict",
            "--db",
            str(history_db),
            "--out",
            str(out),
            "--models",
            models,
            "--now",
            "2026-01-01T15:00Z",
        ]
    )
    text = capsys.readouterr().out
    assert rc == 0 and "temp: 6 steps from 2026-01-01 15:00" in text and "Stored 6 forecast rows" in text
    assert tuple(pd.read_csv(out).columns) == CSV_COLUMNS


def test_predict_a_folder_of_csv_files(tmp_path, config, capsys):
    d = tmp_path / "in"
    d.mkdir()
    times = pd.date_range("2026-01-01", periods=900, freq="min")
    pd.DataFrame({"timestamp": times, "temp": sine(900, noise=0.2), "hum": 50.0}).to_csv(
        d / "a.csv", index=False
    )
    out = tmp_path / "Prediction.csv"
    rc = run(
        [
            "--config",
            config,
            "predict",
            "--input",
            str(d),
            "--output",
            str(out),
            "--column",
            "temp",
            "--models",
            str(tmp_path / "m"),
        ]
    )
    assert rc == 0 and "1 trained, 0 reused" in capsys.readouterr().out
    assert set(pd.read_csv(out)["channel"]) == {"temp"}


def test_training_a_channel_with_too_little_history_says_how_much(history_db, config, tmp_path, capsys):
    rc = run(
        [
            "--config",
            config,
            "train",
            "--db",
            str(history_db),
            "--channel",
            "short",
            "--models",
            str(tmp_path),
        ]
    )
    assert rc == 1
    assert "Channel 'short' has 30 steps of 1min history; training needs at least" in _error(capsys)


def test_an_unknown_channel_lists_the_known_ones(history_db, tmp_path, capsys):
    assert run(["train", "--db", str(history_db), "--channel", "nope", "--models", str(tmp_path)]) == 1
    assert "has no channel 'nope' (channels: short, temp)" in _error(capsys)


def test_predict_with_a_damaged_model_exits_1_with_one_sentence(history_db, tiny_model, tmp_path, capsys):
    model, _ = tiny_model
    path = save_model(tmp_path / "m", model.info, model.weights)
    path.with_suffix(".npz").write_bytes(b"garbage")
    rc = run(
        [
            "predict",
            "--db",
            str(history_db),
            "--models",
            str(tmp_path / "m"),
            "--out",
            str(tmp_path / "P.csv"),
        ]
    )
    assert rc == 1 and "is damaged or not a Watchkeeper model; retrain channel 'temp'" in _error(capsys)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["predict", "--db", "{tmp}/none.duckdb", "--out", "{tmp}/P.csv"], "does not exist"),
        (["predict", "--db", "{db}", "--models", "{tmp}/empty"], "There are no forecast models"),
        (["predict", "--input", "{tmp}"], "--input needs --output FILE"),
        (["predict", "--db", "{db}", "--lookback", "5"], "only apply with --input DIR"),
        (
            [
                "backtest",
                "{tmp}/x.csv",
                "--column",
                "OT",
                "--lookback",
                "24",
                "--horizon",
                "6",
                "--split",
                "1,1,1",
            ],
            "x.csv does not exist",
        ),
        (
            ["train", "--db", "{db}", "--channel", "temp", "--interval", "sometimes"],
            "--interval must be a duration",
        ),
        (
            ["--config", "{tmp}/bad.toml", "train", "--db", "{db}", "--channel", "temp"],
            "forecast.horizon must be",
        ),
    ],
)
def test_bad_input_is_one_sentence_and_exit_1(history_db, tmp_path, capsys, argv, message):
    (tmp_path / "bad.toml").write_text("[forecast]\nhorizon = 0\n")
    argv = [a.format(tmp=tmp_path, db=history_db) for a in argv]
    assert run(argv) == 1
    assert message in _error(capsys)


def test_backtest_with_a_missing_column_or_a_malformed_file(tmp_path, capsys):
    csv = tmp_path / "d.csv"
    csv.write_text("date,OT\n2020-01-01 00:00,1\n2020-01-01 01:00,2,5\n")
    args = ["--lookback", "24", "--horizon", "6", "--split", "1,1,1"]
    assert run(["backtest", str(csv), "--column", "OT", *args]) == 1
    assert "line 3 has 3 fields" in _error(capsys)
    csv.write_text("date,OT\n2020-01-01 00:00,1\n")
    assert run(["backtest", str(csv), "--column", "HUFL", *args]) == 1
    assert "has no numeric column 'HUFL' (numeric columns: OT)" in _error(capsys)
