"""Port discovery, serial settings, and the one call that opens any port."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import serial
from serial.tools import list_ports

from core.messages import Message, MessageError, MessageId

# Lets serial_for_url open "sim://" through core/simulation/protocol_sim.py (pyserial imports the
# handler by name when such a URL is opened; acquisition itself never imports the simulation).
if "core.simulation" not in serial.protocol_handler_packages:
    serial.protocol_handler_packages.append("core.simulation")

PARITIES = {
    "N": serial.PARITY_NONE,
    "E": serial.PARITY_EVEN,
    "O": serial.PARITY_ODD,
    "M": serial.PARITY_MARK,
    "S": serial.PARITY_SPACE,
}
STOPBITS = {1.0: serial.STOPBITS_ONE, 1.5: serial.STOPBITS_ONE_POINT_FIVE, 2.0: serial.STOPBITS_TWO}
BYTESIZES = (5, 6, 7, 8)
COMMON_BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)
URL_SCHEMES = ("socket://", "rfc2217://", "loop://", "sim://", "spy://", "alt://", "hwgrep://")


class SettingsError(MessageError, ValueError):
    """A serial setting that cannot be used (a ValueError, as before): the sentence names it."""


class PortError(MessageError):
    """A port could not be opened or used: one sentence for the operator (``str()`` in English,
    :attr:`message` as an id with parameters for the window)."""


@dataclass(frozen=True, slots=True)
class PortInfo:
    """What the operating system tells about a serial port."""

    device: str
    description: str = ""
    manufacturer: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str = ""
    location: str = ""

    @property
    def vid_pid(self) -> str:
        return f"{self.vid:04X}:{self.pid:04X}" if self.vid is not None and self.pid is not None else ""

    @property
    def is_usb(self) -> bool:
        return self.vid is not None


@dataclass(frozen=True, slots=True)
class UsbIdentity:
    """How to find the same USB adapter again when it comes back under another port name."""

    vid: int
    pid: int
    serial_number: str = ""

    def matches(self, info: PortInfo) -> bool:
        return (
            info.vid == self.vid
            and info.pid == self.pid
            and (not self.serial_number or info.serial_number == self.serial_number)
        )


@dataclass(frozen=True, slots=True)
class SerialSettings:
    baudrate: int = 9600
    parity: str = "N"
    stopbits: float = 1.0
    bytesize: int = 8

    def validate(self) -> SerialSettings:
        """Return self, or raise :class:`SettingsError` (a ValueError) naming the bad setting."""
        if not isinstance(self.baudrate, int) or isinstance(self.baudrate, bool) or self.baudrate <= 0:
            raise SettingsError(Message.of(MessageId.BAUD_RATE_BAD, value=repr(self.baudrate)))
        if self.parity not in PARITIES:
            raise SettingsError(Message.of(MessageId.PARITY_BAD, value=repr(self.parity)))
        if float(self.stopbits) not in STOPBITS:
            raise SettingsError(Message.of(MessageId.STOP_BITS_BAD, value=repr(self.stopbits)))
        if self.bytesize not in BYTESIZES:
            raise SettingsError(Message.of(MessageId.DATA_BITS_BAD, value=repr(self.bytesize)))
        return self

    def describe(self) -> str:
        stop = f"{self.stopbits:g}"
        return f"{self.baudrate} {self.bytesize}{self.parity}{stop}"


def _info(p) -> PortInfo:
    return PortInfo(
        device=p.device,
        description="" if p.description in (None, "n/a") else p.description,
        manufacturer=p.manufacturer or "",
        vid=p.vid,
        pid=p.pid,
        serial_number=p.serial_number or "",
        location=p.location or "",
    )


def port_sort_key(device: str) -> tuple:
    """Natural order of port names: COM2 before COM10, /dev/ttyUSB2 before /dev/ttyUSB10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", device)
        if part
    )


def same_device(a: str, b: str, platform: str = sys.platform) -> bool:
    """Whether two port names are the same port: Windows ignores case (com3 is COM3)."""
    if platform == "win32":
        return a.casefold() == b.casefold()
    return a == b


def list_serial_ports() -> list[PortInfo]:
    """Every serial port the operating system knows, in natural order of device name."""
    return sorted((_info(p) for p in list_ports.comports()), key=lambda i: port_sort_key(i.device))


def find_usb_port(identity: UsbIdentity) -> PortInfo | None:
    """The port of the adapter with this VID/PID/serial number, wherever it is now."""
    return next((p for p in list_serial_ports() if identity.matches(p)), None)


def is_url(port: str) -> bool:
    return "://" in port


def open_port(port: str, settings: SerialSettings, timeout: float = 0.05) -> serial.SerialBase:
    """Open a device path, a COM name or a URL (``socket://``, ``rfc2217://``, ``loop://``, ``sim://``).

    Raises :class:`PortError` with a sentence the operator can act on.
    """
    settings.validate()
    try:
        return serial.serial_for_url(
            port,
            baudrate=settings.baudrate,
            parity=PARITIES[settings.parity],
            stopbits=STOPBITS[float(settings.stopbits)],
            bytesize=settings.bytesize,
            timeout=timeout,
            write_timeout=1.0,
        )
    except (serial.SerialException, OSError, ValueError) as exc:
        raise PortError(explain_open_error(port, exc)) from exc


def explain_open_error(port: str, exc: BaseException) -> Message:
    """What an open that failed means, for the operator; the library's own words (a host that
    refused, a bad URL) stay a parameter of the sentence."""
    text = str(exc)
    low = text.lower().replace(port.lower(), "")  # the path itself may contain any word
    reason = text.rstrip(".")
    if "permission" in low or "access is denied" in low or "errno 13" in low:
        return Message.of(MessageId.PORT_DENIED, port=port)
    if "busy" in low or "errno 16" in low:
        return Message.of(MessageId.PORT_BUSY, port=port)
    # Before "not found": pyserial says "could not open port" for a gateway that refused too.
    if "connection refused" in low or "timed out" in low or "unreachable" in low:
        return Message.of(MessageId.PORT_UNREACHABLE, port=port, reason=reason)
    if "no such file" in low or "could not open port" in low or "filenotfound" in low or "errno 2" in low:
        return Message.of(MessageId.PORT_NOT_FOUND, port=port)
    if ("expected" in low and "url" in low) or "invalid url" in low or "not a valid" in low:
        return Message.of(MessageId.PORT_NOT_AN_ADDRESS, port=port, reason=reason)
    return Message.of(MessageId.PORT_OPEN_FAILED, port=port, reason=reason)
