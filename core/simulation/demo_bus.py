"""The simulated plant on a Modbus bus: three slaves whose registers follow the simulated
device's signals (see simulator.py), and the register map that reads them.

Unit 1 is laid out like an Eastron SDM meter (float32 ABCD input registers), unit 2 like an
XY-MD02 transmitter (int16 x 0.1 input registers 1 and 2), unit 3 a float32 CDAB flow and level
transmitter (Vaisala-style word order). ``resources/modbus/simulated.toml`` is the same map.
"""

from __future__ import annotations

import time

from core.acquisition.modbus.registers import DataType, Function, Point, Slave, WordOrder, encode
from core.simulation.simulated_bus import SimulatedSlave
from core.simulation.simulator import SimulatedDevice

# (unit, channel, simulated-device column, input register, type, order, scale)
_LAYOUT = (
    (1, "voltage", 7, 0, DataType.FLOAT32, WordOrder.ABCD, 1.0),
    (1, "current", 6, 6, DataType.FLOAT32, WordOrder.ABCD, 1.0),
    (2, "temperature", 0, 1, DataType.INT16, WordOrder.ABCD, 0.1),
    (2, "humidity", 5, 2, DataType.INT16, WordOrder.ABCD, 0.1),
    (3, "flow", 2, 0, DataType.FLOAT32, WordOrder.CDAB, 1.0),
    (3, "level", 3, 2, DataType.FLOAT32, WordOrder.CDAB, 1.0),
    (3, "pressure", 1, 4, DataType.FLOAT32, WordOrder.CDAB, 1.0),
)
_HOLD_S = 60.0  # the simulated signal drops out for 2-8 s at a time
_NAMES = {1: "energy meter", 2: "room transmitter", 3: "process transmitter"}
UNITS = {
    "voltage": "V",
    "current": "A",
    "temperature": "°C",
    "humidity": "%",
    "flow": "m3/h",
    "level": "%",
    "pressure": "bar",
}


def demo_slaves(
    seed: int = 0, clock=time.time, device: SimulatedDevice | None = None
) -> list[SimulatedSlave]:
    """The three simulated slaves; their registers follow the simulated signals at ``clock()``
    (of ``device``: by default an eight-channel simulated device)."""
    device = device or SimulatedDevice(channels=8, rate_hz=10.0, seed=seed)

    def refresh(slave: SimulatedSlave) -> None:
        now = clock()
        _, values = device.samples_between(now - 0.1, now)
        if not len(values):  # the signal drops out now: a transmitter holds its last value
            _, values = device.samples_between(now - _HOLD_S, now)
            if not len(values):
                return
        row = values[-1]
        for unit, _, column, address, type_, order, scale in _LAYOUT:
            if unit == slave.unit:
                slave.set(Function.INPUT, address, encode(row[column] / scale, type_, order))

    return [SimulatedSlave(u, refresh=refresh) for u in sorted(_NAMES)]


def demo_map(interval: float = 1.0, timeout: float = 1.0) -> tuple[Slave, ...]:
    """The register map that reads :func:`demo_slaves`."""
    return tuple(
        Slave(
            unit,
            _NAMES[unit],
            tuple(
                Point(ch, Function.INPUT, addr, t, o, scale=s, unit=UNITS[ch])
                for u, ch, _, addr, t, o, s in _LAYOUT
                if u == unit
            ),
            interval=interval,
            timeout=timeout,
        )
        for unit in sorted(_NAMES)
    )
