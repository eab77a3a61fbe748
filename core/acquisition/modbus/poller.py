"""ModbusPoller: polls several slaves on one bus from its own thread and hands readings on in
batches, like the line reader.

Scheduling: each answering slave is polled every ``interval`` seconds. A slave that fails a poll
(every try timed out or came back garbled) is marked lost and probed with growing back-off; a
probe waits for a gap of the bus schedule that can hold its time-out, so the others keep their
rate, but at most as long again as its back-off (so it cannot starve on a busy bus). A
Modbus exception is an answer: the slave is alive, the request's points are skipped and the name
of the exception is counted. Replies are matched by pymodbus on unit id (and on transaction id
over TCP), so a late reply is never credited to another slave; nothing from a bad frame is stored.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from core.acquisition.modbus.diagnostics import (
    Backoff,
    Outcome,
    SlaveCounters,
    SlaveDiagnostics,
    SlaveState,
)
from core.acquisition.modbus.planning import ReadRequest, plan_requests
from core.acquisition.modbus.registers import Slave
from core.acquisition.modbus.transport import Frame, ModbusLink
from core.acquisition.ports import PortError
from core.acquisition.reader import PortEvent, PortState, ReaderStats
from core.acquisition.threads import SourceThread
from core.readings import ReadingBatch

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SlaveEvent:
    """A slave stopped or started answering. ``channels`` are the ones it feeds, so an alarm
    engine can raise one comm-loss alarm for the slave and suppress exactly those channels."""

    unit: int
    name: str
    state: SlaveState
    at: datetime
    port: str
    channels: tuple[str, ...]
    message: str = ""

    @property
    def source(self) -> str:
        """A stable id for the slave's comm-loss alarm, e.g. ``COM3/unit 2``."""
        return f"{self.port}/unit {self.unit}"


class _SlaveRun:
    """The poller's book-keeping for one slave (poller thread only, except the counters)."""

    __slots__ = ("backoff", "counters", "next_at", "requests", "slave")

    def __init__(self, slave: Slave, backoff: Backoff) -> None:
        self.slave = slave
        self.requests: tuple[ReadRequest, ...] = plan_requests(slave)
        self.counters = SlaveCounters(slave.unit, slave.name)
        self.backoff = backoff
        self.next_at = 0.0  # next poll, or next probe while lost

    @property
    def lost(self) -> bool:
        return self.counters.state is SlaveState.LOST


