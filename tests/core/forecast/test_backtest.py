"""The literature's backtest protocol, checked on series whose answers are known by hand."""

import json

import numpy as np
import pandas as pd
import pytest

from core.cli.main import run
from core.forecast.backtest import parse_split, run_backtest
from core.forecast.errors import ForecastInputError

from .conftest import TINY, sine


def write_csv(path, values, freq="h", column="OT"):
    times = pd.date_range("2020-01-01", periods=len(values), freq=freq)
    pd.DataFrame({"date": times.strftime("%Y-%m-%d %H:%M:%S"), "other": 1.0, column: values}).to_csv(
        path, index=False
    )
    return path


def test_a_linear_ramp_gives_the_hand_computed_baseline_errors(tmp_path, capsys):
    """On y = t, persistence misses step h by h, so MAE = (H+1)/2 and MSE = (H+1)(2H+1)/6; the daily
    seasonal naive misses by 24 every step; windows are stride-1 and start L rows before their range."""
    L, H, (train, val, test) = 24, 6, (300, 100, 100)
    csv = write_csv(tmp_path / "ramp.csv", np.arange(600.0))
    rc = run(
        [
            "backtest",
            str(csv),
            "--column",
            "OT",
            "--lookback",
            str(L),
            "--horizon",
            str(H),
            "--split",
            f"{train},{val},{test}",
            "--epochs",
            "3",
        ]
    )
    assert rc == 0
    result = json.loads(capsys.readouterr().out)  # stdout is one JSON object and nothing else
    std = np.arange(train).std()  # population std of the training rows
    p = result["persistence"]
    assert p["mae"] == pytest.approx((H + 1) / 2) and p["mse"] == pytest.approx((H + 1) * (2 * H + 1) / 6)
    assert p["mae_z"] == pytest.approx((H + 1) / 2 / std) and p["mse_z"] == pytest.approx(p["mse"] / std**2)
    assert result["seasonal_naive"]["mae"] == pytest.approx(24.0)
    assert result["test_windows"] == test - H + 1 and result["validation_windows"] == val - H + 1
    assert result["train_windows"] == train - L - H + 1
    assert set(result) >= {"lstm", "persistence", "seasonal_naive", "test_windows", "train_seconds"}
    assert set(result["lstm"]) == {"mse_z", "mae_z", "mse", "mae", "coverage_80", "coverage_95"}
    assert result["lstm"]["mae"] < p["mae"]  # a trend is the easiest thing to learn


def test_a_noisy_cycle_is_learnt_and_its_bands_cover_as_promised(tmp_path):
    """Sine plus unit noise: the model beats persistence, the bands cover ~80 % / ~95 % of the test
    targets, and thinning the training windows never thins the test windows."""
    csv = write_csv(tmp_path / "cycle.csv", sine(1200, period=24, noise=1.0, seed=5))
    result = run_backtest(
        csv, "OT", 24, 6, (600, 300, 300), settings=TINY.replace(max_train_windows=200, seasonal_period="1D")
    )
    lstm = result["lstm"]
    assert lstm["mae"] < result["persistence"]["mae"]
    assert 0.70 <= lstm["coverage_80"] <= 0.90 and 0.88 <= lstm["coverage_95"] <= 0.995
    assert result["train_stride"] == 3 and result["test_windows"] == 295
    assert result["seasonal_period_steps"] == 24 and result["interval"] == "1h"
    # The seasonal naive's error is the difference of two unit-noise draws: MSE ≈ 2 in original units.
    assert result["seasonal_naive"]["mse"] == pytest.approx(2.0, rel=0.2)


@pytest.mark.parametrize(
    "split,message",
    [
        ((1000, 300, 300), "has 600 rows but the split"),
        ((20, 300, 200), "must hold at least one window"),
        ((300, 3, 200), "at least the horizon"),
    ],
)
def test_impossible_splits_are_refused_with_a_reason(tmp_path, split, message):
    csv = write_csv(tmp_path / "s.csv", np.arange(600.0))
    with pytest.raises(ForecastInputError, match=message):
        run_backtest(csv, "OT", 24, 6, split, settings=TINY)


def test_a_missing_value_in_the_split_is_refused_with_its_line(tmp_path):
    values = np.arange(600.0)
    values[100] = np.nan
    csv = write_csv(tmp_path / "s.csv", values)
    with pytest.raises(ForecastInputError, match="line 102: column 'OT' has no numeric value"):
        run_backtest(csv, "OT", 24, 6, (300, 100, 100), settings=TINY)


def test_split_parsing():
    assert parse_split("8640, 2880,2880") == (8640, 2880, 2880)
    for bad in ("1,2", "a,b,c", "0,1,1"):
        with pytest.raises(ForecastInputError, match="TRAIN,VAL,TEST"):
            parse_split(bad)
