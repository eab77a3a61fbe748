"""The OPC UA server, browsed by a real asyncua client: values with quality, units, alarms and
the newest forecast."""

from __future__ import annotations

import asyncio
import time

from asyncua import Client, ua

from core.alarms.model import AlarmEvent, AlarmKind, AlarmState, Priority
from core.forward.opcua import OpcUaServer
from core.forward.settings import OpcUaConfig
from core.readings import ReadingBatch
from core.storage.store import ReadingStore
from tests.core.forward.conftest import free_port, wait_for


async def _browse(url: str, ns_uri: str) -> dict:
    async with Client(url, timeout=20) as client:
        ns = await client.get_namespace_index(ns_uri)
        root = await client.nodes.objects.get_child(f"{ns}:Watchkeeper")
        channels = await root.get_child(f"{ns}:Channels")
        out: dict = {"channels": {}}
        for node in await channels.get_children():
            name = (await node.read_browse_name()).Name
            value = await (await node.get_child(f"{ns}:Value")).read_data_value(raise_on_bad_status=False)
            forecast = await node.get_child(f"{ns}:Forecast")
            out["channels"][name] = {
                "value": value.Value.Value,
                "status": value.StatusCode.name,
                "unit": await (await node.get_child(f"{ns}:Unit")).read_value(),
                "quality": await (await node.get_child(f"{ns}:Quality")).read_value(),
                "forecast": await (await forecast.get_child(f"{ns}:Values")).read_value(),
            }
        alarms = await root.get_child(f"{ns}:Alarms")
        out["active"] = await (await alarms.get_child(f"{ns}:ActiveAlarms")).read_value()
        out["count"] = await (await alarms.get_child(f"{ns}:ActiveCount")).read_value()
        boiler = await alarms.get_child(ua.QualifiedName("boiler.HH", ns))
        out["boiler_state"] = await (await boiler.get_child(f"{ns}:State")).read_value()
        return out


def test_a_scada_client_browses_values_alarms_and_forecasts(tmp_path):
    store = ReadingStore(tmp_path / "f.duckdb")
    store.cursor().execute(
        "INSERT INTO forecasts (channel, generated_at, target_ts, value, model) SELECT 'boiler', "
        "now(), now() + i * INTERVAL 1 MINUTE, 80 + i, 'lstm' FROM range(3) t(i)"
    )
    port = free_port()
    config = OpcUaConfig(f"opc.tcp://127.0.0.1:{port}/watchkeeper/", stale_s=2.0)
    server = OpcUaServer(config, store, "mill", "pc1", {"boiler": "°C"})
    server.start()
    try:
        assert server.state().connected, server.state().last_error
        now = time.time_ns() // 1000
        server.update(
            ReadingBatch.from_records(
                [(now - 10, "boiler", 79.0), (now, "boiler", 81.5), (now - 60_000_000, "pump", 3.0)]
            )
        )
        server.alarm(
            AlarmEvent(
                now,
                "boiler.HH",
                "boiler",
                AlarmKind.HH,
                Priority.HIGH,
                AlarmState.NORMAL,
                AlarmState.ACTIVE_UNACK,
                81.5,
                "boiler HIGH-HIGH 81.5 > 80",
            )
        )
        wait_for(lambda: server.updates >= 2, what="the values to be written")
        seen = asyncio.run(
            _browse(config.endpoint.replace("0.0.0.0", "127.0.0.1"), "urn:watchkeeper:mill:pc1")
        )
        boiler, pump = seen["channels"]["boiler"], seen["channels"]["pump"]
        assert (boiler["value"], boiler["status"], boiler["unit"]) == (81.5, "Good", "°C")
        assert (pump["value"], pump["quality"]) == (3.0, "stale") and pump["status"].startswith("Uncertain")
        assert boiler["forecast"] == [80.0, 81.0, 82.0]
        assert seen["active"] == ["boiler.HH HIGH active_unack: boiler HIGH-HIGH 81.5 > 80"]
        assert seen["count"] == 1 and seen["boiler_state"] == "active_unack"
    finally:
        server.stop()
        store.close()
    assert not server.state().connected


def test_a_port_in_use_is_one_sentence(tmp_path):
    store = ReadingStore(tmp_path / "f.duckdb")
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = OpcUaServer(OpcUaConfig(f"opc.tcp://127.0.0.1:{port}/wk/"), store, "s", "d")
        server.start()
        server.stop()
    assert server.state().last_error.startswith(f"Cannot serve OPC UA on port {port}")
    assert not server.state().connected
    store.close()
