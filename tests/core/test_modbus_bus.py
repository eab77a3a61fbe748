"""The Modbus poller against pymodbus's own server: RTU on a socat pty pair (parity N, since ptys
refuse even/odd parity), and Modbus TCP on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from core.acquisition.modbus.diagnostics import SlaveState
from core.acquisition.modbus.poller import ModbusPoller, SlaveEvent
from core.acquisition.modbus.registers import DataType, Function, Point, Slave, WordOrder, decode, encode
from core.acquisition.modbus.transport import ModbusLink, Protocol
from core.acquisition.ports import SerialSettings
from core.acquisition.reader import PortEvent, PortState
from core.simulation.demo_bus import demo_slaves
from core.simulation.simulated_bus import SimulatedBus, SimulatedSlave
from core.simulation.simulator import AnomalyKind, SimulatedDevice
from tests.core.modbus_fixtures import Collector, free_tcp_port, pty_pair

RTU = SerialSettings(baudrate=19200, parity="N")
ORDERS = list(WordOrder)


def _images() -> list[SimulatedSlave]:
    meter = SimulatedSlave(1)
    for i, order in enumerate(ORDERS):  # 123.456 at input registers 0, 2, 4, 6 in each word order
        meter.set(Function.INPUT, 2 * i, encode(123.456, DataType.FLOAT32, order))
    transmitter = SimulatedSlave(2)
    transmitter.set(Function.HOLDING, 10, encode(-215, DataType.INT16))  # -21.5 at scale 0.1
    transmitter.set(Function.HOLDING, 11, [0b0000_0100])  # status bit 2 set
    relays = SimulatedSlave(3)
    relays.set(Function.COIL, 0, [1, 0, 1])
    relays.set(Function.DISCRETE, 4, [0, 1])
    return [meter, transmitter, relays]


def _map(interval: float = 0.1, timeout: float = 0.5) -> tuple[Slave, ...]:
    meter = tuple(
        Point(f"power_{o.value}", Function.INPUT, 2 * i, DataType.FLOAT32, o) for i, o in enumerate(ORDERS)
    )
    return (
        Slave(1, "meter", meter, interval=interval, timeout=timeout),
        Slave(
            2,
            "transmitter",
            (
                Point("temperature", Function.HOLDING, 10, DataType.INT16, scale=0.1, unit="°C"),
                Point("alarm_bit", Function.HOLDING, 11, DataType.BIT, bit=2),
            ),
            interval=interval,
            timeout=timeout,
        ),
        Slave(
            3,
            "relays",
            (
                Point("relay1", Function.COIL, 0),
                Point("relay2", Function.COIL, 1),
                Point("relay3", Function.COIL, 2),
                Point("door", Function.DISCRETE, 5),
            ),
            interval=interval,
            timeout=timeout,
        ),
    )


@pytest.fixture
def rtu_bus(tmp_path):
    proc, server_end, client_end = pty_pair(tmp_path)
    bus = SimulatedBus(Protocol.MODBUS_RTU, server_end, _images(), RTU)
    bus.start()
    yield bus, client_end
    bus.stop()
    proc.kill()
    proc.wait()


def _poller(link: ModbusLink, slaves, got: Collector, **kw) -> ModbusPoller:
    return ModbusPoller(
        link, slaves, got, on_event=got.event, on_slave_event=got.event, retry_interval=0.2, **kw
    )


def _all_seen(channels):
    return lambda c: all(c.values[ch] for ch in channels)


def test_three_slaves_on_rtu_decode_every_type_and_order(rtu_bus) -> None:
    """Float32 in all four word orders, a scaled int16, a register bit, coils and a discrete input
    arrive with their known values, from three slaves on one pty."""
    _, port = rtu_bus
    got = Collector()
    frames = []
    slaves = _map()
    poller = _poller(ModbusLink(Protocol.MODBUS_RTU, port, RTU, on_frame=frames.append), slaves, got)
    poller.start()
    try:
        channels = [ch for s in slaves for ch in s.channels]
        assert got.wait(_all_seen(channels)), f"missing: {[c for c in channels if not got.values[c]]}"
    finally:
        poller.stop()
    for order in ORDERS:
        assert got.values[f"power_{order.value}"][0] == pytest.approx(123.456, abs=1e-4)
    assert got.values["temperature"][0] == pytest.approx(-21.5)
    assert got.values["alarm_bit"][0] == 1.0
    assert [got.values[f"relay{i}"][0] for i in (1, 2, 3)] == [1.0, 0.0, 1.0]
    assert got.values["door"][0] == 1.0
    diags = poller.diagnostics()
    assert [d.unit for d in diags] == [1, 2, 3]
    assert all(d.state is SlaveState.ONLINE and d.good >= 1 and d.timeouts == 0 for d in diags)
    # Slave 1's four float32 points are one request: the frame monitor saw 01 04 00 00 00 08.
    assert any(f.sent and f.data[:6] == bytes.fromhex("010400000008") for f in frames)
    assert any(not f.sent and f.data[0] == 3 for f in frames)


def test_illegal_address_is_counted_by_name_and_the_rest_still_read(rtu_bus) -> None:
    """A point the device does not have gets "illegal data address"; the slave stays online."""
    bus, port = rtu_bus
    bus.slaves[2].invalid_from = 100
    slaves = (
        Slave(
            2,
            "transmitter",
            (
                Point("temperature", Function.HOLDING, 10, DataType.INT16, scale=0.1),
                Point("missing", Function.HOLDING, 200),
            ),
            interval=0.1,
        ),
    )
    got = Collector()
    poller = _poller(ModbusLink(Protocol.MODBUS_RTU, port, RTU), slaves, got)
    poller.start()
    try:
        assert got.wait(lambda c: len(c.values["temperature"]) >= 3)
    finally:
        poller.stop()
    (diag,) = poller.diagnostics()
    assert diag.exceptions.get("illegal data address", 0) >= 3
    assert diag.state is SlaveState.ONLINE
    assert "illegal data address" in diag.last_error
    assert not got.values["missing"]


def test_a_dead_slave_is_probed_with_back_off_and_returns_while_others_keep_polling(rtu_bus) -> None:
    """Slave 2 stops answering mid-run: it is reported lost, the others keep their rate, and it
    comes back by itself once it answers again."""
    bus, port = rtu_bus
    got = Collector()
    slaves = _map(interval=0.1, timeout=0.3)
    poller = _poller(
        ModbusLink(Protocol.MODBUS_RTU, port, RTU), slaves, got, backoff_first=0.5, backoff_max=1.0
    )
    poller.start()
    try:
        assert got.wait(lambda c: c.values["temperature"] and c.values["door"])
        bus.mute(2)

        def lost(c):
            return any(isinstance(e, SlaveEvent) and e.state is SlaveState.LOST for e in c.events)

        assert got.wait(lost)
        (event,) = [e for e in got.events if isinstance(e, SlaveEvent) and e.state is SlaveState.LOST]
        assert event.unit == 2 and event.channels == ("temperature", "alarm_bit")
        assert "unit 2" in event.source
        before, t0 = got.count("door"), time.monotonic()
        assert got.wait(lambda c: c.count("door") >= before + 15)
        rate_with_dead = (got.count("door") - before) / (time.monotonic() - t0)
        diag = poller.diagnostics()[1]
        assert diag.state is SlaveState.LOST and diag.timeouts >= 2
        assert rate_with_dead > 3.0  # polled every 0.1 s: a probe never stalls it for long
        stored = got.count("temperature")
        bus.mute(2, False)

        def back(c):
            return any(
                isinstance(e, SlaveEvent) and e.state is SlaveState.ONLINE and e.unit == 2
                for e in c.events[1:]
            )

        assert got.wait(back)
        assert got.wait(lambda c: c.count("temperature") > stored)
    finally:
        poller.stop()
    assert poller.diagnostics()[1].state is SlaveState.ONLINE
    assert all(e.unit == 2 for e in got.events if isinstance(e, SlaveEvent) and e.state is SlaveState.LOST)


def test_a_noisy_link_counts_crc_errors_and_stores_nothing_from_bad_frames(tmp_path) -> None:
    """A third of the replies have a flipped bit: they are counted as CRC/framing errors and every
    stored value is still exactly the device's."""
    proc, server_end, client_end = pty_pair(tmp_path)
    bus = SimulatedBus(Protocol.MODBUS_RTU, server_end, _images(), RTU, corrupt_chance=0.35, seed=7)
    bus.start()
    got = Collector()
    slaves = _map(interval=0.05, timeout=0.2)
    poller = _poller(ModbusLink(Protocol.MODBUS_RTU, client_end, RTU), slaves, got)
    poller.start()
    try:
        assert got.wait(
            lambda c: sum(d.bad_frames for d in poller.diagnostics()) >= 5 and c.count("temperature") >= 5
        )
    finally:
        poller.stop()
        bus.stop()
        proc.kill()
        proc.wait()
    assert bus.corrupted >= 5
    assert all(v == pytest.approx(-21.5) for v in got.values["temperature"])
    for order in ORDERS:
        assert all(v == pytest.approx(123.456, abs=1e-4) for v in got.values[f"power_{order.value}"])
    assert set(got.values["relay2"]) == {0.0}


