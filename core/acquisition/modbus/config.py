"""The ``[modbus]`` section of the TOML config: bus settings, slaves and their points.

Every key is checked; a mistake raises :class:`ConfigError` naming the key, like the rest of the
configuration. See resources/modbus/example.toml for a commented map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.acquisition.modbus.registers import (
    MAX_READ_REGISTERS,
    MAX_UNIT_ID,
    AddressError,
    DataType,
    Function,
    Point,
    Slave,
    WordOrder,
    parse_address,
)
from core.config_error import ConfigError, check_keys
from core.messages import Message, MessageError, MessageId

_BUS_KEYS = {"slaves", "backoff_first", "backoff_max", "interval", "timeout", "retries", "max_registers"}
_SLAVE_KEYS = {"unit", "name", "interval", "timeout", "retries", "max_registers", "max_gap", "points"}
_POINT_KEYS = {
    "channel",
    "unit",
    "function",
    "address",
    "type",
    "order",
    "scale",
    "offset",
    "bit",
    "decimals_at",
}


@dataclass(frozen=True, slots=True)
class ModbusConfig:
    slaves: tuple[Slave, ...]
    backoff_first: float = 2.0  # seconds before the first probe of a slave that stopped answering
    backoff_max: float = 30.0  # the longest wait between probes

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(ch for s in self.slaves for ch in s.channels)

    @property
    def units(self) -> dict[str, str]:
        return {p.channel: p.unit for s in self.slaves for p in s.points if p.unit}


def _num(where: str, table: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_NUMBER, where=f"{where}.{key}", value=repr(value)))
    if not low <= value <= high:
        raise ConfigError(
            Message.of(
                MessageId.CONFIG_BETWEEN,
                where=f"{where}.{key}",
                low=f"{low:g}",
                high=f"{high:g}",
                value=repr(value),
            )
        )
    return value


def _text(where: str, table: dict[str, Any], key: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_TEXT, where=f"{where}.{key}", value=repr(value)))
    return value


def _check(where: str, table: Any, allowed: set[str]) -> None:
    if not isinstance(table, dict):
        raise ConfigError(Message.of(MessageId.CONFIG_NOT_TABLE, where=where))
    check_keys(where, table, allowed)


def _enum(where: str, key: str, value: str, kind: type, default: Any) -> Any:
    if value == "":
        return default
    try:
        return kind(value.upper() if kind is WordOrder else value.lower())
    except ValueError:
        names = ", ".join(m.value for m in kind)
        raise ConfigError(
            Message.of(MessageId.CONFIG_ONE_OF, where=f"{where}.{key}", names=names, value=repr(value))
        ) from None


def _decimals_at(where: str, item: dict[str, Any], function: Function) -> int | None:
    if "decimals_at" not in item:
        return None
    try:
        named, address = parse_address(item["decimals_at"], function)
    except (ValueError, TypeError) as exc:
        problem = exc.message if isinstance(exc, MessageError) else Message.plain(str(exc))
        raise ConfigError(
            Message.of(MessageId.IN_FILE, path=f"{where}.decimals_at", problem=problem)
        ) from None
    if named is not function:
        raise ConfigError(
            Message.of(MessageId.MODBUS_DECIMALS_TABLE, where=f"{where}.decimals_at", function=function.value)
        )
    return address


def parse_point(where: str, item: Any) -> Point:
    _check(where, item, _POINT_KEYS)
    if "channel" not in item or "address" not in item:
        raise ConfigError(Message.of(MessageId.MODBUS_POINT_NEEDS, where=where))
    channel = _text(where, item, "channel", "").strip()
    if not channel:
        raise ConfigError(Message.of(MessageId.CONFIG_EMPTY, where=f"{where}.channel"))
    function = _enum(where, "function", _text(where, item, "function", ""), Function, None)
    address = item["address"]
    if not isinstance(address, int | str) or isinstance(address, bool):
        raise ConfigError(
            Message.of(MessageId.MODBUS_ADDRESS_SHAPE, where=f"{where}.address", value=repr(address))
        )
    try:
        named, addr = parse_address(address, function)
    except AddressError as exc:
        raise ConfigError(Message.of(MessageId.AT_KEY, where=where, problem=exc.message)) from None
    if named is None:
        raise ConfigError(Message.of(MessageId.MODBUS_FUNCTION_MISSING, where=f"{where}.function"))
    default_type = DataType.BOOL if named.is_bits else DataType.UINT16
    type_ = _enum(where, "type", _text(where, item, "type", ""), DataType, default_type)
    if named.is_bits and type_ is not DataType.BOOL:
        raise ConfigError(
            Message.of(
                MessageId.MODBUS_TYPE_NOT_BOOL, where=f"{where}.type", table=named.value, type=type_.value
            )
        )
    bit = int(_num(where, item, "bit", 0, 0, 15))
    point = Point(
        channel=channel,
        function=named,
        address=addr,
        type=type_,
        order=_enum(where, "order", _text(where, item, "order", ""), WordOrder, WordOrder.ABCD),
        scale=float(_num(where, item, "scale", 1.0, -1e12, 1e12)),
        offset=float(_num(where, item, "offset", 0.0, -1e12, 1e12)),
        bit=bit,
        unit=_text(where, item, "unit", ""),
        decimals_at=_decimals_at(where, item, named),
    )
    if point.end > 65536:
        raise ConfigError(
            Message.of(
                MessageId.MODBUS_NO_ROOM, where=f"{where}.address", address=str(addr), type=type_.value
            )
        )
    return point


def parse_modbus(table: Any) -> ModbusConfig:
    """Read ``[modbus]`` with its ``[[modbus.slaves]]`` and ``[[modbus.slaves.points]]``."""
    _check("[modbus]", table, _BUS_KEYS)
    defaults = {
        "interval": _num("modbus", table, "interval", 1.0, 0.01, 86400),
        "timeout": _num("modbus", table, "timeout", 1.0, 0.01, 60),
        "retries": int(_num("modbus", table, "retries", 1, 0, 10)),
        "max_registers": int(
            _num("modbus", table, "max_registers", MAX_READ_REGISTERS, 1, MAX_READ_REGISTERS)
        ),
    }
    first = _num("modbus", table, "backoff_first", 2.0, 0.1, 3600)
    maximum = _num("modbus", table, "backoff_max", 30.0, first, 3600)
    items = table.get("slaves", [])
    if not isinstance(items, list) or not items:
        raise ConfigError(
            Message.of(MessageId.CONFIG_NEEDS_TABLE, where="[modbus]", table="[[modbus.slaves]]")
        )
    slaves, units, channels = [], set(), set()
    for i, item in enumerate(items, start=1):
        where = f"modbus.slaves[{i}]"
        _check(where, item, _SLAVE_KEYS)
        if "unit" not in item:
            raise ConfigError(
                Message.of(MessageId.MODBUS_UNIT_MISSING, where=f"{where}.unit", max=str(MAX_UNIT_ID))
            )
        unit = int(_num(where, item, "unit", 1, 1, MAX_UNIT_ID))
        if unit in units:
            raise ConfigError(Message.of(MessageId.MODBUS_UNIT_TAKEN, where=f"{where}.unit", unit=str(unit)))
        units.add(unit)
        max_registers = int(
            _num(where, item, "max_registers", defaults["max_registers"], 1, MAX_READ_REGISTERS)
        )
        points_raw = item.get("points", [])
        if not isinstance(points_raw, list) or not points_raw:
            raise ConfigError(
                Message.of(MessageId.CONFIG_NEEDS_TABLE, where=where, table="[[modbus.slaves.points]]")
            )
        points = []
        for j, raw in enumerate(points_raw, start=1):
            point = parse_point(f"{where}.points[{j}]", raw)
            if point.channel in channels:
                raise ConfigError(
                    Message.of(
                        MessageId.MODBUS_CHANNEL_TAKEN,
                        where=f"{where}.points[{j}].channel",
                        name=point.channel,
                    )
                )
            if point.count > max_registers:
                raise ConfigError(
                    Message.of(
                        MessageId.MODBUS_POINT_TOO_LONG,
                        where=f"{where}.points[{j}]",
                        count=str(point.count),
                        max=str(max_registers),
                    )
                )
            channels.add(point.channel)
            points.append(point)
        slaves.append(
            Slave(
                unit=unit,
                name=_text(where, item, "name", f"unit {unit}"),
                points=tuple(points),
                interval=float(_num(where, item, "interval", defaults["interval"], 0.01, 86400)),
                timeout=float(_num(where, item, "timeout", defaults["timeout"], 0.01, 60)),
                retries=int(_num(where, item, "retries", defaults["retries"], 0, 10)),
                max_registers=max_registers,
                max_gap=int(_num(where, item, "max_gap", 0, 0, MAX_READ_REGISTERS)),
            )
        )
    return ModbusConfig(tuple(slaves), first, maximum)
