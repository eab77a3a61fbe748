"""Polled ASCII: send each device its query string, read its reply line, parse it.

For controllers that answer an ASCII query with an ASCII reply instead of talking by themselves
(e.g. Hanyoung NX "PC-LINK"). A reply is parsed by a line format (auto, csv, kv, json) or by a
regular expression with one named group per channel, optionally hexadecimal (two's complement
of 16 bits with ``signed``) and scaled. Per-device counters reuse the Modbus diagnostics.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import serial

from core.acquisition.modbus.diagnostics import Outcome, SlaveCounters, SlaveDiagnostics, SlaveState
from core.acquisition.parsing import LineFormat, LineParser
from core.acquisition.ports import PortError, SerialSettings, open_port
from core.acquisition.reader import PortEvent, PortState, ReaderStats
from core.acquisition.threads import SourceThread
from core.config_error import ConfigError
from core.messages import Message, MessageError, MessageId
from core.readings import ReadingBatch

log = logging.getLogger(__name__)

MAX_REPLY_BYTES = 1024  # a reply longer than this is garbage, not a reply


class EscapeError(MessageError, ValueError):
    """A query or terminator with an escape that means no bytes (a ValueError, as before)."""


def unescape(text: str) -> bytes:
    r"""``"\x0201DRS,01,0001\r\n"`` as written in the config -> the bytes sent."""
    try:
        return codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape").encode("latin-1")
    except (UnicodeError, ValueError) as exc:
        raise EscapeError(Message.of(MessageId.ASCII_BAD_ESCAPE, text=repr(text), detail=str(exc))) from None


@dataclass(frozen=True, slots=True)
class ReplyChannel:
    group: str  # the named group of the pattern
    name: str  # the channel it is stored as
    hex: bool = False
    signed: bool = False  # hex of 16 bits read as two's complement
    scale: float = 1.0
    offset: float = 0.0


@dataclass(frozen=True, slots=True)
class AsciiDevice:
    name: str
    query: bytes
    terminator: bytes = b"\r\n"
    interval: float = 1.0
    timeout: float = 0.5
    format: str = "regex"  # regex, or a line format: auto, csv, kv, json
    pattern: str = ""
    channels: tuple[ReplyChannel, ...] = ()

    def parse(self, reply: bytes) -> list[tuple[str, float]] | None:
        """``(channel, value)`` pairs from one reply, or None when it does not match."""
        text = reply.decode("latin-1").strip("\x02\x03\r\n ")
        if self.format != "regex":
            batch = LineParser((), LineFormat(self.format)).parse(
                [text.encode("latin-1")], np.zeros(1, np.int64)
            )
            return [(f"{self.name}.{c}", v) for _, c, v in batch.records()] or None
        match = re.search(self.pattern, text)
        if match is None:
            return None
        values = []
        for ch in self.channels:
            raw = match.group(ch.group)
            try:
                number = float(int(raw, 16)) if ch.hex else float(raw)
            except (TypeError, ValueError):
                return None
            if ch.hex and ch.signed and number >= 0x8000:
                number -= 0x10000
            values.append((ch.name, number * ch.scale + ch.offset))
        return values


def _f(where: str, t: dict, key: str, default: float) -> float:
    v = t.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int | float) or (v <= 0 and key in ("interval", "timeout")):
        raise ConfigError(Message.of(MessageId.CONFIG_POSITIVE, where=f"{where}.{key}", value=repr(v)))
    return float(v)


def parse_ascii_poll(table: Any) -> tuple[AsciiDevice, ...]:
    """Read ``[ascii_poll]`` with its ``[[ascii_poll.devices]]`` and their ``channels``."""
    if not isinstance(table, dict) or not isinstance(table.get("devices"), list) or not table["devices"]:
        raise ConfigError(
            Message.of(MessageId.CONFIG_NEEDS_TABLE, where="[ascii_poll]", table="[[ascii_poll.devices]]")
        )
    devices = []
    for i, d in enumerate(table["devices"], start=1):
        where = f"ascii_poll.devices[{i}]"
        allowed = {"name", "query", "terminator", "interval", "timeout", "format", "pattern", "channels"}
        if not isinstance(d, dict) or set(d) - allowed:
            raise ConfigError(
                Message.of(MessageId.CONFIG_TABLE_WITH_ONLY, where=where, allowed=", ".join(sorted(allowed)))
            )
        try:
            query, term = unescape(str(d.get("query", ""))), unescape(str(d.get("terminator", "\\r\\n")))
        except EscapeError as exc:
            raise ConfigError(Message.of(MessageId.IN_FILE, path=where, problem=exc.message)) from None
        if not query or not term:
            raise ConfigError(Message.of(MessageId.CONFIG_EMPTY, where=f"{where}.query and .terminator"))
        fmt = str(d.get("format", "regex"))
        if fmt not in ("regex", *(f.value for f in LineFormat)):
            raise ConfigError(
                Message.of(MessageId.ASCII_FORMAT_BAD, where=f"{where}.format", value=repr(fmt))
            )
        pattern = str(d.get("pattern", ""))
        channels: list[ReplyChannel] = []
        if fmt == "regex":
            try:
                groups = set(re.compile(pattern).groupindex)
            except re.error as exc:
                raise ConfigError(
                    Message.of(MessageId.ASCII_PATTERN_BAD, where=f"{where}.pattern", detail=str(exc))
                ) from None
            for j, c in enumerate(d.get("channels", []), start=1):
                cw = f"{where}.channels[{j}]"
                if not isinstance(c, dict) or c.get("group") not in groups:
                    raise ConfigError(
                        Message.of(
                            MessageId.ASCII_GROUP_BAD, where=f"{cw}.group", groups=", ".join(sorted(groups))
                        )
                    )
                channels.append(
                    ReplyChannel(
                        c["group"],
                        str(c.get("name", c["group"])),
                        bool(c.get("hex", False)),
                        bool(c.get("signed", False)),
                        float(c.get("scale", 1.0)),
                        float(c.get("offset", 0.0)),
                    )
                )
            if not channels:
                raise ConfigError(Message.of(MessageId.ASCII_NO_CHANNELS, where=where))
        devices.append(
            AsciiDevice(
                str(d.get("name", f"device{i}")),
                query,
                term,
                _f(where, d, "interval", _f("ascii_poll", table, "interval", 1.0)),
                _f(where, d, "timeout", _f("ascii_poll", table, "timeout", 0.5)),
                fmt,
                pattern,
                tuple(channels),
            )
        )
    return tuple(devices)


class AsciiPoller(SourceThread):
    """Query each device in turn on one port; same interface as the line reader and Modbus poller."""

    stop_timeout = 10.0

    def __init__(
        self,
        port: str,
        settings: SerialSettings,
        devices: tuple[AsciiDevice, ...],
        on_batch: Callable[[ReadingBatch], None],
        on_event: Callable[[PortEvent], None] | None = None,
        retry_interval: float = 1.0,
    ) -> None:
        self.port, self.settings, self.devices = port, settings.validate(), devices
        self._on_batch, self._on_event = on_batch, on_event
        self.retry_interval = retry_interval
        self._counters = [SlaveCounters(i, d.name) for i, d in enumerate(devices, start=1)]
        self._next = [0.0] * len(devices)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial: serial.SerialBase | None = None
        self._state = PortState.STOPPED
        self.readings = self.bytes = self.reconnects = 0
        self.last_reading_at: float | None = None
        self.failure, self._crashed = "", False
        self.channel_limit_reached = False

    def start(self) -> None:
        self._serial = open_port(self.port, self.settings, timeout=0.05)
        self._set_state(PortState.CONNECTED, f"opened {self.port} at {self.settings.describe()}")
        self._stop.clear()
        self.restart()

    def restart(self) -> None:
        self._crashed = False
        self._thread = threading.Thread(target=self._run, name=f"AsciiPoller {self.port}", daemon=True)
        self._thread.start()

    @property
    def ended_unexpectedly(self) -> bool:
        return self._crashed and not self._stop.is_set()

    @property
    def state(self) -> PortState:
        return self._state

    def stats(self) -> ReaderStats:
        return ReaderStats(
            self._state, self.port, self.bytes, 0, self.readings, {}, self.reconnects, self.last_reading_at
        )

    def diagnostics(self) -> list[SlaveDiagnostics]:
        with self._lock:
            return [c.snapshot() for c in self._counters]

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if self._serial is None:
                    self._reconnect()
                    continue
                now = time.monotonic()
                i = min(range(len(self.devices)), key=self._next.__getitem__)
                if self._next[i] > now:
                    self._stop.wait(min(self._next[i] - now, 0.25))
                    continue
                self._next[i] = max(self._next[i] + self.devices[i].interval, now)
                self._poll(i)
        except Exception as exc:
            log.exception("ASCII poller stopped by an unexpected error")
            self.failure, self._crashed = repr(exc), True
        finally:
            if self._serial is not None:
                self._serial.close()
                self._serial = None
            self._set_state(PortState.STOPPED)

    def _poll(self, i: int) -> None:
        device, counters = self.devices[i], self._counters[i]
        assert self._serial is not None
        t0 = time.perf_counter()
        try:
            self._serial.reset_input_buffer()  # a late reply to the previous query is not this one's
            self._serial.write(device.query)
            reply = self._read_reply(device)
        except (serial.SerialException, OSError) as exc:
            self._serial.close()
            self._serial = None
            self._set_state(PortState.LOST, f"{self.port} stopped answering: {exc}")
            self._set_state(PortState.RECONNECTING, f"retrying every {self.retry_interval:g} s")
            return
        seconds = time.perf_counter() - t0
        values = None if reply is None else device.parse(reply)
        with self._lock:
            if reply is None:
                counters.count(Outcome.TIMEOUT, seconds, f"no reply from {device.name}")
            elif values is None:
                counters.count(Outcome.BAD_FRAME, seconds, f"reply {reply[:40]!r} does not match")
            else:
                counters.count(Outcome.OK, seconds)
                counters.polls += 1
            counters.state = SlaveState.ONLINE if values else SlaveState.LOST
        if values:
            ts = time.time_ns() // 1000
            self.readings += len(values)
            self.last_reading_at = ts / 1e6
            try:
                self._on_batch(ReadingBatch.from_records([(ts, c, v) for c, v in values]))
            except Exception:
                log.exception("reading consumer failed")

    def _read_reply(self, device: AsciiDevice) -> bytes | None:
        assert self._serial is not None
        deadline = time.monotonic() + device.timeout
        buf = b""
        while time.monotonic() < deadline and not self._stop.is_set():
            buf += self._serial.read(self._serial.in_waiting or 1)
            end = buf.find(device.terminator)
            if end >= 0:
                self.bytes += end + len(device.terminator)
                return buf[:end]
            if len(buf) > MAX_REPLY_BYTES:
                return buf
        return None

    def _reconnect(self) -> None:
        if self._stop.wait(self.retry_interval):
            return
        try:
            self._serial = open_port(self.port, self.settings, timeout=0.05)
        except PortError:
            return
        self.reconnects += 1
        self._set_state(PortState.CONNECTED, f"reconnected to {self.port}")

    def _set_state(self, state: PortState, message: str = "") -> None:
        self._state = state
        if self._on_event is not None:
            try:
                self._on_event(PortEvent(state, datetime.now(UTC), self.port, message))
            except Exception:
                log.exception("port event subscriber failed")


@dataclass(frozen=True)
class AsciiPollSource:
    """Builds an :class:`AsciiPoller` (``[port] protocol = "ascii-poll"``)."""

    port: str
    settings: SerialSettings
    devices: tuple[AsciiDevice, ...]

    @property
    def units(self) -> dict[str, str]:
        return {}

    def __call__(self, on_batch, on_event, on_device=None) -> AsciiPoller:
        # Per-device loss is in the poller's diagnostics; comm-loss alarms come per channel.
        return AsciiPoller(self.port, self.settings, self.devices, on_batch, on_event)