def test_a_late_reply_is_never_credited_to_the_next_slave(rtu_bus) -> None:
    """Slave 1 answers its 1st, 3rd and 5th requests after their time-out; those replies land
    while slave 2 is asked. Slave 2's channel only ever holds slave 2's value."""
    bus, port = rtu_bus
    bus.slaves[1].set(Function.HOLDING, 10, [111])
    bus.slaves[2].set(Function.HOLDING, 10, [222])
    slow = {"n": 0}

    def sluggish(slave):
        slow["n"] += 1
        if slow["n"] <= 6 and slow["n"] % 2:
            time.sleep(0.3)  # blocks the simulated bus, as a slow device holds the line

    bus.slaves[1].refresh = sluggish
    slaves = tuple(
        Slave(u, f"s{u}", (Point(f"value{u}", Function.HOLDING, 10),), interval=0.05, timeout=0.15, retries=0)
        for u in (1, 2)
    )
    got = Collector()
    poller = _poller(
        ModbusLink(Protocol.MODBUS_RTU, port, RTU), slaves, got, backoff_first=0.1, backoff_max=0.2
    )
    poller.start()
    try:
        assert got.wait(lambda c: c.count("value1") >= 3 and c.count("value2") >= 10)
    finally:
        poller.stop()
    assert set(got.values["value1"]) == {111.0}
    assert set(got.values["value2"]) == {222.0}
    assert poller.diagnostics()[0].timeouts >= 1


