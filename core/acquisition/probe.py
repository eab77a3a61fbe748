"""Probe a port for a few seconds: raw lines, parsed values and a verdict in plain words.

The port dialog's "Test" button runs this on a worker thread so the operator sees whether the
settings are right before committing to them.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import serial

from core.acquisition.framing import LineFramer
from core.acquisition.parsing import LineFormat, LineParser
from core.acquisition.ports import PortError, SerialSettings, open_port
from core.messages import Message, MessageId


@dataclass
class ProbeReport:
    """What a probe has seen so far (the final one carries the verdict)."""

    port: str
    bytes: int = 0
    lines: int = 0
    good_lines: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    raw: list[str] = field(default_factory=list)  # newest raw lines, printable
    values: dict[str, float] = field(default_factory=dict)  # newest value per channel
    verdict: str = ""  # in English (the command line); ``verdict_message`` for the window
    verdict_message: Message | None = None
    ok: bool = False
    finished: bool = False


def _printable(line: bytes) -> str:
    text = line.decode("utf-8", errors="replace")
    return "".join(c if c.isprintable() else "·" for c in text)[:200]


def verdict(report: ProbeReport, seconds: float, settings: SerialSettings) -> tuple[bool, Message]:
    """Whether the port looks right, and the sentence that says so (or what to check)."""
    if report.bytes == 0:
        return False, Message.of(MessageId.PROBE_NO_DATA, seconds=f"{seconds:g}")
    if report.lines == 0:
        return False, Message.of(MessageId.PROBE_NO_LINE_ENDS)
    bad = report.lines - report.good_lines
    if report.good_lines == 0 or bad > report.good_lines:
        unreadable = report.rejected.get("not_utf8", 0) >= bad / 2
        kind = MessageId.PROBE_UNREADABLE if unreadable else MessageId.PROBE_UNKNOWN_FORM
        return False, Message.of(kind, settings=settings.describe())
    names = ", ".join(sorted(report.values)[:8])
    return True, Message.of(
        MessageId.PROBE_LOOKS_RIGHT,
        good=str(report.good_lines),
        lines=str(report.lines),
        count=str(len(report.values)),
        names=names,
    )


def probe_port(
    port: str,
    settings: SerialSettings,
    fmt: LineFormat = LineFormat.AUTO,
    seconds: float = 3.0,
    on_update: Callable[[ProbeReport], None] | None = None,
    stop: threading.Event | None = None,
    update_interval: float = 0.1,
) -> ProbeReport:
    """Open ``port``, listen for ``seconds``, report progress, and close it again.

    Raises :class:`PortError` if the port cannot be opened (busy, denied, not found).
    """
    ser = open_port(port, settings, timeout=0.05)
    framer, parser = LineFramer(), LineParser(fmt=fmt)
    report = ProbeReport(port)
    raw: deque[str] = deque(maxlen=50)
    stop = stop or threading.Event()
    started = last_update = time.monotonic()
    try:
        while not stop.is_set() and time.monotonic() - started < seconds:
            try:
                data = ser.read(ser.in_waiting or 1)
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                # pyserial raises TypeError/AttributeError from some handlers once the fd is gone.
                stopped = Message.of(MessageId.PORT_STOPPED_IN_TEST, port=port, reason=str(exc))
                raise PortError(stopped) from exc
            if data:
                report.bytes += len(data)
                lines = framer.feed(data)
                if lines:
                    report.lines += len(lines)
                    raw.extend(_printable(x) for x in lines)
                    before = parser.lines_ok
                    batch = parser.parse(lines, np.zeros(len(lines), np.int64))
                    report.good_lines += parser.lines_ok - before
                    for name, value in zip(batch.channels.tolist(), batch.values.tolist(), strict=True):
                        report.values[name] = value
            now = time.monotonic()
            if on_update and now - last_update >= update_interval:
                last_update = now
                # A snapshot: the receiver may read it on another thread while we go on.
                on_update(
                    replace(report, raw=list(raw), rejected=dict(parser.rejected), values=dict(report.values))
                )
    finally:
        ser.close()
    report.raw, report.rejected = list(raw), dict(parser.rejected)
    if framer.overlong:
        report.rejected["overlong"] = framer.overlong
    report.ok, report.verdict_message = verdict(report, seconds, settings)
    report.verdict = report.verdict_message.english
    report.finished = True
    if on_update:
        on_update(report)
    return report
