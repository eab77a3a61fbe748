"""LiveView: the plots while they follow the clock — live curves, score marks, the time range.

It draws a frame when the LiveBuffer says readings or scores came (once per batch, never once per
reading), at most one frame every 40 ms, and otherwise sleeps: with no readings coming, the only
wake-up is the clock reaching the followed view's edge. A reading's value and its anomaly score
share a slot in the buffer, so a value is drawn as soon as it arrives and its mark as soon as its
score does, with no matching of scores to readings here.

A followed view is a strip chart: it stands still until the clock reaches its right edge, then
steps ahead by a tenth of its span. Between steps a new reading only draws the end of its curve,
a strip a few pixels wide, and only that strip is repainted; the curves are drawn whole when the
view steps or the operator moves it.
"""

from __future__ import annotations

import logging
import math
import time

from PySide6 import QtCore

from core.decimate import minmax_decimate
from core.live import LiveBuffer, LiveTail
from core.storage.store import ReadingStore
from gui.alarm_overlays import AlarmOverlays
from gui.history_view import HistoryView
from gui.main_window import MainWindow
from gui.recorder import Recorder
from gui.settings import AppSettings

log = logging.getLogger(__name__)
REFRESH_MS = 40  # the shortest time between two frames: at most 25 a second, however fast readings come
LONGEST_SLEEP_MS = 5000  # a followed view looks at the clock at least this often (it may be set)
STEP_FRACTION = 0.1  # of the span: how far a followed view steps ahead when the clock reaches its edge
MIN_STEP_S = 0.1  # the shortest time the followed view moves by
USER_RANGE_SETTLE_MS = 150  # history is asked for once a zoom or pan has settled


class _Drawn:
    """How far one channel's live curve is drawn: readings up to ``number`` (the buffer's count),
    ``body`` points drawn whole, then the points of ``tail``."""

    __slots__ = ("body", "number", "tail")

    def __init__(self, number: int, body: int, tail: LiveTail) -> None:
        self.number = number
        self.body = body
        self.tail = tail


