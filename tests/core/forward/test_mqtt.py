"""MQTT forwarding against a real mosquitto: outages, restarts, TLS, auth, status and last will."""

from __future__ import annotations

import logging
import signal
import socket
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from core.forward.engine import Forwarder
from core.forward.mqtt import MqttSink
from core.forward.settings import MqttConfig, Pace
from core.storage import forwarding as fw
from core.storage.store import ReadingStore
from tests.core.forward.conftest import wait_for
from tests.core.forward.helpers import CHANNELS, Feeder, Subscriber, batch_at, first_copies, stored_ids

PREFIX = "watchkeeper/test/pc1"
FAST = Pace(batch=200, drain_rate=50_000, retry_initial=0.2, retry_max=1.0)
# The 30 s outage behaves the same (back-off is capped at retry_max); the benchmark runs 30 s.
OUTAGE_S = 6.0


def _forwarder(store, url, pace=FAST, **kw) -> Forwarder:
    sink = MqttSink(MqttConfig(url, PREFIX, pace=pace, **kw), "test", "pc1")
    return Forwarder(store, sink, pace, poll_interval=0.1)


def _assert_complete_and_ordered(sub: Subscriber, store: ReadingStore) -> list[dict]:
    got = first_copies(sub.readings())
    assert {r["id"] for r in got} == stored_ids(store), "every stored reading arrives"
    for channel in CHANNELS:
        stamps = [r["ts"] for r in got if r["channel"] == channel]
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps), f"{channel} arrives in order"
    return got


def test_a_broker_outage_mid_stream_loses_nothing_and_keeps_order(tmp_path, broker_factory):
    """The broker stops while readings flow and comes back: every reading arrives, in order per
    channel, and the state said disconnected with a growing backlog meanwhile."""
    broker = broker_factory()
    sub = Subscriber(broker.port, PREFIX)
    store = ReadingStore(tmp_path / "f.duckdb")
    forwarder = _forwarder(store, broker.url)
    feeder = Feeder(store).start()
    forwarder.start()
    try:
        wait_for(lambda: len(sub.readings()) > 100, what="readings before the outage")
        broker.stop(signal.SIGTERM)
        wait_for(lambda: not forwarder.state().connected, what="the forwarder to notice")
        time.sleep(OUTAGE_S)
        state = forwarder.state()
        assert not state.connected and "MQTT broker" in state.last_error
        assert state.backlog > 0 and state.backlog_age_s > 1.0
        broker.start()
        wait_for(lambda: forwarder.state().connected, 30, what="the forwarder to reconnect")
        time.sleep(1.0)
        feeder.stop()
        assert forwarder.wait_idle(60)
        wait_for(lambda: {r["id"] for r in sub.readings()} >= stored_ids(store), 30, what="the backlog")
        got = _assert_complete_and_ordered(sub, store)
        assert len(got) > 8 * 20 * OUTAGE_S * 0.8
        assert forwarder.state().backlog == 0 and forwarder.state().last_error == ""
        assert sub.messages["status"][-1] == "online"
    finally:
        feeder.stop() if feeder._thread.is_alive() else None
        forwarder.stop()
        sub.close()
        store.close()


def test_a_restart_mid_backlog_resumes_from_the_cursor(tmp_path, broker_factory):
    """Stopping Watchkeeper while a backlog drains and starting it again sends the rest; only
    what the stop interrupted can arrive twice."""
    broker = broker_factory()
    sub = Subscriber(broker.port, PREFIX)
    path = tmp_path / "f.duckdb"
    store = ReadingStore(path)
    fw.save_position(store, "mqtt", fw.READINGS, fw.Position(0))  # configured before the readings
    store.append(batch_at(1_767_225_600_000_000, 100_000, 1000))  # 8000 readings, an offline stretch
    slow = Pace(batch=100, drain_rate=1000, retry_initial=0.2, retry_max=1.0)  # 8 s for all of it
    forwarder = _forwarder(store, broker.url, slow)
    forwarder.start()
    wait_for(lambda: forwarder.state().sent >= 1000, what="part of the backlog")
    forwarder.stop()
    store.close()

    store = ReadingStore(path)
    pos = fw.load_position(store, "mqtt", fw.READINGS)
    assert pos is not None and 1000 <= pos.sent < 8000, "the cursor in the file says how far it got"
    forwarder = _forwarder(store, broker.url)
    forwarder.start()
    try:
        assert forwarder.wait_idle(60)
        wait_for(lambda: len(first_copies(sub.readings())) == 8000, 30, what="the rest of the backlog")
        _assert_complete_and_ordered(sub, store)
        assert len(sub.readings()) - 8000 <= slow.batch * 8, "at most one round is sent twice"
        assert forwarder.state().sent == 8000
    finally:
        forwarder.stop()
        sub.close()
        store.close()


