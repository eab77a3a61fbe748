"""Request planning: read a slave's points in as few requests as the device allows.

Points of one table whose addresses touch (or overlap, like several bits of one register) are
merged into one read, up to 125 registers (2000 bits) or the slave's own smaller maximum. Holes
are read through only when the slave's ``max_gap`` allows it, because many devices answer a read
that touches an unmapped register with "illegal data address". Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.acquisition.modbus.registers import MAX_READ_BITS, Function, Point, Slave, point_value


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """One read request: ``count`` registers (or bits) of ``function`` from ``address``."""

    function: Function
    address: int
    count: int
    points: tuple[Point, ...]

    def values(self, words: list[int] | list[bool]) -> list[tuple[str, float]]:
        """``(channel, scaled value)`` of every point, from the words this request returned."""
        if len(words) < self.count:
            raise ValueError(f"the reply holds {len(words)} values, the request asked for {self.count}")
        out = []
        for p in self.points:
            decimals = 0
            if p.decimals_at is not None:
                if not self.address <= p.decimals_at < self.address + self.count:
                    raise ValueError(f"{p.channel}: its decimal-point register was not read with it")
                decimals = int(words[p.decimals_at - self.address])
                if not 0 <= decimals <= 9:
                    raise ValueError(f"{p.channel}: decimal-point register holds {decimals}")
            out.append(
                (p.channel, point_value(p, words[p.address - self.address : p.end - self.address], decimals))
            )
        return out


def _lo(p: Point) -> int:
    """First register a point needs read (itself, or its decimal-point register)."""
    return p.address if p.decimals_at is None else min(p.address, p.decimals_at)


def _hi(p: Point) -> int:
    return p.end if p.decimals_at is None else max(p.end, p.decimals_at + 1)


def plan_requests(slave: Slave) -> tuple[ReadRequest, ...]:
    """The fewest requests that read every point of ``slave`` within its limits, in address order."""
    requests: list[ReadRequest] = []
    for function in Function:
        points = sorted((p for p in slave.points if p.function is function), key=lambda p: (_lo(p), _hi(p)))
        limit = MAX_READ_BITS if function.is_bits else slave.max_registers
        group: list[Point] = []
        start = end = 0
        for p in points:
            if group and _lo(p) <= end + slave.max_gap and max(end, _hi(p)) - start <= limit:
                group.append(p)
                end = max(end, _hi(p))
                continue
            if group:
                requests.append(ReadRequest(function, start, end - start, tuple(group)))
            group, start, end = [p], _lo(p), _hi(p)
        if group:
            requests.append(ReadRequest(function, start, end - start, tuple(group)))
    return tuple(requests)