def test_modbus_tcp_gateway_dropping_the_connection_is_lost_then_reconnected() -> None:
    """The gateway closes the TCP connection: the port is reported lost, then connected again,
    and readings continue."""
    address = f"127.0.0.1:{free_tcp_port()}"
    bus = SimulatedBus(Protocol.MODBUS_TCP, address, _images())
    bus.start()
    got = Collector()
    slaves = _map(interval=0.1)
    poller = _poller(ModbusLink(Protocol.MODBUS_TCP, address), slaves, got)
    poller.start()
    try:
        assert got.wait(_all_seen([ch for s in slaves for ch in s.channels]))
        assert got.values["power_CDAB"][0] == pytest.approx(123.456, abs=1e-4)
        bus.drop_connections()

        def states(c):
            return [e.state for e in c.events if isinstance(e, PortEvent)]

        assert got.wait(lambda c: PortState.LOST in states(c) and states(c)[-1] is PortState.CONNECTED)
        count = got.count("temperature")
        assert got.wait(lambda c: c.count("temperature") >= count + 3)
    finally:
        poller.stop()
        bus.stop()
    assert poller.stats().reconnects >= 1
    assert all(v == pytest.approx(-21.5) for v in got.values["temperature"])


def test_demo_transmitter_holds_its_last_value_while_the_signal_drops_out() -> None:
    """During a dropout of the simulated signal the demo bus's transmitter answers the value it
    had before, never the empty register's 0 (a gateway polled right then read a flow of 0)."""
    device = SimulatedDevice(channels=8, rate_hz=10.0, seed=0)
    gap = next(
        a
        for a in device.anomalies_between(1_750_000_000.0, 1_750_000_000.0 + 6 * 3600)
        if a.kind is AnomalyKind.DROPOUT
    )
    during = (gap.start + gap.end) / 2
    assert not len(device.samples_between(during - 0.1, during)[1]), "the moment is inside the dropout"
    unit3 = next(s for s in demo_slaves(clock=lambda: during, device=device) if s.unit == 3)
    unit3.refresh(unit3)
    table = unit3.registers[Function.INPUT]
    flow = decode([table[0], table[1]], DataType.FLOAT32, WordOrder.CDAB)
    before = device.samples_between(gap.start - 5, gap.start)[1][-1, 2]
    assert flow == pytest.approx(before, rel=1e-6)


def test_a_float_register_holding_nan_is_counted_and_not_stored_while_the_rest_read_on() -> None:
    """Many transmitters answer NaN (0x7FC00000) for "no value": that poll of the point gives no
    reading, the slave's diagnostics count it, and the other points keep arriving."""
    address = f"127.0.0.1:{free_tcp_port()}"
    images = _images()
    for order, value in ((WordOrder.ABCD, float("nan")), (WordOrder.BADC, float("inf"))):
        images[0].set(Function.INPUT, 2 * ORDERS.index(order), encode(value, DataType.FLOAT32, order))
    bus = SimulatedBus(Protocol.MODBUS_TCP, address, images)
    bus.start()
    got = Collector()
    poller = _poller(ModbusLink(Protocol.MODBUS_TCP, address), _map(interval=0.1), got)
    poller.start()
    try:
        assert got.wait(lambda c: c.count("power_CDAB") >= 3 and c.count("temperature") >= 3)
    finally:
        poller.stop()
        bus.stop()
    assert not got.values["power_ABCD"] and not got.values["power_BADC"]
    assert got.values["power_CDAB"][0] == pytest.approx(123.456, abs=1e-4)
    meter = poller.diagnostics()[0]
    assert meter.state is SlaveState.ONLINE and meter.not_numbers >= 6
    assert "values not a number" in meter.describe()
