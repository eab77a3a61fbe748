"""ForecastController: forecast cycles on a timer and on demand, training, and the plot overlay."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import numpy as np
from PySide6 import QtCore

from core.alarms.conditions import Forecast, first_crossing, local_hhmm
from core.demo import demo_forecast_settings
from core.forecast import ForecastConfig, ForecastSettings
from core.forecast.live_skill import past_forecasts, recent_skill
from core.storage.store import ReadingStore
from gui.forecast_worker import ForecastCommand, ForecastRequest, ForecastWorker
from gui.main_window import MainWindow
from gui.recorder import Recorder
from gui.train_dialog import TrainDialog

log = logging.getLogger(__name__)
MIN_SKILL_POINTS = 60  # forecast targets that have passed before a skill figure means anything
RETRAIN_CHECK_MS = 10 * 60 * 1000  # how often the age of the models is looked at
DEMO_DIALOG_LINGER_MS = 5000  # the demo's first training result stays in view this long
DEMO_SETTINGS = demo_forecast_settings()  # small and quick: the demo's automatic first model


class ForecastController(QtCore.QObject):
    message = QtCore.Signal(str)
    overlay_ready = QtCore.Signal(object)  # (skills, past forecasts), from a pool thread

    def __init__(
        self,
        window: MainWindow,
        store: ReadingStore,
        recorder: Recorder,
        config: ForecastConfig,
        models_dir: Path,
        prediction_csv: Path,
        demo: bool = False,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.recorder = recorder
        self.config = config
        self.demo = demo
        self.monitor_view = None  # the MonitorController, for the room it leaves for the forecast
        self.latest: dict[str, object] = {}  # channel -> ChannelForecast of the newest cycle
        self.problems: dict[str, str] = {}
        self.dialog: TrainDialog | None = None
        self._overlay_busy = False
        self._closed = False
        self.overlay_ready.connect(self._on_overlay_ready)
        self.thread = QtCore.QThread(self)
        self.thread.setObjectName("ForecastWorker")
        self.worker = ForecastWorker(store, config, models_dir, prediction_csv)
        self.worker.moveToThread(self.thread)
        self.worker.cycle_done.connect(self._on_cycle)
        self.worker.cycle_failed.connect(self._say)
        self.worker.train_failed.connect(lambda ch, m: self.message.emit(m))
        self.worker.train_done.connect(self._on_trained)
        self.thread.start()
        window.predict_action.triggered.connect(self.predict_now)
        window.train_action.triggered.connect(self.open_train_dialog)
        window.past_action.toggled.connect(lambda _: self.refresh_overlay())
        self.cycle_timer = QtCore.QTimer(self)
        self.cycle_timer.setInterval(int(config.cycle_seconds * 1000))
        self.cycle_timer.timeout.connect(self.predict_now)
        self.cycle_timer.start()
        self.worker.notice.connect(self._say)
        # Scheduled retraining: a look every 10 minutes for models older than [forecast].retrain.
        self.retrain_timer = QtCore.QTimer(self)
        self.retrain_timer.setInterval(RETRAIN_CHECK_MS)
        self.retrain_timer.timeout.connect(self.retrain_due)
        if config.retrain:
            self.retrain_timer.start()
        self.overlay_timer = QtCore.QTimer(self)
        self.overlay_timer.setInterval(5000)
        self.overlay_timer.timeout.connect(self.refresh_overlay)
        self.overlay_timer.start()

    # -- commands -----------------------------------------------------------------------------
    def predict_now(self) -> None:
        self.worker.submit(ForecastRequest(ForecastCommand.PREDICT))

    def train(self, channels: list[str], settings: ForecastSettings | None) -> None:
        self.worker.submit(ForecastRequest(ForecastCommand.TRAIN, tuple(channels), settings))

    def retrain_due(self) -> None:
        """Retrain the models older than ``[forecast].retrain`` (on the worker, like any training)."""
        self.worker.submit(ForecastRequest(ForecastCommand.RETRAIN_DUE))

    def cancel_training(self) -> None:
        self.worker.cancel.set()  # read by the worker between batches

    def start(self) -> None:
        """First cycle after start-up; in the demo, first train a small model if there is none."""
        if self._closed:  # the window closed before the first cycle was due
            return
        if self.demo and not self.worker.forecaster.model_channels():
            self.open_train_dialog()
            self.message.emit(self.tr("Training a first forecast model on the demo history…"))
            self.dialog.set_running(True, ["temperature"], DEMO_SETTINGS.epochs)
            self.train(["temperature"], DEMO_SETTINGS)
            # Once that model is there the dialog steps aside, so the plots and the forecast show.
            self.worker.train_done.connect(self._demo_model_ready)
        self.predict_now()
        if self.config.retrain:
            self.retrain_due()  # models that aged while the app was closed

    def _demo_model_ready(self, channel: str, result) -> None:
        self.worker.train_done.disconnect(self._demo_model_ready)
        QtCore.QTimer.singleShot(DEMO_DIALOG_LINGER_MS, self._hide_idle_dialog)

    def _hide_idle_dialog(self) -> None:
        if self.dialog is not None and not self.dialog.cancel_button.isEnabled():  # not training again
            self.dialog.hide()

    def open_train_dialog(self) -> None:
        if self.dialog is None:
            channels = self.window.plots.order or [c for c in self.store.channels()["name"]]
            base = DEMO_SETTINGS if self.demo else self.config.settings
            self.dialog = TrainDialog(channels, base, self.window)
            self.dialog.start_requested.connect(self.train)
            self.dialog.cancel_requested.connect(self.cancel_training)
            w = self.worker
            w.train_started.connect(self.dialog.on_started)
            w.train_progress.connect(self.dialog.on_progress)
            w.train_done.connect(self.dialog.on_done)
            w.train_failed.connect(self.dialog.on_failed)
            w.training_finished.connect(self.dialog.on_finished)
        if not self.dialog.isVisible():
            self.dialog.place_beside(self.window)
        self.dialog.show()
        self.dialog.raise_()

    # -- results ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        """A sentence for the status bar: the window's own Train button, not the command line."""
        self.message.emit(for_window(text))

    def _on_trained(self, channel: str, result) -> None:
        self.message.emit(
            self.tr("Model for '{channel}' trained: skill {skill} against persistence.").format(
                channel=channel, skill=f"{result.skill:+.2f}"
            )
        )
        self.predict_now()

    def _on_cycle(self, result) -> None:
        self.latest.update(result.forecasts)
        ends = [fc.times[-1].timestamp() for fc in self.latest.values() if len(fc.times)]
        if self.monitor_view is not None:
            self.monitor_view.future_s = max(0.0, max(ends, default=0.0) - time.time())
        self.problems = {ch: why for ch, why in result.skipped.items() if ch != "*"}
        monitor = self.recorder.monitor
        for channel, fc in result.forecasts.items():
            if monitor is not None:  # the predictive alarm needs it now, not at the next poll
                ts = fc.times.as_unit("us").asi8
                monitor.set_forecast(
                    channel, ts, fc.values["forecast"], fc.values["lower_95"], fc.values["upper_95"]
                )
        if result.forecasts:
            names, at = ", ".join(sorted(result.forecasts)), time.strftime("%H:%M")
            self.message.emit(
                self.tr("Forecast for {channels} made at {at} and written to {path}.").format(
                    channels=names, at=at, path=result.csv_path
                )
                if result.csv_path
                else self.tr("Forecast for {channels} made at {at}.").format(channels=names, at=at)
            )
        elif "*" in result.skipped:
            self._say(result.skipped["*"])
        self.refresh_overlay()

    def refresh_overlay(self) -> None:
        """Draw the newest forecasts now; skills and past forecasts are read on a pool thread."""
        plots = self.window.plots
        for name, cp in plots.plots.items():
            fc = self.latest.get(name)
            if fc is None:
                cp.set_forecast(np.empty(0), None)
                cp.set_crossing(None)
            else:
                ts_us = fc.times.as_unit("us").asi8
                cp.set_forecast(ts_us / 1e6, fc.values)
                self._mark_crossing(name, cp, ts_us, fc.values)
        if self._overlay_busy:
            return
        self._overlay_busy = True
        names = [n for n in plots.plots if n in self.latest or n in self.problems]
        rng = plots.x_range() if self.window.past_action.isChecked() else None

        def query() -> None:
            skills, past = {}, {}
            try:
                for name in names:
                    if name in self.latest:
                        skills[name] = recent_skill(self.store, name)
                    if rng is not None:
                        past[name] = _with_breaks(past_forecasts(self.store, name, rng[0], rng[1] + 86_400))
            except Exception as exc:  # a busy file: the next refresh tries again
                log.debug("forecast overlay: %s", exc)
            self.overlay_ready.emit((skills, past))

        QtCore.QThreadPool.globalInstance().start(query)

    def _mark_crossing(self, name: str, cp, ts_us: np.ndarray, bands: dict) -> None:
        alarms = self.recorder.alarms
        if alarms is None:
            cp.set_crossing(None)
            return
        mark = crossing_mark(
            alarms.rules(name).limits, alarms.predictive_horizon, ts_us, bands, time.time_ns() // 1000
        )
        cp.set_crossing(*mark) if mark is not None else cp.set_crossing(None)

    def _on_overlay_ready(self, data: tuple[dict, dict]) -> None:
        self._overlay_busy = False
        skills, past = data
        for name, cp in self.window.plots.plots.items():
            tile = self.window.tiles.tiles.get(name)
            if tile is not None and name in self.problems:
                tile.set_note(for_window(self.problems[name]), problem=True)
            elif tile is not None and name in skills:
                skill = skills[name]
                tile.set_note(
                    self.tr("forecast skill: learning")
                    if skill is None or skill[1] < MIN_SKILL_POINTS
                    else self.tr("forecast skill {skill} vs persistence").format(skill=f"{skill[0]:+.2f}")
                )
            x, y = past.get(name, (np.empty(0), np.empty(0)))
            cp.set_past_forecasts(x, y)

    def shutdown(self) -> None:
        """Stop the timers and the worker: a training child is ended at once (see
        ``train_in_subprocess``), then the thread is joined for as long as it takes."""
        self._closed = True
        self.cycle_timer.stop()
        self.retrain_timer.stop()
        self.overlay_timer.stop()
        self.worker.close()
        self.thread.quit()
        self.thread.wait()


