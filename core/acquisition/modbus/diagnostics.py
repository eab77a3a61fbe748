"""Per-slave bus diagnostics and the back-off that keeps a dead slave from stalling the bus.

Plain data for the command line's status lines and, later, the window's bus view. Counters only
grow; response times are kept in a bounded ring (the newest ``RESPONSE_WINDOW``), so memory stays
flat however long the bus runs.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

RESPONSE_WINDOW = 1000  # response times kept per slave for the percentiles

# Modbus application protocol 1.1b3, section 7: exception codes and their names.
EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "device failure",
    5: "acknowledge",
    6: "device busy",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target device failed to respond",
}


def exception_name(code: int) -> str:
    return EXCEPTION_NAMES.get(code, f"exception code {code}")


class Outcome(Enum):
    """What became of one request."""

    OK = "ok"
    TIMEOUT = "time-out"  # nothing (valid or not) came back in time
    BAD_FRAME = "CRC/framing error"  # bytes came back but no valid frame for this request
    EXCEPTION = "Modbus exception"
    LINK_DOWN = "link down"  # the port or the TCP connection is gone


class SlaveState(Enum):
    UNKNOWN = "unknown"  # not polled yet
    ONLINE = "online"
    LOST = "lost"  # failed its last poll and all retries; probed with back-off


@dataclass(frozen=True, slots=True)
class SlaveDiagnostics:
    """A snapshot of one slave's counters (what the CLI prints and the window shows)."""

    unit: int
    name: str
    state: SlaveState
    requests: int
    good: int
    timeouts: int
    bad_frames: int
    exceptions: dict[str, int]
    last_error: str
    p50_ms: float | None
    p99_ms: float | None
    polls: int  # complete poll cycles with every request answered
    next_probe_s: float | None = None  # seconds until the next probe, while lost
    not_numbers: int = 0  # values read as NaN or infinite (a transmitter's "no value"), not stored

    @property
    def exceptions_total(self) -> int:
        return sum(self.exceptions.values())

    def describe(self) -> str:
        """One line: ``unit 2 "boiler" online: 120 requests, 118 good, ...``."""
        rt = "" if self.p50_ms is None else f", reply p50 {self.p50_ms:.0f} ms p99 {self.p99_ms:.0f} ms"
        exc = "".join(f", {n} {name}" for name, n in sorted(self.exceptions.items()))
        last = f"; last error: {self.last_error}" if self.last_error else ""
        probe = "" if self.next_probe_s is None else f", next probe in {self.next_probe_s:.0f} s"
        nan = f", {self.not_numbers} values not a number" if self.not_numbers else ""
        return (
            f'unit {self.unit} "{self.name}" {self.state.value}: {self.requests} requests, '
            f"{self.good} good, {self.timeouts} time-outs, {self.bad_frames} CRC/framing errors"
            f"{exc}{nan}{rt}{probe}{last}"
        )


@dataclass(slots=True)
class SlaveCounters:
    """The mutable counters behind :class:`SlaveDiagnostics` (owned by the poller thread)."""

    unit: int
    name: str
    state: SlaveState = SlaveState.UNKNOWN
    requests: int = 0
    good: int = 0
    timeouts: int = 0
    bad_frames: int = 0
    polls: int = 0
    not_numbers: int = 0
    exceptions: Counter = field(default_factory=Counter)
    last_error: str = ""
    response_s: deque = field(default_factory=lambda: deque(maxlen=RESPONSE_WINDOW))

    def count(self, outcome: Outcome, seconds: float, detail: str = "") -> None:
        self.requests += 1
        if outcome is Outcome.OK:
            self.good += 1
            self.response_s.append(seconds)
            return
        if outcome is Outcome.TIMEOUT:
            self.timeouts += 1
        elif outcome is Outcome.BAD_FRAME:
            self.bad_frames += 1
        elif outcome is Outcome.EXCEPTION:
            self.exceptions[detail] += 1
        self.last_error = f"{outcome.value}: {detail}" if detail else outcome.value

    def snapshot(self, next_probe_s: float | None = None) -> SlaveDiagnostics:
        times = np.fromiter(self.response_s, float, len(self.response_s))
        p50, p99 = (None, None) if not len(times) else np.percentile(times * 1000.0, [50, 99]).tolist()
        return SlaveDiagnostics(
            self.unit,
            self.name,
            self.state,
            self.requests,
            self.good,
            self.timeouts,
            self.bad_frames,
            dict(self.exceptions),
            self.last_error,
            p50,
            p99,
            self.polls,
            next_probe_s,
            self.not_numbers,
        )


class Backoff:
    """When to probe a slave that stopped answering: ``first`` s after the loss, then each wait
    ``factor`` times the one before, up to ``maximum``; an answer resets it. Pure: the caller
    passes the time (seconds on any monotonic clock)."""

    __slots__ = ("_wait", "factor", "first", "maximum")

    def __init__(self, first: float = 2.0, maximum: float = 30.0, factor: float = 2.0) -> None:
        if not 0 < first <= maximum or factor < 1:
            raise ValueError("back-off needs 0 < first <= maximum and a factor of at least 1")
        self.first, self.maximum, self.factor = first, maximum, factor
        self._wait = 0.0

    @property
    def active(self) -> bool:
        return self._wait > 0

    @property
    def wait(self) -> float:
        """The current wait between probes (0 while the slave answers)."""
        return self._wait

    def failed(self, now: float) -> float:
        """Record a failed poll or probe at ``now``; return when to probe next."""
        self._wait = self.first if not self._wait else min(self._wait * self.factor, self.maximum)
        return now + self._wait

    def reset(self) -> None:
        self._wait = 0.0
