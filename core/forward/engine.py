"""Forwarder: store-and-forward from the Watchkeeper file to one target, on its own thread.

The file is the source of truth. The forwarder reads what the writer has committed after its
cursor, hands it to its :class:`Sink` (MQTT, InfluxDB, a webhook, e-mail), and moves the cursor
only once the sink says the target has it; so a target that is down for hours loses nothing, a
restart resumes from the cursor, and only what a crash interrupted is sent twice (each reading
carries a stable id, ``channel@ts_us``, for the target to de-duplicate). While the target is
unreachable it retries with exponential back-off; when it returns, the backlog drains oldest
first at ``drain_rate`` readings per second, which bounds the CPU it takes from live recording.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import duckdb
import numpy as np
import pandas as pd

from core.forward.settings import Pace
from core.storage import forwarding as fw
from core.storage.errors import write_problem
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)

BACKLOG_EVERY_S = 1.0  # how often the backlog is counted
MESSAGES_PER_ROUND = 8  # batches read from the file per stream and round
DEFAULT_PACE = Pace()


@dataclass(frozen=True, slots=True)
class ForwarderState:
    """One forwarder as the operator sees it (safe to hand to another thread)."""

    name: str  # "mqtt", "influx", "opcua", "webhook", "email", ...
    target: str  # where it sends to, without passwords or tokens
    connected: bool
    backlog: int  # rows not sent yet: readings (alarm events for a notification target)
    backlog_age_s: float  # age of the oldest of them; 0 when there is no backlog
    last_error: str  # one sentence for the operator, "" while all is well
    sent: int  # rows this file has sent to the target, over every run


class ForwardError(Exception):
    """The target cannot take the data now; the message is one sentence without secrets."""


class Sink(Protocol):
    """A target: it connects, takes rows of its streams, and returns only once they are safe."""

    name: str
    target: str
    streams: tuple[str, ...]  # of core.storage.forwarding.STREAMS, the first one counts as backlog

    def open(self) -> None: ...

    def close(self) -> None: ...

    def send_readings(self, rows: dict[str, np.ndarray]) -> None: ...

    def send_alarms(self, rows: pd.DataFrame) -> None: ...

    def send_forecasts(self, rows: pd.DataFrame) -> None: ...

    def tick(self, now: float) -> None:
        """Periodic work that is not driven by new rows (a daily digest)."""


class Forwarder:
    """Send one file's rows to one sink until stopped."""

    def __init__(
        self,
        store: ReadingStore,
        sink: Sink,
        pace: Pace = DEFAULT_PACE,
        history_s: float = 0.0,
        poll_interval: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``history_s``: a forwarder new to this file starts that far back (0: with new rows)."""
        self.store = store
        self.sink = sink
        self.pace = pace
        self.poll_interval = poll_interval
        self.clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connected = False
        self._last_error = ""
        self._backlog: tuple[int, int | None] = (0, None)
        self._backlog_at = 0.0
        self._next_send = 0.0
        self.positions: dict[str, fw.Position] = {}
        if hasattr(sink, "stop_event"):
            sink.stop_event = self._stop  # a sink waiting for acknowledgements gives up on stop
        for stream in sink.streams:
            pos = fw.load_position(store, sink.name, stream)
            if pos is None:
                pos = fw.newest_position(store, stream, int(history_s * 1e6))
                fw.save_position(store, sink.name, stream, pos)
            self.positions[stream] = pos

    # -- for the session and the operator -----------------------------------------------------
    def state(self) -> ForwarderState:
        with self._lock:
            count, oldest = self._backlog
            age = max(0.0, self.clock() - oldest / 1e6) if count and oldest is not None else 0.0
            sent = self.positions[self.sink.streams[0]].sent
            return ForwarderState(
                self.sink.name, self.sink.target, self._connected, count, age, self._last_error, sent
            )

    def readings_cursor(self) -> int | None:
        """µs up to which readings are sent (retention keeps what comes after)."""
        pos = self.positions.get(fw.READINGS)
        return None if pos is None else pos.ts_us

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"Forward-{self.sink.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0, drain_s: float = 0.0) -> None:
        """End the thread; with ``drain_s``, a connected forwarder first gets that long to send
        what the last commit brought. The state keeps the backlog left behind."""
        if drain_s > 0 and self._connected and self._thread is not None:
            self.wait_idle(drain_s)
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._close()
        self._measure_backlog(force=True)

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is left to send (tests, benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._connected and not any(self._count(s)[0] for s in self.sink.streams):
                self._measure_backlog(force=True)  # so state() says so too, not a second-old figure
                return True
            time.sleep(0.05)
        return False

    # -- the loop -----------------------------------------------------------------------------
    def _run(self) -> None:
        delay = self.pace.retry_initial
        while not self._stop.is_set():
            try:
                if not self._connected:
                    self.sink.open()
                    self._set(connected=True, error="")
                    log.info("%s: connected to %s", self.sink.name, self.sink.target)
                    delay = self.pace.retry_initial
                moved = self._round()
                self.sink.tick(self.clock())
                self._measure_backlog()
                if not moved:
                    self._stop.wait(self.poll_interval)
                continue
            except ForwardError as exc:
                if self._stop.is_set():
                    break  # stopped mid-round: the round goes again after the next start
                self._failed(str(exc), delay)
            except duckdb.Error as exc:
                log.info("%s: reading the file failed: %s", self.sink.name, exc)
                self._failed(f"Cannot read what to send from {self.store.path}: {write_problem(exc)}", delay)
            except Exception as exc:  # a bug in a sink must not end forwarding
                log.exception("%s: forwarding failed", self.sink.name)
                self._failed(
                    f"Forwarding to {self.sink.target} failed unexpectedly ({type(exc).__name__}); "
                    "see the log",
                    delay,
                )
            self._back_off(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, self.pace.retry_max)

    def _back_off(self, seconds: float) -> None:
        """Wait before the next attempt, counting the growing backlog for the operator meanwhile."""
        until = time.monotonic() + seconds
        while not self._stop.is_set():
            self._measure_backlog(force=True)
            left = until - time.monotonic()
            if left <= 0:
                return
            self._stop.wait(min(left, 2.0))

    def _failed(self, message: str, delay: float) -> None:
        was = self._last_error
        self._close()
        self._set(connected=False, error=message)
        if message != was:
            log.warning("%s; retrying (at most every %.0f s)", message, self.pace.retry_max)
        else:
            log.debug("%s: still failing, next try in about %.1f s", self.sink.name, delay)

    def _close(self) -> None:
        try:
            self.sink.close()
        except Exception:
            log.exception("%s: closing failed", self.sink.name)
        with self._lock:
            self._connected = False

    def _set(self, connected: bool, error: str) -> None:
        with self._lock:
            self._connected = connected
            self._last_error = error

    def _round(self) -> bool:
        """Send what is waiting, at most a few batches per stream; True if anything was sent."""
        moved = False
        for stream in self.sink.streams:
            if self._stop.is_set():
                break
            moved |= self._send(stream)
        return moved

    def _send(self, stream: str) -> bool:
        pos = self.positions[stream]
        limit = self.pace.batch * MESSAGES_PER_ROUND
        if stream == fw.READINGS:
            self._pace_wait()
            rows = fw.readings_after(self.store, pos, limit)
            n = len(rows["ts_us"])
            if not n:
                return False
            self.sink.send_readings(rows)
            new = fw.Position(int(rows["ts_us"][-1]), int(rows["channel_id"][-1]), pos.sent + n)
            self._next_send = max(self._next_send, time.monotonic()) + n / self.pace.drain_rate
        elif stream == fw.ALARMS:
            frame = fw.alarms_after(self.store, pos, limit)
            if frame.empty:
                return False
            self.sink.send_alarms(frame)
            n = len(frame)
            new = fw.Position(int(frame["ts_us"].iloc[-1]), int(frame["seq"].iloc[-1]), pos.sent + n)
        else:
            frame = fw.forecasts_after(self.store, pos, MESSAGES_PER_ROUND)
            if frame.empty:
                return False
            self.sink.send_forecasts(frame)
            n = int(frame["generated_us"].nunique())
            new = fw.Position(int(frame["generated_us"].iloc[-1]), 0, pos.sent + n)
        fw.save_position(self.store, self.sink.name, stream, new)
        with self._lock:
            self.positions[stream] = new
        return True

    def _pace_wait(self) -> None:
        """Hold the drain to ``drain_rate`` readings per second."""
        wait = self._next_send - time.monotonic()
        if wait > 0:
            self._stop.wait(wait)

    def _count(self, stream: str) -> tuple[int, int | None]:
        return fw.backlog(self.store, stream, self.positions[stream])

    def _measure_backlog(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._backlog_at < BACKLOG_EVERY_S:
            return
        self._backlog_at = now
        try:
            count = self._count(self.sink.streams[0])
        except duckdb.Error as exc:
            log.info("%s: counting the backlog failed: %s", self.sink.name, exc)
            return
        with self._lock:
            self._backlog = count
