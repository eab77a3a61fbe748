"""LiveView: the plots while they follow the clock — live curves, score marks, the time range.

It pulls from the LiveBuffer on a 40 ms timer (never one signal per reading). A reading's value
and its anomaly score share a slot in the buffer, so a value is drawn as soon as it arrives and
its mark as soon as its score does, with no matching of scores to readings here.
"""

from __future__ import annotations

import logging
import math
import time

from PySide6 import QtCore

from core.decimate import minmax_decimate
from core.live import LiveBuffer
from core.storage.store import ReadingStore
from gui.alarm_overlays import AlarmOverlays
from gui.history_view import HistoryView
from gui.main_window import MainWindow
from gui.recorder import Recorder
from gui.settings import AppSettings

log = logging.getLogger(__name__)
REFRESH_MS = 40
MIN_STEP_S = 0.1  # the shortest time the followed view moves by
USER_RANGE_SETTLE_MS = 150  # history is asked for once a zoom or pan has settled


class LiveView(QtCore.QObject):
    """Follows the clock (or holds a range the operator chose) and draws what the buffer holds."""

    def __init__(
        self,
        window: MainWindow,
        recorder: Recorder,
        live: LiveBuffer,
        store: ReadingStore,
        settings: AppSettings,
        units: dict[str, str],
        history: HistoryView,
        overlays: AlarmOverlays,
        anomaly_threshold: float = 0.5,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.plots = window.plots
        self.recorder = recorder
        self.live = live
        self.store = store
        self.settings = settings
        self.units = dict(units)
        self.history = history
        self.overlays = overlays
        self.anomaly_threshold = anomaly_threshold  # when the recording has no alarm settings
        self.span_s = settings.span_s
        self.future_s = 0.0  # how far ahead the newest forecast reaches
        self.following = True
        self.hidden = settings.hidden_channels
        self._seen_version = -1
        self._scores_drawn = -1  # the buffer's score version the marks were drawn at
        self._drawn_view: tuple[float, float] | None = None  # the x range the curves were drawn for
        self._closed = False
        self._frames = 0
        self._view: tuple[float, float] | None = None  # the x range last set while following
        # Channels the file already holds: they are shown (with their history) with or without a
        # device, so a recorded or imported file can be browsed with no port open.
        self.stored_channels: list[str] = []
        self.read_stored_channels()

        w = window
        w.follow_action.toggled.connect(self.set_following)
        w.range_group.triggered.connect(lambda a: self.set_span(float(a.data())))
        w.plots.user_range_changed.connect(self._on_plots_user_range_changed)
        w.plots.set_hidden(self.hidden)
        w.tiles.set_hidden(self.hidden)
        self._check_preset()
        self.refresh_timer = QtCore.QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.refresh_timer.start()
        self._user_range_settle = QtCore.QTimer(self)
        self._user_range_settle.setSingleShot(True)
        self._user_range_settle.setInterval(USER_RANGE_SETTLE_MS)
        self._user_range_settle.timeout.connect(history.ask_for_view)

    # -- view state ---------------------------------------------------------------------------
    def set_following(self, on: bool) -> None:
        self.following = on
        self._view = None
        if self.window.follow_action.isChecked() != on:
            self.window.follow_action.setChecked(on)
        translate = QtCore.QCoreApplication.translate
        self.window.follow_action.setText(
            translate("MainWindow", "Following") if on else translate("MainWindow", "Paused")
        )
        if on:
            self.plots.reset_y()
            self.history.forget()
        self._seen_version = -1

    def set_span(self, seconds: float) -> None:
        self.span_s = seconds
        self.settings.span_s = seconds
        self._check_preset()
        self.history.forget()
        self.set_following(True)
        self.refresh()

    def set_forecast_reach(self, seconds: float) -> None:
        """Leave room on the right for a forecast reaching ``seconds`` ahead (0: none)."""
        self.future_s = max(0.0, seconds)
        self._view = None

    def _check_preset(self) -> None:
        action = self.window.range_actions.get(int(self.span_s))
        if action is not None:
            action.setChecked(True)

    def set_channel_visible(self, name: str, visible: bool) -> None:
        self.hidden.discard(name) if visible else self.hidden.add(name)
        self.settings.hidden_channels = self.hidden
        self.plots.set_hidden(self.hidden)
        self.window.tiles.set_hidden(self.hidden)
        self.history.forget()
        self._seen_version = self._scores_drawn = -1
        self._view = None

    def _on_plots_user_range_changed(self, x0: float, x1: float) -> None:
        if self.following:
            self.set_following(False)
        self._user_range_settle.start()

    def history_changed(self) -> None:
        """New history was written (an import, the demo's week): show it."""
        self.read_stored_channels()  # an import may have brought new channels
        self.history.forget()
        self._seen_version = -1
        if not self.following:
            self.history.ask_for_view()

    # -- channels -----------------------------------------------------------------------------
    def read_stored_channels(self) -> None:
        try:
            rows = self.store.channels()
        except Exception as exc:  # a busy file: live channels still appear, history comes later
            log.warning("could not list the file's channels: %s", exc)
            return
        self.stored_channels = list(rows["name"])
        for name, unit in zip(rows["name"], rows["unit"], strict=True):
            if unit and not self.units.get(name):
                self.units[name] = unit

    def _add_new_channels(self) -> None:
        present = set(self.live.channels()) | set(self.stored_channels)
        if present <= self.plots.plots.keys():
            return  # every frame comes here: nothing new, nothing to order or lay out
        for name, unit in self.recorder.units.items():  # a register map's units (Modbus)
            if unit and not self.units.get(name):
                self.units[name] = unit
        known = {n: i for i, n in enumerate(self.units)}  # configured channels first, in their order
        names = sorted(present, key=lambda n: (known.get(n, len(known)), n))
        if self.plots.ensure_channels(names, self.units):
            self._view = None
            for name in names:
                self.window.tiles.ensure(name, self.units.get(name, ""))
            self.window.tiles.set_hidden(self.hidden)
            self.window.set_channel_menu(self.plots.order, self.hidden, self.set_channel_visible)
            self.overlays.show_limits()

    # -- frames -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """One frame, when something changed: the view moved (a whole pixel of time, or the
        operator's pan), new readings or new scores arrived. Only curves whose points changed are
        drawn again, so an unchanged plot costs no repaint and a 10 Hz channel at most 10 a second."""
        if self._closed:
            return
        if self._seen_version < 0:  # a change of view or channels asks every curve anew
            self._drawn_view = None
        version, score_version = self.live.version, self.live.score_version
        self._add_new_channels()
        plots = self.plots
        if self.following:
            # The view moves in whole pixels: at 10 minutes on 1300 px a pixel is 0.46 s, so most
            # frames only add readings at the right edge and the time axis is not laid out again.
            # A short span moves at most 10 times a second (a minute's pixel is 0.05 s).
            step_s = max(self.span_s / plots.width_px(), MIN_STEP_S)
            now = math.ceil(time.time() / step_s) * step_s
            x0 = now - self.span_s
            # Leave room on the right for the forecast, when there is one.
            x1 = now + min(self.future_s, self.span_s / 4)
            if (x0, x1) != self._view:
                self._view = (x0, x1)
                plots.set_x_range(x0, x1)
        else:
            rng = plots.x_range()
            if rng is None:
                return
            x0, x1 = rng
        moved = (x0, x1) != self._drawn_view
        scored = score_version != self._scores_drawn
        if not moved and not scored and version == self._seen_version:
            return  # nothing new to show: no work, no repaint
        changed = None if moved or scored else set(self.live.changed_since(self._seen_version))
        self._seen_version, self._drawn_view = version, (x0, x1)
        explain = scored
        self._scores_drawn = score_version
        buckets = plots.width_px() // 2  # a min and a max per bucket: one point per pixel
        oldest_live = x1
        threshold = self.mark_threshold()
        since_us = int(x0 * 1e6) - 1
        for name in plots.visible_channels():
            if changed is not None and name not in changed:
                continue
            cp = plots.plots[name]
            if changed is None:  # the view moved or scores came: the marks are placed again
                ts, values, scores = self.live.scored_series(name, since_us=since_us)
                cp.set_scores(ts / 1e6, values, scores, threshold)  # a NaN score (not yet) is no mark
            else:
                ts, values = self.live.series(name, since_us=since_us)
            if len(ts):
                oldest_live = min(oldest_live, ts[0] / 1e6)
            x, y = minmax_decimate(ts / 1e6, values, x0, x1, buckets)
            cp.set_live(x, y)
            if explain:
                flagged_us, why = self.live.explanations(name)  # what was unusual
                cp.set_explanations(flagged_us / 1e6, why)
        plots.fit_y(x0, x1)
        plots.settle()
        self._frames += 1
        if self.following and changed is None and x0 < oldest_live - 1:
            self.history.keep_fresh(x0, x1, self.span_s)

    def mark_threshold(self) -> float:
        """The score from which a reading is marked: the one that raises the anomaly alarm."""
        alarms = self.recorder.alarms
        return alarms.anomaly_threshold if alarms is not None else self.anomaly_threshold

    def stop(self) -> None:
        """No more frames (on close)."""
        self._closed = True
        self.refresh_timer.stop()
        self._user_range_settle.stop()
