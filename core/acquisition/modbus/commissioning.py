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
from core.messages import Message, MessageError, MessageId

M = MessageId


class CommissioningError(MessageError):
    """A request failed in a way the operator should hear about in one sentence (``message``)."""


def _the(exc: ValueError) -> Message:
    """ "The address ... is not a whole number ..." for an address error."""
    message = exc.message if isinstance(exc, MessageError) else Message.plain(str(exc))
    return Message.of(M.THE_PROBLEM, problem=message)


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
            raise CommissioningError(_the(exc)) from None
        named = named or Function.HOLDING
        type_ = self.type_ or (DataType.BOOL if named.is_bits else DataType.UINT16)
        if named.is_bits and type_ is not DataType.BOOL:
            raise CommissioningError(Message.of(M.READ_AS_BOOL, table=named.value))
        if not 1 <= self.unit <= MAX_UNIT_ID:
            raise CommissioningError(
                Message.of(M.UNIT_OUT_OF_RANGE, max=str(MAX_UNIT_ID), unit=str(self.unit))
            )
        width = 1 if named.is_bits else type_.registers
        if not 1 <= self.count * width <= (MAX_READ_BITS if named.is_bits else MAX_READ_REGISTERS):
            raise CommissioningError(Message.of(M.VALUES_DO_NOT_FIT, count=str(self.count), type=type_.value))
        points = tuple(
            Point(f"v{i}", named, address + i * width, type_, self.order, self.scale, bit=self.bit)
            for i in range(self.count)
        )
        return ReadRequest(named, address, self.count * width, points)


def explain(unit: int, result: Result, timeout: float) -> Message:
    """One sentence for a request that did not return values."""
    if result.outcome is Outcome.TIMEOUT:
        return Message.of(M.UNIT_TIMED_OUT, unit=str(unit), seconds=f"{timeout:g}")
    if result.outcome is Outcome.EXCEPTION:
        return Message.of(M.UNIT_EXCEPTION, unit=str(unit), detail=result.detail)
    if result.outcome is Outcome.BAD_FRAME:
        return Message.of(M.UNIT_BAD_FRAME, unit=str(unit))
    return Message.of(M.UNIT_LINK_DOWN, unit=str(unit), detail=result.detail)


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
        message = exc.message if isinstance(exc, MessageError) else Message.plain(str(exc))
        raise CommissioningError(message) from None
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


def read_map(
    link: ModbusLink, slaves: tuple[Slave, ...]
) -> list[tuple[Slave, list[tuple[str, float]], Message | None]]:
    """Every point of every slave read once: ``(slave, [(channel, value)], None)``, or the slave
    with the sentence saying why it gave no values."""
    out = []
    for slave in slaves:
        values: list[tuple[str, float]] = []
        error: Message | None = None
        for request in plan_requests(slave):
            result = link.read(slave.unit, request, slave.timeout)
            if result.outcome is not Outcome.OK:
                error = explain(slave.unit, result, slave.timeout)
                break
            try:
                values.extend(request.values(result.words))
            except ValueError as exc:
                error = Message.of(M.UNIT_UNDECODABLE, unit=str(slave.unit), detail=str(exc))
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
        raise CommissioningError(Message.of(M.UNITS_NOT_A_LIST, text=repr(text))) from None
    if not units or min(units) < 1 or max(units) > MAX_UNIT_ID:
        raise CommissioningError(Message.of(M.UNITS_OUT_OF_RANGE, max=str(MAX_UNIT_ID), text=repr(text)))
    return sorted(set(units))


@dataclass(frozen=True, slots=True)
class ScanHit:
    unit: int
    exception: str = ""  # a Modbus exception is an answer too: the unit is there

    def describe(self) -> Message:
        if self.exception:
            return Message.of(M.SCAN_HIT_EXCEPTION, unit=str(self.unit), detail=self.exception)
        return Message.of(M.SCAN_HIT, unit=str(self.unit))


@dataclass(frozen=True, slots=True)
class ScanProgress:
    done: int  # unit ids tried
    total: int
    unit: int  # the one being tried now (or the last one, when finished)
    found: tuple[ScanHit, ...]
    seconds_left: float  # at most: every remaining id times out
    finished: bool = False

    def describe(self) -> Message:
        if self.finished:
            return Message.of(M.SCAN_FINISHED, done=str(self.done), found=str(len(self.found)))
        return Message.of(
            M.SCAN_PROGRESS,
            unit=str(self.unit),
            n=str(self.done + 1),
            total=str(self.total),
            found=str(len(self.found)),
            seconds=f"{self.seconds_left:.0f}",
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
        raise CommissioningError(_the(exc)) from None
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
            raise CommissioningError(Message.of(M.SCAN_LINK_DOWN, port=link.port, detail=result.detail))
        if result.outcome in (Outcome.OK, Outcome.EXCEPTION):
            found.append(ScanHit(unit, result.detail if result.outcome is Outcome.EXCEPTION else ""))
    else:
        done = len(units)
    if on_progress is not None:
        last = units[min(done, len(units)) - 1] if units else 0
        on_progress(ScanProgress(done, len(units), last, tuple(found), 0.0, finished=True))
    return found
