"""Recorder: the window's way to start and stop the engine's recording, never blocking the GUI thread.

The engine (core.engine) holds the file, the forecasts and the alarms; the Recorder makes a
:class:`RecordingSession` of the port the operator chose and hands it to the engine. Opening a
port (a TCP gateway may take seconds to answer) happens on a short-lived thread; port events
arrive from the reader thread and are passed on as queued Qt signals (they are rare: one per
state change, never one per reading).
"""

from __future__ import annotations

import logging
import threading

from PySide6 import QtCore

from core.acquisition.modbus.config import parse_modbus
from core.acquisition.modbus.transport import Protocol
from core.acquisition.parsing import ChannelSpec
from core.acquisition.reader import PortEvent
from core.acquisition.source import ModbusSource, source_for
from core.alarms.config import AlarmConfig
from core.config import Config, ConfigError, PortConfig
from core.engine.engine import Engine
from core.engine.session import RecordingSession, SessionEvents, SessionStats
from core.engine.settings import EngineConfig
from core.live import LiveBuffer
from gui.messages import render_message, render_notice

log = logging.getLogger(__name__)


class Recorder(QtCore.QObject):
    """Start, stop and watch the recording of one port into the database."""

    started = QtCore.Signal(str)  # port
    start_failed = QtCore.Signal(str)  # one sentence
    port_event = QtCore.Signal(object)  # PortEvent (its state a PortState)
    store_error = QtCore.Signal(str)  # "" when writing works again
    notice = QtCore.Signal(str)  # something the operator should be told once (a channel flood, a restart)

    def __init__(
        self, engine: Engine, settings: EngineConfig, live: LiveBuffer, parent: QtCore.QObject | None = None
    ) -> None:
        """``settings``: the configuration, parsed once by the composition root."""
        super().__init__(parent)
        self.engine = engine
        self.store = engine.store
        self.db_path = self.store.path
        self.settings = settings
        self.live = live
        self.port: PortConfig | None = None
        self._session: RecordingSession | None = None
        self._lock = threading.Lock()
        self._generation = 0
        self._openers: list[threading.Thread] = []
        self.register_map = None  # the Modbus map the current port is read with (RegisterMap)
        self.units: dict[str, str] = {}  # channel -> unit known from the source (a register map)

    @property
    def config(self) -> Config:
        return self.settings.base

    @property
    def alarms(self) -> AlarmConfig:
        """The alarm rules in use."""
        return self.settings.alarms

    def set_alarms(self, table: dict) -> None:
        """New limits from now on: the alarm engine takes them in place (the port stays open)."""
        self.settings = self.settings.with_alarms(table)
        self.engine.set_alarm_config(self.settings.alarms)

    @property
    def is_recording(self) -> bool:
        return self._session is not None

    def start(
        self, port: PortConfig, channels: tuple[ChannelSpec, ...] | None = None, register_map=None
    ) -> None:
        """Stop any current recording and start recording ``port`` (result comes as a signal).

        A Modbus port is read with ``register_map`` (a RegisterMap from the port dialog), else
        with the configuration's own [modbus] section."""
        self.stop()
        self._generation += 1
        generation = self._generation
        try:
            source = self._source(port, register_map)
        except ConfigError as exc:
            self.start_failed.emit(
                self.tr("The register map cannot be used: {error}.").format(error=render_message(exc.message))
            )
            return
        self.register_map = register_map
        self.units = dict(source.units) if source is not None else {}
        session = RecordingSession(
            port,
            self.db_path,
            self.settings,
            channels=channels,
            store=self.store,
            monitoring=True,
            events=SessionEvents(
                on_event=self._on_port_event,
                # Core's message (an id with parameters) worded here, in the window's language.
                on_store_error=lambda m: self.store_error.emit(render_message(m) if m else ""),
                on_notice=lambda n: self.notice.emit(render_notice(n)),  # queued to the GUI thread
            ),
            source=source,
        )
        session.add_listener(self.live.push)
        self.port = port

        def open_in_background() -> None:
            try:
                session.start()
            except Exception as exc:  # PortError, StoreError, …: a sentence for the operator
                log.warning("could not start recording %s: %s", port.device, exc)
                self.start_failed.emit(render_message(getattr(exc, "message", None), str(exc)))
                return
            with self._lock:
                if generation != self._generation:  # stopped or restarted meanwhile
                    session.stop()
                    return
                self._session = session
                self.engine.attach(session)
            if session.monitor is not None:
                session.monitor.subscribe_scores(self._on_scores)
            self.started.emit(port.device)

        opener = threading.Thread(target=open_in_background, name="PortOpener", daemon=True)
        self._openers = [t for t in self._openers if t.is_alive()] + [opener]
        opener.start()

    def _source(self, port: PortConfig, register_map):
        protocol = Protocol(port.protocol)
        if not protocol.is_modbus:
            return source_for(port.protocol, port.device, port.settings, self.config.extra)
        modbus = register_map.modbus if register_map is not None else None
        if modbus is None:
            if "modbus" not in self.config.extra:
                raise ConfigError(
                    self.tr("choose a register map in the port dialog, or add [modbus] to the configuration")
                )
            modbus = parse_modbus(self.config.extra["modbus"])
        return ModbusSource(protocol, port.device, port.settings, modbus)

    def stop(self, join_openers: bool = False) -> None:
        """Stop reading and flush everything to the file (blocks for at most a commit).

        ``join_openers`` (on close): also wait for ports still being opened; each sees it was
        stopped and closes its session, so nothing writes to the file once this returns.
        """
        with self._lock:
            self._generation += 1
            session, self._session = self._session, None
            if session is not None:
                self.engine.detach(session)
        if session is not None:
            session.stop()
        if join_openers:
            for opener in self._openers:
                opener.join()
            self._openers = []

    @property
    def alarm_engine(self):
        """The current recording's alarm engine (None when not recording)."""
        session = self._session
        return session.engine if session is not None else None

    @property
    def monitor(self):
        session = self._session
        return session.monitor if session is not None else None

    def stats(self) -> SessionStats | None:
        session = self._session
        return session.stats() if session is not None else None

    def bus_diagnostics(self):
        """Per-slave diagnostics of a polled bus (list of SlaveDiagnostics), or None when the
        recording is not of a bus (or nothing records)."""
        session = self._session
        reader = session.reader if session is not None else None
        diagnostics = getattr(reader, "diagnostics", None)
        return diagnostics() if diagnostics is not None else None

    def _on_scores(self, scored) -> None:
        # On the scoring thread: each score goes into its reading's slot in the live buffer.
        self.live.set_scores(scored.batch, scored.scores, getattr(scored, "explanations", None))

    def _on_port_event(self, event: PortEvent) -> None:
        self.port_event.emit(event)
