"""ForecastController: forecast cycles on a timer and on demand, training, and the plot overlay."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6 import QtCore

from core.alarms.conditions import Forecast, first_crossing, local_hhmm
from core.forecast import ForecastSettings
from core.forecast.live_skill import past_forecasts, recent_skill
from core.simulation.demo import demo_forecast_settings
from core.storage.store import ReadingStore
from gui.background import BackgroundWorker, Query
from gui.forecast_worker import ForecastSignals
from gui.main_window import MainWindow
from gui.messages import render_message
from gui.train_dialog import TrainDialog

if TYPE_CHECKING:
    from core.alarms.config import AlarmConfig

log = logging.getLogger(__name__)
MIN_SKILL_POINTS = 60  # forecast targets that have passed before a skill figure means anything
DEMO_DIALOG_LINGER_MS = 5000  # the demo's first training result stays in view this long
DEMO_SETTINGS = demo_forecast_settings()  # small and quick: the demo's automatic first model


class ForecastController(QtCore.QObject):
    """Shows the engine's forecasts (overlay, skill notes, crossing marks) and the Train dialog,
    and passes the operator's forecast commands to the engine's forecast service."""

    message = QtCore.Signal(str)

    def __init__(
        self,
        window: MainWindow,
        signals: ForecastSignals,
        store: ReadingStore,
        queries: BackgroundWorker,
        alarm_config: Callable[[], AlarmConfig | None],
        on_future: Callable[[float], None] | None = None,
        demo: bool = False,
    ) -> None:
        """``signals``: the forecast service's events; ``queries``: the window's background worker
        (skills and past forecasts are read there); ``alarm_config()``: the rules in use (for the
        crossing mark); ``on_future(seconds)``: how far ahead the newest forecast reaches (the live
        view leaves that much room on the right)."""
        super().__init__(window)
        self.window = window
        self.signals = signals
        self.service = signals.service
        self.store = store
        self.queries = queries
        self.alarm_config = alarm_config
        self.on_future = on_future
        self.demo = demo
        self.latest: dict[str, object] = {}  # channel -> ChannelForecast of the newest cycle
        self.problems: dict[str, str] = {}
        self.dialog: TrainDialog | None = None
        self._closed = False
        signals.cycle_done.connect(self._on_cycle)
        signals.cycle_failed.connect(self._say)
        signals.train_failed.connect(lambda ch, m: self.message.emit(m))
        signals.train_done.connect(self._on_trained)
        signals.notice.connect(self._say)
        self.overlay_timer = QtCore.QTimer(self)
        self.overlay_timer.setInterval(5000)
        self.overlay_timer.timeout.connect(self.refresh_overlay)
        self.overlay_timer.start()

    @property
    def worker(self) -> ForecastSignals:
        """The forecast service's signals (what tests and benchmarks wait on)."""
        return self.signals

    # -- commands -----------------------------------------------------------------------------
    def predict_now(self) -> None:
        self.service.predict_now()

    def train(self, channels: list[str], settings: ForecastSettings | None) -> None:
        self.service.train(channels, settings)

    def retrain_due(self) -> None:
        """Retrain the models older than ``[forecast].retrain`` (on the service, like any training)."""
        self.service.retrain_due()

    def cancel_training(self) -> None:
        self.service.cancel_training()  # read by the training between batches

    def start(self) -> None:
        """In the demo, train a small first model if there is none (the engine's schedule makes the
        first forecast cycle and looks for models due for retraining)."""
        if self._closed:  # the window closed before the demo's history was in place
            return
        if self.demo and not self.service.forecaster.model_channels():
            self.open_train_dialog()
            self.message.emit(self.tr("Training a first forecast model on the demo history…"))
            self.dialog.set_running(True, ["temperature"], DEMO_SETTINGS.epochs)
            self.train(["temperature"], DEMO_SETTINGS)
            # Once that model is there the dialog steps aside, so the plots and the forecast show.
            self.signals.train_done.connect(self._demo_model_ready)

    def _demo_model_ready(self, channel: str, result) -> None:
        self.signals.train_done.disconnect(self._demo_model_ready)
        QtCore.QTimer.singleShot(DEMO_DIALOG_LINGER_MS, self._hide_idle_dialog)

    def _hide_idle_dialog(self) -> None:
        if self.dialog is not None and not self.dialog.cancel_button.isEnabled():  # not training again
            self.dialog.hide()

    def open_train_dialog(self) -> None:
        if self.dialog is None:
            channels = self.window.plots.order or [c for c in self.store.channels()["name"]]
            base = DEMO_SETTINGS if self.demo else self.service.config.settings
            self.dialog = TrainDialog(channels, base, self.window)
            self.dialog.start_requested.connect(self.train)
            self.dialog.cancel_requested.connect(self.cancel_training)
            w = self.signals
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
        )  # (the service makes the new model's first forecast itself)

    def _on_cycle(self, result) -> None:
        self.latest.update(result.forecasts)
        ends = [fc.times[-1].timestamp() for fc in self.latest.values() if len(fc.times)]
        if self.on_future is not None:
            self.on_future(max(0.0, max(ends, default=0.0) - time.time()))
        self.problems = {ch: render_message(why) for ch, why in result.skipped.items() if ch != "*"}
        # (the engine has handed the forecasts to the alarm engine already)
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
            self._say(render_message(result.skipped["*"]))
        self.refresh_overlay()

    def refresh_overlay(self) -> None:
        """Draw the newest forecasts now; skills and past forecasts are read in the background (a
        newer refresh replaces one still waiting)."""
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
        if self._closed:
            return
        names = [n for n in plots.plots if n in self.latest or n in self.problems]
        latest = set(self.latest)
        rng = plots.x_range() if self.window.past_action.isChecked() else None

        def query() -> tuple[dict, dict]:
            skills, past = {}, {}
            for name in names:
                if name in latest:
                    skills[name] = recent_skill(self.store, name)
                if rng is not None:
                    past[name] = _with_breaks(past_forecasts(self.store, name, rng[0], rng[1] + 86_400))
            return skills, past

        self.queries.submit(
            Query.FORECAST_OVERLAY,
            query,
            self._on_overlay_ready,
            lambda exc: log.debug("forecast overlay: %s", exc),  # a busy file: the next refresh tries again
        )

    def _mark_crossing(self, name: str, cp, ts_us: np.ndarray, bands: dict) -> None:
        alarms = self.alarm_config()
        if alarms is None:
            cp.set_crossing(None)
            return
        mark = crossing_mark(
            alarms.rules(name).limits, alarms.predictive_horizon, ts_us, bands, time.time_ns() // 1000
        )
        cp.set_crossing(*mark) if mark is not None else cp.set_crossing(None)

    def _on_overlay_ready(self, data: tuple[dict, dict]) -> None:
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
        """Stop showing forecasts (the engine closes the service itself)."""
        self._closed = True
        self.overlay_timer.stop()
        self.signals.close()


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
