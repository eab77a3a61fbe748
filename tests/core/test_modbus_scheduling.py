"""Back-off, diagnostics and the poller's choice of what to do next, on an injected clock."""

from __future__ import annotations

import pytest

from core.acquisition.modbus.diagnostics import Backoff, Outcome, SlaveCounters, SlaveState
from core.acquisition.modbus.poller import ModbusPoller
from core.acquisition.modbus.registers import Function, Point, Slave
from core.acquisition.modbus.transport import ModbusLink, Protocol


def test_backoff_grows_to_its_maximum_and_resets() -> None:
    """Probes come 2, 4, 8, 10, 10 s apart; an answer starts over."""
    b = Backoff(first=2.0, maximum=10.0)
    now, waits = 100.0, []
    for _ in range(5):
        nxt = b.failed(now)
        waits.append(nxt - now)
        now = nxt
    assert waits == [2.0, 4.0, 8.0, 10.0, 10.0]
    b.reset()
    assert not b.active and b.failed(0.0) == 2.0


def test_backoff_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        Backoff(first=5.0, maximum=1.0)


def test_counters_keep_percentiles_bounded_and_name_exceptions() -> None:
    c = SlaveCounters(4, "meter")
    for i in range(5000):
        c.count(Outcome.OK, 0.010 if i % 100 else 0.200)
    c.count(Outcome.EXCEPTION, 0.01, "illegal data address")
    c.count(Outcome.TIMEOUT, 1.0, "no reply from unit 4")
    c.count(Outcome.BAD_FRAME, 0.3, "7 bytes with a bad CRC or framing")
    snap = c.snapshot()
    assert len(c.response_s) == 1000  # bounded, whatever the run length
    assert (snap.requests, snap.good, snap.timeouts, snap.bad_frames) == (5003, 5000, 1, 1)
    assert snap.exceptions == {"illegal data address": 1}
    assert snap.p50_ms == pytest.approx(10.0) and snap.p99_ms > 10.0
    line = snap.describe()
    assert 'unit 4 "meter"' in line and "1 illegal data address" in line and "last error: CRC/framing" in line


class _Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _poller(clock: _Clock) -> ModbusPoller:
    slaves = tuple(
        Slave(u, f"s{u}", (Point(f"c{u}", Function.HOLDING, 0),), interval=1.0, timeout=0.5)
        for u in (1, 2, 3)
    )
    # The link is never opened here: only the scheduling is exercised.
    return ModbusPoller(ModbusLink(Protocol.MODBUS_TCP, "127.0.0.1:1"), slaves, lambda b: None, clock=clock)


def test_a_lost_slave_is_probed_only_in_a_gap_that_holds_its_timeout() -> None:
    """With the others due in 0.3 s a 0.5 s probe waits; in a 0.9 s gap it runs; and it never
    waits longer than its back-off for a gap."""
    clock = _Clock()
    poller = _poller(clock)
    runs = {r.slave.unit: r for r in poller._runs}
    runs[2].counters.state = SlaveState.LOST
    runs[2].next_at = runs[2].backoff.failed(clock.t)  # due in 2 s
    runs[1].next_at = runs[3].next_at = clock.t + 2.3
    clock.t += 2.0
    run, wait = poller._next(clock.t)
    assert run is None and 0 < wait <= 0.3  # 0.3 s gap: too short for a 0.5 s time-out
    runs[1].next_at = runs[3].next_at = clock.t + 0.9
    assert poller._next(clock.t)[0] is runs[2]  # 0.9 s gap: the probe fits
    runs[1].next_at = runs[3].next_at = clock.t + 0.1
    clock.t += 2.0  # waited as long as its back-off: it goes ahead even without a gap
    runs[1].next_at = runs[3].next_at = clock.t + 0.1
    assert poller._next(clock.t)[0] is runs[2]


def test_healthy_slaves_are_served_in_due_order() -> None:
    clock = _Clock()
    poller = _poller(clock)
    runs = {r.slave.unit: r for r in poller._runs}
    runs[1].next_at, runs[2].next_at, runs[3].next_at = clock.t + 0.5, clock.t - 0.1, clock.t - 0.2
    assert poller._next(clock.t)[0] is runs[3]


def test_frame_log_is_bounded_and_counts_what_it_drops() -> None:
    from core.acquisition.modbus.frames import FrameLog, format_frame
    from core.acquisition.modbus.transport import Frame

    log = FrameLog(limit=3)
    for i in range(5):
        log.append(Frame(1_700_000_000.0 + i, i % 2 == 0, bytes([1, 3, i])))
    frames = log.drain()
    assert [f.data[2] for f in frames] == [2, 3, 4] and log.dropped == 2
    assert log.drain() == []
    assert format_frame(frames[0]).endswith("TX 01 03 02")
