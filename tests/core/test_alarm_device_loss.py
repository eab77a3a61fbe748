"""A silent slave on a Modbus bus: its own comm-loss alarm, and only its channels suppressed.

On an injected clock through the alarm engine, then end to end: pymodbus's server on
127.0.0.1 with three slaves, one of which stops answering mid-run and comes back.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime

from core.acquisition.modbus.diagnostics import SlaveState
from core.acquisition.modbus.poller import SlaveEvent
from core.acquisition.modbus.transport import Protocol
from core.acquisition.source import ModbusSource
from core.alarms.engine import COMM_LOSS_ARMED_AFTER
from core.alarms.model import AlarmState
from core.engine.session import RecordingSession
from core.register_maps import TEMPLATES_DIR, load_register_map
from core.simulation.demo_bus import demo_slaves
from core.simulation.simulated_bus import SimulatedBus
from tests.core.modbus_fixtures import free_tcp_port
from tests.core.test_alarm_engine import Rig

S = AlarmState
FLOW_UNIT = "COM5/unit 3"


def device(rig: Rig, state: SlaveState, channels=("flow", "level")) -> None:
    at = datetime.fromtimestamp(rig.clock.now_us() / 1e6, UTC)
    rig.engine.device_event(SlaveEvent(3, "process transmitter", state, at, "COM5", channels, "time-out"))


def reporting(rig: Rig) -> None:
    for _ in range(COMM_LOSS_ARMED_AFTER):
        for channel in ("flow", "level", "boiler"):
            rig.feed(60, seconds=0.3, channel=channel)


def test_a_silent_slave_raises_its_own_alarm_and_suppresses_only_its_channels():
    rig = Rig()
    reporting(rig)
    device(rig, SlaveState.LOST)
    status = rig.engine.status(f"{FLOW_UNIT}.comm_loss")
    assert status.state is S.ACTIVE_UNACK
    assert "Unit 3 (process transmitter) on COM5 stopped answering" in status.message
    assert rig.state("flow.anomaly") is S.SUPPRESSED and rig.state("level.anomaly") is S.SUPPRESSED
    assert rig.state("boiler.anomaly") is S.NORMAL  # another slave's channel goes on
    for _ in range(60):  # the others keep reporting; the silent slave's channels raise nothing more
        rig.feed(60, channel="boiler")
    assert rig.state("flow.comm_loss") is S.SUPPRESSED and rig.state("boiler.comm_loss") is S.NORMAL
    assert [e.alarm_id for e in rig.events if e.state is S.ACTIVE_UNACK] == [f"{FLOW_UNIT}.comm_loss"]


def test_the_slave_answering_again_clears_its_alarm_and_gives_a_grace_period():
    rig = Rig()
    reporting(rig)
    device(rig, SlaveState.LOST)
    rig.wait(120)
    device(rig, SlaveState.ONLINE)
    status = rig.engine.status(f"{FLOW_UNIT}.comm_loss")
    assert status.state is S.RTN_UNACK and "answers again" in status.message
    assert rig.state("flow.anomaly") is S.NORMAL and rig.state("flow.comm_loss") is S.NORMAL
    rig.wait(5)  # shorter than comm_loss_after: no per-channel alarm right after the return
    assert rig.state("flow.comm_loss") is S.NORMAL


def test_repeated_loss_events_raise_the_alarm_once():
    rig = Rig()
    reporting(rig)
    for _ in range(3):
        device(rig, SlaveState.LOST)
        rig.wait(10)
    raised = [e for e in rig.events if e.alarm_id == f"{FLOW_UNIT}.comm_loss" and e.state is S.ACTIVE_UNACK]
    assert len(raised) == 1


def test_a_slave_that_stops_answering_mid_run_raises_one_alarm_and_returns(tmp_path):
    """Three slaves on a real Modbus TCP server; unit 3 goes silent for a while and comes back."""
    chosen = load_register_map(TEMPLATES_DIR / "simulated.toml")
    slaves = demo_slaves(seed=2)
    address = f"127.0.0.1:{free_tcp_port()}"
    server = SimulatedBus(Protocol.MODBUS_TCP, address, slaves)
    server.start()
    fast = tuple(replace(s, interval=0.2, timeout=0.3, retries=0) for s in chosen.modbus.slaves)
    modbus = replace(chosen.modbus, slaves=fast, backoff_first=0.5, backoff_max=1.0)
    session = RecordingSession(
        address,
        tmp_path / "bus.duckdb",
        monitoring=True,
        source=ModbusSource(Protocol.MODBUS_TCP, address, chosen.port.settings, modbus),
    )
    session.start()

    def status(alarm: str):
        return next((a for a in session.engine.alarms() if a.alarm_id == alarm), None)

    def wait_for(predicate, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.1)
        return False

    unit3 = f"{address}/unit 3.comm_loss"
    try:
        assert wait_for(lambda: session.stats().reader.readings > 60)
        slaves[2].muted = True
        assert wait_for(lambda: (a := status(unit3)) is not None and a.state is S.ACTIVE_UNACK)
        assert status("flow.anomaly").state is S.SUPPRESSED
        assert status("voltage.anomaly").state is S.NORMAL
        before = session.stats().reader.readings
        assert wait_for(lambda: session.stats().reader.readings > before + 20)  # units 1 and 2 go on
        slaves[2].muted = False
        assert wait_for(lambda: status(unit3).state is S.RTN_UNACK)
        assert wait_for(lambda: status("flow.anomaly").state is S.NORMAL)
    finally:
        session.stop()
        server.stop()
    journal = [e for e in session.engine.alarms() if e.alarm_id.endswith("comm_loss") and e.alarm_id != unit3]
    assert all(a.state is S.NORMAL for a in journal), [(a.alarm_id, a.state) for a in journal]
