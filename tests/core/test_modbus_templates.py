"""Every register-map template in resources/modbus/ loads and means what its comments say."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.acquisition.modbus.config import parse_modbus
from core.acquisition.modbus.planning import plan_requests
from core.acquisition.modbus.registers import DataType, Function, WordOrder
from core.config import ConfigError, load_config
from core.simulation.demo_bus import demo_map

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "modbus"


def _map(name: str):
    config = load_config(TEMPLATES / name)
    return config, parse_modbus(config.extra["modbus"])


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.toml")))
def test_template_loads(name: str) -> None:
    config, bus = _map(name)
    assert config.port.protocol.startswith("modbus")
    assert bus.slaves and all(s.points for s in bus.slaves)


def test_xy_md02_reads_input_registers_1_and_2_in_tenths() -> None:
    _, bus = _map("xy-md02.toml")
    points = bus.slaves[0].points
    assert [(p.function, p.address, p.type, p.scale) for p in points] == [
        (Function.INPUT, 1, DataType.INT16, 0.1),
        (Function.INPUT, 2, DataType.INT16, 0.1),
    ]
    assert len(plan_requests(bus.slaves[0])) == 1


def test_eastron_reads_float32_abcd_input_registers() -> None:
    _, bus = _map("eastron-sdm.toml")
    points = bus.slaves[0].points
    assert all(p.function is Function.INPUT and p.type is DataType.FLOAT32 for p in points)
    assert all(p.order is WordOrder.ABCD for p in points)
    assert [p.address for p in points] == [0, 6, 12, 30, 70, 72]


def test_autonics_tk_reads_pv_with_its_decimal_point_register() -> None:
    _, bus = _map("autonics-tk.toml")
    (pv,) = bus.slaves[0].points
    assert (pv.function, pv.address, pv.decimals_at) == (Function.INPUT, 0x03E8, 0x03E9)
    (request,) = plan_requests(bus.slaves[0])
    assert request.values([2503, 1]) == [("oven_pv", pytest.approx(250.3))]


def test_simulated_template_is_the_simulated_bus_map() -> None:
    """resources/modbus/simulated.toml reads exactly what 'modbus simulate' serves."""
    _, bus = _map("simulated.toml")
    strip = [
        (s.unit, [(p.channel, p.function, p.address, p.type, p.order, p.scale) for p in s.points])
        for s in bus.slaves
    ]
    want = [
        (s.unit, [(p.channel, p.function, p.address, p.type, p.order, p.scale) for p in s.points])
        for s in demo_map()
    ]
    assert strip == want


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": 0}, r"unit must be between 1 and 247"),
        ({"points": [{"channel": "x", "address": 3}]}, "function is missing"),
        ({"points": [{"channel": "x", "address": 30001, "function": "holding"}]}, "input address"),
        ({"points": [{"channel": "x", "address": 0, "function": "coil", "type": "int16"}]}, "must be bool"),
        (
            {"max_registers": 1, "points": [{"channel": "x", "address": 30001, "type": "float32"}]},
            "needs 2 registers",
        ),
    ],
)
def test_map_mistakes_name_the_key(change: dict, message: str) -> None:
    slave = {"unit": 1, "points": [{"channel": "t", "address": 30001}], **change}
    with pytest.raises(ConfigError, match=message):
        parse_modbus({"slaves": [slave]})
