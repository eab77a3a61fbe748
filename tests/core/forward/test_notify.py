"""Notifications: alarms to a local webhook (http.server) and by e-mail through a local SMTP
server with STARTTLS and AUTH; rate limit and daily digest on an injected clock."""

from __future__ import annotations

import logging
from datetime import datetime

from core.alarms.journal import AlarmJournal
from core.alarms.model import AlarmEvent, AlarmKind, AlarmState, Priority
from core.forward.engine import Forwarder
from core.forward.notify import EmailSink, WebhookSink, next_digest
from core.forward.settings import Delivery, EmailConfig, Pace, WebhookConfig
from core.storage import forwarding as fw
from core.storage.store import ReadingStore
from tests.core.forward.conftest import wait_for

FAST = Pace(batch=100, retry_initial=0.2, retry_max=1.0)
T0 = datetime(2026, 3, 2, 6, 0).timestamp()  # 06:00 local time


def _event(t: float, channel: str, priority: Priority, state=AlarmState.ACTIVE_UNACK) -> AlarmEvent:
    return AlarmEvent(
        int(t * 1e6),
        f"{channel}.HH",
        channel,
        AlarmKind.HH,
        priority,
        AlarmState.NORMAL,
        state,
        99.0,
        f"{channel} HIGH-HIGH 99 > 90",
    )


def _store(tmp_path, name: str) -> ReadingStore:
    store = ReadingStore(tmp_path / "f.duckdb")
    fw.save_position(store, name, fw.ALARMS, fw.Position(0))
    return store


def test_high_alarms_reach_the_webhook_even_after_it_was_down(tmp_path, webhook):
    """Activations of the target's priorities are posted as JSON; others are not; alarms raised
    while the web server refused them arrive once it takes them again."""
    store = _store(tmp_path, "webhook")
    journal = AlarmJournal(store)
    config = WebhookConfig("webhook", webhook.url, (("X-Plant", "mill"),), pace=FAST)
    forwarder = Forwarder(store, WebhookSink(config, store, "mill", "pc1"), FAST, poll_interval=0.1)
    forwarder.start()
    try:
        journal.append([_event(T0, "boiler", Priority.HIGH), _event(T0, "pump", Priority.LOW)])
        wait_for(lambda: webhook.posts, what="the first post")
        post = webhook.posts[0]
        assert [a["alarm_id"] for a in post["alarms"]] == ["boiler.HH"]
        assert post["site"] == "mill" and post["subject"].startswith("HIGH alarm boiler.HH")
        assert webhook.headers[0]["X-Plant"] == "mill"
        port = webhook.url.split(":")[2].split("/")[0]
        assert forwarder.state().target == f"http://127.0.0.1:{port}/…", "a webhook's path may be its secret"
        webhook.status = 503
        journal.append(
            [
                _event(T0 + 1, "drum", Priority.CRITICAL),
                _event(T0 + 2, "drum", Priority.CRITICAL, AlarmState.RTN_UNACK),
            ]
        )
        wait_for(lambda: forwarder.state().last_error, what="the refusal")
        assert "refused the alarm message (HTTP 503)" in forwarder.state().last_error
        wait_for(lambda: forwarder.state().backlog == 2, what="the two waiting messages in the backlog")
        webhook.status = 200
        wait_for(lambda: len(webhook.posts) == 2, 30, what="the held alarm")
        assert [a["alarm_id"] for a in webhook.posts[1]["alarms"]] == ["drum.HH"]
        assert forwarder.wait_idle(30) and forwarder.state().last_error == ""
    finally:
        forwarder.stop()
        store.close()


def test_the_rate_limit_holds_alarms_for_the_next_allowed_message(tmp_path, webhook):
    store = _store(tmp_path, "webhook")
    now = [T0]
    delivery = Delivery(priorities=("high",), max_per_hour=2)
    sink = WebhookSink(
        WebhookConfig("webhook", webhook.url, delivery=delivery), store, "mill", "pc1", lambda: now[0]
    )
    journal = AlarmJournal(store)
    for i in range(5):
        journal.append([_event(T0 + i, f"ch{i}", Priority.HIGH)])
        sink.send_alarms(fw.alarms_after(store, fw.Position(0, i), 10))
        now[0] += 60
    assert [len(p["alarms"]) for p in webhook.posts] == [1, 1]
    sink.tick(now[0])
    assert len(webhook.posts) == 2, "still within the hour"
    now[0] = T0 + 3600
    sink.tick(now[0])
    assert [a["alarm_id"] for a in webhook.posts[2]["alarms"]] == ["ch2.HH", "ch3.HH", "ch4.HH"]
    store.close()


