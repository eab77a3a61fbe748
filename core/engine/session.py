"""RecordingSession: the recording of one port within the engine: reader -> writer -> scorer -> alarms.

The command line and the window both record through this class, so they behave the same.
Consumers other than storage (the live view) subscribe with :meth:`add_listener`. With
``monitoring`` on, a :class:`Monitor` scores every reading for anomalies and drives the alarm
engine on its own thread (fed by a bounded queue), journaling alarms into the same file.

A watchdog thread keeps an eye on the reader: should its thread ever end although nobody stopped
it, the port is reported LOST (the alarm engine raises the comm-loss alarm, the window shows it),
the traceback is logged, and the reader is restarted. What the operator must be told once (a
device sending more channel names than the port may create, a restarted reader) is kept as
:class:`Notice` messages (:meth:`RecordingSession.notices`, and ``on_notice``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from core.acquisition.modbus.poller import SlaveEvent
from core.acquisition.parsing import ChannelSpec, LineParser
from core.acquisition.reader import PortEvent, PortState, ReaderStats, SerialReader
from core.acquisition.source import Source, SourceFactory
from core.alarms.engine import AlarmEngine
from core.alarms.journal import AlarmJournal
from core.alarms.model import AlarmEvent
from core.alarms.monitor import Monitor, MonitorStats
from core.anomaly.detector import AnomalyDetector
from core.anomaly.process import DetectorProcess
from core.config import Config, PortConfig
from core.engine.settings import EngineConfig
from core.forward.engine import ForwarderState
from core.messages import Message, MessageId
from core.readings import ReadingBatch
from core.storage.retention import RetentionWorker
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter, WriterStats

log = logging.getLogger(__name__)
# How long a recording runs before the channels named in [anomaly] machines are looked for.
MACHINE_CHECK_S = 120.0


class NoticeId(Enum):
    """Things the operator is told once per recording (the window renders them in its language)."""

    CHANNEL_LIMIT = "channel_limit"  # params: port, limit
    READER_RESTARTED = "reader_restarted"  # params: port
    MACHINE_CHANNELS_MISSING = "machine_channels_missing"  # params: missing, wait, recorded


@dataclass(frozen=True, slots=True)
class Notice:
    id: NoticeId
    at: datetime
    params: dict[str, object] = field(default_factory=dict)

    @property
    def message(self) -> Message:
        """The sentence as an id with parameters (the window says it in the operator's language)."""
        return Message(MessageId(self.id.value), {k: str(v) for k, v in self.params.items()})

    @property
    def text(self) -> str:
        """The English sentence (the command line prints it)."""
        return self.message.english


MAX_NOTICES = 20


@dataclass(frozen=True, slots=True)
class SessionStats:
    reader: ReaderStats
    writer: WriterStats
    db_bytes: int
    monitor: MonitorStats | None = None
    notices: tuple[Notice, ...] = ()  # what the operator should be told (newest last)
    forwarders: tuple[ForwarderState, ...] = ()  # MQTT, InfluxDB, OPC UA, notifications


@dataclass(frozen=True, slots=True)
class SessionEvents:
    """Where a recording tells what happens, each on the thread it happens on (keep them quick)."""

    on_event: Callable[[PortEvent], None] | None = None  # the port connected, was lost, ...
    on_store_error: Callable[[Message | str], None] | None = None  # a commit failed ("": it works again)
    on_alarm: Callable[[AlarmEvent], None] | None = None  # every alarm transition
    on_notice: Callable[[Notice], None] | None = None  # what the operator is told once


class RecordingSession:
    """Record one port into one database file until stopped."""

    def __init__(
        self,
        port: PortConfig | str,
        db_path: str | Path,
        config: EngineConfig | None = None,
        *,
        channels: tuple[ChannelSpec, ...] | None = None,
        store: ReadingStore | None = None,
        monitoring: bool = False,
        events: SessionEvents = SessionEvents(),
        source: SourceFactory | None = None,
        watch_interval: float = 0.5,
    ) -> None:
        """Record ``port`` (a PortConfig, or just a device or URL) into ``db_path``.

        ``config``: the parsed configuration (channels, commit interval, retention, and the
        [anomaly], [alarms] and [forward] sections); ``channels`` overrides its channel list.

        ``store``: an open file to record into (the window shares its own); the session then
        leaves it open on stop. Without it the session opens ``db_path`` itself.

        ``monitoring``: also score readings and run the alarm engine on a monitor thread; the
        scoring itself runs in a child process (see :class:`DetectorProcess`).

        ``events``: where port events, store errors, alarm transitions and notices go (each on
        the thread it happens on); ``watch_interval``: seconds between the watchdog's looks.

        ``source``: read through a Modbus or ASCII poller instead of the line reader
        (see ``core.acquisition.source.source_for``); everything downstream is the same.
        """
        port = PortConfig(device=port) if isinstance(port, str) else port
        config = config or EngineConfig(Config())
        self.port = port.device
        self.db_path = Path(db_path)
        self.settings = port.settings
        self.channels = config.base.channels if channels is None else channels
        self.line_format = port.format
        self.usb_identity = port.usb
        self.commit_interval = config.base.storage.commit_interval
        self.retention = config.base.retention
        self._on_event = events.on_event
        self._on_store_error = events.on_store_error
        self._listeners: list[Callable[[ReadingBatch], None]] = []
        self.monitoring = monitoring
        self.anomaly = config.anomaly
        self.alarms = config.alarms
        self._on_alarm = events.on_alarm
        self.detector: AnomalyDetector | DetectorProcess | None = None
        self.engine: AlarmEngine | None = None
        self.monitor: Monitor | None = None
        self.store: ReadingStore | None = store
        self._owns_store = store is None
        self.writer: StoreWriter | None = None
        self.source = source
        self.reader: SerialReader | Source | None = None
        self.retention_worker: RetentionWorker | None = None
        self.max_channels = port.max_channels
        self._on_notice = events.on_notice
        self.watch_interval = watch_interval
        self._notices: deque[Notice] = deque(maxlen=MAX_NOTICES)
        self._told: set[NoticeId] = set()
        self._clock = time.monotonic
        self._started_at = self._clock()
        self._watch_stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        self.forwarding = config.forwarding
        self.forwarders = None  # core.forward.manager.Forwarders, while forwarding is configured

    def notices(self) -> list[Notice]:
        """What the operator should be told, oldest first (at most the last few)."""
        return list(self._notices)

    def add_listener(self, listener: Callable[[ReadingBatch], None]) -> None:
        """Call ``listener(batch)`` on the reader thread for every batch; keep it quick."""
        self._listeners.append(listener)

    def start(self) -> None:
        """Open the file and the port; raises StoreError or PortError with a clear message."""
        self._started_at = self._clock()
        if self.store is None:
            self.store = ReadingStore(self.db_path)
        try:
            units = {c.name: c.unit for c in self.channels if c.unit}
            self.store.set_units(units | (self.source.units if self.source is not None else {}))
            self.writer = StoreWriter(self.store, self.commit_interval, on_error=self._on_store_error)
            self.writer.start()
            self._start_forwarders()
            holds = self.forwarders.holds if self.forwarders is not None else None
            self.retention_worker = RetentionWorker(self.store, self.retention, holds=holds)
            self.retention_worker.start()
            if self.monitoring:
                self._start_monitor()
            if self.source is not None:
                self.reader = self.source(self._dispatch, self._port_event, self._device_event)
            else:
                self.reader = SerialReader(
                    self.port,
                    self.settings,
                    LineParser(self.channels, self.line_format, self.max_channels),
                    on_batch=self._dispatch,
                    on_event=self._port_event,
                    usb_identity=self.usb_identity,
                )
            self.reader.start()
            self._watch_stop.clear()
            self._watchdog = threading.Thread(target=self._watch, name="ReaderWatchdog", daemon=True)
            self._watchdog.start()
        except BaseException:
            self._shutdown(discard_new_file=True)  # a failed start leaves no new, empty file
            raise

    def _watch(self) -> None:
        while not self._watch_stop.wait(self.watch_interval):
            try:
                self._check_reader()
            except Exception:
                log.exception("reader watchdog failed")

    def _check_reader(self) -> None:
        reader = self.reader
        if reader is None:
            return
        self._check_machines()
        if reader.channel_limit_reached if self.source else reader.parser.channel_limit_reached:
            self._notify(NoticeId.CHANNEL_LIMIT, port=reader.port, limit=self.max_channels)
        if reader.ended_unexpectedly:
            if reader.state is not PortState.LOST:  # it died before it could say so itself
                why = getattr(reader, "failure", "")  # a Modbus or polled source may not say
                log.critical("the reader of %s ended unexpectedly: %s", reader.port, why)
                self._port_event(
                    PortEvent(
                        PortState.LOST, datetime.now(UTC), reader.port, f"reading from {reader.port} stopped"
                    )
                )
            self._notify(NoticeId.READER_RESTARTED, once=False, port=reader.port)
            reader.restart()

    def _check_machines(self) -> None:
        """Once, a while into the recording: say which channels named in [anomaly] machines have
        no readings (a misspelt name, a device without that sensor): their machine is never judged
        as a whole, and nothing else would show it."""
        machines = self.anomaly.machines if self.detector is not None else ()
        if not machines or NoticeId.MACHINE_CHANNELS_MISSING in self._told:
            return
        stored = self.writer.stats().stored if self.writer is not None else 0
        if not stored or self._clock() - self._started_at < MACHINE_CHECK_S:
            return  # the file's channel list holds what has been committed
        recorded = set(self.store.channels()["name"]) if self.store is not None else set()
        missing = [c for group in machines for c in group if c not in recorded]
        if missing:
            wait = round(MACHINE_CHECK_S)
            self._notify(
                NoticeId.MACHINE_CHANNELS_MISSING,
                missing=", ".join(missing),
                wait=f"{wait // 60} min" if wait >= 60 else f"{wait} s",
                recorded=", ".join(sorted(recorded)),
            )
        else:
            self._told.add(NoticeId.MACHINE_CHANNELS_MISSING)  # every channel is there: checked

    def _notify(self, notice: NoticeId, once: bool = True, **params: object) -> None:
        if once and notice in self._told:
            return
        self._told.add(notice)
        item = Notice(notice, datetime.now(UTC), params)
        self._notices.append(item)
        log.warning("%s", item.text)
        if self._on_notice is not None:
            try:
                self._on_notice(item)
            except Exception:
                log.exception("notice subscriber failed")

    def _start_monitor(self) -> None:
        assert self.store is not None
        units = {c.name: c.unit for c in self.channels if c.unit}
        # The journal restores the alarms that were not normal when this file was last used.
        self.engine = AlarmEngine(self.alarms, units, journal=AlarmJournal(self.store))
        if self._on_alarm is not None:
            self.engine.subscribe(self._on_alarm)
        if self.forwarders is not None:
            self.engine.subscribe(self.forwarders.alarm)
        self.detector = self._make_detector() if self.anomaly.enabled else None
        self.monitor = Monitor(self.detector, self.engine, self.store)
        self.monitor.start()

    def _start_forwarders(self) -> None:
        """Forwarders read the file through their own cursors, so they start after the writer."""
        if self.forwarding is None or not self.forwarding.enabled:
            return
        from core.forward.manager import Forwarders

        assert self.store is not None
        units = {c.name: c.unit for c in self.channels if c.unit}
        self.forwarders = Forwarders(self.store, self.forwarding, units)
        self.forwarders.start()

    def _make_detector(self) -> AnomalyDetector | DetectorProcess:
        """Scoring runs in a child process, so it never competes with the window for the
        interpreter lock; where a process cannot be started it runs on the monitor thread."""
        try:
            return DetectorProcess(self.anomaly)
        except OSError as exc:
            log.warning("anomaly scoring runs in this process: %s", exc)
            return AnomalyDetector(self.anomaly)

    def _port_event(self, event: PortEvent) -> None:
        if self.monitor is not None:
            self.monitor.port_event(event)
        if self._on_event is not None:
            self._on_event(event)

    def _device_event(self, event: SlaveEvent) -> None:
        """A slave on the bus stopped or started answering: its own comm-loss alarm."""
        if self.monitor is not None:
            self.monitor.device_event(event)

    def stop(self) -> None:
        """Stop reading, commit everything received, close the file."""
        self._shutdown()

    def _shutdown(self, discard_new_file: bool = False) -> None:
        self._watch_stop.set()
        if self._watchdog is not None:
            self._watchdog.join()
            self._watchdog = None
        if self.reader is not None:
            self.reader.stop()
        if self.monitor is not None:
            self.monitor.stop()
        if isinstance(self.detector, DetectorProcess):
            self.detector.close()
        if self.writer is not None:
            self.writer.stop()
        if self.forwarders is not None:
            self.forwarders.stop()  # what is left unsent goes after the next start
        if self.retention_worker is not None:
            self.retention_worker.stop()
        if self.store is not None and self._owns_store:
            self.store.close(discard_if_new=discard_new_file)

    def stats(self) -> SessionStats:
        assert self.reader and self.writer and self.store, "session not started"
        return SessionStats(
            self.reader.stats(),
            self.writer.stats(),
            self.store.file_size(),
            None if self.monitor is None else self.monitor.stats(),
            tuple(self._notices),
            self.forwarders.states() if self.forwarders is not None else (),
        )

    def _dispatch(self, batch: ReadingBatch) -> None:
        assert self.writer is not None
        self.writer.submit(batch)
        if self.monitor is not None:
            self.monitor.submit(batch)
        if self.forwarders is not None:
            self.forwarders.update(batch)
        for listener in self._listeners:
            try:
                listener(batch)
            except Exception:
                log.exception("reading listener failed")
