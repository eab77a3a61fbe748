"""pyserial handler for ``sim://`` URLs: a :class:`SimulatedDevice` behind the serial port API.

``serial_for_url("sim://?channels=4&rate=10&format=csv&seed=1&anomalies=1")`` returns a port whose
reads yield the lines the device has sent since it was opened, paced by the wall clock. Every option
is optional (defaults: 4 channels, 10 Hz, csv, seed 0, anomalies on); ``header=1`` sends a CSV
header first and ``drift=<unit per hour>`` sets the first channel's drift. ``ports.py`` registers
this package so pyserial finds the module. Modelled on pyserial's ``urlhandler/protocol_loop.py``.
"""

from __future__ import annotations

import bisect
import math
import threading
import time
import urllib.parse

from serial.serialutil import PortNotOpenError, SerialBase, SerialException, to_bytes

from core.simulation.simulator import SimulatedDevice

_MAX_WAIT_S = 0.1  # the longest sleep of a read waiting for its next line (stop stays prompt)
_MAX_BACKLOG_LINES = 50_000  # bounds the work of one catch-up after a long pause in reading
_AHEAD_S = 1.0  # seconds of lines computed at once
_BUFFER_LIMIT = 4 << 20  # bytes; beyond it new lines are lost, like a driver buffer overrun
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_USAGE = (
    "sim://?channels=N&rate=HZ&format=csv|kv|json&seed=N&anomalies=0|1&header=0|1&drift=X&shift=S&spacing=S"
)


def _convert(key: str, text: str, kind: type) -> object:
    try:
        if kind is bool:
            if text.lower() not in _TRUE + _FALSE:
                raise ValueError(text)
            return text.lower() in _TRUE
        value = kind(text)
    except ValueError:
        expected = {int: "a whole number", float: "a number", bool: "0 or 1"}[kind]
        raise SerialException(f"sim:// option {key} must be {expected}, got {text!r}.") from None
    if kind is float and not math.isfinite(value):
        raise SerialException(f"sim:// option {key} must be a finite number, got {text!r}.")
    return value


# URL option -> (SimulatedDevice argument, type)
_OPTIONS = {
    "channels": ("channels", int),
    "rate": ("rate_hz", float),
    "format": ("fmt", str),
    "seed": ("seed", int),
    "anomalies": ("anomalies", bool),
    "drift": ("drift_per_hour", float),
    "header": ("header", bool),
    "shift": ("clock_shift_s", float),
    "spacing": ("anomaly_spacing_s", float),  # seconds: at most one injected anomaly per slot
}


