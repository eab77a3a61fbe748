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
        return [
            (p.channel, point_value(p, words[p.address - self.address : p.end - self.address]))
            for p in self.points
        ]


def plan_requests(slave: Slave) -> tuple[ReadRequest, ...]:
    """The fewest requests that read every point of ``slave`` within its limits, in address order."""
    requests: list[ReadRequest] = []
    for function in Function:
        points = sorted((p for p in slave.points if p.function is function), key=lambda p: (p.address, p.end))
        limit = MAX_READ_BITS if function.is_bits else slave.max_registers
        group: list[Point] = []
        start = end = 0
        for p in points:
            if group and p.address <= end + slave.max_gap and max(end, p.end) - start <= limit:
                group.append(p)
                end = max(end, p.end)
                continue
            if group:
                requests.append(ReadRequest(function, start, end - start, tuple(group)))
            group, start, end = [p], p.address, p.end
        if group:
            requests.append(ReadRequest(function, start, end - start, tuple(group)))
    return tuple(requests)
