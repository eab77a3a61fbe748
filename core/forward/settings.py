"""Forwarding and notification settings: the ``[forward.*]`` and ``[notify.*]`` tables.

Every key is checked and a mistake names it (``load_config`` adds the file). Passwords and tokens
are kept out of ``repr`` so a logged configuration never shows them.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from core.config import ConfigError, _check_keys, _get
from core.messages import Message, MessageId

PRIORITIES = ("low", "medium", "high", "critical")
_COMMON = {"batch", "drain_rate", "retry_max"}


@dataclass(frozen=True, slots=True)
class Pace:
    """How a forwarder sends: rows per message, readings per second while draining a backlog,
    and the longest wait between attempts while its target is unreachable."""

    batch: int = 500
    drain_rate: float = 20_000.0
    retry_initial: float = 1.0
    retry_max: float = 60.0


@dataclass(frozen=True, slots=True)
class MqttConfig:
    url: str
    topic: str
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    protocol: str = "5"  # "5" or "3.1.1"
    client_id: str = ""
    keepalive: int = 30
    pace: Pace = Pace()


@dataclass(frozen=True, slots=True)
class InfluxConfig:
    url: str
    database: str = "watchkeeper"  # InfluxDB 1.x
    org: str = ""  # InfluxDB 2.x (with bucket and token)
    bucket: str = ""
    token: str = field(default="", repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    measurement: str = "readings"
    alarm_measurement: str = "alarms"
    forecast_measurement: str = "forecasts"
    tags: tuple[tuple[str, str], ...] = ()
    ca_file: str = ""
    create_database: bool = True
    pace: Pace = Pace(batch=5000)

    @property
    def v2(self) -> bool:
        return bool(self.bucket)


@dataclass(frozen=True, slots=True)
class OpcUaConfig:
    endpoint: str = "opc.tcp://0.0.0.0:4840/watchkeeper/"
    stale_s: float = 10.0  # a value older than this is shown with Uncertain quality


@dataclass(frozen=True, slots=True)
class Delivery:
    """Which alarms a notification target gets and how often."""

    priorities: tuple[str, ...] = ("high", "critical")
    max_per_hour: int = 20  # beyond this, alarms wait for the next message or the digest
    digest: bool = False  # also send one summary a day
    digest_time: str = "07:00"  # HH:MM, the PC's local time
    digest_priorities: tuple[str, ...] = PRIORITIES


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    name: str
    url: str
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    delivery: Delivery = Delivery()
    pace: Pace = Pace(batch=100)


@dataclass(frozen=True, slots=True)
class EmailConfig:
    name: str
    host: str
    to: tuple[str, ...]
    sender: str
    port: int = 587
    security: str = "starttls"  # starttls, tls or none
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: str = ""
    delivery: Delivery = Delivery()
    pace: Pace = Pace(batch=100)


@dataclass(frozen=True, slots=True)
class ForwardConfig:
    site: str = "site"
    device: str = field(default_factory=socket.gethostname)
    history_hours: float = 0.0  # a new forwarder also sends the readings of the last hours
    mqtt: MqttConfig | None = None
    influx: InfluxConfig | None = None
    opcua: OpcUaConfig | None = None
    webhooks: tuple[WebhookConfig, ...] = ()
    emails: tuple[EmailConfig, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.mqtt or self.influx or self.opcua or self.webhooks or self.emails)


def _refused(id: MessageId, **params: str) -> ConfigError:
    return ConfigError(Message.of(id, **params))


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _refused(MessageId.CONFIG_NOT_TABLE, where=f"[{where}]")
    return value


def _url(where: str, table: dict[str, Any], schemes: tuple[str, ...]) -> str:
    url = _get(where, table, "url", str, "")
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise _refused(
            MessageId.URL_SHAPE,
            where=f"{where}.url",
            example=f"{schemes[0]}://host:port",
            value=repr(redact(url)),
        )
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise _refused(MessageId.URL_PORT_BAD, where=f"{where}.url", value=repr(redact(url))) from None
    return url


def _pace(where: str, table: dict[str, Any], default: Pace) -> Pace:
    batch = _get(where, table, "batch", int, default.batch)
    rate = float(_get(where, table, "drain_rate", (int, float), default.drain_rate))
    retry = float(_get(where, table, "retry_max", (int, float), default.retry_max))
    if not 1 <= batch <= 100_000:
        raise _refused(
            MessageId.CONFIG_BETWEEN, where=f"{where}.batch", low="1", high="100000", value=str(batch)
        )
    if rate <= 0:
        raise _refused(MessageId.DRAIN_RATE_BAD, where=f"{where}.drain_rate", value=f"{rate:g}")
    if not 1 <= retry <= 3600:
        raise _refused(
            MessageId.CONFIG_BETWEEN_SECONDS,
            where=f"{where}.retry_max",
            low="1",
            high="3600",
            value=f"{retry:g}",
        )
    return Pace(batch, rate, min(default.retry_initial, retry), retry)


def _strings(where: str, table: dict[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = _get(where, table, key, (list, str), list(default))
    items = [value] if isinstance(value, str) else value
    if not all(isinstance(v, str) and v for v in items):
        raise _refused(MessageId.CONFIG_TEXT_LIST, where=f"{where}.{key}", value=repr(value))
    return tuple(items)


def _pairs(where: str, table: dict[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    value = _get(where, table, key, dict, {})
    if not all(isinstance(v, str) for v in value.values()):
        raise _refused(MessageId.CONFIG_TEXT_TABLE, where=f"{where}.{key}", example='{ line = "3" }')
    return tuple(value.items())


def parse_mqtt(table: dict[str, Any], site: str, device: str) -> MqttConfig:
    where = "forward.mqtt"
    keys = {"url", "topic", "username", "password", "ca_file", "cert_file", "key_file", "protocol"}
    _check_keys(where, table, keys | {"client_id", "keepalive"} | _COMMON)
    url = _url(where, table, ("mqtt", "mqtts"))
    protocol = str(_get(where, table, "protocol", (str, int), "5"))
    if protocol not in ("5", "3.1.1"):
        raise _refused(MessageId.MQTT_PROTOCOL_BAD, where=f"{where}.protocol", value=repr(protocol))
    topic = _get(where, table, "topic", str, f"watchkeeper/{site}/{device}").strip("/")
    if not topic or any(c in topic for c in "#+"):
        raise _refused(MessageId.TOPIC_BAD, where=f"{where}.topic", value=repr(topic))
    keepalive = _get(where, table, "keepalive", int, 30)
    if not 5 <= keepalive <= 3600:
        raise _refused(
            MessageId.CONFIG_BETWEEN_SECONDS,
            where=f"{where}.keepalive",
            low="5",
            high="3600",
            value=str(keepalive),
        )
    return MqttConfig(
        url,
        topic,
        *(
            _get(where, table, k, str, "")
            for k in ("username", "password", "ca_file", "cert_file", "key_file")
        ),
        protocol=protocol,
        client_id=_get(where, table, "client_id", str, ""),
        keepalive=keepalive,
        pace=_pace(where, table, Pace()),
    )


def parse_influx(table: dict[str, Any]) -> InfluxConfig:
    where = "forward.influx"
    names = {"measurement", "alarm_measurement", "forecast_measurement"}
    keys = {"url", "database", "org", "bucket", "token", "username", "password", "tags", "ca_file"}
    _check_keys(where, table, keys | names | {"create_database"} | _COMMON)
    url = _url(where, table, ("http", "https"))
    texts = {k: _get(where, table, k, str, "") for k in ("org", "bucket", "token", "username", "password")}
    if bool(texts["bucket"]) != bool(texts["token"]):
        raise _refused(MessageId.INFLUX_BUCKET_TOKEN, where=where)
    measurements = {k: _get(where, table, k, str, getattr(InfluxConfig(""), k)) for k in names}
    if not all(measurements.values()):
        raise _refused(MessageId.MEASUREMENTS_EMPTY, where=where)
    return InfluxConfig(
        url.rstrip("/"),
        _get(where, table, "database", str, "watchkeeper"),
        **texts,
        **measurements,
        tags=_pairs(where, table, "tags"),
        ca_file=_get(where, table, "ca_file", str, ""),
        create_database=_get(where, table, "create_database", bool, True),
        pace=_pace(where, table, Pace(batch=5000)),
    )


def parse_opcua(table: dict[str, Any]) -> OpcUaConfig:
    where = "forward.opcua"
    _check_keys(where, table, {"endpoint", "stale_s"})
    endpoint = _get(where, table, "endpoint", str, OpcUaConfig().endpoint)
    if not endpoint.startswith("opc.tcp://") or urlsplit(endpoint).port is None:
        raise _refused(
            MessageId.URL_SHAPE,
            where=f"{where}.endpoint",
            example="opc.tcp://0.0.0.0:4840/watchkeeper/",
            value=repr(endpoint),
        )
    stale = float(_get(where, table, "stale_s", (int, float), 10.0))
    if stale <= 0:
        raise _refused(MessageId.CONFIG_POSITIVE_SECONDS, where=f"{where}.stale_s", value=f"{stale:g}")
    return OpcUaConfig(endpoint, stale)


def _delivery(where: str, table: dict[str, Any]) -> Delivery:
    priorities = _strings(where, table, "priorities", Delivery().priorities)
    digest_priorities = _strings(where, table, "digest_priorities", PRIORITIES)
    for p in priorities + digest_priorities:
        if p not in PRIORITIES:
            raise _refused(
                MessageId.PRIORITY_NOT_LISTED, where=where, value=repr(p), names=", ".join(PRIORITIES)
            )
    limit = _get(where, table, "max_per_hour", int, 20)
    if not 1 <= limit <= 3600:
        raise _refused(
            MessageId.CONFIG_BETWEEN,
            where=f"{where}.max_per_hour",
            low="1",
            high="3600",
            value=str(limit),
        )
    at = _get(where, table, "digest_time", str, "07:00")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
        raise _refused(MessageId.DIGEST_TIME_BAD, where=f"{where}.digest_time", value=repr(at))
    return Delivery(priorities, limit, _get(where, table, "digest", bool, False), at, digest_priorities)


_DELIVERY = {"priorities", "max_per_hour", "digest", "digest_time", "digest_priorities"}


def parse_webhook(table: dict[str, Any], name: str) -> WebhookConfig:
    where = f"notify.{name}"
    _check_keys(where, table, {"url", "headers"} | _DELIVERY | _COMMON)
    return WebhookConfig(
        name,
        _url(where, table, ("http", "https")),
        _pairs(where, table, "headers"),
        _delivery(where, table),
        _pace(where, table, Pace(batch=100)),
    )


def parse_email(table: dict[str, Any], name: str) -> EmailConfig:
    where = f"notify.{name}"
    keys = {"host", "port", "security", "username", "password", "from", "to", "ca_file"}
    _check_keys(where, table, keys | _DELIVERY | _COMMON)
    host = _get(where, table, "host", str, "")
    to = _strings(where, table, "to", ())
    sender = _get(where, table, "from", str, "")
    if not host or not to or "@" not in sender:
        raise _refused(MessageId.EMAIL_NEEDS, where=where)
    security = _get(where, table, "security", str, "starttls")
    if security not in ("starttls", "tls", "none"):
        raise _refused(MessageId.SECURITY_BAD, where=f"{where}.security", value=repr(security))
    port = _get(where, table, "port", int, {"starttls": 587, "tls": 465, "none": 25}[security])
    return EmailConfig(
        name,
        host,
        to,
        sender,
        port,
        security,
        _get(where, table, "username", str, ""),
        _get(where, table, "password", str, ""),
        _get(where, table, "ca_file", str, ""),
        _delivery(where, table),
        _pace(where, table, Pace(batch=100)),
    )


def _targets(notify: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    """``[notify.webhook]`` or several ``[[notify.webhook]]`` (named webhook, webhook-2, ...)."""
    value = notify.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [(key if i == 0 else f"{key}-{i + 1}", _table(f"notify.{key}", t)) for i, t in enumerate(items)]


def parse_forward_config(forward: Any = None, notify: Any = None) -> ForwardConfig:
    """The ``[forward]`` and ``[notify]`` tables (either may be missing)."""
    forward = _table("forward", forward if forward is not None else {})
    notify = _table("notify", notify if notify is not None else {})
    _check_keys("forward", forward, {"site", "device", "history_hours", "mqtt", "influx", "opcua"})
    _check_keys("notify", notify, {"webhook", "email"})
    site = _get("forward", forward, "site", str, "site")
    device = _get("forward", forward, "device", str, "") or socket.gethostname()
    history = float(_get("forward", forward, "history_hours", (int, float), 0))
    if history < 0:
        raise _refused(MessageId.CONFIG_NOT_NEGATIVE, where="forward.history_hours", value=f"{history:g}")
    sub = {k: _table(f"forward.{k}", forward[k]) for k in ("mqtt", "influx", "opcua") if k in forward}
    return ForwardConfig(
        site,
        device,
        history,
        parse_mqtt(sub["mqtt"], site, device) if "mqtt" in sub else None,
        parse_influx(sub["influx"]) if "influx" in sub else None,
        parse_opcua(sub["opcua"]) if "opcua" in sub else None,
        tuple(parse_webhook(t, n) for n, t in _targets(notify, "webhook")),
        tuple(parse_email(t, n) for n, t in _targets(notify, "email")),
    )


_USERINFO = re.compile(r"(?<=://)([^/@:\s]*):([^/@\s]*)@")
_SECRET_QUERY = re.compile(r"(?i)\b(p|password|token|u)=[^&\s]*")


def redact(url: str) -> str:
    """``url`` with any password or token replaced by ``***`` (for logs and the operator)."""
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}=***", _USERINFO.sub(r"\1:***@", url))
