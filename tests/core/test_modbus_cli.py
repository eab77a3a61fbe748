"""``watchkeeper modbus read / scan / simulate`` against pymodbus's server on a pty pair."""

from __future__ import annotations

import threading

import pytest

from core.acquisition.modbus.registers import DataType, Function, WordOrder, encode
from core.acquisition.modbus.transport import Protocol
from core.acquisition.ports import SerialSettings
from core.cli.main import run
from core.simulation.simulated_bus import SimulatedBus, SimulatedSlave
from tests.core.modbus_fixtures import pty_pair


@pytest.fixture
def bus_port(tmp_path):
    proc, server_end, client_end = pty_pair(tmp_path)
    meter = SimulatedSlave(1)
    meter.set(Function.INPUT, 0, encode(230.5, DataType.FLOAT32) + encode(-1.25, DataType.FLOAT32))
    xy = SimulatedSlave(2, invalid_from=10)
    xy.set(Function.INPUT, 1, [253, 612])  # 25.3 °C, 61.2 %
    xy.set(Function.HOLDING, 0, encode(7.5, DataType.FLOAT32, WordOrder.CDAB))
    bus = SimulatedBus(Protocol.MODBUS_RTU, server_end, [meter, xy], SerialSettings(19200))
    bus.start()
    yield client_end
    bus.stop()
    proc.kill()
    proc.wait()


def _serial(port: str) -> list[str]:
    return ["--port", port, "--parity", "N", "--baud", "19200"]


def test_read_prints_one_decoded_value_per_line(bus_port, capsys) -> None:
    """Two float32 in 30001 notation, then scaled int16 input registers, one value per line."""
    assert (
        run(
            [
                "modbus",
                "read",
                *_serial(bus_port),
                "--unit",
                "1",
                "--address",
                "30001",
                "--type",
                "float32",
                "--count",
                "2",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.split() == ["230.5", "-1.25"]
    args = ["modbus", "read", *_serial(bus_port), "--unit", "2", "--function", "input", "--address", "1"]
    assert run([*args, "--type", "int16", "--count", "2", "--scale", "0.1"]) == 0
    assert capsys.readouterr().out.split() == ["25.3", "61.2"]
    assert (
        run(
            [
                "modbus",
                "read",
                *_serial(bus_port),
                "--unit",
                "2",
                "--address",
                "40001",
                "--type",
                "float32",
                "--order",
                "CDAB",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.split() == ["7.5"]


def test_read_time_out_and_exception_are_one_sentence_and_exit_1(bus_port, capsys) -> None:
    assert (
        run(["modbus", "read", *_serial(bus_port), "--unit", "9", "--address", "0", "--timeout", "0.3"]) == 1
    )
    err = capsys.readouterr().err
    assert "Unit 9 did not answer within 0.3 s (time-out)" in err and len(err.strip().splitlines()) == 1
    assert run(["modbus", "read", *_serial(bus_port), "--unit", "2", "--address", "30051"]) == 1
    err = capsys.readouterr().err
    assert "Unit 2 answered with the Modbus exception illegal data address." in err
    assert "Traceback" not in err and "pymodbus" not in err.lower()


def test_read_of_a_missing_port_is_one_sentence(tmp_path, capsys) -> None:
    assert run(["modbus", "read", "--port", str(tmp_path / "nope"), "--unit", "1", "--address", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("watchkeeper: Port ") and "was not found" in err and len(err.splitlines()) == 1


def test_scan_lists_the_units_that_answer_with_progress(bus_port, capsys) -> None:
    assert run(["modbus", "scan", *_serial(bus_port), "--units", "1-4", "--timeout", "0.2"]) == 0
    out, err = capsys.readouterr()
    assert [line.split()[1] for line in out.strip().splitlines()] == ["1", "2"]
    assert "Scanning unit 4 (4/4)" in err and "s left" in err
    assert "scanned 4 unit ids" in err and "2 answered" in err


def test_simulate_plays_three_slaves_that_read_answers(tmp_path, capsys) -> None:
    """``modbus simulate`` serves the demo bus; unit 2's temperature reads as a plausible value."""
    proc, server_end, client_end = pty_pair(tmp_path)
    sim = threading.Thread(
        target=run,
        args=(
            [
                "modbus",
                "simulate",
                "--port",
                server_end,
                "--parity",
                "N",
                "--duration",
                "8",
                "--dead-unit",
                "3",
            ],
        ),
    )
    sim.start()
    try:
        code = 1
        for _ in range(20):  # the server may take a moment to open its end
            code = run(
                [
                    "modbus",
                    "read",
                    *_serial(client_end),
                    "--unit",
                    "2",
                    "--address",
                    "30002",
                    "--type",
                    "int16",
                    "--scale",
                    "0.1",
                    "--timeout",
                    "0.5",
                ]
            )
            if code == 0:
                break
        assert code == 0
        temperature = float(capsys.readouterr().out.split()[-1])
        assert 20 < temperature < 100
        assert (
            run(
                [
                    "modbus",
                    "read",
                    *_serial(client_end),
                    "--unit",
                    "3",
                    "--address",
                    "30001",
                    "--timeout",
                    "0.3",
                ]
            )
            == 1
        )
    finally:
        sim.join()
        proc.kill()
        proc.wait()


def test_simulate_protocol_modbus_tcp_serves_a_gateway(capsys) -> None:
    """``watchkeeper simulate --protocol modbus-tcp`` plays the bus on 127.0.0.1; a float32 CDAB
    flow reads back through ``modbus read --protocol modbus-tcp``."""
    from tests.core.modbus_fixtures import free_tcp_port

    address = f"127.0.0.1:{free_tcp_port()}"
    sim = threading.Thread(
        target=run, args=(["simulate", "--protocol", "modbus-tcp", "--port", address, "--duration", "8"],)
    )
    sim.start()
    try:
        read = ["modbus", "read", "--protocol", "modbus-tcp", "--port", address, "--unit", "3"]
        code = 1
        for _ in range(20):
            code = run(
                [*read, "--address", "30001", "--type", "float32", "--order", "CDAB", "--timeout", "0.5"]
            )
            if code == 0:
                break
        assert code == 0
        flow = float(capsys.readouterr().out.split()[-1])
        assert 0 < flow < 1000
    finally:
        sim.join()


def test_a_pty_refusing_even_parity_is_explained(bus_port, capsys) -> None:
    """The Modbus default parity E on a pty: one sentence saying to use N."""
    assert run(["modbus", "read", "--port", bus_port, "--unit", "1", "--address", "0"]) == 1
    err = capsys.readouterr().err.strip()
    assert "refuses parity E" in err and "parity N" in err and len(err.splitlines()) == 1
