"""InfluxDB forwarding: v1 /write against a real influxd (queried back), v2 /api/v2/write with a
token against a local HTTP server (Debian's influxdb 1.6 has no v2 API)."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from typing import ClassVar

import pytest

from core.forward.engine import Forwarder
from core.forward.influx import InfluxSink
from core.forward.settings import InfluxConfig, Pace
from core.storage import forwarding as fw
from core.storage.store import ReadingStore
from tests.core.forward.conftest import free_port, wait_for
from tests.core.forward.helpers import CHANNELS, batch_at

T0 = 1_767_225_600_000_000  # 2026-01-01 UTC
FAST = Pace(batch=1000, drain_rate=100_000, retry_initial=0.2, retry_max=1.0)


def _store(tmp_path, lines: int = 50) -> ReadingStore:
    store = ReadingStore(tmp_path / "f.duckdb")
    store.set_units({"ch0": "°C", "ch1": "bar a"})
    fw.save_position(store, "influx", fw.READINGS, fw.Position(0))
    store.append(batch_at(T0, 100_000, lines))
    return store


def test_v1_write_is_queried_back_with_tags_and_exact_times(tmp_path, influxd):
    """Every reading lands in InfluxDB 1.x with site, device, channel and unit tags at its µs time;
    alarms land in their own measurement."""
    store = _store(tmp_path)
    store.cursor().execute(
        "INSERT INTO alarm_events (ts, alarm_id, channel, kind, priority, state, value, message) VALUES "
        "(now(), 'ch1.HH', 'ch1', 'HH', 'high', 'active_unack', 9.5, 'ch1 \"HIGH-HIGH\", 9.5')"
    )
    fw.save_position(store, "influx", fw.ALARMS, fw.Position(0))
    config = InfluxConfig(influxd.url, "plant", tags=(("line", "3"),), pace=FAST)
    forwarder = Forwarder(store, InfluxSink(config, "mill", "pc 1"), FAST, poll_interval=0.1)
    forwarder.start()
    try:
        assert forwarder.wait_idle(60), forwarder.state().last_error
        series = influxd.query("plant", 'SELECT count(value) FROM readings GROUP BY "channel"')
        assert {s["tags"]["channel"]: s["values"][0][1] for s in series} == {c: 50 for c in CHANNELS}
        rows = influxd.query("plant", "SELECT * FROM readings WHERE channel = 'ch1' ORDER BY time LIMIT 2")
        cols = rows[0]["columns"]
        first = dict(zip(cols, rows[0]["values"][0], strict=True))
        assert first["time"] == T0 and first["value"] == pytest.approx(0.1)
        assert (first["unit"], first["site"], first["device"], first["line"]) == (
            "bar a",
            "mill",
            "pc 1",
            "3",
        )
        second = dict(zip(cols, rows[0]["values"][1], strict=True))
        assert second["time"] == T0 + 100_000
        alarms = influxd.query("plant", "SELECT * FROM alarms")
        alarm = dict(zip(alarms[0]["columns"], alarms[0]["values"][0], strict=True))
        assert (alarm["alarm_id"], alarm["state"], alarm["value"]) == ("ch1.HH", "active_unack", 9.5)
        assert alarm["message"] == 'ch1 "HIGH-HIGH", 9.5'
        assert forwarder.state().sent == 400 and forwarder.state().connected
    finally:
        forwarder.stop()
        store.close()


def test_sending_twice_leaves_one_point_per_reading(tmp_path, influxd):
    """At least once: readings sent again after a crash overwrite themselves, no duplicates."""
    store = _store(tmp_path, 10)
    sink = InfluxSink(InfluxConfig(influxd.url, "dedup", pace=FAST), "mill", "pc1")
    sink.open()
    rows = fw.readings_after(store, fw.Position(0), 1000)
    sink.send_readings(rows)
    sink.send_readings(rows)
    assert influxd.query("dedup", "SELECT count(value) FROM readings")[0]["values"][0][1] == 80
    store.close()


def test_an_unreachable_server_is_retried_and_then_drained(tmp_path, influxd):
    """While nothing listens the state says so in one sentence; the backlog goes once it listens."""
    store = _store(tmp_path, 20)
    port = free_port()
    forwarder = Forwarder(
        store,
        InfluxSink(InfluxConfig(f"http://127.0.0.1:{port}", "x", pace=FAST), "s", "d"),
        FAST,
        poll_interval=0.1,
    )
    forwarder.start()
    try:
        wait_for(lambda: forwarder.state().last_error, what="the failure")
        state = forwarder.state()
        assert (
            state.last_error
            == f"Cannot reach InfluxDB at http://127.0.0.1:{port} database x: connection refused"
        )
        wait_for(lambda: forwarder.state().backlog == 160, what="the backlog count")
    finally:
        forwarder.stop()
        store.close()


class _V2(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        url = urllib.parse.urlsplit(self.path)
        ok = url.path == "/api/v2/write" and self.headers["Authorization"] == "Token t0ken-XYZ"
        if ok:
            self.received.append((urllib.parse.parse_qs(url.query), body.decode()))
        self.send_response(204 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_v2_write_uses_org_bucket_and_token(tmp_path, caplog):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _V2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = _store(tmp_path, 5)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for token, ok in (("t0ken-XYZ", True), ("wrong-t0ken", False)):
        config = InfluxConfig(url, org="plant", bucket="wk", token=token, pace=FAST)
        sink = InfluxSink(config, "mill", "pc1")
        if ok:
            sink.send_readings(fw.readings_after(store, fw.Position(0), 1000))
        else:
            with pytest.raises(Exception, match="refused the credentials"):
                sink.send_readings(fw.readings_after(store, fw.Position(0), 1000))
    server.shutdown()
    query, body = _V2.received[0]
    assert query == {"org": ["plant"], "bucket": ["wk"], "precision": ["us"]}
    lines = body.splitlines()
    assert len(lines) == 40
    assert lines[1] == f"readings,channel=ch1,device=pc1,site=mill,unit=bar\\ a value=0.1 {T0}"
    assert "t0ken" not in caplog.text and "t0ken" not in repr(config)
    store.close()
