"""InfluxSink: readings, alarms and forecasts to InfluxDB as line protocol over HTTP(S).

InfluxDB 1.x: ``POST /write?db=<database>&precision=u`` (user name and password as HTTP basic
auth); InfluxDB 2.x and 3.x: ``POST /api/v2/write?org=<org>&bucket=<bucket>&precision=us`` with
``Authorization: Token``. A point is keyed by measurement, tags and time, so a reading written
twice (after a crash) simply overwrites itself: the stable id comes for free.

- readings: ``<measurement>,site=..,device=..,channel=..,unit=.. value=<float> <ts_us>``
- alarms: ``<alarm_measurement>,site,device,channel,alarm_id,kind,priority state="..",value=..,
  message="..",seq=..i`` at the transition's time (+ seq % 1000 ns, so none overwrite another)
- forecasts: ``<forecast_measurement>,site,device,channel value=..,lower_80=..,...`` at each
  target time; a newer cycle overwrites the older one's points, so Grafana shows the newest.
"""

from __future__ import annotations

import base64
import logging
import math
import ssl
import urllib.error
import urllib.request
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from core.forward.engine import ForwardError
from core.forward.settings import InfluxConfig, redact
from core.storage.forwarding import ALARMS, FORECASTS, READINGS

log = logging.getLogger(__name__)

TIMEOUT_S = 15.0


def _tag(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", r"\,").replace("=", r"\=").replace(" ", r"\ ")


def _measurement(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", r"\,").replace(" ", r"\ ")


def _string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tags(pairs: list[tuple[str, str]]) -> str:
    return "".join(f",{_tag(k)}={_tag(v)}" for k, v in sorted(pairs) if v)


class InfluxSink:
    name = "influx"
    streams = (READINGS, ALARMS, FORECASTS)

    def __init__(self, config: InfluxConfig, site: str, device: str) -> None:
        self.config = config
        self.base_tags = [("site", site), ("device", device), *config.tags]
        self.target = redact(
            f"{config.url} bucket {config.bucket}"
            if config.v2
            else f"{config.url} database {config.database}"
        )
        self._context = (
            ssl.create_default_context(cafile=config.ca_file or None)
            if config.url.startswith("https")
            else None
        )
        self._headers = {"Content-Type": "text/plain; charset=utf-8"}
        if config.v2:
            self._headers["Authorization"] = f"Token {config.token}"
            query = {"org": config.org, "bucket": config.bucket, "precision": "us"}
            self._write_url = f"{config.url}/api/v2/write?{urlencode(query)}"
        else:
            if config.username:
                basic = base64.b64encode(f"{config.username}:{config.password}".encode()).decode()
                self._headers["Authorization"] = f"Basic {basic}"
            self._write_url = f"{config.url}/write?{urlencode({'db': config.database, 'precision': 'u'})}"
        self._channel_tags: dict[tuple[str, str], str] = {}
        self.rejected = 0  # lines InfluxDB refused as malformed (logged, not retried)

    # -- HTTP ---------------------------------------------------------------------------------
    def _post(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        request = urllib.request.Request(url, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S, context=self._context) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            text = exc.read(500).decode("utf-8", "replace").strip()
            log.info("InfluxDB %s answered %s: %s", self.target, exc.code, text)
            if exc.code in (401, 403):
                raise ForwardError(
                    f"InfluxDB at {self.target} refused the credentials "
                    "(check username and password, or token)"
                ) from None
            if exc.code == 404:
                raise ForwardError(f"InfluxDB at {self.target} has no such database or bucket") from None
            if exc.code in (400, 422):
                self.rejected += body.count(b"\n") + 1
                log.warning(
                    "InfluxDB at %s refused points as malformed (%s); they are skipped", self.target, text
                )
                return
            raise ForwardError(f"InfluxDB at {self.target} cannot take data now (HTTP {exc.code})") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            log.info("InfluxDB %s unreachable: %r", self.target, reason)
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise ForwardError(
                    f"InfluxDB at {self.target} has a certificate this PC does not trust"
                ) from None
            why = "connection refused" if isinstance(reason, ConnectionRefusedError) else "unreachable"
            raise ForwardError(f"Cannot reach InfluxDB at {self.target}: {why}") from None

    def open(self) -> None:
        if self.config.v2 or not self.config.create_database:
            return
        query = urlencode({"q": f'CREATE DATABASE "{self.config.database}"'}).encode()
        headers = dict(self._headers, **{"Content-Type": "application/x-www-form-urlencoded"})
        try:
            self._post(f"{self.config.url}/query", query, headers)
        except ForwardError as exc:
            if "credentials" not in str(exc):
                raise
            log.info("not allowed to create %s; writing anyway", self.config.database)

    def close(self) -> None:
        pass

    def tick(self, now: float) -> None:
        pass

    def _write(self, lines: list[str]) -> None:
        if lines:
            self._post(self._write_url, "\n".join(lines).encode(), self._headers)

    # -- line protocol ------------------------------------------------------------------------
    def _series(self, channel: str, unit: str) -> str:
        key = (channel, unit)
        tags = self._channel_tags.get(key)
        if tags is None:
            pairs = [*self.base_tags, ("channel", channel), ("unit", unit)]
            tags = self._channel_tags[key] = _measurement(self.config.measurement) + _tags(pairs)
        return tags

    def reading_lines(self, rows: dict[str, np.ndarray]) -> list[str]:
        series = self._series
        return [
            f"{series(c, u)} value={v!r} {t}"
            for t, c, u, v in zip(
                rows["ts_us"].tolist(),
                rows["channel"].tolist(),
                rows["unit"].tolist(),
                rows["value"].tolist(),
                strict=True,
            )
            if math.isfinite(v)
        ]

    def send_readings(self, rows: dict[str, np.ndarray]) -> None:
        lines = self.reading_lines(rows)
        size = self.config.pace.batch
        for i in range(0, len(lines), size):
            self._write(lines[i : i + size])

    def send_alarms(self, rows: pd.DataFrame) -> None:
        m = _measurement(self.config.alarm_measurement)
        lines = []
        for r in rows.itertuples(index=False):
            tags = _tags(
                [
                    *self.base_tags,
                    ("channel", r.channel),
                    ("alarm_id", r.alarm_id),
                    ("kind", r.kind),
                    ("priority", r.priority),
                ]
            )
            fields = [f"state={_string(r.state)}", f"message={_string(r.message)}", f"seq={int(r.seq)}i"]
            if r.value is not None and not pd.isna(r.value):
                fields.append(f"value={float(r.value)!r}")
            lines.append(f"{m}{tags} {','.join(fields)} {int(r.ts_us) * 1000 + int(r.seq) % 1000}")
        self._write_ns(lines)

    def _write_ns(self, lines: list[str]) -> None:
        url = self._write_url.replace("precision=us", "precision=ns").replace("precision=u", "precision=ns")
        if lines:
            self._post(url, "\n".join(lines).encode(), self._headers)

    def send_forecasts(self, rows: pd.DataFrame) -> None:
        m = _measurement(self.config.forecast_measurement)
        lines = []
        for r in rows.itertuples(index=False):
            fields = [
                f"{k}={float(getattr(r, k))!r}"
                for k in ("value", "lower_80", "upper_80", "lower_95", "upper_95")
                if getattr(r, k) is not None and math.isfinite(getattr(r, k))
            ]
            if fields:
                fields.append(f"generated_at={int(r.generated_us)}i")
                tags = _tags([*self.base_tags, ("channel", r.channel)])
                lines.append(f"{m}{tags} {','.join(fields)} {int(r.target_us)}")
        self._write(lines)
