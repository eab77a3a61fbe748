"""AlarmOverlays: what the alarms draw on the plots — H/HH/L/LL limit lines and the shaded
spans during which a channel's anomaly alarm was active (read from the journal in the
background)."""

from __future__ import annotations

import logging
import time

from PySide6 import QtCore

from core.alarms.model import AlarmKind
from core.alarms.spans import anomaly_spans
from core.storage.store import ReadingStore
from gui.background import BackgroundWorker, Query
from gui.plots import PlotStack
from gui.recorder import Recorder

log = logging.getLogger(__name__)
SPANS_AT_LEAST_S = 60.0  # the journal is read at least this often (another program may write it)


class AlarmOverlays(QtCore.QObject):
    """Limit lines and anomaly spans on every plot."""

    def __init__(
        self, plots: PlotStack, recorder: Recorder, store: ReadingStore, worker: BackgroundWorker
    ) -> None:
        super().__init__(plots)
        self.plots = plots
        self.recorder = recorder
        self.store = store
        self.worker = worker
        self._seen: tuple | None = None  # the view and the anomaly alarms' states last asked for
        self._asked_at = -float("inf")

    def show_limits(self) -> None:
        """Draw each channel's H/HH/L/LL alarm limits on its plot (again after they are edited)."""
        alarms = self.recorder.alarms
        for name, cp in self.plots.plots.items():
            rules = alarms.rules(name).limits if alarms is not None else ()
            cp.set_limits({r.kind.value: r.limit for r in rules})

    def update_spans(self) -> None:
        """Shade the spans in view during which a channel's anomaly alarm was active.

        The journal is read again only when the spans can have changed: the view moved, an
        anomaly alarm changed state, one is active (its span grows), or a minute has passed."""
        rng = self.plots.x_range()
        if rng is None:
            return
        alarms = self.recorder.alarm_engine
        anomalies = [s for s in alarms.alarms() if s.kind is AlarmKind.ANOMALY] if alarms is not None else []
        states = tuple((s.alarm_id, s.state, s.since_us) for s in anomalies)
        growing = any(s.state.active for s in anomalies)
        now = time.monotonic()
        seen = (rng, states)
        if not growing and seen == self._seen and now - self._asked_at < SPANS_AT_LEAST_S:
            return  # nothing in view can have changed: no query
        self._seen, self._asked_at = seen, now
        store = self.store
        # A span still active ends now, not at the right edge (the forecast's room).
        start, end = rng[0], min(rng[1], time.time())
        self.worker.submit(
            Query.ANOMALY_SPANS, lambda: anomaly_spans(store, start, end), self._show_spans, self._on_failed
        )

    def _on_failed(self, exc: Exception) -> None:
        log.debug("anomaly spans: %s", exc)  # a busy file: read again on the next tick

    def _show_spans(self, spans: dict) -> None:
        for name, cp in self.plots.plots.items():
            cp.set_spans(spans.get(name, []))
