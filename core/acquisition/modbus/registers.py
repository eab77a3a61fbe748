"""The register map: what to read from which slave, and how to turn its words into numbers.

Pure data and pure functions (no I/O), shared by the poller, the ``modbus read`` command and the
simulated bus. Addresses are kept 0-based, as they travel in the Modbus PDU; the 1-based
"Modicon" notation operators copy from manuals (30001 = input register 0, 40001 = holding
register 0, 10001 = discrete input 0) is converted by :func:`parse_address`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from core.messages import Message, MessageError, MessageId

MAX_READ_REGISTERS = 125  # Modbus application protocol 1.1b3, 6.3/6.4: at most 125 registers per read
MAX_READ_BITS = 2000  # 6.1/6.2: at most 2000 coils or discrete inputs per read
MAX_UNIT_ID = 247  # 248-255 are reserved; 0 is broadcast (no reply)


class Function(Enum):
    """The four readable Modbus tables, with their read function codes."""

    COIL = "coil"
    DISCRETE = "discrete"
    INPUT = "input"
    HOLDING = "holding"

    @property
    def code(self) -> int:
        return {"coil": 1, "discrete": 2, "holding": 3, "input": 4}[self.value]

    @property
    def is_bits(self) -> bool:
        return self in (Function.COIL, Function.DISCRETE)


class DataType(Enum):
    BOOL = "bool"  # a coil or discrete input, or a register that is non-zero
    BIT = "bit"  # bit n (0 = least significant) of a 16-bit register
    INT16 = "int16"
    UINT16 = "uint16"
    INT32 = "int32"
    UINT32 = "uint32"
    FLOAT32 = "float32"
    INT64 = "int64"
    UINT64 = "uint64"
    FLOAT64 = "float64"

    @property
    def registers(self) -> int:
        """How many 16-bit registers one value takes."""
        return _WIDTH[self]


_WIDTH = {
    DataType.BOOL: 1,
    DataType.BIT: 1,
    DataType.INT16: 1,
    DataType.UINT16: 1,
    DataType.INT32: 2,
    DataType.UINT32: 2,
    DataType.FLOAT32: 2,
    DataType.INT64: 4,
    DataType.UINT64: 4,
    DataType.FLOAT64: 4,
}
_STRUCT = {
    DataType.INT16: "h",
    DataType.UINT16: "H",
    DataType.INT32: "i",
    DataType.UINT32: "I",
    DataType.FLOAT32: "f",
    DataType.INT64: "q",
    DataType.UINT64: "Q",
    DataType.FLOAT64: "d",
}


class WordOrder(Enum):
    """Byte order of a multi-register value, named by where bytes A (most significant) .. D land.

    ABCD: big-endian words, most significant word first (Eastron SDM). CDAB: least significant
    word first (Vaisala HMP60/110, many PLCs). BADC: bytes swapped inside each word. DCBA: fully
    little-endian. For 16-bit values only the byte order inside the word matters.
    """

    ABCD = "ABCD"
    CDAB = "CDAB"
    BADC = "BADC"
    DCBA = "DCBA"

    @property
    def swap_words(self) -> bool:
        return self in (WordOrder.CDAB, WordOrder.DCBA)

    @property
    def swap_bytes(self) -> bool:
        return self in (WordOrder.BADC, WordOrder.DCBA)


@dataclass(frozen=True, slots=True)
class Point:
    """One channel read from one place of one slave; stored value = raw * scale + offset."""

    channel: str
    function: Function
    address: int  # 0-based
    type: DataType = DataType.UINT16
    order: WordOrder = WordOrder.ABCD
    scale: float = 1.0
    offset: float = 0.0
    bit: int = 0  # for DataType.BIT
    unit: str = ""
    # Address of a register (same table, read in the same request) holding the number of decimals
    # the device shows, e.g. Autonics TK's "dot" register: the value is divided by 10 ** that.
    decimals_at: int | None = None

    @property
    def count(self) -> int:
        """Registers (or bits, for coils and discrete inputs) this point occupies."""
        return 1 if self.function.is_bits else self.type.registers

    @property
    def end(self) -> int:
        return self.address + self.count


@dataclass(frozen=True, slots=True)
class Slave:
    """One device on the bus and the points read from it."""

    unit: int
    name: str
    points: tuple[Point, ...]
    interval: float = 1.0  # seconds between polls
    timeout: float = 1.0  # seconds to wait for a reply (1 s is the usual Modbus serial figure)
    retries: int = 1  # extra tries of a request before the poll counts as failed
    max_registers: int = MAX_READ_REGISTERS  # devices that allow fewer per request say so here
    max_gap: int = 0  # unused registers a merged request may read through (0: contiguous only)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(p.channel for p in self.points)


# Modicon notation: (lowest 5-digit, lowest 6-digit, table). Coils (0xxxx) are not accepted in
# this notation: "1" would be ambiguous with the 0-based address 1.
_MODICON = (
    (10001, 100001, Function.DISCRETE),
    (30001, 300001, Function.INPUT),
    (40001, 400001, Function.HOLDING),
)


class AddressError(MessageError, ValueError):
    """An address an operator wrote that names no register; the message says why."""


def parse_address(text: str | int, function: Function | None = None) -> tuple[Function | None, int]:
    """Read an address as written by an operator: ``3`` or ``0x03E8`` (0-based, the table given
    by ``function``) or ``30004`` / ``300004`` / ``40001`` (1-based Modicon notation, which names
    the table itself). Returns ``(function, 0-based address)``; raises AddressError (a ValueError)
    with a sentence.
    """
    raw = text.strip() if isinstance(text, str) else text
    try:
        value = int(raw, 0) if isinstance(raw, str) else int(raw)
    except ValueError:
        raise AddressError(Message.of(MessageId.ADDRESS_NOT_NUMBER, address=repr(text))) from None
    if isinstance(raw, bool) or value < 0:
        raise AddressError(Message.of(MessageId.ADDRESS_NEGATIVE, address=repr(text)))
    is_hex = isinstance(raw, str) and raw.lower().startswith("0x")
    if value <= 0xFFFF and (value < 10001 or is_hex):
        return function, value
    for low5, low6, table in _MODICON:
        for low, span in ((low6, 65536), (low5, 9999)):
            if low <= value < low + span:
                if function is not None and function is not table:
                    raise AddressError(
                        Message.of(
                            MessageId.ADDRESS_WRONG_TABLE,
                            address=str(value),
                            table=table.value,
                            function=function.value,
                        )
                    )
                return table, value - low
    raise AddressError(Message.of(MessageId.ADDRESS_NEITHER, address=str(value)))


def decode(
    registers: Sequence[int], type_: DataType, order: WordOrder = WordOrder.ABCD, bit: int = 0
) -> float:
    """The number held in ``registers`` (16-bit words as received, first word first)."""
    if type_ is DataType.BOOL:
        return float(any(registers))
    if type_ is DataType.BIT:
        return float((registers[0] >> bit) & 1)
    width = type_.registers
    if len(registers) != width:
        raise ValueError(f"{type_.value} takes {width} registers, got {len(registers)}")
    words = list(registers)
    if order.swap_words and width > 1:
        words.reverse()
    data = b"".join(w.to_bytes(2, "big") for w in words)
    if order.swap_bytes:
        data = bytes(b for i in range(0, len(data), 2) for b in (data[i + 1], data[i]))
    return float(struct.unpack(">" + _STRUCT[type_], data)[0])


def encode(value: float, type_: DataType, order: WordOrder = WordOrder.ABCD) -> list[int]:
    """The registers a device sends for ``value`` (the inverse of :func:`decode`; the simulator
    and the tests build their register images with it)."""
    if type_ in (DataType.BOOL, DataType.BIT):
        return [1 if value else 0]
    fmt = _STRUCT[type_]
    data = struct.pack(">" + fmt, value if fmt in "fd" else round(value))
    if order.swap_bytes:
        data = bytes(b for i in range(0, len(data), 2) for b in (data[i + 1], data[i]))
    words = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
    if order.swap_words and len(words) > 1:
        words.reverse()
    return words


def point_value(point: Point, words: Sequence[int] | Sequence[bool], decimals: int = 0) -> float:
    """Scaled value of ``point`` from the words (or bits) read for exactly its own span."""
    if point.function.is_bits:
        raw = float(bool(words[0]))
    else:
        raw = decode([int(w) for w in words], point.type, point.order, point.bit)
    if decimals:
        raw /= 10.0**decimals
    return raw * point.scale + point.offset
