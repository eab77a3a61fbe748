"""The TOML configuration: port, serial settings, line format, channels and storage.

Every key is checked; a mistake raises :class:`ConfigError` naming the key and what is wrong, so
the operator can fix the file without reading a traceback. See resources/watchkeeper.example.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.acquisition.parsing import MAX_CHANNELS, ChannelSpec, LineFormat
from core.acquisition.ports import PARITIES, SerialSettings, SettingsError, UsbIdentity
from core.config_error import ConfigError, check_keys
from core.messages import Message, MessageId
from core.storage.retention import RetentionError, RetentionPolicy

M = MessageId


@dataclass(frozen=True, slots=True)
class PortConfig:
    device: str = ""
    settings: SerialSettings = SerialSettings()
    format: LineFormat = LineFormat.AUTO
    usb: UsbIdentity | None = None
    max_channels: int = MAX_CHANNELS  # channels the port may create; lines naming more are refused
    protocol: str = "lines"  # lines, modbus-rtu, modbus-tcp, modbus-rtu-over-tcp, ascii-poll


@dataclass(frozen=True, slots=True)
class StorageConfig:
    db: str = ""
    commit_interval: float = 1.0


@dataclass(frozen=True, slots=True)
class Config:
    port: PortConfig = PortConfig()
    channels: tuple[ChannelSpec, ...] = ()
    storage: StorageConfig = StorageConfig()
    retention: RetentionPolicy = RetentionPolicy()
    source: str = ""  # the file it came from
    extra: dict[str, Any] = field(default_factory=dict)  # sections owned by later capabilities

    @property
    def units(self) -> dict[str, str]:
        return {c.name: c.unit for c in self.channels if c.unit}


_KNOWN_SECTIONS = {"port", "channels", "storage", "retention"}
# Sections that later capabilities read; accepted here so one file serves every release.
_OTHER_SECTIONS = {"forecast", "anomaly", "alarms", "ui", "modbus", "ascii_poll", "forward", "notify"}
PROTOCOLS = ("lines", "modbus-rtu", "modbus-tcp", "modbus-rtu-over-tcp", "ascii-poll")


def _check_keys(section: str, table: dict[str, Any], allowed: set[str]) -> None:
    check_keys(f"[{section}]", table, allowed)


def _get(section: str, table: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    if key not in table:
        return default
    value = table[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        raise ConfigError(_wrong_kind(f"{section}.{key}", kinds, value))
    return value


def _hex_id(section: str, table: dict[str, Any], key: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value, 16)
        except ValueError:
            pass
    raise ConfigError(Message.of(M.USB_ID_BAD, where=f"port.{key}", value=repr(value)))


def parse_port(table: dict[str, Any]) -> PortConfig:
    _check_keys(
        "port",
        table,
        {
            "device",
            "baudrate",
            "parity",
            "stopbits",
            "bytesize",
            "format",
            "vid",
            "pid",
            "serial_number",
            "protocol",
            "max_channels",
        },
    )
    parity = str(_get("port", table, "parity", str, "N")).upper()
    if parity not in PARITIES:
        raise ConfigError(_one_of("port.parity", "N, E, O, M, S", parity))
    settings = SerialSettings(
        baudrate=_get("port", table, "baudrate", int, 9600),
        parity=parity,
        stopbits=float(_get("port", table, "stopbits", (int, float), 1)),
        bytesize=_get("port", table, "bytesize", int, 8),
    )
    try:
        settings.validate()
    except SettingsError as exc:
        raise ConfigError(Message.of(M.PORT_SECTION, problem=exc.message)) from None
    fmt_name = _get("port", table, "format", str, "auto")
    try:
        fmt = LineFormat(fmt_name)
    except ValueError:
        raise ConfigError(_one_of("port.format", "auto, csv, kv, json", fmt_name)) from None
    vid, pid = _hex_id("port", table, "vid"), _hex_id("port", table, "pid")
    usb = UsbIdentity(vid, pid, _get("port", table, "serial_number", str, "")) if vid and pid else None
    max_channels = _get("port", table, "max_channels", int, MAX_CHANNELS)
    if not 1 <= max_channels <= 100_000:
        raise ConfigError(
            Message.of(
                M.CONFIG_BETWEEN, where="port.max_channels", low="1", high="100000", value=str(max_channels)
            )
        )
    protocol = _get("port", table, "protocol", str, "lines")
    if protocol not in PROTOCOLS:
        raise ConfigError(_one_of("port.protocol", ", ".join(PROTOCOLS), protocol))
    return PortConfig(_get("port", table, "device", str, ""), settings, fmt, usb, max_channels, protocol)


def parse_channels(items: Any) -> tuple[ChannelSpec, ...]:
    if not isinstance(items, list):
        raise ConfigError(Message.of(M.CHANNELS_NOT_LIST))
    specs, names = [], set()
    for i, item in enumerate(items, start=1):
        where = f"channels[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(Message.of(M.CHANNEL_NOT_TABLE, where=where))
        _check_keys(where, item, {"field", "name", "unit", "scale", "offset"})
        if "field" not in item:
            raise ConfigError(Message.of(M.FIELD_MISSING, where=f"{where}.field"))
        fld = _get(where, item, "field", (str, int), None)
        if isinstance(fld, int) and fld < 1:
            raise ConfigError(Message.of(M.FIELD_NOT_COLUMN, where=f"{where}.field", value=str(fld)))
        name = _get(where, item, "name", str, str(fld) if isinstance(fld, str) else f"ch{fld}")
        if not name.strip():
            raise ConfigError(Message.of(M.CONFIG_EMPTY, where=f"{where}.name"))
        if name in names:
            raise ConfigError(Message.of(M.CHANNEL_NAME_TAKEN, where=f"{where}.name", name=name))
        names.add(name)
        specs.append(
            ChannelSpec(
                field=fld,
                name=name,
                unit=_get(where, item, "unit", str, ""),
                scale=float(_get(where, item, "scale", (int, float), 1.0)),
                offset=float(_get(where, item, "offset", (int, float), 0.0)),
            )
        )
    return tuple(specs)


def parse_storage(table: dict[str, Any]) -> StorageConfig:
    _check_keys("storage", table, {"db", "commit_interval"})
    interval = float(_get("storage", table, "commit_interval", (int, float), 1.0))
    if not 0 < interval <= 1:
        raise ConfigError(
            Message.of(M.COMMIT_INTERVAL_BAD, where="storage.commit_interval", value=str(interval))
        )
    return StorageConfig(_get("storage", table, "db", str, ""), interval)


def parse_retention(table: dict[str, Any]) -> RetentionPolicy:
    keys = ("raw_days", "minute_days", "hour_days", "unsent_days")
    _check_keys("retention", table, set(keys))
    default = RetentionPolicy()
    policy = RetentionPolicy(
        *(float(_get("retention", table, key, (int, float), getattr(default, key))) for key in keys)
    )
    try:
        return policy.validate()
    except RetentionError as exc:
        raise ConfigError(exc.message) from None


def config_from_dict(data: dict[str, Any], source: str = "") -> Config:
    for key in data:
        if key not in _KNOWN_SECTIONS | _OTHER_SECTIONS:
            known = ", ".join(sorted(_KNOWN_SECTIONS | _OTHER_SECTIONS))
            raise ConfigError(Message.of(M.CONFIG_UNKNOWN_SECTION, section=str(key), known=known))
    for key in ("port", "storage", "retention"):
        if key in data and not isinstance(data[key], dict):
            raise ConfigError(Message.of(M.CONFIG_NOT_TABLE, where=f"[{key}]"))
    return Config(
        port=parse_port(data.get("port", {})),
        channels=parse_channels(data.get("channels", [])),
        storage=parse_storage(data.get("storage", {})),
        retention=parse_retention(data.get("retention", {})),
        source=source,
        extra={k: v for k, v in data.items() if k in _OTHER_SECTIONS},
    )


def load_config(path: str | Path) -> Config:
    """Read a TOML config and check its own sections ([port], [channels], [storage], [retention]);
    raise :class:`ConfigError` with a one-line reason naming the file.

    The file may start with a byte-order mark (Notepad and PowerShell write one). The sections
    the capabilities read are checked by whoever composes them (core.engine.settings: the command
    line refuses a mistake, the window falls back per section).
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(Message.of(M.CONFIG_MISSING, path=str(path))) from None
    except UnicodeDecodeError:
        raise ConfigError(Message.of(M.CONFIG_NOT_UTF8, path=str(path))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(Message.of(M.CONFIG_NOT_TOML, path=str(path), detail=str(exc))) from None
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise ConfigError(Message.of(M.CONFIG_UNREADABLE, path=str(path), detail=detail)) from None
    try:
        config = config_from_dict(data, str(path))
    except ConfigError as exc:
        raise in_file(path, exc) from None
    return config


def section_error(config: Config, exc: ConfigError) -> ConfigError:
    """``exc`` from parsing one of ``config``'s sections, naming the file it came from."""
    if not config.source or str(exc).startswith(config.source):
        return exc
    return in_file(config.source, exc)


def in_file(path: str | Path, exc: ConfigError) -> ConfigError:
    """``exc`` naming the file it came from: "watchkeeper.toml: port.parity must be ..."."""
    return ConfigError(Message.of(M.IN_FILE, path=str(path), problem=exc.message))


def _wrong_kind(where: str, kinds: tuple[type, ...], value: Any) -> Message:
    """ "port.baudrate must be a whole number, got 'fast'" (text, whole number, number)."""
    named = {(str,): M.CONFIG_NOT_TEXT, (int,): M.CONFIG_NOT_WHOLE, (bool,): M.CONFIG_NOT_BOOL}
    if kinds in named:
        return Message.of(named[kinds], where=where, value=repr(value))
    if set(kinds) <= {int, float}:
        return Message.of(M.CONFIG_NOT_NUMBER, where=where, value=repr(value))
    if kinds in ((str, int), (list, str)):
        either = M.CONFIG_NOT_TEXT_OR_WHOLE if kinds == (str, int) else M.CONFIG_NOT_LIST_OR_TEXT
        return Message.of(either, where=where, value=repr(value))
    names = " or ".join(
        k.__name__.replace("str", "text").replace("int", "whole number").replace("float", "number")
        for k in kinds
    )
    return Message.plain(f"{where} must be {names}, got {value!r}")


def _one_of(where: str, names: str, value: Any) -> Message:
    return Message.of(M.CONFIG_ONE_OF, where=where, names=names, value=repr(value))