def test_mqtt_311_alarms_forecasts_status_and_last_will(tmp_path, broker_factory):
    """MQTT 3.1.1: alarms and forecasts on their own topics; status is retained "online" and the
    last will turns it "offline" when the connection dies without a goodbye."""
    broker = broker_factory()
    sub = Subscriber(broker.port, PREFIX, mqtt.MQTTv5)
    store = ReadingStore(tmp_path / "f.duckdb")
    forwarder = _forwarder(store, broker.url, protocol="3.1.1")
    store.cursor().execute(
        "INSERT INTO alarm_events (ts, alarm_id, channel, kind, priority, state, value, message) VALUES "
        "(now(), 'ch1.HH', 'ch1', 'HH', 'high', 'active_unack', 99.5, 'ch1 HIGH-HIGH 99.5 > 90')"
    )
    store.cursor().execute(
        "INSERT INTO forecasts (channel, generated_at, target_ts, value, lower_95, upper_95, model) "
        "SELECT 'ch1', TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00' "
        "+ i * INTERVAL 1 MINUTE, i, i - 1, i + 1, 'lstm' FROM range(1, 4) t(i)"
    )
    forwarder.start()
    try:
        wait_for(lambda: sub.messages["alarms"] and sub.messages["forecasts"], what="alarms and forecasts")
        alarm = sub.messages["alarms"][0]["alarms"][0]
        assert (alarm["alarm_id"], alarm["priority"], alarm["state"], alarm["value"]) == (
            "ch1.HH",
            "high",
            "active_unack",
            99.5,
        )
        cycle = sub.messages["forecasts"][0]
        assert cycle["generated_at"] == "2026-01-01T00:00:00.000000Z"
        assert [p["value"] for p in cycle["forecasts"][0]["points"]] == [1.0, 2.0, 3.0]
        late = Subscriber(broker.port, PREFIX)
        wait_for(lambda: late.messages["status"] == ["online"], what="the retained status")
        late.close()
        forwarder.sink._client.socket().shutdown(socket.SHUT_RDWR)  # a crash: no DISCONNECT sent
        wait_for(lambda: "offline" in sub.messages["status"], what="the last will")
    finally:
        forwarder.stop()
        sub.close()
        store.close()


def test_tls_with_client_certificate_and_password(tmp_path, broker_factory, test_ca, caplog):
    """mqtts:// with the plant's CA, a client certificate and a password works; a wrong password
    and an untrusted certificate each give one sentence, and no password reaches the log."""
    caplog.set_level(logging.DEBUG)
    broker = broker_factory(tls=test_ca, users={"wk": "pa55-w0rd", "reader": "r3ad"})
    broker.lines.append("require_certificate true")
    broker.stop()
    broker.start()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="tls-sub", clean_session=False)
    client.tls_set(
        ca_certs=str(test_ca.ca_file), certfile=str(test_ca.client_cert), keyfile=str(test_ca.client_key)
    )
    client.username_pw_set("reader", "r3ad")
    got = []
    client.on_connect = lambda c, u, f, rc, p: c.subscribe(f"{PREFIX}/#", qos=1)
    client.on_message = lambda c, u, m: got.append(m.topic)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    url = f"mqtts://127.0.0.1:{broker.port}"
    tls = {
        "ca_file": str(test_ca.ca_file),
        "cert_file": str(test_ca.client_cert),
        "key_file": str(test_ca.client_key),
    }
    store = ReadingStore(tmp_path / "f.duckdb")
    fw.save_position(store, "mqtt", fw.READINGS, fw.Position(0))
    store.append(batch_at(1_767_225_600_000_000, 100_000, 10))
    good = _forwarder(store, url, username="wk", password="pa55-w0rd", **tls)
    good.start()
    try:
        wait_for(lambda: f"{PREFIX}/readings" in got, what="readings over TLS")
        assert good.state().connected and good.state().target.startswith("mqtts://127.0.0.1")
    finally:
        good.stop()
        client.disconnect()
        client.loop_stop()
    for kw, words in (
        ({"username": "wk", "password": "wrong-Secret", **tls}, "refused the user name or password"),
        ({"username": "wk", "password": "pa55-w0rd"}, "does not trust"),
    ):
        bad = _forwarder(store, url, **kw)
        bad.start()
        try:
            wait_for(lambda b=bad: b.state().last_error, what="the failure")
            assert words in bad.state().last_error and not bad.state().connected
        finally:
            bad.stop()
    store.close()
    assert "pa55-w0rd" not in caplog.text and "wrong-Secret" not in caplog.text