def crossing_mark(
    rules, horizon_s: float, ts_us: np.ndarray, bands: dict, now_us: int
) -> tuple[float, float, str] | None:
    """Where the forecast line itself reaches a limit, as (time s, limit, label): the time the
    predictive alarm's message gives ("Predicted HIGH 70 °C at 19:41"), found by the same function."""
    if not rules or not len(ts_us):
        return None
    forecast = Forecast(ts_us, bands["forecast"], bands["lower_95"], bands["upper_95"])
    crossing = first_crossing(forecast, rules, now_us, int(horizon_s * 1e6), use_band=False, current=None)
    if crossing is None or crossing.expected_at_us is None:
        return None
    at = crossing.expected_at_us
    label = QtCore.QCoreApplication.translate("ForecastController", "{kind} at {time}")
    return at / 1e6, crossing.rule.limit, label.format(kind=crossing.rule.kind.value, time=local_hhmm(at))


def for_window(text: str) -> str:
    """Core's sentences name the command line ('watchkeeper train'); a window user has a button."""
    button = QtCore.QCoreApplication.translate("ForecastController", "Train… in the toolbar")
    return re.sub(r"(?:with|run) '?watchkeeper train'?", f"with {button}", text).replace(
        "'watchkeeper train'", button
    )


def _with_breaks(rows: list[tuple[float, float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """One curve for many cycles: a NaN between cycles breaks the line."""
    if not rows:
        return np.empty(0), np.empty(0)
    gen, x, y = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    breaks = np.flatnonzero(np.diff(gen) != 0) + 1
    return np.insert(x, breaks, np.nan), np.insert(y, breaks, np.nan)
