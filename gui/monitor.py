"""MonitorController: the window's behaviour — live following, history, status, port changes.

It pulls from the LiveBuffer on a 40 ms timer (never one signal per reading), asks the
HistoryWorker for anything older than the live buffer holds, and turns recorder events into the
banner and status bar. The window only lays things out; this class decides what they show.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from pathlib import Path

import numpy as np
from PySide6 import QtCore

from core.alarms.spans import anomaly_spans
from core.decimate import minmax_decimate
from core.live import LiveBuffer
from core.storage.store import ReadingStore
from gui.history_worker import HistoryRequest, HistoryResult, HistoryWorker
from gui.main_window import MainWindow
from gui.messages import port_state_text
from gui.port_dialog import shown_address
from gui.recorder import Recorder
from gui.settings import AppSettings
from gui.tiles import trend_per_minute

log = logging.getLogger(__name__)
REFRESH_MS = 40
STATUS_MS = 500
FORWARD_BEHIND_S = 300.0  # a forwarder this far behind is shown in amber
RATE_SAMPLES = 21  # status updates the reading rate is measured over (ten seconds)


class MonitorController(QtCore.QObject):
    history_requested = QtCore.Signal(object)  # HistoryRequest, to the worker thread
    history_reset = QtCore.Signal()  # new history was written (e.g. imported): ask again
    message = QtCore.Signal(str)  # a sentence for the status bar, from any thread
    spans_ready = QtCore.Signal(object)  # anomaly spans per channel, from a pool thread

    def __init__(
        self,
        window: MainWindow,
        recorder: Recorder,
        live: LiveBuffer,
        store: ReadingStore,
        settings: AppSettings,
        units: dict[str, str],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.recorder = recorder
        self.live = live
        self.store = store
        self.settings = settings
        self.units = dict(units)
        self.span_s = settings.span_s
        self.anomaly_threshold = 0.5
        self.future_s = 0.0  # how far ahead the newest forecast reaches
        self.following = True
        self.hidden = settings.hidden_channels
        self._seen_version = -1
        self._history_token = 0
        self._history: dict = {}
        self._history_range: tuple[float, float] | None = None
        self._history_asked_at = 0.0
        # (time, readings) of the last status updates: the rate is over about ten seconds, so a
        # bus polled once a second does not read 0 and 14 readings/s in turn.
        self._rate_samples: deque[tuple[float, int]] = deque(maxlen=RATE_SAMPLES)
        self._closed = False
        self._status_ticks = 0
        self._frames = 0
        self._view: tuple[float, float] | None = None  # the x range last set while following
        self._spans_busy = False
        self.spans_ready.connect(self._on_spans_ready)
        # Channels the file already holds: they are shown (with their history) with or without a
        # device, so a recorded or imported file can be browsed with no port open.
        self.stored_channels: list[str] = []
        self._read_stored_channels()

        self.history_thread = QtCore.QThread(self)
        self.history_thread.setObjectName("HistoryWorker")
        self.history_worker = HistoryWorker(store)
        self.history_worker.moveToThread(self.history_thread)
        self.history_requested.connect(self.history_worker.request)
        self.history_worker.finished.connect(self._on_history_finished)
        self.history_worker.failed.connect(lambda m: self.window.show_message(m, 8000))
        self.history_thread.start()
        self.history_reset.connect(self._on_history_reset)

        w = window
        w.follow_action.toggled.connect(self.set_following)
        w.range_group.triggered.connect(lambda a: self.set_span(float(a.data())))
        w.plots.user_range_changed.connect(self._on_user_range)
        w.plots.set_hidden(self.hidden)
        w.tiles.set_hidden(self.hidden)
        self._check_preset()
        recorder.port_event.connect(self._on_port_event)
        recorder.started.connect(self._on_recording_started)
        recorder.start_failed.connect(self._on_start_failed)
        recorder.store_error.connect(self._on_store_error)

        self.refresh_timer = QtCore.QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.refresh_timer.start()
        self.status_timer = QtCore.QTimer(self)
        self.status_timer.setInterval(STATUS_MS)
        self.status_timer.timeout.connect(self.update_status)
        self.status_timer.start()
        self._user_range_debounce = QtCore.QTimer(self)
        self._user_range_debounce.setSingleShot(True)
        self._user_range_debounce.setInterval(150)
        self._user_range_debounce.timeout.connect(self._ask_history_for_view)

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
            self.window.plots.reset_y()
            self._history_range = None
        self._seen_version = -1

    def set_span(self, seconds: float) -> None:
        self.span_s = seconds
        self.settings.span_s = seconds
        self._check_preset()
        self._history_range = None
        self.set_following(True)
        self.refresh()

    def _check_preset(self) -> None:
        action = self.window.range_actions.get(int(self.span_s))
        if action is not None:
            action.setChecked(True)

    def set_channel_visible(self, name: str, visible: bool) -> None:
        self.hidden.discard(name) if visible else self.hidden.add(name)
        self.settings.hidden_channels = self.hidden
        self.window.plots.set_hidden(self.hidden)
        self.window.tiles.set_hidden(self.hidden)
        self._history_range = None
        self._seen_version = -1
        self._view = None

    def _on_user_range(self, x0: float, x1: float) -> None:
        if self.following:
            self.set_following(False)
        self._user_range_debounce.start()

    # -- live ---------------------------------------------------------------------------------
    def _read_stored_channels(self) -> None:
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
        if present <= self.window.plots.plots.keys():
            return  # every frame comes here: nothing new, nothing to order or lay out
        for name, unit in self.recorder.units.items():  # a register map's units (Modbus)
            if unit and not self.units.get(name):
                self.units[name] = unit
        known = {n: i for i, n in enumerate(self.units)}  # configured channels first, in their order
        names = sorted(present, key=lambda n: (known.get(n, len(known)), n))
        if self.window.plots.ensure_channels(names, self.units):
            self._view = None
            for name in names:
                self.window.tiles.ensure(name, self.units.get(name, ""))
            self.window.tiles.set_hidden(self.hidden)
            self.window.set_channel_menu(self.window.plots.order, self.hidden, self.set_channel_visible)
            self.show_limits()

    def refresh(self) -> None:
        """One frame: follow the clock, redraw live curves that changed, keep history fresh."""
        if self._closed:
            return
        version = self.live.version
        if version == self._seen_version and not self.following:
            return
        self._seen_version = version
        self._add_new_channels()
        plots = self.window.plots
        if self.following:
            # The view moves in whole pixels: at 10 minutes on 1300 px a pixel is 0.46 s, so most
            # frames only add readings at the right edge and the time axis is not laid out again.
            pixel_s = self.span_s / plots.width_px()
            now = math.ceil(time.time() / pixel_s) * pixel_s
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
        buckets = plots.width_px() // 2  # a min and a max per bucket: one point per pixel
        oldest_live = x1
        for name in plots.visible_channels():
            ts, values = self.live.series(name, since_us=int(x0 * 1e6) - 1)
            if len(ts):
                oldest_live = min(oldest_live, ts[0] / 1e6)
            x, y = minmax_decimate(ts / 1e6, values, x0, x1, buckets)
            plots.plots[name].set_live(x, y)
            if self._frames % 5 == 0:  # scores change the picture less often than values
                self._show_scores(name, ts, values)
        plots.fit_y(x0, x1)
        plots.settle()
        self._frames += 1
        if self.following and x0 < oldest_live - 1:
            stale = time.monotonic() - self._history_asked_at > max(2.0, self.span_s / 2000)
            if self._history_range is None or stale:
                self._ask_history(x0, x1)

    def _show_scores(self, name: str, ts: np.ndarray, values: np.ndarray) -> None:
        sts, scores = self.recorder.scores.series(name, since_us=int(ts[0]) if len(ts) else None)
        if not len(sts) or not len(ts):
            self.window.plots.plots[name].set_scores(np.empty(0), np.empty(0), np.empty(0), 1.0)
            return
        # Scores and readings share timestamps; match them (the score may lag the reading a little).
        idx = np.clip(np.searchsorted(ts, sts), 0, len(ts) - 1)
        ok = ts[idx] == sts
        self.window.plots.plots[name].set_scores(
            sts[ok] / 1e6, values[idx[ok]], scores[ok], self.mark_threshold()
        )
        explained = list(getattr(self.recorder, "explained", {}).get(name, ()))  # what was unusual
        self.window.plots.plots[name].set_explanations(
            np.array([t / 1e6 for t, _ in explained]), [w for _, w in explained]
        )

    def mark_threshold(self) -> float:
        """The score from which a reading is marked: the one that raises the anomaly alarm."""
        alarms = self.recorder.alarms
        return alarms.anomaly_threshold if alarms is not None else self.anomaly_threshold

    def show_limits(self) -> None:
        """Draw each channel's H/HH/L/LL alarm limits on its plot (again after they are edited)."""
        alarms = self.recorder.alarms
        for name, cp in self.window.plots.plots.items():
            rules = alarms.rules(name).limits if alarms is not None else ()
            cp.set_limits({r.kind.value: r.limit for r in rules})

    def update_anomaly_spans(self) -> None:
        """Shade the spans in view during which a channel's anomaly alarm was active.

        The journal is read on a pool thread (never the GUI thread); the answer comes back queued.
        """
        rng = self.window.plots.x_range()
        if rng is None or self._spans_busy:
            return
        self._spans_busy = True

        def query() -> None:
            try:
                # A span still active ends now, not at the right edge (the forecast's room).
                self.spans_ready.emit(anomaly_spans(self.store, rng[0], min(rng[1], time.time())))
            except Exception as exc:  # a busy file: try again on the next tick
                log.debug("anomaly spans: %s", exc)
                self.spans_ready.emit(None)

        QtCore.QThreadPool.globalInstance().start(query)

    def _on_spans_ready(self, spans: dict | None) -> None:
        self._spans_busy = False
        if spans is None or self._closed:
            return
        for name, cp in self.window.plots.plots.items():
            cp.set_spans(spans.get(name, []))

    # -- history ------------------------------------------------------------------------------
    def _ask_history_for_view(self) -> None:
        rng = self.window.plots.x_range()
        if rng:
            self._ask_history(*rng)

    def _ask_history(self, x0: float, x1: float) -> None:
        channels = tuple(self.window.plots.visible_channels())
        if not channels:
            return
        self._history_token += 1
        self._history_range = (x0, x1)
        self._history_asked_at = time.monotonic()
        self.history_requested.emit(
            HistoryRequest(
                self._history_token, channels, int(x0 * 1e6), int(x1 * 1e6), 2 * self.window.plots.width_px()
            )
        )

    def _on_history_reset(self) -> None:
        self._read_stored_channels()  # an import may have brought new channels
        self._history_range = None
        self._seen_version = -1
        if not self.following:
            self._ask_history_for_view()

    def _on_history_finished(self, result: HistoryResult) -> None:
        if result.request.token != self._history_token or self._closed:
            return  # an older answer: a newer request is on its way
        for name, cp in self.window.plots.plots.items():
            series = result.series.get(name)
            ts, _ = self.live.series(name)
            cp.set_history(series, before_s=ts[0] / 1e6 if len(ts) else None)
        self.history_series = result.series
        rng = self.window.plots.x_range()
        if rng is not None:
            self.window.plots.fit_y(*rng)

    # -- status -------------------------------------------------------------------------------
    def update_status(self) -> None:
        w = self.window
        now = time.time()
        self._status_ticks += 1
        if self._status_ticks % 4 == 0:
            self.update_anomaly_spans()
        latest = self.live.latest()
        for name, reading in latest.items():
            tile = w.tiles.tiles.get(name)
            if tile is not None and tile.isVisible():
                ts, values = self.live.series(name, since_us=reading.ts_us - 60_000_000)
                tile.show_reading(reading.value, now - reading.ts_us / 1e6, trend_per_minute(ts, values))
        stats = self.recorder.stats()
        if stats is None:
            return
        r = stats.reader
        mono = time.monotonic()
        if self._rate_samples and self._rate_samples[-1][1] > r.readings:
            self._rate_samples.clear()  # a new recording counts from zero
        self._rate_samples.append((mono, r.readings))
        (t0, n0), (t1, n1) = self._rate_samples[0], self._rate_samples[-1]
        if t1 > t0:
            rate = (n1 - n0) / (t1 - t0)
            shown = f"{rate:,.1f}" if rate < 10 else f"{rate:,.0f}"
            w.rate_label.setText(self.tr("{rate} readings/s").format(rate=shown))
        w.rejected_label.setText(self.tr("rejected lines: {n}").format(n=r.rejected_total))
        w.rejected_label.setToolTip(
            ", ".join(f"{k}: {v}" for k, v in sorted(r.rejected.items())) or self.tr("none")
        )
        w.db_label.setText(f"{Path(self.recorder.db_path).name}: {stats.db_bytes / 1e6:.1f} MB")
        age = "–" if r.last_reading_at is None else f"{max(0.0, now - r.last_reading_at):.1f}"
        w.age_label.setText(self.tr("last reading {age} s ago").format(age=age))
        if stats.writer.dropped:
            dropped = self.tr("({n} readings dropped)").format(n=stats.writer.dropped)
            w.db_label.setText(f"{w.db_label.text()} {dropped}")
        self._show_forwarders(stats.forwarders)

    def _show_forwarders(self, states) -> None:
        """ "Forwarding 2/3 connected, backlog 4,213" (amber when one is down or behind), with each
        forwarder's line (target, state, backlog, last error) in the tooltip."""
        label = self.window.forward_label
        label.setVisible(bool(states))
        if not states:
            return
        from core.forward.text import describe

        up = sum(s.connected for s in states)
        backlog = sum(s.backlog for s in states)
        text = self.tr("Forwarding {up}/{n} connected").format(up=up, n=len(states))
        if backlog:
            text += self.tr(", backlog {n}").format(n=f"{backlog:,}")
        behind = any(s.backlog_age_s > FORWARD_BEHIND_S for s in states)
        label.setText(text)
        style = "color:#9a6700; font-weight:bold;" if up < len(states) or behind else ""
        if label.styleSheet() != style:
            label.setStyleSheet(style)
        label.setToolTip("\n".join(describe(s) for s in states))

    def _on_port_event(self, state: str, port: str, message: str) -> None:
        w = self.window
        port = shown_address(port)
        w.port_label.setText(f"{port}: {port_state_text(state)}")
        if state in ("lost", "reconnecting"):
            w.show_banner(
                self.tr(
                    "Connection to {port} lost — reconnecting automatically. Check the cable, the "
                    "adapter or the gateway. Readings received so far are saved."
                ).format(port=port)
            )
        elif state == "connected":
            w.show_banner("")

    def _on_recording_started(self, port: str) -> None:
        self.window.port_label.setText(f"{shown_address(port)}: {port_state_text('connected')}")
        self.window.show_banner("")

    def _on_start_failed(self, message: str) -> None:
        self.window.port_label.setText(self.tr("Not recording"))
        self.window.show_banner(self.tr("Not recording: {error}").format(error=message))

    def _on_store_error(self, message: str) -> None:
        if message:
            self.window.show_banner(
                self.tr(
                    "{error}. Readings are kept in memory and written as soon as the file can be written."
                ).format(error=message)
            )
        else:
            self.window.show_banner("")

    # -- shutdown -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop timers and threads and flush the recording (called once, on close)."""
        if self._closed:
            return
        self._closed = True
        self.refresh_timer.stop()
        self.status_timer.stop()
        self._user_range_debounce.stop()
        self.recorder.stop(join_openers=True)
        # Cooperative: the running query is cut short, then the thread is joined for as long as it
        # takes (never a timed give-up that would let Qt destroy a running thread).
        self.history_worker.stop()
        self.history_thread.quit()
        self.history_thread.wait()
