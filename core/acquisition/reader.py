"""SerialReader: reads a port on its own thread and hands parsed readings on in batches.

The loop reads bursts (``read(in_waiting or 1)``), frames lines, stamps them with the host's UTC
receive time, parses them, and passes a :class:`ReadingBatch` to ``on_batch`` about every 50 ms.
When the port goes away it reports the loss, retries at least once a second, and resumes on the
same port, or on the same USB adapter under a new name. Nothing raises out of the loop: a burst
whose parsing fails is parsed again line by line so only the failing line is lost, and should the
thread end anyway it reports the port LOST (so the comm-loss alarm rises) before it goes; the
session then restarts it (:meth:`SerialReader.restart`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum

import numpy as np
import serial

from core.acquisition.framing import LineFramer
from core.acquisition.parsing import LineParser, Reject
from core.acquisition.ports import (
    PortError,
    SerialSettings,
    UsbIdentity,
    find_usb_port,
    is_url,
    list_serial_ports,
    open_port,
    same_device,
)
from core.acquisition.threads import SourceThread
from core.readings import ReadingBatch, concat_batches

log = logging.getLogger(__name__)


class PortState(Enum):
    CONNECTED = "connected"
    LOST = "lost"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class PortEvent:
    state: PortState
    at: datetime
    port: str
    message: str = ""


@dataclass(slots=True)
class ReaderStats:
    state: PortState
    port: str
    bytes: int
    lines: int
    readings: int
    rejected: dict[str, int] = field(default_factory=dict)
    reconnects: int = 0
    last_reading_at: float | None = None  # time.time() of the newest reading

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


class SerialReader(SourceThread):
    """Own one port: open, read, frame, parse, batch, and reconnect."""

    def __init__(
        self,
        port: str,
        settings: SerialSettings,
        parser: LineParser,
        on_batch: Callable[[ReadingBatch], None],
        on_event: Callable[[PortEvent], None] | None = None,
        usb_identity: UsbIdentity | None = None,
        retry_interval: float = 0.5,
        batch_interval: float = 0.05,
        clock: Callable[[], int] | None = None,
    ) -> None:
        """``clock``: UTC microseconds now (the host's clock unless a test injects one)."""
        self.port = port
        self.settings = settings.validate()
        self.parser = parser
        self.framer = LineFramer()
        self.usb_identity = usb_identity
        self.retry_interval = min(retry_interval, 1.0)
        self.batch_interval = batch_interval
        self._on_batch = on_batch
        self._on_event = on_event
        self._serial: serial.SerialBase | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = PortState.STOPPED
        self.bytes = 0
        self.lines = 0
        self.readings = 0
        self.reconnects = 0
        self.last_reading_at: float | None = None
        self._clock = clock or _utc_now_us
        self._last_ts_us = 0
        self._last_read_us = 0
        self._opened_us = 0  # no reading is stamped before this: the port's (re)opening
        self._pending: list[ReadingBatch] = []
        self.restarts = 0  # times the session restarted a reader thread that had died
        self.failure: str = ""  # why the thread last ended unexpectedly

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Open the port (raising :class:`PortError` if that fails) and start reading."""
        self._serial = self._open(self.port)
        self._mark_opened()
        self._remember_usb_identity()
        self._set_state(PortState.CONNECTED, f"opened {self.port} at {self.settings.describe()}")
        self._stop.clear()
        self._spawn()

    def restart(self) -> None:
        """Start reading again after the thread ended unexpectedly: the port is reopened by the
        usual reconnect loop, which reports CONNECTED once it is back."""
        if self.is_running or self._stop.is_set():
            return
        self._close()
        self.framer.reset()
        self.restarts += 1
        self._set_state(PortState.RECONNECTING, f"restarting the reader of {self.port}")
        self._spawn()

    @property
    def ended_unexpectedly(self) -> bool:
        """True when the reading thread is gone although nobody asked it to stop."""
        return self._thread is not None and not self._thread.is_alive() and not self._stop.is_set()

    def _spawn(self) -> None:
        self._thread = threading.Thread(
            target=self._guarded_run, name=f"SerialReader {self.port}", daemon=True
        )
        self._thread.start()

    def _mark_opened(self) -> None:
        self._opened_us = self._clock()
        self._last_read_us = self._opened_us

    @property
    def state(self) -> PortState:
        return self._state

    def stats(self) -> ReaderStats:
        rejected = dict(self.parser.rejected)
        if self.framer.overlong:
            rejected[Reject.OVERLONG.value] = self.framer.overlong
        return ReaderStats(
            self._state,
            self.port,
            self.bytes,
            self.lines,
            self.readings,
            rejected,
            self.reconnects,
            self.last_reading_at,
        )

    # -- internals ----------------------------------------------------------------------------
    def _open(self, port: str) -> serial.SerialBase:
        return open_port(port, self.settings, timeout=0.05)

    def _remember_usb_identity(self) -> None:
        if self.usb_identity is not None or is_url(self.port):
            return
        try:
            info = next((p for p in list_serial_ports() if same_device(p.device, self.port)), None)
        except Exception:  # port listing is best effort on exotic systems
            info = None
        if info is not None and info.vid is not None and info.pid is not None:
            self.usb_identity = UsbIdentity(info.vid, info.pid, info.serial_number)

    def _set_state(self, state: PortState, message: str = "") -> None:
        self._state = state
        event = PortEvent(state, datetime.now(UTC), self.port, message)
        log.info("port %s %s %s", self.port, state.value, message)
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("port event subscriber failed")

    def _guarded_run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # whatever it was, the operator must hear the port went quiet
            self.failure = f"{type(exc).__name__}: {exc}"[:200]
            log.critical("the reader of %s stopped unexpectedly", self.port, exc_info=True)
            with contextlib.suppress(BaseException):
                self._hand_on()  # what was parsed before the failure is still stored
            with contextlib.suppress(BaseException):
                self._close()
            self._set_state(PortState.LOST, f"reading from {self.port} stopped unexpectedly")

    def _run(self) -> None:
        last_handoff = time.monotonic()
        while not self._stop.is_set():
            if self._serial is None:
                self._reconnect()
                continue
            try:
                data = self._read(self._serial)
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                # pyserial raises TypeError/AttributeError from some handlers once the fd is gone.
                self._hand_on()
                self._lost(exc)
                continue
            if data:
                batch = self._process(data)
                if len(batch):
                    self._pending.append(batch)
            now = time.monotonic()
            if self._pending and (now - last_handoff >= self.batch_interval or not data):
                self._hand_on()
                last_handoff = now
        self._hand_on()
        self._close()
        self._set_state(PortState.STOPPED)

    @staticmethod
    def _read(port: serial.SerialBase) -> bytes:
        """What has arrived, or, when nothing has, what arrives within the port's time-out: a
        read woken by the first byte of a burst takes the rest of it too, so a line that arrives
        whole is framed, parsed and handed on once (not as its first byte and then the rest)."""
        waiting = port.in_waiting
        data = port.read(waiting or 1)
        if not waiting and data:
            rest = port.in_waiting
            if rest:
                data += port.read(rest)
        return data

    def _process(self, data: bytes) -> ReadingBatch:
        now_us = self._clock()
        self.bytes += len(data)
        try:
            lines = self.framer.feed(data)
        except Exception:  # framing is pure and should not fail; if it does, resync at the next line
            log.exception("framing failed on %d bytes from %s", len(data), self.port)
            self.framer.reset()
            self.parser.count_reject(Reject.PARSE_ERROR)
            lines = []
        if not lines:
            self._last_read_us = now_us
            return ReadingBatch.empty()
        n = len(lines)
        ts = stamp_lines(
            n,
            len(data),
            now_us,
            self._last_read_us,
            self._last_ts_us,
            self._opened_us,
            self.settings.baudrate,
        )
        self._last_ts_us = int(ts[-1])
        self._last_read_us = now_us
        self.lines += n
        batch = self._parse(lines, ts)
        if len(batch):
            self.readings += len(batch)
            self.last_reading_at = now_us / 1e6
        return batch

    def _parse(self, lines: list[bytes], ts: np.ndarray) -> ReadingBatch:
        """Parse a burst; if that raises, parse it line by line so only the failing line is lost."""
        try:
            return self.parser.parse(lines, ts)
        except Exception:
            log.exception(
                "parsing a burst of %d lines from %s failed; retrying line by line", len(lines), self.port
            )
        kept = []
        for i, line in enumerate(lines):
            try:
                kept.append(self.parser.parse([line], ts[i : i + 1]))
            except Exception:
                self.parser.count_reject(Reject.PARSE_ERROR)
                log.warning("line from %s could not be parsed: %.200r", self.port, line)
        return concat_batches(kept)

    def _hand_on(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            self._on_batch(concat_batches(pending))
        except Exception:
            log.exception("reading consumer failed")

    def _close(self) -> None:
        if self._serial is not None:
            with contextlib.suppress(Exception):
                self._serial.close()
            self._serial = None

    def _lost(self, exc: BaseException) -> None:
        self._close()
        self.framer.reset()
        self._set_state(PortState.LOST, f"{self.port} stopped answering: {exc}")
        self._set_state(PortState.RECONNECTING, f"retrying every {self.retry_interval:g} s")

    def _reconnect(self) -> None:
        if self._stop.wait(self.retry_interval):
            return
        candidates = [self.port]
        if self.usb_identity is not None:
            try:
                found = find_usb_port(self.usb_identity)
            except Exception:
                found = None
            if found is not None and found.device != self.port:
                candidates.insert(0, found.device)
        for port in candidates:
            try:
                self._serial = self._open(port)
            except PortError:
                continue
            self._mark_opened()
            if port != self.port:
                log.info("adapter %s moved from %s to %s", self.usb_identity, self.port, port)
                self.port = port
            self.reconnects += 1
            self._set_state(PortState.CONNECTED, f"reconnected to {port}")
            return


def _utc_now_us() -> int:
    return time.time_ns() // 1000


def stamp_lines(
    n: int, n_bytes: int, now_us: int, last_read_us: int, last_ts_us: int, opened_us: int, baudrate: int
) -> np.ndarray:
    """Receive stamps for the ``n`` lines of one burst of ``n_bytes`` read at ``now_us``.

    The lines arrived over the time the bytes took on the wire, bounded by the time since the
    previous read (or since the port opened): the stamps are spread back over it, never before
    ``opened_us``, and each is later than the one before (``last_ts_us``).
    """
    floor = max(last_ts_us + 1, opened_us)
    if n == 1:  # a line at a time (a slow device): the same stamp as below, without the arrays
        return np.array([max(now_us, floor)], np.int64)
    wire_us = n_bytes * 10 * 1_000_000 / baudrate
    spread = min(max(now_us - max(last_read_us, opened_us), 0), wire_us)
    steps = np.arange(n, dtype=np.int64)
    ts = now_us - ((n - 1 - steps) * (spread / n)).astype(np.int64)
    return np.maximum.accumulate(np.maximum(ts - steps, floor)) + steps
