"""``watchkeeper record`` with ``[port] protocol = "modbus-rtu"``: the session records a Modbus
bus through the same writer as the line reader, and prints per-slave diagnostics."""

from __future__ import annotations

from core.acquisition.modbus.transport import Protocol
from core.acquisition.ports import SerialSettings
from core.cli.main import run
from core.simulation.demo_bus import demo_slaves
from core.simulation.simulated_bus import SimulatedBus
from core.storage.store import ReadingStore
from tests.core.modbus_fixtures import pty_pair

MAP = """
[port]
protocol = "modbus-rtu"
device = "{port}"
baudrate = 19200
parity = "N"

[modbus]
interval = 0.2
timeout = 0.3
backoff_first = 0.5
backoff_max = 2

[[modbus.slaves]]
unit = 2
name = "room transmitter"
[[modbus.slaves.points]]
channel = "temperature"
unit = "°C"
address = 30002
type = "int16"
scale = 0.1

[[modbus.slaves]]
unit = 3
name = "process transmitter"
[[modbus.slaves.points]]
channel = "flow"
function = "input"
address = 0
type = "float32"
order = "CDAB"

[[modbus.slaves]]
unit = 7
name = "absent"
[[modbus.slaves.points]]
channel = "ghost"
address = 40001
"""


def test_record_a_modbus_bus_into_the_file(tmp_path, capsys) -> None:
    """Two answering slaves are stored with their units; the absent one is reported lost by name."""
    proc, server_end, client_end = pty_pair(tmp_path)
    bus = SimulatedBus(Protocol.MODBUS_RTU, server_end, demo_slaves(), SerialSettings(19200))
    bus.start()
    config = tmp_path / "bus.toml"
    config.write_text(MAP.format(port=client_end), encoding="utf-8")
    db = tmp_path / "bus.duckdb"
    try:
        code = run(
            [
                "record",
                "--config",
                str(config),
                "--db",
                str(db),
                "--duration",
                "3",
                "--status-interval",
                "1",
                "--no-monitor",
            ]
        )
    finally:
        bus.stop()
        proc.kill()
        proc.wait()
    assert code == 0
    out = capsys.readouterr().out
    assert 'unit 2 "room transmitter" online' in out
    assert 'unit 7 "absent" lost' in out and "time-outs" in out
    store = ReadingStore(db)
    try:
        assert store.count("temperature") >= 5 and store.count("flow") >= 5
        assert store.count("ghost") == 0
        units = dict(zip(store.channels()["name"], store.channels()["unit"], strict=True))
        assert units["temperature"] == "°C"
        temps = store.readings(["temperature"])
    finally:
        store.close()
    assert 20 < float(temps["value"].iloc[-1]) < 100


def test_a_mistake_in_the_register_map_is_one_sentence(tmp_path, capsys) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(
        MAP.format(port="/dev/null").replace('order = "CDAB"', 'order = "CBAD"'), encoding="utf-8"
    )
    code = run(["record", "--config", str(config), "--db", str(tmp_path / "x.duckdb"), "--duration", "1"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert "modbus.slaves[2].points[1].order must be one of ABCD, CDAB, BADC, DCBA" in err
    assert len(err.splitlines()) == 1