class LiveView(QtCore.QObject):
    """Follows the clock (or holds a range the operator chose) and draws what the buffer holds."""

    _arrived = QtCore.Signal()  # readings or scores came (emitted on the reader's or scorer's thread)

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
        self._drawn: dict[str, _Drawn] = {}  # per channel, since the curves were drawn whole
        self._history_oldest: float | None = None  # the oldest live reading when history was asked
        self.clock = time.time  # what the followed view follows (tests hold it still)
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
        self._last_frame = -math.inf  # time.monotonic() of the last frame
        self.frame_timer = QtCore.QTimer(self)
        self.frame_timer.setSingleShot(True)
        self.frame_timer.timeout.connect(self.refresh)
        self._arrived.connect(self.schedule)  # queued to this thread when emitted on another
        self._tell = self._arrived.emit
        live.subscribe(self._tell)
        self.schedule()
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
        self.schedule()

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
        self.schedule()

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
        self.schedule()

    def _on_plots_user_range_changed(self, x0: float, x1: float) -> None:
        if self.following:
            self.set_following(False)
        self._user_range_settle.start()
        self.schedule()

    def history_changed(self) -> None:
        """New history was written (an import, the demo's week): show it."""
        self.read_stored_channels()  # an import may have brought new channels
        self.history.forget()
        self._seen_version = -1
        if not self.following:
            self.history.ask_for_view()
        self.schedule()

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
            self._drawn_view = None  # every curve is drawn whole in the new layout
            for name in names:
                self.window.tiles.ensure(name, self.units.get(name, ""))
            self.window.tiles.set_hidden(self.hidden)
            self.window.set_channel_menu(self.plots.order, self.hidden, self.set_channel_visible)
            self.overlays.show_limits()

    # -- frames -------------------------------------------------------------------------------
    def schedule(self, delay_ms: float = 0.0) -> None:
        """Ask for a frame after ``delay_ms``, and no sooner than ``REFRESH_MS`` after the last
        one; a frame already asked for sooner stands."""
        if self._closed:
            return
        since_ms = (time.monotonic() - self._last_frame) * 1000.0
        wait_ms = math.ceil(max(delay_ms, REFRESH_MS - since_ms, 0.0))
        timer = self.frame_timer
        if timer.isActive() and timer.remainingTime() <= wait_ms:
            return
        timer.start(wait_ms)

    def refresh(self) -> None:
        """One frame (see :meth:`_frame`); a followed view then sleeps until the clock reaches
        its edge, unless readings come first."""
        if self._closed:
            return
        self._last_frame = time.monotonic()
        self._frame()
        if self.following:
            step_s = max(self.span_s * STEP_FRACTION, MIN_STEP_S)
            now = self.clock()
            to_edge_ms = (math.ceil(now / step_s) * step_s - now) * 1000.0 + 1.0
            self.schedule(min(to_edge_ms, LONGEST_SLEEP_MS))

    def _frame(self) -> None:
        """Draw what changed: the view moved (a step, or the operator's pan), new readings or new
        scores arrived. New readings draw only the ends of their curves, new scores only marks
        that changed, so an unchanged plot costs no repaint and a 10 Hz channel a strip of a few
        pixels at most 10 times a second."""
        if self._seen_version < 0:  # a change of view or channels asks every curve anew
            self._drawn_view = None
        version, score_version = self.live.version, self.live.score_version
        if version != self._seen_version or self._drawn_view is None:  # channels come with readings
            self._add_new_channels()
        plots = self.plots
        if self.following:
            x0, x1 = self.followed_range()
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
        self._drawn_view, self._scores_drawn = (x0, x1), score_version
        oldest_live = x1
        if moved:
            oldest_live = self._draw_whole(x0, x1)
        else:
            if version != self._seen_version:
                self._draw_new(x0, x1)
            if scored:
                oldest_live = self._draw_scores(x0)
        self._seen_version = version
        plots.settle()
        self._frames += 1
        # History fills the view before the live buffer's oldest reading: it changes when the
        # view steps or the buffer lets readings go, not with every frame.
        history_due = moved or (scored and oldest_live != self._history_oldest)
        if self.following and history_due and x0 < oldest_live - 1:
            self._history_oldest = oldest_live
            self.history.keep_fresh(x0, x1, self.span_s)

    def followed_range(self) -> tuple[float, float]:
        """The x range while following: its right edge is the next whole step after the clock, so
        the view stands still while readings come and steps when the clock reaches the edge (the
        newest reading always in view), with room on the right for the forecast, if any."""
        step_s = max(self.span_s * STEP_FRACTION, MIN_STEP_S)
        edge = math.ceil(self.clock() / step_s) * step_s
        return edge - self.span_s, edge + min(self.future_s, self.span_s / 4)

    def _draw_whole(self, x0: float, x1: float) -> float:
        """Draw every visible curve and its marks whole; returns the oldest live reading's time
        in view (``x1`` if none)."""
        plots = self.plots
        buckets = plots.width_px() // 2  # a min and a max per bucket: one point per pixel
        bucket_s = (x1 - x0) / max(buckets, 1)
        threshold = self.mark_threshold()
        since_us = int(x0 * 1e6) - 1
        oldest_live = x1
        self._drawn = {}
        for name in plots.visible_channels():
            cp = plots.plots[name]
            ts, values, scores, number = self.live.numbered_series(name, since_us=since_us)
            x = ts / 1e6
            cp.set_scores(x, values, scores, threshold)  # a NaN score (not yet) is no mark
            if len(x):
                oldest_live = min(oldest_live, x[0])
            dx, dy = minmax_decimate(x, values, x0, x1, buckets)
            cp.set_live(dx, dy)
            after = float(x[-1]) if len(x) else -math.inf
            self._drawn[name] = _Drawn(number, len(dx), LiveTail(x0, bucket_s, after=after))
            flagged_us, why = self.live.explanations(name)  # what was unusual
            cp.set_explanations(flagged_us / 1e6, why)
        plots.fit_y(x0, x1)
        return oldest_live

    def _draw_new(self, x0: float, x1: float) -> None:
        """Draw the readings that came since the last frame at the ends of their curves."""
        plots = self.plots
        refit = False
        for name in plots.visible_channels():
            drawn = self._drawn.get(name)
            if drawn is None:
                continue
            ts, values, drawn.number = self.live.newer(name, drawn.number)
            if not len(ts):
                continue
            tail = drawn.tail
            if not self.following and tail.last_x > x1:
                continue  # past the right edge of the range the operator holds: not in view
            x = ts / 1e6
            if x[0] < tail.last_x:  # a reading older than one drawn: the curves are drawn whole
                self._drawn_view = None
                continue
            keep, px, py = tail.add(x, values)
            refit |= not plots.plots[name].extend_live(drawn.body + keep, px, py)
        if refit:
            plots.fit_y(x0, x1)

    def _draw_scores(self, x0: float) -> float:
        """Mark the readings whose scores came (only marks that changed are drawn again); returns
        the oldest live reading's time in view."""
        plots = self.plots
        threshold = self.mark_threshold()
        oldest_live = math.inf
        for name in plots.visible_channels():
            cp = plots.plots[name]
            ts, values, scores = self.live.scored_series(name, since_us=int(x0 * 1e6) - 1)
            cp.set_scores(ts / 1e6, values, scores, threshold)
            if len(ts):
                oldest_live = min(oldest_live, ts[0] / 1e6)
            flagged_us, why = self.live.explanations(name)
            cp.set_explanations(flagged_us / 1e6, why)
        return oldest_live

    def mark_threshold(self) -> float:
        """The score from which a reading is marked: the one that raises the anomaly alarm."""
        alarms = self.recorder.alarms
        return alarms.anomaly_threshold if alarms is not None else self.anomaly_threshold

    def stop(self) -> None:
        """No more frames (on close)."""
        self._closed = True
        self.live.unsubscribe(self._tell)
        self.frame_timer.stop()
        self._user_range_settle.stop()
