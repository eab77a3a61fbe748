"""MqttSink: readings, alarms and forecasts to an MQTT broker (paho-mqtt, MQTT 5 or 3.1.1).

Topics under the configured prefix (default ``watchkeeper/<site>/<device>``):

- ``<prefix>/readings``: JSON ``{"site", "device", "readings": [{"id", "ts", "channel", "value",
  "unit"}, ...]}``, up to ``batch`` readings per message, oldest first;
- ``<prefix>/alarms``: ``{"site", "device", "alarms": [...]}``, every alarm transition;
- ``<prefix>/forecasts``: one message per forecast cycle;
- ``<prefix>/status``: retained ``online``, and ``offline`` as the last will (and on a clean stop).

Everything is published with QoS 1, and the cursor only moves once the broker has acknowledged
every message of a round: a broker that goes away mid-round gets the round again (at least once).
A fresh client is made for every connection, so paho never re-sends on its own behind our back.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
import uuid
from urllib.parse import urlsplit

import numpy as np
import paho.mqtt.client as mqtt
import pandas as pd
from paho.mqtt.enums import CallbackAPIVersion

from core.forward import payloads
from core.forward.engine import ForwardError
from core.forward.settings import MqttConfig, redact
from core.storage.forwarding import ALARMS, FORECASTS, READINGS

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
ACK_TIMEOUT_S = 20.0


class MqttSink:
    name = "mqtt"
    streams = (READINGS, ALARMS, FORECASTS)

    def __init__(self, config: MqttConfig, site: str, device: str) -> None:
        self.config = config
        self.site = site
        self.device = device
        parts = urlsplit(config.url)
        self.host = parts.hostname or ""
        self.tls = parts.scheme == "mqtts"
        self.port = parts.port or (8883 if self.tls else 1883)
        self.username = config.username or (parts.username or "")
        self._password = config.password or (parts.password or "")
        self.target = redact(f"{parts.scheme}://{self.host}:{self.port}/{config.topic}")
        self.topic = config.topic
        self.client_id = config.client_id or f"watchkeeper-{device}-{uuid.uuid4().hex[:8]}"
        self._client: mqtt.Client | None = None
        self._connected = threading.Event()
        self._connack: threading.Event = threading.Event()
        self._refused = ""
        self.stop_event: threading.Event | None = None

    # -- connection ---------------------------------------------------------------------------
    def _make_client(self) -> mqtt.Client:
        v5 = self.config.protocol == "5"
        kwargs = {} if v5 else {"clean_session": True}
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
            **kwargs,
        )
        if self.username:
            client.username_pw_set(self.username, self._password or None)
        if self.tls:
            try:
                client.tls_set(
                    ca_certs=self.config.ca_file or None,
                    certfile=self.config.cert_file or None,
                    keyfile=self.config.key_file or None,
                    cert_reqs=ssl.CERT_REQUIRED,
                )
            except (OSError, ssl.SSLError, ValueError) as exc:
                log.info("mqtt TLS setup failed: %s", exc)
                raise ForwardError(
                    f"Cannot use the TLS files for {self.target} (ca_file, cert_file, key_file): "
                    f"{getattr(exc, 'strerror', None) or 'not a certificate or key'}"
                ) from None
        client.will_set(f"{self.topic}/status", b"offline", qos=1, retain=True)
        client.max_inflight_messages_set(MAX_INFLIGHT)
        client.reconnect_delay_set(1, 3600)  # never used for long: a failure closes this client
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        return client

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            self._refused = str(reason_code)
        else:
            self._connected.set()
        self._connack.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self._connected.clear()

    def open(self) -> None:
        self.close()
        self._connack.clear()
        self._connected.clear()
        self._refused = ""
        client = self._make_client()
        try:
            client.connect(self.host, self.port, self.config.keepalive)
        except ssl.SSLCertVerificationError as exc:
            log.info("mqtt TLS verification failed: %s", exc)
            raise ForwardError(
                f"The MQTT broker {self.target} has a certificate this PC does not trust (check ca_file)"
            ) from None
        except (OSError, ssl.SSLError) as exc:
            log.info("mqtt connect to %s failed: %r", self.target, exc)
            why = (
                "connection refused"
                if isinstance(exc, ConnectionRefusedError)
                else (
                    "TLS handshake failed"
                    if isinstance(exc, ssl.SSLError)
                    else (exc.strerror or "unreachable")
                )
            )
            raise ForwardError(f"Cannot reach the MQTT broker {self.target}: {why}") from None
        self._client = client
        client.loop_start()
        if not self._connack.wait(CONNECT_TIMEOUT_S):
            raise ForwardError(f"The MQTT broker {self.target} did not answer the connection request")
        if self._refused:
            refused = self._refused.lower()
            if "password" in refused or "authori" in refused:
                raise ForwardError(f"The MQTT broker {self.target} refused the user name or password")
            raise ForwardError(f"The MQTT broker {self.target} refused the connection ({self._refused})")
        self._publish_all([(f"{self.topic}/status", b"online", True)])

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        if self._connected.is_set():
            try:
                info = client.publish(f"{self.topic}/status", b"offline", qos=1, retain=True)
                info.wait_for_publish(2.0)
            except (RuntimeError, ValueError):
                pass
            client.disconnect()
        client.loop_stop()
        self._connected.clear()

    # -- sending ------------------------------------------------------------------------------
    def _publish_all(self, messages: list[tuple[str, bytes, bool]]) -> None:
        """Publish ``messages`` with QoS 1 and return once the broker acknowledged them all."""
        client = self._client
        if client is None or not self._connected.is_set():
            raise ForwardError(f"Lost the connection to the MQTT broker {self.target}")
        infos = []
        for topic, payload, retain in messages:
            info = client.publish(topic, payload, qos=1, retain=retain)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                raise ForwardError(f"Lost the connection to the MQTT broker {self.target}")
            infos.append(info)
        deadline = time.monotonic() + ACK_TIMEOUT_S
        for info in infos:
            while not info.is_published():
                if not self._connected.is_set():
                    raise ForwardError(f"Lost the connection to the MQTT broker {self.target}")
                if self.stop_event is not None and self.stop_event.is_set():
                    raise ForwardError("Stopped before the MQTT broker acknowledged everything")
                if time.monotonic() > deadline:
                    raise ForwardError(f"The MQTT broker {self.target} stopped acknowledging messages")
                try:
                    info.wait_for_publish(0.1)
                except (RuntimeError, ValueError):
                    raise ForwardError(f"Lost the connection to the MQTT broker {self.target}") from None

    def _doc(self, key: str, items: object) -> bytes:
        return payloads.dumps({"site": self.site, "device": self.device, key: items})

    def send_readings(self, rows: dict[str, np.ndarray]) -> None:
        n, size = len(rows["ts_us"]), self.config.pace.batch
        topic = f"{self.topic}/readings"
        self._publish_all(
            [
                (topic, self._doc("readings", payloads.reading_dicts(rows, i, i + size)), False)
                for i in range(0, n, size)
            ]
        )

    def send_alarms(self, rows: pd.DataFrame) -> None:
        self._publish_all([(f"{self.topic}/alarms", self._doc("alarms", payloads.alarm_dicts(rows)), False)])

    def send_forecasts(self, rows: pd.DataFrame) -> None:
        topic = f"{self.topic}/forecasts"
        docs = payloads.forecast_cycles(rows)
        self._publish_all(
            [(topic, payloads.dumps({"site": self.site, "device": self.device, **d}), False) for d in docs]
        )

    def tick(self, now: float) -> None:
        if self._client is not None and not self._connected.is_set():
            raise ForwardError(f"Lost the connection to the MQTT broker {self.target}")


MAX_INFLIGHT = 32
