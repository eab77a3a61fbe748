"""WindowController: builds the views that decide what the main window shows, and stops them.

The window only lays things out. Each view here owns one concern and takes what it needs in
its constructor: LiveView (the plots following the clock, score marks), HistoryView (the file's
history behind them), AlarmOverlays (limit lines, anomaly spans), TileView (the channel tiles)
and StatusView (status bar and banner). File queries run on one BackgroundWorker.
"""

from __future__ import annotations

from PySide6 import QtCore

from core.live import LiveBuffer
from core.storage.store import ReadingStore
from gui.alarm_overlays import AlarmOverlays
from gui.background import BackgroundWorker
from gui.history_view import HistoryView
from gui.live_view import LiveView
from gui.main_window import MainWindow
from gui.recorder import Recorder
from gui.settings import AppSettings
from gui.status_view import StatusView
from gui.tile_view import TileView

STATUS_MS = 500
SPAN_TICKS = 4  # anomaly spans are read from the journal every fourth status update (2 s)


class WindowController(QtCore.QObject):
    """The main window's views, wired to the recorder, the live buffer and the file."""

    history_reset = QtCore.Signal()  # new history was written (e.g. imported): ask again
    message = QtCore.Signal(str)  # a sentence for the status bar, from any thread

    def __init__(
        self,
        window: MainWindow,
        recorder: Recorder,
        live: LiveBuffer,
        store: ReadingStore,
        settings: AppSettings,
        units: dict[str, str],
        anomaly_threshold: float = 0.5,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.recorder = recorder
        self._closed = False
        self.queries = BackgroundWorker("WindowQueries", store, self)
        self.history = HistoryView(window.plots, live, store, self.queries)
        self.history.failed.connect(lambda text: window.show_message(text, 8000))
        self.overlays = AlarmOverlays(window.plots, recorder, store, self.queries)
        self.live_view = LiveView(
            window, recorder, live, store, settings, units, self.history, self.overlays, anomaly_threshold
        )
        self.tiles = TileView(window.tiles, live)
        self.status = StatusView(window, recorder)
        self.history_reset.connect(self.live_view.history_changed)
        self._status_ticks = 0
        self.status_timer = QtCore.QTimer(self)
        self.status_timer.setInterval(STATUS_MS)
        self.status_timer.timeout.connect(self._on_status_timer)
        self.status_timer.start()

    @property
    def units(self) -> dict[str, str]:
        """Every channel's unit: configured, stored in the file, or from a register map."""
        return self.live_view.units

    def show_limits(self) -> None:
        """Draw the alarm limits again (after they are edited)."""
        self.overlays.show_limits()

    def _on_status_timer(self) -> None:
        self._status_ticks += 1
        if self._status_ticks % SPAN_TICKS == 0:
            self.overlays.update_spans()
        self.tiles.update()
        self.status.update()

    def shutdown(self) -> None:
        """Stop timers and the query thread and flush the recording (called once, on close)."""
        if self._closed:
            return
        self._closed = True
        self.live_view.stop()
        self.status_timer.stop()
        self.recorder.stop(join_openers=True)
        # Cooperative: the running query is cut short, then the thread is joined for as long as it
        # takes (never a timed give-up that would let Qt destroy a running thread).
        self.queries.stop()
