"""Notifications off the screen: alarms to a webhook (JSON POST) or by e-mail (SMTP with TLS).

A notifier is a forwarder of the alarm journal: the alarms it sends come from the file through
its own cursor, so an unreachable web server or mail server gets them when it returns. It sends an
alarm when it activates (``active_unack``) with one of the target's priorities; the alarms a round
brings go in one message. At most ``max_per_hour`` messages go out: alarms beyond that wait and go
together in the next message the limit allows. With ``digest`` on, one summary of the last day's
alarms goes out every day at ``digest_time`` (the PC's local time); when it was last sent is kept
in the file, so a restart neither repeats nor skips one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from core.forward import payloads
from core.forward.engine import ForwardError
from core.forward.settings import Delivery, EmailConfig, WebhookConfig
from core.storage import forwarding as fw
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)

TIMEOUT_S = 15.0
HOUR_S = 3600.0
DIGEST_LINES = 50


def next_digest(after: float, at: str) -> float:
    """The first ``at`` (HH:MM, local time) strictly after the time ``after`` (epoch seconds)."""
    hour, minute = map(int, at.split(":"))
    start = datetime.fromtimestamp(after)
    due = start.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if due <= start:
        due += timedelta(days=1)
    return due.timestamp()


class Notifier:
    """What every notification target shares: which alarms, how often, and the digest."""

    streams = (fw.ALARMS,)

    config: WebhookConfig | EmailConfig

    def __init__(
        self,
        config: WebhookConfig | EmailConfig,
        store: ReadingStore,
        site: str,
        device: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.name = config.name
        self.store = store
        self.delivery: Delivery = config.delivery
        self.site = site
        self.device = device
        self.clock = clock
        self.sent_times: deque[float] = deque()
        self.held: list[dict[str, Any]] = []  # due alarms waiting for the rate limit
        self.messages = 0
        self._last_digest: float | None = None

    # -- what a target implements -------------------------------------------------------------
    def deliver(self, subject: str, doc: dict[str, Any], text: str) -> None:
        raise NotImplementedError

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send_readings(self, rows: dict[str, np.ndarray]) -> None:
        pass

    def send_forecasts(self, rows: pd.DataFrame) -> None:
        pass

    # -- alarms -------------------------------------------------------------------------------
    def send_alarms(self, rows: pd.DataFrame) -> None:
        due = rows[(rows["state"] == "active_unack") & rows["priority"].isin(self.delivery.priorities)]
        if due.empty:
            return
        new = payloads.alarm_dicts(due)
        now = self.clock()
        if not self._allowed(now):
            self.held.extend(new)  # the cursor moves on; they go out with the next message
            return
        self._deliver_alarms([*self.held, *new], now)  # a failure raises: nothing changes
        self.held = []

    def _allowed(self, now: float) -> bool:
        while self.sent_times and now - self.sent_times[0] >= HOUR_S:
            self.sent_times.popleft()
        return len(self.sent_times) < self.delivery.max_per_hour

    def _send_held(self, now: float) -> None:
        if self.held and self._allowed(now):
            self._deliver_alarms(self.held, now)
            self.held = []

    def _deliver_alarms(self, alarms: list[dict[str, Any]], now: float) -> None:
        first = alarms[0]
        subject = (
            f"{first['priority'].upper()} alarm {first['alarm_id']}: {first['message']}"
            if len(alarms) == 1
            else f"{len(alarms)} alarms, the first {first['priority'].upper()} {first['alarm_id']}"
        )
        text = "\n".join(
            f"{a['ts']}  {a['priority'].upper():<8} {a['alarm_id']}: {a['message']}" for a in alarms
        )
        self.deliver(subject, {"type": "alarms", "alarms": alarms}, text)
        self.sent_times.append(now)
        self.messages += 1

    def tick(self, now: float) -> None:
        self._send_held(now)
        if self.delivery.digest:
            self._digest(now)

    # -- the daily digest ---------------------------------------------------------------------
    def _digest(self, now: float) -> None:
        if self._last_digest is None:
            pos = fw.load_position(self.store, self.name, fw.DIGEST)
            if pos is None:
                pos = fw.Position(int(now * 1e6))
                fw.save_position(self.store, self.name, fw.DIGEST, pos)
            self._last_digest = pos.ts_us / 1e6
        if now < next_digest(self._last_digest, self.delivery.digest_time):
            return
        since = max(self._last_digest, now - 86_400.0)
        events = fw.alarm_events_between(self.store, int(since * 1e6), int(now * 1e6) + 1)
        events = events[events["priority"].isin(self.delivery.digest_priorities)]
        raised = events[events["state"] == "active_unack"]
        counts = {p: int((raised["priority"] == p).sum()) for p in self.delivery.digest_priorities}
        listed = payloads.alarm_dicts(raised.head(DIGEST_LINES).assign(comment=""))
        lines = [f"Alarms raised since {payloads.iso1(int(since * 1e6))}: {len(raised)}"]
        lines += [f"  {p:<9}{n}" for p, n in counts.items()]
        lines += [
            "",
            *(f"{a['ts']}  {a['priority'].upper():<8} {a['alarm_id']}: {a['message']}" for a in listed),
        ]
        if len(raised) > DIGEST_LINES:
            lines.append(f"... and {len(raised) - DIGEST_LINES} more (see the alarm journal)")
        doc = {
            "type": "digest",
            "since": payloads.iso1(int(since * 1e6)),
            "until": payloads.iso1(int(now * 1e6)),
            "raised": counts,
            "alarms": listed,
        }
        self.deliver(f"Daily alarm digest: {len(raised)} alarms", doc, "\n".join(lines))
        self._last_digest = now
        fw.save_position(self.store, self.name, fw.DIGEST, fw.Position(int(now * 1e6)))


class WebhookSink(Notifier):
    @property
    def target(self) -> str:
        """Scheme, host and port only: a webhook's path often is its secret (Slack, Teams)."""
        parts = urlsplit(self.config.url)
        return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/…"

    def deliver(self, subject: str, doc: dict[str, Any], text: str) -> None:
        body = json.dumps({"site": self.site, "device": self.device, "subject": subject, **doc}).encode()
        headers = {"Content-Type": "application/json", **dict(self.config.headers)}
        request = urllib.request.Request(self.config.url, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            log.info("webhook %s answered %s", self.target, exc.code)
            raise ForwardError(
                f"The webhook {self.target} refused the alarm message (HTTP {exc.code})"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            log.info("webhook %s unreachable: %r", self.target, getattr(exc, "reason", exc))
            raise ForwardError(f"Cannot reach the webhook {self.target}") from None


class EmailSink(Notifier):
    @property
    def target(self) -> str:
        return f"smtp://{self.config.host}:{self.config.port} to {', '.join(self.config.to)}"

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = ssl.create_default_context(cafile=c.ca_file or None)
        try:
            if c.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.port, timeout=TIMEOUT_S, context=context)
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=TIMEOUT_S)
                if c.security == "starttls":
                    smtp.starttls(context=context)
            if c.username:
                smtp.login(c.username, c.password)
            return smtp
        except smtplib.SMTPAuthenticationError:
            raise ForwardError(
                f"The mail server {c.host}:{c.port} refused the user name or password"
            ) from None
        except ssl.SSLCertVerificationError:
            raise ForwardError(
                f"The mail server {c.host}:{c.port} has a certificate this PC does not trust"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            log.info("mail server %s:%s: %r", c.host, c.port, exc)
            raise ForwardError(f"Cannot reach the mail server {c.host}:{c.port}") from None

    def open(self) -> None:
        smtp = self._connect()
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()

    def deliver(self, subject: str, doc: dict[str, Any], text: str) -> None:
        msg = EmailMessage()
        msg["Subject"] = f"[Watchkeeper {self.site}/{self.device}] {subject}"
        msg["From"] = self.config.sender
        msg["To"] = ", ".join(self.config.to)
        msg.set_content(text + "\n")
        smtp = self._connect()
        try:
            smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            log.info("sending mail via %s failed: %r", self.config.host, exc)
            raise ForwardError(
                f"The mail server {self.config.host}:{self.config.port} did not take the alarm message"
            ) from None
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()
