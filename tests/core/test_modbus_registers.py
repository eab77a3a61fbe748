"""Register decoding, address notation and request planning: pure functions, no bus."""

from __future__ import annotations

import struct

import pytest

from core.acquisition.modbus.planning import plan_requests
from core.acquisition.modbus.registers import (
    DataType,
    Function,
    Point,
    Slave,
    WordOrder,
    decode,
    encode,
    parse_address,
)

# 123.456 as float32 is 0x42F6E979: bytes A=42 B=F6 C=E9 D=79.
FLOAT_WORDS = {
    WordOrder.ABCD: [0x42F6, 0xE979],
    WordOrder.CDAB: [0xE979, 0x42F6],
    WordOrder.BADC: [0xF642, 0x79E9],
    WordOrder.DCBA: [0x79E9, 0xF642],
}


@pytest.mark.parametrize("order", list(WordOrder))
def test_float32_decodes_in_each_word_order(order: WordOrder) -> None:
    """The same number arrives in four byte layouts; each order reads it back."""
    assert decode(FLOAT_WORDS[order], DataType.FLOAT32, order) == pytest.approx(123.456, abs=1e-4)


@pytest.mark.parametrize("order", list(WordOrder))
@pytest.mark.parametrize(
    ("type_", "value"),
    [
        (DataType.INT16, -1234),
        (DataType.UINT16, 65000),
        (DataType.INT32, -123456789),
        (DataType.UINT32, 4000000000),
        (DataType.INT64, -(2**40) - 7),
        (DataType.UINT64, 2**63 + 11),
        (DataType.FLOAT64, -9876.54321),
    ],
)
def test_encode_then_decode_is_identity(type_: DataType, value: float, order: WordOrder) -> None:
    """What the simulator sends for a value decodes to that value, for every type and order."""
    words = encode(value, type_, order)
    assert len(words) == type_.registers
    assert decode(words, type_, order) == pytest.approx(value)


def test_float64_abcd_is_big_endian_words() -> None:
    """ABCD for a 4-register value is plain big-endian, most significant word first."""
    raw = struct.pack(">d", 1.5)
    words = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, 8, 2)]
    assert decode(words, DataType.FLOAT64, WordOrder.ABCD) == 1.5
    assert decode(words[::-1], DataType.FLOAT64, WordOrder.CDAB) == 1.5


def test_int16_byte_swap_and_bits() -> None:
    """16-bit values only care about the byte order; bit n counts from the least significant."""
    assert decode([0xFF85], DataType.INT16) == -123
    assert decode([0x85FF], DataType.INT16, WordOrder.BADC) == -123
    assert decode([0b1000], DataType.BIT, bit=3) == 1.0
    assert decode([0b1000], DataType.BIT, bit=2) == 0.0


def test_wrong_register_count_is_refused() -> None:
    with pytest.raises(ValueError, match="takes 2 registers"):
        decode([1], DataType.FLOAT32)


@pytest.mark.parametrize(
    ("text", "function", "expected"),
    [
        ("30001", None, (Function.INPUT, 0)),
        (30002, None, (Function.INPUT, 1)),
        ("40001", None, (Function.HOLDING, 0)),
        ("300001", None, (Function.INPUT, 0)),
        ("465536", None, (Function.HOLDING, 65535)),
        ("10005", None, (Function.DISCRETE, 4)),
        ("0x03E8", Function.INPUT, (Function.INPUT, 1000)),
        (7, Function.COIL, (Function.COIL, 7)),
    ],
)
def test_address_notations(text: str | int, function: Function | None, expected: tuple) -> None:
    """0-based addresses keep their table; 1-based Modicon notation names the table itself."""
    assert parse_address(text, function) == expected


def test_address_notation_that_contradicts_the_function_is_refused() -> None:
    with pytest.raises(ValueError, match="input address"):
        parse_address("30001", Function.HOLDING)
    with pytest.raises(ValueError, match="not a whole number"):
        parse_address("3000l")


def _slave(*points: Point, max_registers: int = 125, max_gap: int = 0) -> Slave:
    return Slave(1, "s", points, max_registers=max_registers, max_gap=max_gap)


def test_contiguous_points_share_one_request_per_table() -> None:
    """Touching registers are one read; another table or a hole starts another."""
    slave = _slave(
        Point("a", Function.INPUT, 0, DataType.FLOAT32),
        Point("b", Function.INPUT, 2, DataType.FLOAT32),
        Point("c", Function.INPUT, 4, DataType.INT16),
        Point("d", Function.INPUT, 10, DataType.INT16),
        Point("e", Function.HOLDING, 0, DataType.UINT16),
        Point("f", Function.COIL, 0, DataType.BOOL),
        Point("g", Function.COIL, 1, DataType.BOOL),
    )
    plan = [(r.function, r.address, r.count) for r in plan_requests(slave)]
    assert plan == [
        (Function.COIL, 0, 2),
        (Function.INPUT, 0, 5),
        (Function.INPUT, 10, 1),
        (Function.HOLDING, 0, 1),
    ]


def test_requests_respect_the_125_register_limit_and_a_slave_maximum() -> None:
    """200 contiguous registers need two reads; a device that allows 16 needs thirteen."""
    points = tuple(Point(f"p{i}", Function.HOLDING, i) for i in range(200))
    assert [r.count for r in plan_requests(_slave(*points))] == [125, 75]
    small = plan_requests(_slave(*points, max_registers=16))
    assert len(small) == 13 and max(r.count for r in small) == 16
    assert sum(len(r.points) for r in small) == 200


def test_bits_of_one_register_are_one_read_and_gaps_are_read_through_when_allowed() -> None:
    slave = _slave(
        Point("b0", Function.HOLDING, 5, DataType.BIT, bit=0),
        Point("b7", Function.HOLDING, 5, DataType.BIT, bit=7),
        Point("x", Function.HOLDING, 8),
        max_gap=2,
    )
    (request,) = plan_requests(slave)
    assert (request.address, request.count) == (5, 4)
    assert request.values([0b1000_0001, 0, 0, 42]) == [("b0", 1.0), ("b7", 1.0), ("x", 42.0)]


def test_scale_and_offset_apply_to_the_decoded_value() -> None:
    slave = _slave(Point("t", Function.INPUT, 1, DataType.INT16, scale=0.1, offset=-40.0))
    (request,) = plan_requests(slave)
    assert request.values([0xFFF6])[0][1] == pytest.approx(-41.0)


def test_a_decimal_point_register_is_read_with_its_value_and_divides_it() -> None:
    """Autonics TK: PV at 0x03E8, the number of decimals shown at 0x03E9; one request reads both."""
    slave = _slave(Point("pv", Function.INPUT, 0x03E8, DataType.INT16, decimals_at=0x03E9))
    (request,) = plan_requests(slave)
    assert (request.address, request.count) == (0x03E8, 2)
    assert request.values([1234, 1]) == [("pv", pytest.approx(123.4))]
    assert request.values([1234, 0]) == [("pv", 1234.0)]
    with pytest.raises(ValueError, match="decimal-point register holds"):
        request.values([1234, 40])