class Serial(SerialBase):
    """A serial port that reads a simulated sensor; writes are accepted and discarded."""

    def __init__(self, *args, **kwargs) -> None:
        self._device: SimulatedDevice | None = None
        self._header = False
        self._buffer = bytearray()
        self._lock = threading.Lock()
        self._sent_until = 0.0
        self._due = math.inf  # when the first line after those sent is due (see _next_due)
        self._cancelled = False
        # Lines computed ahead (see _lines_between): sample numbers first..last, those sent kept.
        self._ahead_first, self._ahead_last = 0, -1
        self._ahead_numbers: list[int] = []
        self._ahead_lines: list[bytes] = []
        self.lost_lines = 0  # lines lost to backlog or buffer limits, as a UART overrun would
        super().__init__(*args, **kwargs)

    # -- lifecycle ----------------------------------------------------------------------------
    def open(self) -> None:
        """Parse the URL and start the device clock now."""
        if self.is_open:
            raise SerialException("Port is already open.")
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        self.from_url(self.port)
        self._reconfigure_port()
        self.is_open = True
        self.reset_input_buffer()
        if self._header and self._device is not None:
            self._buffer += self._device.header_line()

    def from_url(self, url: str) -> None:
        """Build the device from the URL's query; raise SerialException naming a bad option."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() != "sim":
            raise SerialException(f"expected a URL of the form {_USAGE}, got {url!r}.")
        kwargs: dict[str, object] = {"rate_hz": 10.0}
        for key, values in urllib.parse.parse_qs(parts.query, keep_blank_values=True).items():
            if key not in _OPTIONS:
                raise SerialException(f"unknown sim:// option {key!r}; expected {_USAGE}.")
            name, kind = _OPTIONS[key]
            kwargs[name] = _convert(key, values[-1], kind)
        self._header = bool(kwargs.pop("header", False))
        try:
            self._device = SimulatedDevice(**kwargs)
        except ValueError as exc:
            raise SerialException(f"bad sim:// option: {exc}.") from None

    def close(self) -> None:
        self.is_open = False
        self._cancelled = True
        with self._lock:
            self._buffer.clear()
        super().close()

    def _reconfigure_port(self) -> None:
        """Baud rate, parity and the rest have no effect on a simulated device."""

    # -- reading ------------------------------------------------------------------------------
    def _pump(self) -> None:
        """Move the lines that are due by now into the buffer (call with the lock held)."""
        device, now = self._device, time.time()
        if device is None or now < self._next_due():
            return  # no line is due yet: nothing to compute
        start = self._sent_until
        backlog = (now - start) * device.rate_hz
        if backlog > _MAX_BACKLOG_LINES:
            self.lost_lines += int(backlog - _MAX_BACKLOG_LINES)
            start = now - _MAX_BACKLOG_LINES / device.rate_hz
        lines = self._lines_between(device, start, now)
        self._sent(now)
        if len(self._buffer) > _BUFFER_LIMIT:
            self.lost_lines += len(lines)
        else:
            self._buffer += b"".join(lines)

    def _lines_between(self, device: SimulatedDevice, start: float, now: float) -> list[bytes]:
        """The lines of the samples due in ``(start, now]``, computed a second ahead at a time: the
        device's cost is mostly per call, and a 10 Hz device would otherwise be called per line."""
        first, last = device.slot(start) + 1, device.slot(now)
        if first < self._ahead_first or last > self._ahead_last:
            numbers, values = device.numbered_samples_between(start, now + _AHEAD_S)
            self._ahead_numbers, self._ahead_lines = numbers.tolist(), device.lines_of(values)
            self._ahead_first, self._ahead_last = first, device.slot(now + _AHEAD_S)
        numbers = self._ahead_numbers  # a list: bisect costs a tenth of numpy's searchsorted here
        return self._ahead_lines[bisect.bisect_left(numbers, first) : bisect.bisect_right(numbers, last)]

    def _next_due(self) -> float:
        """When the first line after the ones already sent is due (UTC seconds)."""
        return self._due

    def _sent(self, until: float) -> None:
        """Everything due by ``until`` has been sent (or forgotten)."""
        self._sent_until = until
        device = self._device
        if device is not None:
            self._due = (math.floor(until * device.rate_hz + 1e-9) + 1) / device.rate_hz

    @property
    def in_waiting(self) -> int:
        """Bytes due by now and not yet read."""
        if not self.is_open:
            raise PortNotOpenError()
        with self._lock:
            self._pump()
            return len(self._buffer)

    def read(self, size: int = 1) -> bytes:
        """Up to ``size`` bytes of due lines; waits up to ``timeout`` only while nothing is due."""
        if not self.is_open:
            raise PortNotOpenError()
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        self._cancelled = False
        while size > 0:
            with self._lock:
                self._pump()
                if self._buffer:
                    data = bytes(self._buffer[:size])
                    del self._buffer[:size]
                    return data
            if self._cancelled or not self.is_open:
                break
            left = _MAX_WAIT_S if deadline is None else deadline - time.monotonic()
            if left <= 0:
                break
            # Sleep until the next line is due, as a port blocks until bytes arrive (polling
            # every few ms cost more CPU than the whole recorder at 10 lines a second).
            due = max(0.0, self._next_due() - time.time()) + 0.0005
            time.sleep(min(left, due, _MAX_WAIT_S))
        return b""

    def cancel_read(self) -> None:
        self._cancelled = True

    def reset_input_buffer(self) -> None:
        """Forget everything sent so far; reading resumes with the next sample."""
        if not self.is_open:
            raise PortNotOpenError()
        with self._lock:
            self._buffer.clear()
            self._sent(time.time())

    # -- writing and modem lines: nothing is listening --------------------------------------------
    def write(self, data: bytes) -> int:
        if not self.is_open:
            raise PortNotOpenError()
        return len(to_bytes(data))

    def reset_output_buffer(self) -> None:
        if not self.is_open:
            raise PortNotOpenError()

    def cancel_write(self) -> None:
        pass

    @property
    def out_waiting(self) -> int:
        return 0

    def _update_break_state(self) -> None:
        pass

    def _update_rts_state(self) -> None:
        pass

    def _update_dtr_state(self) -> None:
        pass

    @property
    def cts(self) -> bool:
        return True

    @property
    def dsr(self) -> bool:
        return True

    @property
    def ri(self) -> bool:
        return False

    @property
    def cd(self) -> bool:
        return True