class ModbusPoller(SourceThread):
    """Own one Modbus link: connect, poll every slave, batch readings, reconnect."""

    stop_timeout = 10.0

    def __init__(
        self,
        link: ModbusLink,
        slaves: tuple[Slave, ...],
        on_batch: Callable[[ReadingBatch], None],
        on_event: Callable[[PortEvent], None] | None = None,
        on_slave_event: Callable[[SlaveEvent], None] | None = None,
        backoff_first: float = 2.0,
        backoff_max: float = 30.0,
        retry_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        wall_us: Callable[[], int] = lambda: time.time_ns() // 1000,
    ) -> None:
        if not slaves:
            raise ValueError("a Modbus bus needs at least one slave")
        units = [s.unit for s in slaves]
        if len(set(units)) != len(units):
            raise ValueError("two slaves on one bus share a unit id")
        self.link = link
        self.port = link.port
        self._runs = [_SlaveRun(s, Backoff(backoff_first, backoff_max)) for s in slaves]
        self._on_batch = on_batch
        self._on_event = on_event
        self._on_slave_event = on_slave_event
        self.retry_interval = retry_interval
        self._clock = clock
        self._wall_us = wall_us
        self._lock = threading.Lock()  # counters are read from other threads
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = PortState.STOPPED
        self.readings = 0
        self.reconnects = 0
        self.last_reading_at: float | None = None
        self._last_ts: dict[str, int] = {}
        self._said_not_number: set[str] = set()
        self.failure = ""  # why the thread ended, if it ended on its own
        self._crashed = False

    # -- the source interface -----------------------------------------------------------------
    def start(self) -> None:
        """Open the link (raising :class:`PortError` if that fails) and start polling."""
        if not self.link.connect():
            raise PortError(self.link.open_error())
        self._set_state(PortState.CONNECTED, f"opened {self.port} ({self.link.protocol.value})")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"ModbusPoller {self.port}", daemon=True)
        self._thread.start()

    @property
    def ended_unexpectedly(self) -> bool:
        """True when the thread ended without being asked (the session's watchdog restarts it)."""
        return self._crashed and not self._stop.is_set()

    @property
    def channel_limit_reached(self) -> bool:
        return False  # the register map fixes the channels

    def restart(self) -> None:
        """Start polling again after the thread ended on its own."""
        self._crashed = False
        self._thread = threading.Thread(target=self._run, name=f"ModbusPoller {self.port}", daemon=True)
        self._thread.start()

    @property
    def state(self) -> PortState:
        return self._state

    def set_frame_monitor(self, on_frame: Callable[[Frame], None] | None) -> None:
        """Let a frame monitor see every TX/RX frame with its time (``None`` stops it). It is
        called on the poller thread: keep it quick (append to a bounded buffer)."""
        self.link.on_frame = on_frame

    def stats(self) -> ReaderStats:
        """Port-level figures in the line reader's shape (per-slave ones: :meth:`diagnostics`)."""
        return ReaderStats(
            self._state,
            self.port,
            self.link.bytes_received,
            0,
            self.readings,
            {},
            self.reconnects,
            self.last_reading_at,
        )

    def diagnostics(self) -> list[SlaveDiagnostics]:
        """A snapshot of every slave's counters, in unit order."""
        now = self._clock()
        with self._lock:
            return [
                r.counters.snapshot(max(r.next_at - now, 0.0) if r.lost else None)
                for r in sorted(self._runs, key=lambda r: r.slave.unit)
            ]

    # -- the loop -----------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self.link.connected:
                    self._reconnect()
                    continue
                run, wait = self._next(self._clock())
                if run is None:
                    self._stop.wait(wait)
                    continue
                self._poll(run)
        except Exception as exc:  # nothing may take monitoring down: the watchdog restarts us
            log.exception("Modbus poller stopped by an unexpected error")
            self.failure, self._crashed = repr(exc), True
        finally:
            self.link.close()
            self._set_state(PortState.STOPPED)

    def _next(self, now: float) -> tuple[_SlaveRun | None, float]:
        """The slave to serve now, or how long to wait for the next one."""
        healthy = [r for r in self._runs if not r.lost]
        lost = [r for r in self._runs if r.lost]
        due = min(healthy, key=lambda r: r.next_at, default=None)
        gap_end = due.next_at if due is not None else math.inf
        for r in sorted(lost, key=lambda r: r.next_at):
            if r.next_at > now:
                break
            overdue = now - r.next_at
            if now + r.slave.timeout <= gap_end or overdue >= r.backoff.wait:
                return r, 0.0
        if due is not None and due.next_at <= now:
            return due, 0.0
        waits = [gap_end - now] + [r.next_at - now for r in lost]
        return None, min(max(min(waits), 0.001), 0.25)

    def _poll(self, run: _SlaveRun) -> None:
        slave, probing = run.slave, run.lost
        tries = 1 if probing else 1 + slave.retries
        records: list[tuple[int, str, float]] = []
        answered = failed = False
        for request in run.requests:
            result = None
            for _ in range(tries):
                result = self.link.read(slave.unit, request, slave.timeout)
                with self._lock:
                    run.counters.count(result.outcome, result.seconds, result.detail)
                if result.outcome in (Outcome.OK, Outcome.EXCEPTION, Outcome.LINK_DOWN):
                    break
            assert result is not None
            if result.outcome is Outcome.LINK_DOWN:
                self._hand_on(records)
                self._lost_link(result.detail)
                return
            if result.outcome is Outcome.EXCEPTION:
                answered = True
                log.info(
                    "unit %s %s at %s: %s", slave.unit, request.function.value, request.address, result.detail
                )
                continue
            if result.outcome is not Outcome.OK:
                failed = True
                break  # the slave is not answering: do not spend the bus on its other requests
            answered = True
            ts = self._wall_us()
            try:
                values = request.values(result.words)
            except (ValueError, KeyError) as exc:  # a value that cannot be decoded is not stored
                log.warning("unit %s: %s", slave.unit, exc)
                continue
            if not all(math.isfinite(v) for _, v in values):
                values = self._numbers_only(run, values)
            records.extend((self._stamp(ch, ts), ch, v) for ch, v in values)
        self._hand_on(records)
        now = self._clock()
        if failed and not answered:
            with self._lock:
                was_lost = run.lost
                run.counters.state = SlaveState.LOST
                run.next_at = run.backoff.failed(now)
            if not was_lost:
                self._slave_event(run, SlaveState.LOST, run.counters.last_error)
            return
        with self._lock:
            if not failed:
                run.counters.polls += 1
            came_back = run.counters.state is not SlaveState.ONLINE
            run.counters.state = SlaveState.ONLINE
            run.backoff.reset()
            # Keep the rhythm; after a stall start afresh instead of firing a burst of polls.
            base = run.next_at if run.next_at and not probing else now
            run.next_at = base + slave.interval if base + slave.interval > now else now + slave.interval
        if came_back:
            self._slave_event(run, SlaveState.ONLINE, "answering")

    def _numbers_only(self, run: _SlaveRun, values: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """A float register holding NaN (many transmitters' "no value") or inf is no reading: it is
        counted, said once per channel in the log, and the point's other polls go on."""
        bad = [ch for ch, v in values if not math.isfinite(v)]
        with self._lock:
            run.counters.not_numbers += len(bad)
        for ch in bad:
            if ch not in self._said_not_number:
                self._said_not_number.add(ch)
                log.warning(
                    "unit %s: %s read a value that is not a number (NaN or infinite); not stored",
                    run.slave.unit,
                    ch,
                )
        return [(ch, v) for ch, v in values if math.isfinite(v)]

    def _stamp(self, channel: str, ts: int) -> int:
        # Strictly increasing per channel, so two polls inside one clock tick never collide.
        ts = max(ts, self._last_ts.get(channel, 0) + 1)
        self._last_ts[channel] = ts
        return ts

    def _hand_on(self, records: list[tuple[int, str, float]]) -> None:
        if not records:
            return
        self.readings += len(records)
        self.last_reading_at = time.time()
        try:
            self._on_batch(ReadingBatch.from_records(records))
        except Exception:
            log.exception("reading consumer failed")

    # -- link and events ----------------------------------------------------------------------
    def _lost_link(self, detail: str) -> None:
        self.link.close()
        self._set_state(PortState.LOST, f"{self.port} stopped answering: {detail}")
        self._set_state(PortState.RECONNECTING, f"retrying every {self.retry_interval:g} s")

    def _reconnect(self) -> None:
        if self._stop.wait(self.retry_interval):
            return
        if self.link.connect():
            self.reconnects += 1
            now = self._clock()
            with self._lock:
                for r in self._runs:
                    if not r.lost:
                        r.next_at = now
            self._set_state(PortState.CONNECTED, f"reconnected to {self.port}")

    def _set_state(self, state: PortState, message: str = "") -> None:
        self._state = state
        log.info("port %s %s %s", self.port, state.value, message)
        if self._on_event is not None:
            try:
                self._on_event(PortEvent(state, datetime.now(UTC), self.port, message))
            except Exception:
                log.exception("port event subscriber failed")

    def _slave_event(self, run: _SlaveRun, state: SlaveState, message: str) -> None:
        log.info("unit %s (%s) %s %s", run.slave.unit, run.slave.name, state.value, message)
        if self._on_slave_event is None:
            return
        event = SlaveEvent(
            run.slave.unit, run.slave.name, state, datetime.now(UTC), self.port, run.slave.channels, message
        )
        try:
            self._on_slave_event(event)
        except Exception:
            log.exception("slave event subscriber failed")
