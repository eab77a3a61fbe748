"""Training: fit both heads with early stopping, choose the blend, calibrate the bands.

Runs on the caller's thread (the window's forecast worker); TensorFlow is imported here, on first
use. ``progress(epoch, train_loss, val_loss)`` is called after every epoch and ``cancel`` (a
``threading.Event``) is checked after every batch, so a cancel takes effect within one batch
(a few milliseconds) and raises :class:`TrainingCancelled`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.forecast._tf import load_keras
from core.forecast.bands import Bands
from core.forecast.baselines import combine
from core.forecast.errors import TrainingCancelled
from core.forecast.inference import NumpyForecaster
from core.forecast.model import Architecture, build_model, get_weights
from core.forecast.settings import ForecastSettings

Progress = Callable[[int, float, float], None]  # (epoch from 1, train loss, validation loss), z-scale MSE
BLEND_GRID = np.linspace(0.0, 1.0, 11)

_determinism_on = False


@dataclass
class Fitted:
    """A trained network and what training learnt about it."""

    arch: Architecture
    weights: dict[str, np.ndarray]
    blend: float  # weight of the LSTM head; the linear head gets 1 - blend
    seasonal_weight: float  # share of the seasonal-naive forecast in the final one
    bands: Bands
    val_pred_z: np.ndarray  # blended forecasts of the validation windows
    best_epoch: int
    epochs_run: int
    seconds: float
    history: list[tuple[float, float]] = field(default_factory=list)

    def forecaster(self) -> NumpyForecaster:
        """The network part of the forecast (see :func:`combine` for the seasonal part)."""
        return NumpyForecaster(self.arch, self.weights, self.blend)


def _seed(seed: int) -> None:
    """Same seed, same data → same weights. Op determinism costs little on a CPU (measured ~5 %)."""
    global _determinism_on
    tf, keras = load_keras()
    keras.utils.set_random_seed(seed)
    if not _determinism_on:
        tf.config.experimental.enable_op_determinism()
        _determinism_on = True


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("Training was cancelled; any earlier model is unchanged.")


def fit_network(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    settings: ForecastSettings,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    season_val: np.ndarray | None = None,
) -> Fitted:
    """Train on z-scored windows; early-stop on the validation loss and keep the best epoch's weights.

    Then choose, on the validation windows, how much of the LSTM head to trust against the linear
    one and, given the seasonal-naive forecasts of those windows (``season_val``), how much of
    that to mix in: a strictly periodic signal is best repeated, a drifting one is not, and the
    validation windows decide which this channel is. The bands are calibrated on the result.
    """
    if not len(x_train) or not len(x_val):
        raise ValueError("training needs at least one training and one validation window")
    _check(cancel)
    started = time.perf_counter()
    _, keras = load_keras()
    _seed(settings.seed)
    arch = Architecture.from_settings(settings)
    model = build_model(arch)
    model.compile(keras.optimizers.Adam(settings.learning_rate), loss={"linear": "mse", "lstm": "mse"})
    history: list[tuple[float, float]] = []

    class _Watch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            _check(cancel)  # raising here leaves fit() at once, skipping the epoch's validation pass

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            logs = logs or {}
            # Keras sums the two heads' losses; report their mean so it reads as one MSE.
            losses = (float(logs.get("loss", np.nan)) / 2, float(logs.get("val_loss", np.nan)) / 2)
            history.append(losses)
            if progress is not None:
                progress(epoch + 1, *losses)

    stopper = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=settings.patience, restore_best_weights=True
    )
    model.fit(
        x_train,
        {"linear": y_train, "lstm": y_train},
        validation_data=(x_val, {"linear": y_val, "lstm": y_val}),
        batch_size=settings.batch_size,
        epochs=settings.epochs,
        shuffle=True,
        verbose=0,
        callbacks=[_Watch(), stopper],
    )
    _check(cancel)
    weights = get_weights(model)
    keras.backend.clear_session()  # a long-running app trains many models; free the graph state
    linear = NumpyForecaster(arch, weights, 0.0).predict(x_val).astype(np.float64)
    lstm = NumpyForecaster(arch, weights, 1.0).predict(x_val).astype(np.float64)
    blend, seasonal_weight = choose_blend(linear, lstm, season_val, y_val)
    val_pred = combine(blend * lstm + (1 - blend) * linear, season_val, seasonal_weight)
    val_losses = [v for _, v in history]
    best = int(np.nanargmin(val_losses)) + 1 if val_losses else 0
    return Fitted(
        arch=arch,
        weights=weights,
        blend=blend,
        seasonal_weight=seasonal_weight,
        bands=Bands.calibrate(val_pred, y_val),
        val_pred_z=val_pred,
        best_epoch=best,
        epochs_run=len(history),
        seconds=time.perf_counter() - started,
        history=history,
    )


def choose_blend(
    linear: np.ndarray, lstm: np.ndarray, seasonal: np.ndarray | None, y_val: np.ndarray
) -> tuple[float, float]:
    """The LSTM weight ``w`` and the seasonal weight ``s`` (each in 0, 0.1, …, 1) with the lowest
    validation MSE of ``(1 - s) * (w * lstm + (1 - w) * linear) + s * seasonal``.

    The MSE is a quadratic form in the three mixing coefficients, so one 3×3 Gram matrix of the
    forecasts gives every grid point's error without forming 121 forecast arrays. Ties go to the
    network (low ``s``), then to the LSTM.
    """
    y = np.asarray(y_val, dtype=np.float64).ravel()
    parts = [np.asarray(linear, np.float64).ravel(), np.asarray(lstm, np.float64).ravel()]
    seasonal_grid = BLEND_GRID if seasonal is not None else np.zeros(1)
    parts.append(np.asarray(seasonal, np.float64).ravel() if seasonal is not None else np.zeros_like(y))
    a = np.stack(parts)
    gram, cross = a @ a.T, a @ y
    best, choice = np.inf, (1.0, 0.0)
    for s in seasonal_grid:
        for w in BLEND_GRID[::-1]:
            c = np.array([(1 - s) * (1 - w), (1 - s) * w, s])
            mse = (c @ gram @ c - 2 * c @ cross) / len(y)  # + mean(y²), the same for every point
            if mse < best - 1e-12:
                best, choice = mse, (round(float(w), 2), round(float(s), 2))
    return choice
