"""Commissioning a Modbus bus: read one slave's registers and scan for the unit ids that answer.

What operators use mbpoll or Modbus Poll for. ``watchkeeper modbus read/scan`` and the port
dialog both call these, so a test from the window and one from the command line say the same.
Every failure is a :class:`CommissioningError` with one sentence for the operator.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from core.acquisition.modbus.diagnostics import Outcome
from core.acquisition.modbus.planning import ReadRequest, plan_requests
from core.acquisition.modbus.registers import (
    MAX_READ_BITS,
    MAX_READ_REGISTERS,
    MAX_UNIT_ID,
    DataType,
    Function,
    Point,
    Slave,
    WordOrder,
    parse_address,
)
from core.acquisition.modbus.transport import Frame, ModbusLink, Protocol, Result
from core.acquisition.ports import PortError, SerialSettings


class CommissioningError(Exception):
    """A request failed in a way the operator should hear about in one sentence."""


@dataclass(frozen=True, slots=True)
class ReadSpec:
    """What to read: ``count`` values of ``type_`` from ``address`` (text: 0-based or 30001/40001)."""

    unit: int
    address: str
    function: Function | None = None  # None: the one the address names, else holding
    type_: DataType | None = None  # None: bool for bits, uint16 for registers
    order: WordOrder = WordOrder.ABCD
    count: int = 1
    scale: float = 1.0
    bit: int = 0

    def request(self) -> ReadRequest:
        try:
            named, address = parse_address(self.address, self.function)
        except ValueError as exc:
            raise CommissioningError(f"The {exc}.") from None
        named = named or Function.HOLDING
        type_ = self.type_ or (DataType.BOOL if named.is_bits else DataType.UINT16)
        if named.is_bits and type_ is not DataType.BOOL:
            raise CommissioningError(f"A {named.value} holds one bit: read it as bool.")
        if not 1 <= self.unit <= MAX_UNIT_ID:
            raise CommissioningError(f"The unit id must lie between 1 and {MAX_UNIT_ID}, not {self.unit}.")
        width = 1 if named.is_bits else type_.registers
        if not 1 <= self.count * width <= (MAX_READ_BITS if named.is_bits else MAX_READ_REGISTERS):
            raise CommissioningError(
                f"{self.count} values of {type_.value} do not fit in one Modbus request."
            )
        points = tuple(
            Point(f"v{i}", named, address + i * width, type_, self.order, self.scale, bit=self.bit)
            for i in range(self.count)
        )
        return ReadRequest(named, address, self.count * width, points)


def explain(unit: int, result: Result, timeout: float) -> str:
    """One sentence for a request that did not return values."""
    if result.outcome is Outcome.TIMEOUT:
        return (
            f"Unit {unit} did not answer within {timeout:g} s (time-out): "
            "check its address, baud rate, parity and wiring."
        )
    if result.outcome is Outcome.EXCEPTION:
        return f"Unit {unit} answered with the Modbus exception {result.detail}."
    if result.outcome is Outcome.BAD_FRAME:
        return (
            f"Unit {unit}'s reply was damaged (CRC/framing error): check the baud rate, parity and cabling."
        )
    return f"The link to unit {unit} is down: {result.detail}."


def open_link(
    protocol: Protocol,
    port: str,
    settings: SerialSettings,
    timeout: float,
    on_frame: Callable[[Frame], None] | None = None,
) -> ModbusLink:
    """A connected link, or PortError / CommissioningError with the reason."""
    try:
        link = ModbusLink(protocol, port, settings, on_frame=on_frame, connect_timeout=timeout + 1)
    except ValueError as exc:
        raise CommissioningError(f"{exc}.") from None
    if not link.connect():
        raise PortError(link.open_error())
    return link


def read_values(link: ModbusLink, spec: ReadSpec, timeout: float) -> list[float]:
    """The decoded, scaled values ``spec`` asks for."""
    request = spec.request()
    result = link.read(spec.unit, request, timeout)
    if result.outcome is not Outcome.OK:
        raise CommissioningError(explain(spec.unit, result, timeout))
    return [value for _, value in request.values(result.words)]


def read_map(link: ModbusLink, slaves: tuple[Slave, ...]) -> list[tuple[Slave, list[tuple[str, float]], str]]:
    """Every point of every slave read once: ``(slave, [(channel, value)], "")``, or the slave
    with the sentence saying why it gave no values."""
    out = []
    for slave in slaves:
        values: list[tuple[str, float]] = []
        error = ""
        for request in plan_requests(slave):
            result = link.read(slave.unit, request, slave.timeout)
            if result.outcome is not Outcome.OK:
                error = explain(slave.unit, result, slave.timeout)
                break
            try:
                values.extend(request.values(result.words))
            except ValueError as exc:
                error = f"Unit {slave.unit}'s reply could not be decoded: {exc}."
                break
        out.append((slave, [] if error else values, error))
    return out


def parse_units(text: str) -> list[int]:
    """``"1-10,20"`` -> [1, ..., 10, 20]; raises CommissioningError for anything else."""
    units: list[int] = []
    try:
        for part in text.split(","):
            lo, _, hi = part.strip().partition("-")
            units.extend(range(int(lo), int(hi or lo) + 1))
    except ValueError:
        raise CommissioningError(f"The unit ids {text!r} are not a list such as 1-247 or 1-10,20.") from None
    if not units or min(units) < 1 or max(units) > MAX_UNIT_ID:
        raise CommissioningError(f"Unit ids must lie between 1 and {MAX_UNIT_ID}, got {text!r}.")
    return sorted(set(units))


@dataclass(frozen=True, slots=True)
class ScanHit:
    unit: int
    exception: str = ""  # a Modbus exception is an answer too: the unit is there

    def describe(self) -> str:
        note = f" (with the exception {self.exception})" if self.exception else ""
        return f"unit {self.unit} answers{note}"


@dataclass(frozen=True, slots=True)
class ScanProgress:
    done: int  # unit ids tried
    total: int
    unit: int  # the one being tried now (or the last one, when finished)
    found: tuple[ScanHit, ...]
    seconds_left: float  # at most: every remaining id times out
    finished: bool = False

    def describe(self) -> str:
        if self.finished:
            return f"Scanned {self.done} unit ids: {len(self.found)} answered."
        return (
            f"Scanning unit {self.unit} ({self.done + 1}/{self.total}), {len(self.found)} found, "
            f"at most {self.seconds_left:.0f} s left"
        )


def scan(
    link: ModbusLink,
    units: list[int],
    timeout: float,
    address: str = "0",
    function: Function = Function.HOLDING,
    on_progress: Callable[[ScanProgress], None] | None = None,
    stop: threading.Event | None = None,
) -> list[ScanHit]:
    """Ask each unit id for one register; those that answer (even with an exception) are found."""
    try:
        named, first = parse_address(address, function)
    except ValueError as exc:
        raise CommissioningError(f"The {exc}.") from None
    request = ReadRequest(named or function, first, 1, ())
    found: list[ScanHit] = []
    done = 0
    for done, unit in enumerate(units):
        if stop is not None and stop.is_set():
            break
        if on_progress is not None:
            on_progress(ScanProgress(done, len(units), unit, tuple(found), (len(units) - done) * timeout))
        result = link.read(unit, request, timeout)
        if result.outcome is Outcome.LINK_DOWN:
            raise CommissioningError(f"The link to {link.port} went down during the scan: {result.detail}.")
        if result.outcome in (Outcome.OK, Outcome.EXCEPTION):
            found.append(ScanHit(unit, result.detail if result.outcome is Outcome.EXCEPTION else ""))
    else:
        done = len(units)
    if on_progress is not None:
        last = units[min(done, len(units)) - 1] if units else 0
        on_progress(ScanProgress(done, len(units), last, tuple(found), 0.0, finished=True))
    return found
