"""One Modbus link (RTU on a serial port, Modbus TCP, or RTU frames through a TCP socket) and
the one call that turns a :class:`ReadRequest` into an outcome.

Framing, CRCs and transaction ids are pymodbus's (pinned to 3.16: ``device_id=``). What this adds:
a per-request time-out, a classification of every failure (time-out, CRC/framing error, Modbus
exception by name, link down) and a frame monitor that sees the raw bytes with their times.
pymodbus's own retries are off: the poller retries, so every try is counted.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from pymodbus import FramerType
from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException
from pymodbus.framer import FramerRTU

from core.acquisition.modbus.diagnostics import Outcome, exception_name
from core.acquisition.modbus.planning import ReadRequest
from core.acquisition.modbus.registers import Function
from core.acquisition.ports import PARITIES, PortError, SerialSettings, open_port
from core.messages import Message, MessageError, MessageId

log = logging.getLogger(__name__)
# pymodbus logs every time-out as an ERROR in its own words; the poller counts and explains them,
# so its text stays out of an operator's terminal unless someone asks for it.
if logging.getLogger("pymodbus").level == logging.NOTSET:
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)

MODBUS_TCP_PORT = 502


class Protocol(Enum):
    """How readings come off the port (``[port] protocol`` in the config)."""

    LINES = "lines"  # the device sends ASCII lines by itself (the line reader)
    MODBUS_RTU = "modbus-rtu"  # Modbus RTU on a serial port or pty
    MODBUS_TCP = "modbus-tcp"  # Modbus TCP (MBAP) to a gateway or a device
    MODBUS_RTU_TCP = "modbus-rtu-over-tcp"  # RTU frames passed through a TCP socket
    ASCII_POLL = "ascii-poll"  # an ASCII query answered by an ASCII reply

    @property
    def is_modbus(self) -> bool:
        return self.value.startswith("modbus")


@dataclass(frozen=True, slots=True)
class Frame:
    """Raw bytes seen on the link, for the frame monitor."""

    at: float  # time.time() when sent or received
    sent: bool  # True: TX (request), False: RX (reply)
    data: bytes

    def hex(self) -> str:
        return self.data.hex(" ").upper()


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    words: list[int] | list[bool]
    seconds: float  # request sent to reply decoded (or given up)
    detail: str = ""  # the exception's name, or what came back instead of the reply


class HostPortError(MessageError, ValueError):
    """A gateway address that is not host:port."""


def split_host(address: str, default_port: int = MODBUS_TCP_PORT) -> tuple[str, int]:
    """``"192.0.2.10:502"``, ``"tcp://host:port"`` or ``"host"`` -> ``(host, port)``."""
    text = address.split("://", 1)[-1]
    host, sep, port = text.rpartition(":")
    if not sep or "]" in port:
        return text.strip("[]"), default_port
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        raise HostPortError(Message.of(MessageId.NOT_HOST_PORT, address=repr(address))) from None


class ModbusLink:
    """A pymodbus client for one bus, with per-request time-outs and a frame monitor."""

    def __init__(
        self,
        protocol: Protocol,
        port: str,
        settings: SerialSettings = SerialSettings(baudrate=19200, parity="E"),
        on_frame: Callable[[Frame], None] | None = None,
        connect_timeout: float = 2.0,
    ) -> None:
        if not protocol.is_modbus:
            raise ValueError(f"{protocol.value} is not a Modbus protocol")
        self.protocol = protocol
        self.port = port
        self.settings = settings.validate()
        self.on_frame = on_frame
        self._rx: list[bytes] = []
        self._rx_at: list[float] = []
        self.bytes_sent = 0
        self.bytes_received = 0
        if protocol is Protocol.MODBUS_RTU:
            self.client: ModbusSerialClient | ModbusTcpClient = ModbusSerialClient(
                port,
                framer=FramerType.RTU,
                baudrate=settings.baudrate,
                bytesize=settings.bytesize,
                parity=PARITIES[settings.parity],
                stopbits=int(settings.stopbits) if settings.stopbits != 1.5 else 1.5,
                timeout=connect_timeout,
                retries=0,
                trace_packet=self._trace,
            )
            # pymodbus 3.16 looks for the end of a reply every 4 characters and needs two quiet
            # looks, which adds about 4 ms a request at 19200 Bd (1.40x the wire time for 3 x 10
            # registers in benchmarks/modbus.py). Looking once a character brings it to about 1.2x;
            # a reply split by a slow USB adapter is still put together by pymodbus's framer.
            if hasattr(self.client, "_recv_interval"):
                self.client._recv_interval = max(10.0 / settings.baudrate, 0.0005)
        else:
            host, tcp_port = split_host(port)
            self.client = ModbusTcpClient(
                host,
                port=tcp_port,
                framer=FramerType.SOCKET if protocol is Protocol.MODBUS_TCP else FramerType.RTU,
                timeout=connect_timeout,
                retries=0,
                trace_packet=self._trace,
            )

    @property
    def wire_framing(self) -> bool:
        """True when frames carry an RTU CRC (serial, or RTU through TCP)."""
        return self.protocol is not Protocol.MODBUS_TCP

    def connect(self) -> bool:
        try:
            return bool(self.client.connect())
        except Exception:  # pyserial raises several undocumented kinds on exotic ports
            log.exception("opening %s failed", self.port)
            return False

    def open_error(self) -> Message:
        """Why :meth:`connect` failed, in one sentence (pymodbus only says that it failed)."""
        if self.protocol is not Protocol.MODBUS_RTU:
            return Message.of(MessageId.GATEWAY_UNREACHABLE, port=self.port, protocol=self.protocol.value)
        try:
            open_port(self.port, self.settings).close()
        except Exception as exc:  # PortError, or termios.error from a pty that refuses a setting
            if self.settings.parity != "N" and "invalid argument" in str(exc).lower():
                return Message.of(MessageId.PARITY_REFUSED, port=self.port, parity=self.settings.parity)
            if isinstance(exc, PortError):
                return exc.message
            log.info("opening %s: %r", self.port, exc)
        return Message.of(MessageId.LINK_OPEN_FAILED, port=self.port, protocol=self.protocol.value)

    @property
    def connected(self) -> bool:
        return bool(self.client.connected)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()

    def _trace(self, sending: bool, data: bytes) -> bytes:
        if sending:
            self._rx, self._rx_at = [], []
            self.bytes_sent += len(data)
            if self.on_frame is not None and data:
                self._emit(Frame(time.time(), True, data))
        elif data:
            # pymodbus passes its whole receive buffer each time: keep only what is new.
            if self._rx and data.startswith(self._rx[-1]):
                self.bytes_received += len(data) - len(self._rx[-1])
                self._rx[-1] = data
            else:
                self.bytes_received += len(data)
                self._rx.append(data)
                self._rx_at.append(time.time())
        return data

    def _emit(self, frame: Frame) -> None:
        try:
            self.on_frame(frame)  # type: ignore[misc]
        except Exception:
            log.exception("frame monitor failed")

    def _set_timeout(self, seconds: float) -> None:
        # pymodbus keeps the time-out in two places: the client's and its transaction manager's copy.
        self.client.comm_params.timeout_connect = seconds
        self.client.transaction.comm_params.timeout_connect = seconds

    def read(self, unit: int, request: ReadRequest, timeout: float) -> Result:
        """Send one read and wait at most ``timeout`` seconds for its reply."""
        self._set_timeout(timeout)
        call = {
            Function.COIL: self.client.read_coils,
            Function.DISCRETE: self.client.read_discrete_inputs,
            Function.HOLDING: self.client.read_holding_registers,
            Function.INPUT: self.client.read_input_registers,
        }[request.function]
        self._rx, self._rx_at = [], []
        t0 = time.perf_counter()
        try:
            reply = call(request.address, count=request.count, device_id=unit)
        except ConnectionException as exc:
            self.close()
            return self._done(Outcome.LINK_DOWN, [], t0, str(exc) or "the link is closed")
        except ModbusIOException as exc:
            return self._failed(unit, t0, exc)
        except ModbusException as exc:
            return self._failed(unit, t0, exc)
        except OSError as exc:
            self.close()
            return self._done(Outcome.LINK_DOWN, [], t0, exc.strerror or str(exc))
        if reply.isError():
            code = getattr(reply, "exception_code", 0)
            return self._done(Outcome.EXCEPTION, [], t0, exception_name(code))
        words = list(reply.bits if request.function.is_bits else reply.registers)
        if len(words) < request.count:
            return self._done(Outcome.BAD_FRAME, [], t0, f"{len(words)} values for {request.count} asked")
        return self._done(Outcome.OK, words[: request.count], t0)

    def _done(self, outcome: Outcome, words: list, t0: float, detail: str = "") -> Result:
        seconds = time.perf_counter() - t0
        if self.on_frame is not None:
            for at, chunk in zip(self._rx_at, self._rx, strict=True):
                self._emit(Frame(at, False, chunk))
        return Result(outcome, words, seconds, detail)

    def _failed(self, unit: int, t0: float, exc: Exception) -> Result:
        """No valid reply: a time-out if nothing came back, else a bad frame (or a stray reply)."""
        received = b"".join(self._rx)
        if not received:
            if not self.connected:
                return self._done(Outcome.LINK_DOWN, [], t0, "the connection closed")
            return self._done(Outcome.TIMEOUT, [], t0, f"no reply from unit {unit}")
        log.info("unit %s: no valid reply (%s), received %s", unit, exc, received.hex(" "))
        if self.wire_framing and len(received) >= 4 and received[0] != unit:
            crc = int.from_bytes(received[-2:], "big")
            if FramerRTU.check_CRC(received[:-2], crc):
                # A sound frame from another unit (a late reply): never credited, and not noise.
                return self._done(
                    Outcome.TIMEOUT, [], t0, f"unit {received[0]} answered instead of unit {unit}"
                )
        return self._done(Outcome.BAD_FRAME, [], t0, f"{len(received)} bytes with a bad CRC or framing")
