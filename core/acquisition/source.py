"""The source interface: what the recording session needs from anything that produces readings.

A line reader (the device talks by itself), a Modbus poller and an ASCII poller all look the same
to the session (PlotJuggler's data-streamer idea): ``start()`` (raising PortError with one
sentence), ``stop()``, ``is_running``, ``state``, ``stats()``, readings handed to ``on_batch`` in
:class:`ReadingBatch` es and port states to ``on_event`` as :class:`PortEvent` s, so the writer,
the scorer, the alarms, reconnects and comm-loss work the same for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol as Interface

from core.acquisition.modbus.config import ModbusConfig, parse_modbus
from core.acquisition.modbus.poller import ModbusPoller, SlaveEvent
from core.acquisition.modbus.transport import Frame, ModbusLink
from core.acquisition.modbus.transport import Protocol as WireProtocol
from core.acquisition.ports import SerialSettings
from core.acquisition.reader import PortEvent, PortState, ReaderStats
from core.readings import ReadingBatch


class Source(Interface):
    """A producer of readings owned by a recording session."""

    port: str

    def start(self) -> None: ...

    def stop(self, timeout: float | None = ...) -> None: ...

    @property
    def is_running(self) -> bool: ...

    @property
    def state(self) -> PortState: ...

    @property
    def ended_unexpectedly(self) -> bool: ...

    @property
    def channel_limit_reached(self) -> bool: ...

    def restart(self) -> None: ...

    def stats(self) -> ReaderStats: ...


BatchSink = Callable[[ReadingBatch], None]
EventSink = Callable[[PortEvent], None]
DeviceSink = Callable[[SlaveEvent], None]  # a device on a bus stopped or started answering


class SourceFactory(Interface):
    """Builds the source once the session knows where readings and port events go."""

    @property
    def units(self) -> dict[str, str]: ...

    def __call__(
        self, on_batch: BatchSink, on_event: EventSink, on_device: DeviceSink | None = None
    ) -> Source: ...


@dataclass(frozen=True)
class ModbusSource:
    """Builds a :class:`ModbusPoller` for one bus (``[port] protocol = "modbus-..."``)."""

    protocol: WireProtocol
    port: str
    settings: SerialSettings
    config: ModbusConfig
    on_slave_event: Callable[[SlaveEvent], None] | None = None
    on_frame: Callable[[Frame], None] | None = None

    @property
    def units(self) -> dict[str, str]:
        return self.config.units

    def __call__(
        self, on_batch: BatchSink, on_event: EventSink, on_device: DeviceSink | None = None
    ) -> ModbusPoller:
        link = ModbusLink(self.protocol, self.port, self.settings, on_frame=self.on_frame)
        sinks = [f for f in (self.on_slave_event, on_device) if f is not None]

        def on_slave_event(event: SlaveEvent) -> None:
            for sink in sinks:
                sink(event)

        return ModbusPoller(
            link,
            self.config.slaves,
            on_batch,
            on_event=on_event,
            on_slave_event=on_slave_event if sinks else None,
            backoff_first=self.config.backoff_first,
            backoff_max=self.config.backoff_max,
        )


def source_for(protocol: str, port: str, settings: SerialSettings, extra: dict) -> SourceFactory | None:
    """The source a config asks for, or None for the line reader (``protocol = "lines"``).

    ``extra`` is the config's sections beyond [port]/[channels] (``[modbus]``, ``[ascii_poll]``);
    a mistake in them raises ConfigError naming the key.
    """
    kind = WireProtocol(protocol)
    if kind is WireProtocol.LINES:
        return None
    if kind.is_modbus:
        return ModbusSource(kind, port, settings, parse_modbus(extra.get("modbus", {})))
    from core.acquisition.polled_ascii import AsciiPollSource, parse_ascii_poll

    return AsciiPollSource(port, settings, parse_ascii_poll(extra.get("ascii_poll", {})))
