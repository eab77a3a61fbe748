"""A recording session forwards what it records and reports each forwarder's state."""

from __future__ import annotations

from core.config import Config
from core.engine.session import RecordingSession
from core.engine.settings import EngineConfig
from core.forward.settings import ForwardConfig, MqttConfig, OpcUaConfig, Pace
from core.storage.store import ReadingStore
from tests.core.forward.conftest import free_port, wait_for
from tests.core.forward.helpers import Subscriber, first_copies, stored_ids


def test_recording_forwards_to_mqtt_and_shows_the_state(tmp_path, broker_factory):
    broker = broker_factory()
    sub = Subscriber(broker.port, "watchkeeper/mill/pc1")
    pace = Pace(batch=100, retry_initial=0.2, retry_max=1.0)
    mqtt = MqttConfig(broker.url, "watchkeeper/mill/pc1", pace=pace)
    opcua = OpcUaConfig(f"opc.tcp://127.0.0.1:{free_port()}/wk/")
    forwarding = ForwardConfig("mill", "pc1", mqtt=mqtt, opcua=opcua)
    session = RecordingSession(
        "sim://?channels=2&rate=50", tmp_path / "f.duckdb", EngineConfig(Config(), forwarding=forwarding)
    )
    session.start()
    try:
        wait_for(lambda: len(sub.readings()) >= 50, 30, what="forwarded readings")
        wait_for(lambda: session.stats().forwarders[1].sent > 0, 60, what="OPC UA values")
        state, server = session.stats().forwarders
        assert (state.name, state.target, state.connected) == (
            "mqtt",
            f"{broker.url}/watchkeeper/mill/pc1",
            True,
        )
        assert (server.name, server.target, server.connected) == ("opcua", opcua.endpoint, True)
    finally:
        session.stop()
    assert session.stats().forwarders[0].sent > 0
    store = ReadingStore(tmp_path / "f.duckdb")
    got = {r["id"] for r in first_copies(sub.readings())}
    assert got <= stored_ids(store)
    store.close()
    sub.close()
