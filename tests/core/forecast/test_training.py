"""Training: progress, early stopping, blend, reproducibility, cancellation, history requirements."""

import threading

import numpy as np
import pytest

from core.forecast.dataset import prepare_dataset, required_steps
from core.forecast.errors import NotEnoughHistory, TrainingCancelled
from core.forecast.inference import NumpyForecaster, keras_model
from core.forecast.pipeline import train_series
from core.forecast.transform import RegularSeries

from .conftest import MINUTE_US, T0_US, TINY, sine


def test_progress_is_reported_every_epoch_and_the_best_epoch_is_kept(tiny_model):
    """progress(epoch, train_loss, val_loss) runs once per epoch from 1; the kept epoch is the best one."""
    model, calls = tiny_model
    t = model.info.training
    assert [c[0] for c in calls] == list(range(1, t["epochs"] + 1))
    assert all(np.isfinite(c[1]) and np.isfinite(c[2]) for c in calls)
    val = [c[2] for c in calls]
    assert t["best_epoch"] == int(np.argmin(val)) + 1


def test_the_model_beats_persistence_on_a_noisy_cycle(tiny_model):
    """Even a tiny model learns a daily-style cycle: its validation MAE beats repeating the last value."""
    model, _ = tiny_model
    m = model.info.metrics
    assert m["skill"] > 0.2
    assert m["validation"]["mae"] < m["persistence"]["mae"]
    assert 0.0 <= model.info.blend <= 1.0


def test_the_numpy_forward_pass_matches_keras(tiny_model):
    """The fast path computes the same forecast as the Keras model (float32 precision)."""
    model, _ = tiny_model
    arch, weights = model.info.arch, model.weights
    x = np.random.default_rng(3).standard_normal((17, arch.lookback)).astype(np.float32)
    out = keras_model(arch, weights).predict(x, verbose=0)
    w = model.info.blend
    expected = w * out["lstm"] + (1 - w) * out["linear"]
    np.testing.assert_allclose(NumpyForecaster(arch, weights, w).predict(x), expected, atol=2e-5)
    np.testing.assert_allclose(NumpyForecaster(arch, weights, w).predict(x[0]), expected[0], atol=2e-5)


def test_same_seed_same_model_and_another_seed_another(tiny_model):
    """Training is reproducible: the same data and seed give the same forecast."""
    model, _ = tiny_model
    series = RegularSeries(T0_US, MINUTE_US, sine(900, noise=0.2))
    again = train_series(series, "temp", TINY)
    for name, w in model.weights.items():
        np.testing.assert_array_equal(again.weights[name], w)
    assert (again.info.blend, again.info.seasonal_weight) == (model.info.blend, model.info.seasonal_weight)
    history = series.values
    np.testing.assert_array_equal(again.forecast(history)["forecast"], model.forecast(history)["forecast"])
    other = train_series(series, "temp", TINY.replace(seed=1, epochs=1))  # one epoch shows it
    assert not np.array_equal(other.weights["lstm_kernel"], model.weights["lstm_kernel"])


def test_cancel_stops_training_within_a_batch():
    """Setting the event (here from the first epoch's progress) ends training with TrainingCancelled."""
    cancel = threading.Event()
    epochs = []

    def progress(epoch, *_):
        epochs.append(epoch)
        cancel.set()

    series = RegularSeries(T0_US, MINUTE_US, sine(900, noise=0.2))
    with pytest.raises(TrainingCancelled, match="cancelled"):
        train_series(series, "temp", TINY.replace(epochs=50, patience=50), progress, cancel)
    assert epochs == [1]  # the second epoch's first batch saw the event


def test_a_cancel_before_starting_does_not_even_load_tensorflow():
    cancel = threading.Event()
    cancel.set()
    series = RegularSeries(T0_US, MINUTE_US, sine(900))
    with pytest.raises(TrainingCancelled):
        train_series(series, "temp", TINY, cancel=cancel)


def test_not_enough_history_says_how_much_is_needed():
    need = required_steps(TINY)
    series = RegularSeries(T0_US, MINUTE_US, sine(need - 1))
    with pytest.raises(NotEnoughHistory) as info:
        prepare_dataset(series, TINY, "temp")
    text = str(info.value)
    assert f"has {need - 1} steps" in text and f"at least {need}" in text and "about" in text
    assert len(prepare_dataset(RegularSeries(T0_US, MINUTE_US, sine(need)), TINY, "temp").x_train) >= 100


def test_gaps_that_leave_too_few_windows_are_explained():
    """Long gaps every few steps leave no gap-free window: the message says so and what to do."""
    v = sine(900)
    v[::20] = np.nan
    with pytest.raises(NotEnoughHistory, match="free of gaps longer than 3 steps"):
        prepare_dataset(RegularSeries(T0_US, MINUTE_US, v), TINY, "temp")


def test_the_scaler_is_fitted_on_training_rows_only():
    """A level change confined to the validation range does not move the scaler."""
    v = sine(900)
    v[800:] += 100
    data = prepare_dataset(RegularSeries(T0_US, MINUTE_US, v), TINY, "temp")
    assert data.split == 720
    assert data.scaler.mean == pytest.approx(v[:720].mean())
    assert data.train_targets.max() + TINY.horizon <= data.split
    assert data.val_targets.min() >= data.split
