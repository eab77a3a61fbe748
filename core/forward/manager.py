"""Forwarders: every forwarder, notifier and the OPC UA server the configuration asks for.

The recording session builds one of these on its open file, starts it after the writer, feeds it
each batch and alarm transition (for the OPC UA server's live values), and stops it before the
file closes. Retention asks it which readings are still unsent (:meth:`holds`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import duckdb

from core.alarms.model import AlarmEvent
from core.forward.engine import Forwarder, ForwarderState
from core.forward.settings import ForwardConfig
from core.readings import ReadingBatch
from core.storage.errors import StoreError, write_problem
from core.storage.forwarding import READINGS
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)


class Forwarders:
    def __init__(
        self,
        store: ReadingStore,
        config: ForwardConfig,
        units: dict[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        poll_interval: float = 0.5,
    ) -> None:
        """Open each forwarder's cursor in ``store`` (a new one starts with the newest rows);
        raises :class:`StoreError` with one sentence when the file cannot keep them."""
        self.config = config
        history = config.history_hours * 3600.0
        self.forwarders: list[Forwarder] = []

        def add(sink: object, pace: object, history_s: float = 0.0) -> None:
            try:
                self.forwarders.append(Forwarder(store, sink, pace, history_s, poll_interval, clock))
            except duckdb.Error as exc:
                log.info("cannot open the forwarding cursor of %s: %s", sink.name, exc)
                raise StoreError(
                    f"Cannot keep the forwarding position of {sink.name} in {store.path}: "
                    f"{write_problem(exc)}"
                ) from None

        if config.mqtt is not None:
            from core.forward.mqtt import MqttSink

            add(MqttSink(config.mqtt, config.site, config.device), config.mqtt.pace, history)
        if config.influx is not None:
            from core.forward.influx import InfluxSink

            add(InfluxSink(config.influx, config.site, config.device), config.influx.pace, history)
        if config.webhooks or config.emails:
            from core.forward.notify import EmailSink, WebhookSink

            for hook in config.webhooks:
                add(WebhookSink(hook, store, config.site, config.device, clock), hook.pace)
            for mail in config.emails:
                add(EmailSink(mail, store, config.site, config.device, clock), mail.pace)
        self.opcua = None
        if config.opcua is not None:
            from core.forward.opcua import OpcUaServer

            self.opcua = OpcUaServer(config.opcua, store, config.site, config.device, units)

    def start(self) -> None:
        for forwarder in self.forwarders:
            forwarder.start()
        if self.opcua is not None:
            self.opcua.start(timeout=0)  # recording does not wait for the server's address space

    def stop(self, drain_s: float = 2.0) -> None:
        """Stop everything; each connected forwarder first gets ``drain_s`` to send the last commit."""
        for forwarder in self.forwarders:
            forwarder.stop(drain_s=drain_s)
        if self.opcua is not None:
            self.opcua.stop()

    def states(self) -> tuple[ForwarderState, ...]:
        states = [f.state() for f in self.forwarders]
        if self.opcua is not None:
            states.append(self.opcua.state())
        return tuple(states)

    def holds(self) -> dict[str, int]:
        """Each readings forwarder's cursor (µs): readings after it are not sent yet."""
        return {
            f.sink.name: ts
            for f in self.forwarders
            if READINGS in f.sink.streams and (ts := f.readings_cursor()) is not None
        }

    def update(self, batch: ReadingBatch) -> None:
        if self.opcua is not None:
            self.opcua.update(batch)

    def alarm(self, event: AlarmEvent) -> None:
        if self.opcua is not None:
            self.opcua.alarm(event)
