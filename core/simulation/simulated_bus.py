"""A simulated Modbus bus: pymodbus's own server playing several slaves, for the demo, the
``simulate`` command, the tests and the benchmark (no hardware needed).

Each slave holds a register image (coils, discrete inputs, input and holding registers, 0-based)
that the owner can change at any time; a slave can be muted (it stops answering, like a device
that lost power) and the link can be made noisy (a byte of a reply flipped after its CRC was
computed, as a bad cable does). The server runs on its own thread with its own event loop.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pymodbus import FramerType
from pymodbus.server import ModbusSerialServer, ModbusTcpServer
from pymodbus.simulator import DataType as SimType
from pymodbus.simulator import SimData, SimDevice
from pymodbus.simulator.simutils import SimUtils

from core.acquisition.modbus.registers import Function
from core.acquisition.modbus.transport import Protocol, split_host
from core.acquisition.ports import PARITIES, SerialSettings

log = logging.getLogger(__name__)

TABLE_SIZE = 1024  # registers per table (bits: 16 per register) each simulated slave offers


@dataclass
class SimulatedSlave:
    """One simulated device: a register image per table, 0-based. ``refresh`` (if given) is
    called before every request is answered, to update the image from the time."""

    unit: int
    registers: dict[Function, dict[int, int]] = field(default_factory=dict)
    refresh: Callable[[SimulatedSlave], None] | None = None
    muted: bool = False
    invalid_from: int = TABLE_SIZE  # registers from here answer "illegal data address"

    def set(self, function: Function, address: int, words: list[int] | list[bool]) -> None:
        table = self.registers.setdefault(function, {})
        for i, w in enumerate(words):
            table[address + i] = int(w)


class SimulatedBus:
    """pymodbus's server on a serial port/pty (RTU) or on host:port (Modbus TCP, or RTU frames
    over TCP), answering for every slave in ``slaves``; unknown unit ids get no reply."""

    def __init__(
        self,
        protocol: Protocol,
        port: str,
        slaves: list[SimulatedSlave],
        settings: SerialSettings = SerialSettings(baudrate=19200),
        corrupt_chance: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.protocol = protocol
        self.port = port
        self.settings = settings
        self.slaves = {s.unit: s for s in slaves}
        self.corrupt_chance = corrupt_chance
        self.corrupted = 0  # replies damaged on purpose
        self.answered = 0
        self._rng = random.Random(seed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: ModbusSerialServer | ModbusTcpServer | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # -- control ------------------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        self._thread = threading.Thread(target=self._serve, name="SimulatedBus", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the simulated Modbus bus did not start")
        if self._error is not None:
            raise RuntimeError(f"the simulated Modbus bus could not start: {self._error}")

    def stop(self) -> None:
        if self._loop is not None and self._server is not None:
            fut = asyncio.run_coroutine_threadsafe(self._server.shutdown(), self._loop)
            try:
                fut.result(10)
            except Exception:
                log.exception("simulated bus shutdown")
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def mute(self, unit: int, muted: bool = True) -> None:
        self.slaves[unit].muted = muted

    def drop_connections(self) -> None:
        """Close every TCP connection, as a gateway does when it restarts (TCP only)."""
        assert self._loop is not None and self._server is not None

        def drop() -> None:
            for conn in list(self._server.active_connections.values()):
                if conn.transport is not None:
                    conn.transport.abort()

        self._loop.call_soon_threadsafe(drop)

    # -- the server ---------------------------------------------------------------------------
    def _serve(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        devices = [self._device(s) for s in self.slaves.values()]
        if self.protocol is Protocol.MODBUS_RTU:
            self._server = ModbusSerialServer(
                devices,
                framer=FramerType.RTU,
                port=self.port,
                baudrate=self.settings.baudrate,
                bytesize=self.settings.bytesize,
                parity=PARITIES[self.settings.parity],
                stopbits=int(self.settings.stopbits),
                ignore_missing_devices=True,
                trace_packet=self._trace,
            )
        else:
            host, port = split_host(self.port)
            self._server = ModbusTcpServer(
                devices,
                framer=FramerType.SOCKET if self.protocol is Protocol.MODBUS_TCP else FramerType.RTU,
                address=(host, port),
                ignore_missing_devices=True,
                trace_packet=self._trace,
            )
        await self._server.serve_forever(background=True)
        self._ready.set()
        await self._server.serving

    def _device(self, slave: SimulatedSlave) -> SimDevice:
        regs = [SimData(0, count=TABLE_SIZE, values=0, datatype=SimType.REGISTERS)]
        bits = [SimData(0, count=TABLE_SIZE // 16, values=0, datatype=SimType.BITS)]
        return SimDevice(
            slave.unit,
            simdata=(list(bits), list(bits), list(regs), list(regs)),
            action=functools.partial(self._action, slave),
        )

    async def _action(self, slave, fc, start, address, count, current, values):
        from pymodbus.constants import ExcCodes

        function = {1: Function.COIL, 2: Function.DISCRETE, 3: Function.HOLDING, 4: Function.INPUT}.get(fc)
        if function is None:
            if values is not None and fc in (5, 6, 15, 16):  # writes land in the image
                target = Function.COIL if fc in (5, 15) else Function.HOLDING
                slave.set(target, address, list(values))
            return None
        if slave.refresh is not None:
            slave.refresh(slave)
        if function.is_bits:
            reg_lo = address // 16
            n_regs = (address % 16 + count + 15) // 16
            if address + count > slave.invalid_from:
                return ExcCodes.ILLEGAL_ADDRESS
            table = slave.registers.get(function, {})
            bits = [bool(table.get(reg_lo * 16 + i, 0)) for i in range(n_regs * 16)]
            current[reg_lo - start : reg_lo - start + n_regs] = SimUtils.bitsToRegisters(bits)
            return None
        if address + count > slave.invalid_from:
            return ExcCodes.ILLEGAL_ADDRESS
        table = slave.registers.get(function, {})
        for i in range(count):
            current[address - start + i] = table.get(address + i, 0) & 0xFFFF
        return None

    def _trace(self, sending: bool, data: bytes) -> bytes:
        if not sending or not data:
            return data
        unit = data[0] if self.protocol is not Protocol.MODBUS_TCP else (data[6] if len(data) > 6 else 0)
        slave = self.slaves.get(unit)
        if slave is None or slave.muted:
            return b""  # an absent or silent unit sends nothing (pymodbus would send an exception)
        self.answered += 1
        if self.corrupt_chance and self._rng.random() < self.corrupt_chance:
            self.corrupted += 1
            damaged = bytearray(data)
            i = self._rng.randrange(1 if self.protocol is not Protocol.MODBUS_TCP else 7, len(data))
            damaged[i] ^= 1 << self._rng.randrange(8)
            return bytes(damaged)
        return data
