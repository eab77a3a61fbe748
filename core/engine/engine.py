"""Engine: one database file's recording, scoring, alarms, forecasts and delivery, without Qt.

It holds the file, the forecast service and the local channel other Watchkeeper programs reach it
through, for as long as it runs; the recording of a port (a :class:`RecordingSession`) comes and
goes within it, as the operator connects and disconnects. ``watchkeeper record`` runs it headless
with everything on; the window runs the same engine, shows what it does and sends it commands.

Forecasts go straight from the forecast service to the alarm engine (the predictive alarm and the
scorer's forecast-band evidence), on the service's thread, as each cycle ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from core.engine.forecasting import CycleDone, ForecastEvent, ForecastService

if TYPE_CHECKING:
    from core.alarms.config import AlarmConfig
    from core.engine.ipc import OwnerKind, Request
    from core.engine.session import RecordingSession
    from core.storage.store import ReadingStore

log = logging.getLogger(__name__)


class Engine:
    """One file's pipeline; thread-safe commands."""

    def __init__(
        self,
        store: ReadingStore | None = None,
        forecasts: Callable[[ReadingStore], ForecastService] | None = None,
        owner_kind: OwnerKind | None = None,
        requests: Mapping[Request, Callable[..., object]] | None = None,
    ) -> None:
        """``store``: the open file (the window opens it first, to show history); without it the
        first recording's session opens it. ``forecasts`` builds the forecast service on the file.
        ``owner_kind`` (core.engine.ipc.OwnerKind): serve other programs' requests on the file
        while it is held; ``requests`` adds handlers (e.g. the window's "come to the front")."""
        self.store = store
        self._make_forecasts = forecasts
        self.forecasts: ForecastService | None = None
        self._owner_kind = owner_kind
        self._requests = dict(requests or {})
        self._server = None
        self._lock = threading.Lock()
        self.session: RecordingSession | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._started = False

    # -- life -----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start what lives as long as the file is open (a no-op until the file is open)."""
        if self._started or self.store is None:
            return
        self._started = True
        if self._make_forecasts is not None:
            self.forecasts = self._make_forecasts(self.store)
            self._unsubscribe = self.forecasts.subscribe(self._on_forecast_event)
            self.forecasts.start()
        if self._owner_kind is not None:
            self._serve()

    def _serve(self) -> None:
        from core.engine.ipc import OwnerServer, Request, store_handlers

        handlers = store_handlers(self.store)
        if self.forecasts is not None:
            handlers[Request.PREDICT] = self._predict_for_caller
        handlers.update(self._requests)
        try:
            self._server = OwnerServer(self.store.path, self._owner_kind, handlers)
            self._server.start()
        except OSError as exc:  # other programs then get the plain "in use" sentence
            log.warning("other programs cannot reach this recording: %s", exc)
            self._server = None

    def _predict_for_caller(self, channels=None, out=None, **_):
        from pathlib import Path

        return self.forecasts.predict(tuple(channels or ()), Path(out) if out else None, timeout=600)

    def record(self, session: RecordingSession) -> None:
        """Start recording with ``session`` (blocks while the port opens; raises its errors), after
        stopping the recording before it. The file stays open between recordings."""
        self.stop_recording()
        session.start()
        self.attach(session)

    def attach(self, session: RecordingSession) -> None:
        """Make the started ``session`` the engine's recording (forecasts and new limits go to it)."""
        with self._lock:
            self.session = session
        if self.store is None:
            self.store = session.store
        self.start()

    def detach(self, session: RecordingSession) -> None:
        """``session`` is no longer the engine's recording (its owner stops it)."""
        with self._lock:
            if self.session is session:
                self.session = None

    def stop_recording(self) -> None:
        """Stop the current recording (every reading it received is committed)."""
        with self._lock:
            session, self.session = self.session, None
        if session is not None:
            session.stop()

    def close(self) -> None:
        """Stop everything: the channel, the forecast service (a training child is ended) and the
        recording, and close a file the engine opened itself."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self.forecasts is not None:
            if self._unsubscribe is not None:
                self._unsubscribe()
            self.forecasts.close()
        self.stop_recording()

    # -- commands -----------------------------------------------------------------------------------
    def set_alarm_config(self, config: AlarmConfig) -> None:
        """New alarm rules from now on; the port stays open and no alarm loses its state."""
        session = self.session
        if session is not None:
            session.alarms = config
            if session.engine is not None:
                session.engine.reconfigure(config)

    # -- forecasts to the alarm engine ----------------------------------------------------------------
    def _on_forecast_event(self, event: ForecastEvent) -> None:
        if not isinstance(event, CycleDone):
            return
        session = self.session
        monitor = session.monitor if session is not None else None
        if monitor is None:
            return
        for channel, fc in event.result.forecasts.items():
            ts = fc.times.as_unit("us").asi8
            monitor.set_forecast(
                channel, ts, fc.values["forecast"], fc.values["lower_95"], fc.values["upper_95"]
            )
