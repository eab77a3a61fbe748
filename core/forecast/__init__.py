"""Forecasting: per-channel LSTM models trained on recorded history, fast numpy inference, bands.

The public API (importing it does not import TensorFlow; training does, on first use)::

    from core.forecast import Forecaster, ForecastSettings, parse_forecast_config

    fc = Forecaster(models_dir)                 # default: <data dir>/models
    result = fc.train_channel(store, "temp", ForecastSettings(interval="1min"), progress, cancel)
    cycle = fc.predict_cycle(store, out_csv="Prediction.csv")

Modules: ``transform`` (buckets, gaps, windows, scaler), ``model`` (the Keras network), ``train``
(fitting, blend, bands), ``inference`` (numpy forward pass), ``baselines``, ``bands``, ``artifacts``
(save/load), ``source`` (history from the database), ``cycle`` (forecasts table, Prediction.csv),
``backtest`` (the literature's protocol), ``batch`` (a folder of CSV files).
"""

from core.forecast.errors import (
    ForecastError,
    ForecastInputError,
    ModelError,
    NotEnoughHistory,
    TrainingCancelled,
)
from core.forecast.forecaster import CycleResult, Forecaster, TrainResult, default_models_dir
from core.forecast.settings import ForecastConfig, ForecastSettings, parse_forecast_config

__all__ = [
    "CycleResult",
    "ForecastConfig",
    "ForecastError",
    "ForecastInputError",
    "ForecastSettings",
    "Forecaster",
    "ModelError",
    "NotEnoughHistory",
    "TrainResult",
    "TrainingCancelled",
    "default_models_dir",
    "parse_forecast_config",
]
