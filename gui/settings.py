"""What the window remembers between runs (QSettings): the port, the view, the geometry."""

from __future__ import annotations

import json

from PySide6 import QtCore

from core.acquisition.parsing import LineFormat
from core.acquisition.ports import SerialSettings, UsbIdentity
from core.config import PROTOCOLS, PortConfig


def port_to_json(port: PortConfig) -> str:
    s = port.settings
    data = {
        "device": port.device,
        "baudrate": s.baudrate,
        "parity": s.parity,
        "stopbits": s.stopbits,
        "bytesize": s.bytesize,
        "format": port.format.value,
        "protocol": port.protocol,
    }
    if port.usb is not None:
        data["usb"] = [port.usb.vid, port.usb.pid, port.usb.serial_number]
    return json.dumps(data)


def port_from_json(text: str) -> PortConfig | None:
    """The saved port, or None if nothing usable was saved."""
    try:
        data = json.loads(text)
        usb = UsbIdentity(*data["usb"]) if data.get("usb") else None
        settings = SerialSettings(
            int(data["baudrate"]), str(data["parity"]), float(data["stopbits"]), int(data["bytesize"])
        ).validate()
        protocol = str(data.get("protocol", "lines"))
        if protocol not in PROTOCOLS:
            return None
        return PortConfig(str(data["device"]), settings, LineFormat(data["format"]), usb, protocol=protocol)
    except (ValueError, KeyError, TypeError):
        return None


class AppSettings:
    """Typed access to the values the app keeps in QSettings."""

    def __init__(self, settings: QtCore.QSettings | None = None) -> None:
        self.qs = settings or QtCore.QSettings()

    @property
    def last_port(self) -> PortConfig | None:
        text = self.qs.value("port/last", "")
        return port_from_json(text) if text else None

    @last_port.setter
    def last_port(self, port: PortConfig) -> None:
        self.qs.setValue("port/last", port_to_json(port))

    @property
    def register_map(self) -> str:
        """The Modbus register map file chosen last ("" for none)."""
        value = self.qs.value("port/register_map", "")
        return value if isinstance(value, str) else ""

    @register_map.setter
    def register_map(self, path: str) -> None:
        self.qs.setValue("port/register_map", path)

    @property
    def demo_clock_shift(self) -> float | None:
        """The simulated device's clock shift the demo file was made with (None: no demo yet)."""
        try:
            value = self.qs.value("demo/clock_shift_s", None)
            return None if value is None else float(value)
        except (TypeError, ValueError):
            return None

    @demo_clock_shift.setter
    def demo_clock_shift(self, value: float) -> None:
        self.qs.setValue("demo/clock_shift_s", float(value))

    @property
    def span_s(self) -> float:
        try:
            return float(self.qs.value("view/span_s", 600.0))
        except (TypeError, ValueError):
            return 600.0

    @span_s.setter
    def span_s(self, value: float) -> None:
        self.qs.setValue("view/span_s", float(value))

    @property
    def hidden_channels(self) -> set[str]:
        value = self.qs.value("view/hidden", "[]")
        try:
            return set(json.loads(value))
        except (TypeError, ValueError):
            return set()

    @hidden_channels.setter
    def hidden_channels(self, names: set[str]) -> None:
        self.qs.setValue("view/hidden", json.dumps(sorted(names)))

    def geometry(self) -> QtCore.QByteArray | None:
        value = self.qs.value("window/geometry")
        return value if isinstance(value, QtCore.QByteArray) else None

    def set_geometry(self, value: QtCore.QByteArray) -> None:
        self.qs.setValue("window/geometry", value)
