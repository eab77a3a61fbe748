"""HistoryView: the plots' history — what is older than the live buffer holds, from the file.

Queries run on the window's BackgroundWorker (never the GUI thread); the newest request wins,
so scrolling or zooming quickly never queues up answers nobody will see.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6 import QtCore

from core.live import LiveBuffer
from core.storage.history import Series
from core.storage.store import ReadingStore
from gui.background import BackgroundWorker, Query
from gui.plots import PlotStack

log = logging.getLogger(__name__)
translate = QtCore.QCoreApplication.translate  # the text keeps its translation file's context


@dataclass(frozen=True)
class HistoryRequest:
    channels: tuple[str, ...]
    start_us: int
    end_us: int
    max_points: int


@dataclass(frozen=True)
class HistoryResult:
    request: HistoryRequest
    series: dict[str, Series]


class HistoryView(QtCore.QObject):
    """Asks storage for the history of the visible channels and draws it behind the live curves."""

    shown = QtCore.Signal(object)  # HistoryResult, once drawn
    failed = QtCore.Signal(str)  # a sentence for the status bar

    def __init__(
        self, plots: PlotStack, live: LiveBuffer, store: ReadingStore, worker: BackgroundWorker
    ) -> None:
        super().__init__(plots)
        self.plots = plots
        self.live = live
        self.store = store
        self.worker = worker
        self.asked_range: tuple[float, float] | None = None  # None: ask again on the next frame
        self._asked_at = 0.0
        self.series: dict[str, Series] = {}

    def forget(self) -> None:
        """The view changed (span, channels, new history in the file): ask again."""
        self.asked_range = None

    def keep_fresh(self, x0: float, x1: float, span_s: float) -> None:
        """While following: ask again once the answer is old for this span (a pixel's worth)."""
        stale = time.monotonic() - self._asked_at > max(2.0, span_s / 2000)
        if self.asked_range is None or stale:
            self.ask(x0, x1)

    def ask_for_view(self) -> None:
        rng = self.plots.x_range()
        if rng:
            self.ask(*rng)

    def ask(self, x0: float, x1: float) -> None:
        channels = tuple(self.plots.visible_channels())
        if not channels:
            return
        self.asked_range = (x0, x1)
        self._asked_at = time.monotonic()
        req = HistoryRequest(channels, int(x0 * 1e6), int(x1 * 1e6), 2 * self.plots.width_px())
        store = self.store

        def query() -> HistoryResult:
            series = store.history(list(req.channels), req.start_us, req.end_us, req.max_points)
            return HistoryResult(req, series)

        self.worker.submit(Query.HISTORY, query, self._show, self._on_failed)

    def _on_failed(self, exc: Exception) -> None:
        log.warning("history query failed: %s", exc)
        self.failed.emit(
            translate("HistoryView", "History could not be read just now; the plots try again in a moment.")
        )

    def _show(self, result: HistoryResult) -> None:
        for name, cp in self.plots.plots.items():
            ts, _ = self.live.series(name)
            cp.set_history(result.series.get(name), before_s=ts[0] / 1e6 if len(ts) else None)
        self.series = result.series
        rng = self.plots.x_range()
        if rng is not None:
            self.plots.fit_y(*rng)
        self.shown.emit(result)