def test_the_daily_digest_goes_once_a_day_at_its_time_and_survives_a_restart(tmp_path, webhook):
    store = _store(tmp_path, "webhook")
    delivery = Delivery(priorities=("critical",), digest=True, digest_time="07:00")
    config = WebhookConfig("webhook", webhook.url, delivery=delivery)
    sink = WebhookSink(config, store, "mill", "pc1")
    sink.tick(T0)  # 06:00: remembers when it started, nothing due
    AlarmJournal(store).append(
        [
            _event(T0 + 60, "boiler", Priority.HIGH),
            _event(T0 + 120, "pump", Priority.LOW),
            _event(T0 + 180, "pump", Priority.LOW, AlarmState.NORMAL),
        ]
    )
    sink.tick(T0 + 1800)
    assert webhook.posts == []
    sink.tick(T0 + 3600)  # 07:00
    digest = webhook.posts[0]
    assert digest["type"] == "digest" and digest["subject"] == "Daily alarm digest: 2 alarms"
    assert digest["raised"] == {"low": 1, "medium": 0, "high": 1, "critical": 0}
    again = WebhookSink(config, store, "mill", "pc1")  # a restart later that morning
    again.tick(T0 + 7200)
    assert len(webhook.posts) == 1
    again.tick(T0 + 86_400 + 3600)
    assert len(webhook.posts) == 2 and webhook.posts[1]["raised"]["high"] == 0
    assert next_digest(T0 + 3600, "07:00") == T0 + 86_400 + 3600
    store.close()


def test_email_over_starttls_with_login(tmp_path, smtp_server, test_ca, caplog):
    caplog.set_level(logging.DEBUG)
    store = _store(tmp_path, "email")
    config = EmailConfig(
        "email",
        "127.0.0.1",
        ("shift@plant.example", "boss@plant.example"),
        "watchkeeper@plant.example",
        smtp_server.port,
        "starttls",
        "alarms@plant.example",
        "s3cret-mail",
        str(test_ca.ca_file),
        pace=FAST,
    )
    forwarder = Forwarder(store, EmailSink(config, store, "mill", "pc1"), FAST, poll_interval=0.1)
    forwarder.start()
    try:
        wait_for(lambda: forwarder.state().connected, what="the mail server check")
        AlarmJournal(store).append([_event(T0, "boiler", Priority.HIGH)])
        wait_for(lambda: smtp_server.messages, what="the e-mail")
        mail = smtp_server.messages[0]
        assert mail["tls"] and mail["to"] == ["shift@plant.example", "boss@plant.example"]
        assert (
            "Subject: [Watchkeeper mill/pc1] HIGH alarm boiler.HH: boiler HIGH-HIGH 99 > 90" in mail["data"]
        )
        assert smtp_server.logins == [("alarms@plant.example", "s3cret-mail")] * len(smtp_server.logins)
    finally:
        forwarder.stop()
    wrong = EmailConfig(
        "email",
        "127.0.0.1",
        ("a@b.c",),
        "w@b.c",
        smtp_server.port,
        "starttls",
        "alarms@plant.example",
        "bad-s3cret",
        str(test_ca.ca_file),
        pace=FAST,
    )
    forwarder = Forwarder(store, EmailSink(wrong, store, "mill", "pc1"), FAST, poll_interval=0.1)
    forwarder.start()
    try:
        wait_for(lambda: forwarder.state().last_error, what="the refusal")
        assert forwarder.state().last_error == (
            f"The mail server 127.0.0.1:{smtp_server.port} refused the user name or password"
        )
    finally:
        forwarder.stop()
        store.close()
    assert "s3cret" not in caplog.text
