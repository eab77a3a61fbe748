"""Forecasts in the window: training with progress and cancel, the overlay, a corrupt model."""

import time

import numpy as np
import pytest

from core.engine.forecasting import ForecastService
from core.forecast import ForecastConfig, ForecastSettings
from core.forecast.artifacts import model_path
from core.readings import ReadingBatch
from core.storage.store import ReadingStore
from gui.background import BackgroundWorker
from gui.forecast_controller import ForecastController
from gui.forecast_worker import ForecastSignals
from gui.main_window import MainWindow

TINY = ForecastSettings(
    interval="1min",
    lookback=30,
    horizon=10,
    epochs=2,
    units=8,
    patience=1,
    max_train_windows=500,
    seasonal_period="1h",
)


@pytest.fixture
def rig(qtbot, tmp_path):
    store = ReadingStore(tmp_path / "f.duckdb")
    now = time.time()
    minutes = np.arange(-3000, 0)
    ts = ((now + minutes * 60) * 1e6).astype(np.int64)
    values = 50 + 5 * np.sin(minutes / 60 * 2 * np.pi) + np.random.default_rng(0).normal(0, 0.2, len(minutes))
    store.append(ReadingBatch(ts, np.zeros(len(ts), np.int32), values, ("temp",)))
    window = MainWindow()
    qtbot.addWidget(window)
    window.plots.ensure_channels(["temp"], {"temp": "°C"})
    window.tiles.ensure("temp", "°C")
    # Cycles on request only: each test asks for what it checks.
    service = ForecastService(
        store, ForecastConfig(settings=TINY), tmp_path / "models", tmp_path / "Prediction.csv", schedule=False
    )
    service.start()
    queries = BackgroundWorker("ForecastQueries", store, window)
    ctl = ForecastController(window, ForecastSignals(service, window), store, queries, lambda: None)
    ctl.seen = []  # every cycle's outcome and every training failure, for failure messages
    ctl.worker.cycle_done.connect(lambda r: ctl.seen.append(("cycle", sorted(r.forecasts), r.skipped)))
    ctl.worker.cycle_failed.connect(lambda m: ctl.seen.append(("cycle failed", m)))
    ctl.worker.train_failed.connect(lambda ch, m: ctl.seen.append(("train failed", ch, m)))
    yield ctl, window, tmp_path
    ctl.shutdown()
    queries.stop()
    service.close()
    store.close()


def test_training_shows_progress_then_the_forecast_overlay_is_drawn(qtbot, rig):
    """Training reports each epoch; the cycle after it draws the dashed forecast and its bands."""
    ctl, window, tmp_path = rig
    ctl.open_train_dialog()
    with (
        qtbot.waitSignal(ctl.worker.cycle_done, timeout=120_000),
        qtbot.waitSignal(ctl.worker.train_progress, timeout=120_000) as progress,
    ):
        ctl.dialog.start_requested.emit(["temp"], TINY)
    assert progress.args[0] == "temp" and progress.args[1] == 1
    plot = window.plots.plots["temp"]
    try:
        qtbot.waitUntil(lambda: len(plot.forecast.getData()[0]) > 0, timeout=30_000)
    except Exception as exc:  # pytest-qt's TimeoutError: say what the cycles did instead
        raise AssertionError(f"no forecast drawn; cycles: {ctl.seen}") from exc
    x, y = plot.forecast.getData()
    assert len(x) == 10 and x[0] > time.time() - 120, ctl.seen
    lo, hi = plot.fc_edges[0].getData()[1], plot.fc_edges[1].getData()[1]
    assert (lo <= y).all() and (y <= hi).all()
    assert (tmp_path / "Prediction.csv").read_text().startswith("timestamp,channel,forecast")
    assert "Skill against repeating the last value" in ctl.dialog.log.toPlainText()


def test_training_can_be_cancelled(qtbot, rig):
    """Cancel stops training at the next batch and keeps no half-trained model."""
    ctl, _, tmp_path = rig
    long = TINY.replace(epochs=200, patience=200)
    with qtbot.waitSignal(ctl.worker.train_failed, timeout=120_000) as failed:
        ctl.worker.train_progress.connect(lambda *a: ctl.cancel_training())
        ctl.train(["temp"], long)
    assert "cancelled" in failed.args[1]
    assert not model_path(tmp_path / "models", "temp").exists()


def test_a_corrupt_model_is_a_message_on_its_channel(qtbot, rig):
    """A damaged model file leaves the app running and says so on the channel's tile."""
    ctl, window, tmp_path = rig
    path = model_path(tmp_path / "models", "temp")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not a model", encoding="utf-8")
    ctl.predict_now()
    note = window.tiles.tiles["temp"].note
    try:
        qtbot.waitUntil(lambda: "temp" in note.toolTip() and "#b42318" in note.styleSheet(), timeout=60_000)
    except Exception as exc:  # pytest-qt's TimeoutError: say what the cycles did instead
        raise AssertionError(f"no message on the tile; cycles: {ctl.seen}") from exc


def test_models_are_retrained_on_schedule_in_their_own_shape(qtbot, rig):
    """With [forecast].retrain set, a model that old is trained again on fresh history, keeping its
    lookback and horizon; a younger one is left alone."""
    import dataclasses
    import json

    ctl, _, tmp_path = rig
    own = TINY.replace(lookback=20, horizon=5)  # not the configured shape
    with qtbot.waitSignal(ctl.worker.train_done, timeout=120_000):
        ctl.train(["temp"], own)
    path = model_path(tmp_path / "models", "temp")
    first = json.loads(path.read_text())
    forecaster = ctl.worker.forecaster
    forecaster.config = dataclasses.replace(forecaster.config, retrain="1h")
    with qtbot.assertNotEmitted(ctl.worker.train_started, wait=1000):
        ctl.retrain_due()  # an hour has not passed
    time.sleep(1.1)  # created_at has whole seconds
    forecaster.config = dataclasses.replace(forecaster.config, retrain="1s")
    notices = []
    ctl.message.connect(notices.append)
    with qtbot.waitSignal(ctl.worker.train_done, timeout=120_000):
        ctl.retrain_due()
    again = json.loads(path.read_text())
    assert again["created_at"] > first["created_at"], ctl.seen
    assert (again["lookback"], again["horizon"]) == (20, 5)
    assert any("Retraining the forecast model of 'temp'" in n for n in notices)
