"""The literature's backtest protocol, so results compare with published tables.

For lookback ``L``, horizon ``H`` and split ``TRAIN, VAL, TEST`` on the file's rows as they are:

* rows ``[0, TRAIN)`` train; validation windows start ``L`` rows before ``TRAIN`` and their targets
  lie in ``[TRAIN, TRAIN + VAL)``; test windows start ``L`` rows before ``TRAIN + VAL`` and their
  targets lie in ``[TRAIN + VAL, TRAIN + VAL + TEST)``; every window at stride 1;
* z-score with the training rows' mean and population standard deviation;
* MSE and MAE averaged over every test window and every horizon step.

Training windows may be thinned with a stride (``max_train_windows``) to bound training time; the
test always uses every window. ``"lstm"`` in the result is Watchkeeper's forecaster as shipped: the
LSTM head blended with the linear head and the seasonal-naive forecast by the weights chosen on the
validation windows (``lstm_weight``, ``seasonal_weight``); ``"heads"`` scores each part alone.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.forecast.baselines import Scores, combine, persistence, seasonal_naive
from core.forecast.csv_input import column_of, read_csv_table, require_complete
from core.forecast.errors import ForecastInputError
from core.forecast.inference import NumpyForecaster
from core.forecast.settings import ForecastSettings, format_interval
from core.forecast.train import Progress, fit_network
from core.forecast.transform import Scaler, infer_step_us, make_windows, window_targets


def parse_split(text: str) -> tuple[int, int, int]:
    """``"8640,2880,2880"`` → ``(8640, 2880, 2880)``."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        split = tuple(int(p) for p in parts)
    except ValueError:
        split = ()
    if len(split) != 3 or min(split) < 1:
        raise ForecastInputError(f"--split must be three positive row counts TRAIN,VAL,TEST, got '{text}'.")
    return split  # type: ignore[return-value]


def _check_split(rows: int, lookback: int, horizon: int, split: tuple[int, int, int], path: Path) -> None:
    train, val, test = split
    if train + val + test > rows:
        raise ForecastInputError(
            f"{path} has {rows} rows but the split {train},{val},{test} needs {train + val + test}."
        )
    if train < lookback + horizon:
        raise ForecastInputError(
            f"the training rows ({train}) must hold at least one window of lookback + horizon = "
            f"{lookback + horizon}."
        )
    if min(val, test) < horizon:
        raise ForecastInputError(
            f"validation ({val}) and test ({test}) rows must each be at least the horizon ({horizon})."
        )


def run_backtest(
    path: str | Path,
    column: str,
    lookback: int,
    horizon: int,
    split: tuple[int, int, int],
    timestamp_column: str | None = None,
    settings: ForecastSettings | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Train on the split's training rows and score the test windows; the result is JSON-ready."""
    path = Path(path)
    table = read_csv_table(path, timestamp_column)
    column, values = column_of(table, column)
    _check_split(len(values), lookback, horizon, split, path)
    train, val, test = split
    end = train + val + test
    require_complete(table, column, values, end)
    try:
        step_us = infer_step_us(table.times[:end])
        base = (settings or ForecastSettings()).replace(interval=format_interval(step_us))
        settings = base.replace(lookback=lookback, horizon=horizon)
    except ValueError as exc:
        raise ForecastInputError(f"{path}: {exc}.") from None

    scaler = Scaler.fit(values[:train])
    z = scaler.transform(values[:end])
    n_train = max(0, train - lookback - horizon + 1)
    stride = max(1, math.ceil(n_train / settings.max_train_windows))
    t_train = window_targets(z, lookback, horizon, 0, train, stride)
    t_val = window_targets(z, lookback, horizon, train, train + val)
    t_test = window_targets(z, lookback, horizon, train + val, end)
    x_tr, y_tr = make_windows(z, t_train, lookback, horizon)
    x_va, y_va = make_windows(z, t_val, lookback, horizon)
    x_te, y_te = make_windows(z, t_test, lookback, horizon)

    period = settings.season_steps
    season_val = seasonal_naive(z, t_val, horizon, period)
    season_test = seasonal_naive(z, t_test, horizon, period)
    fitted = fit_network(x_tr, y_tr, x_va, y_va, settings, progress, cancel, season_val)
    pred = combine(fitted.forecaster().predict(x_te), season_test, fitted.seasonal_weight)
    cover_80, cover_95 = fitted.bands.coverage(pred, y_te)
    truth = y_te.astype(np.float64)
    lstm = Scores.of(pred, truth, scaler.std).to_dict() | {"coverage_80": cover_80, "coverage_95": cover_95}
    heads = {
        name: Scores.of(
            NumpyForecaster(fitted.arch, fitted.weights, w).predict(x_te), truth, scaler.std
        ).to_dict()
        for name, w in (("lstm_only", 1.0), ("linear_only", 0.0), ("network_only", fitted.blend))
    }
    return {
        "lstm": lstm,
        "persistence": Scores.of(persistence(z, t_test, horizon), truth, scaler.std).to_dict(),
        "seasonal_naive": Scores.of(season_test, truth, scaler.std).to_dict(),
        "test_windows": len(t_test),
        "train_seconds": round(fitted.seconds, 2),
        "file": str(path),
        "column": column,
        "lookback": lookback,
        "horizon": horizon,
        "split": list(split),
        "interval": settings.interval,
        "seasonal_period_steps": period,
        "train_windows": len(t_train),
        "train_stride": stride,
        "validation_windows": len(t_val),
        "epochs": fitted.epochs_run,
        "best_epoch": fitted.best_epoch,
        "lstm_weight": fitted.blend,
        "seasonal_weight": fitted.seasonal_weight,
        "heads": heads,
    }
