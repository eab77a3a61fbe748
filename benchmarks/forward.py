"""Forwarding benchmark: throughput to a local mosquitto and InfluxDB, the backlog drain after an
hour offline at 8 channels x 10 Hz, and a broker outage mid-stream, while live recording goes on.

Prints figures, never fails on them. The baseline is real time, 80 readings/s, measured against
the same live feed in the same process; every figure is also given as a multiple of it.

1. drain: one hour of readings (288,000) waits in the file; a forwarder drains it oldest first
   while the live feed keeps committing, at the default drain_rate and unbounded, to each
   target; CPU of this process (forwarder, writer, feed and the test subscriber together) and
   the live writer's health are shown beside it, and every reading is checked to have arrived;
2. outage: the broker is stopped for ``--outage`` seconds (30 by default) mid-stream and started
   again: time to catch up, and whether every reading arrived in order per channel.

    uv run python benchmarks/forward.py [--quick] [--outage S]
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from core.forward.engine import Forwarder
from core.forward.influx import InfluxSink
from core.forward.mqtt import MqttSink
from core.forward.settings import InfluxConfig, MqttConfig, Pace
from core.storage import forwarding as fw
from core.storage.store import ReadingStore
from tests.core.forward.helpers import Feeder, batch_at
from tests.core.forward.servers import Broker, Influx, find_binary, wait_for

REAL_TIME = 8 * 10  # readings per second at 8 channels x 10 Hz
PREFIX = "watchkeeper/bench/pc1"


class Counter:
    """A QoS 1 subscriber that only counts (so it costs this process little CPU)."""

    def __init__(self, port: int) -> None:
        self.payloads: list[bytes] = []
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"bench-sub-{time.monotonic_ns()}", clean_session=False
        )
        ready = threading.Event()
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe(f"{PREFIX}/readings", qos=1)
        self.client.on_subscribe = lambda *a: ready.set()
        self.client.on_message = lambda c, u, m: self.payloads.append(m.payload)
        self.client.reconnect_delay_set(0.1, 0.5)
        self.client.connect("127.0.0.1", port, 30)
        self.client.loop_start()
        ready.wait(20)

    def ids(self) -> list[tuple[str, str]]:
        import json

        return [(r["channel"], r["ts"]) for p in list(self.payloads) for r in json.loads(p)["readings"]]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _sink(kind: str, broker: Broker, influx: Influx, pace: Pace, db: str):
    if kind == "mqtt":
        return MqttSink(MqttConfig(broker.url, PREFIX, pace=pace), "bench", "pc1")
    return InfluxSink(InfluxConfig(influx.url, db, pace=pace), "bench", "pc1")


def drain(folder: Path, kind: str, rate: float, broker: Broker, influx: Influx, hours: float) -> dict:
    """Seconds to drain ``hours`` of backlog while the live feed runs, and what it cost."""
    store = ReadingStore(folder / f"drain-{kind}-{rate:.0f}.duckdb")
    n_lines = int(hours * 3600 * 10)
    t0 = time.time_ns() // 1000 - n_lines * 100_000
    store.append(batch_at(t0, 100_000, n_lines))
    backlog = n_lines * 8
    base = Pace(batch=500 if kind == "mqtt" else 5000, drain_rate=rate, retry_initial=0.2, retry_max=1.0)
    sink = _sink(kind, broker, influx, base, f"drain{rate:.0f}")
    fw.save_position(store, sink.name, fw.READINGS, fw.Position(t0 - 1))
    counter = Counter(broker.port) if kind == "mqtt" else None
    feeder = Feeder(store, hz=10).start()
    time.sleep(1.0)
    forwarder = Forwarder(store, sink, base, poll_interval=0.2)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    forwarder.start()
    wait_for(lambda: forwarder.state().sent >= backlog, 3600, 0.05, "the drain")
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    live = feeder.writer.stats()
    feeder.stop()
    forwarder.wait_idle(120)
    forwarder.stop()
    if counter is not None:
        wait_for(lambda: len(counter.ids()) >= forwarder.state().sent, 120, 0.2, "the subscriber")
        arrived = len(set(counter.ids()))
        counter.close()
    else:
        arrived = influx.query(f"drain{rate:.0f}", "SELECT count(value) FROM readings")[0]["values"]
        arrived = sum(v[1] for v in arrived)
    total = store.count()
    store.close()
    return {
        "seconds": wall,
        "rate": backlog / wall,
        "cpu": cpu / wall,
        "arrived": arrived,
        "total": total,
        "live_pending": live.pending,
        "live_failures": live.failures,
    }


def outage(folder: Path, broker: Broker, seconds: float) -> dict:
    store = ReadingStore(folder / "outage.duckdb")
    pace = Pace(batch=500, retry_initial=0.5, retry_max=5.0)
    sink = MqttSink(MqttConfig(broker.url, PREFIX, pace=pace), "bench", "pc1")
    counter = Counter(broker.port)
    forwarder = Forwarder(store, sink, pace, poll_interval=0.5)
    feeder = Feeder(store, hz=10).start()
    forwarder.start()
    time.sleep(3.0)
    broker.stop(signal.SIGTERM)
    down = time.perf_counter()
    time.sleep(seconds)
    backlog = forwarder.state().backlog
    broker.start()
    wait_for(lambda: forwarder.state().connected and forwarder.state().backlog == 0, 300, 0.05, "catch-up")
    catch_up = time.perf_counter() - down - seconds
    time.sleep(2.0)
    feeder.stop()
    forwarder.wait_idle(60)
    forwarder.stop()
    stored = {
        (c, t)
        for c, t in store.cursor()
        .execute("SELECT channel, strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') FROM readings")
        .fetchall()
    }
    wait_for(lambda: set(counter.ids()) >= stored, 60, 0.2, "the subscriber")
    seen, firsts = set(), []
    for item in counter.ids():
        if item not in seen:
            seen.add(item)
            firsts.append(item)
    in_order = all(
        [t for c, t in firsts if c == ch] == sorted(t for c, t in firsts if c == ch)
        for ch in {c for c, _ in firsts}
    )
    counter.close()
    store.close()
    return {
        "backlog": backlog,
        "catch_up": catch_up,
        "lost": len(stored - seen),
        "total": len(stored),
        "in_order": in_order,
        "copies": len(counter.ids()) - len(seen),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10 minutes of backlog, a 5 s outage")
    ap.add_argument("--outage", type=float, help="seconds the broker is down (default 30; 5 with --quick)")
    args = ap.parse_args()
    hours = 1 / 6 if args.quick else 1.0
    down = args.outage if args.outage is not None else (5.0 if args.quick else 30.0)
    mosquitto, influxd = find_binary("mosquitto"), find_binary("influxd")
    if not mosquitto or not influxd:
        sys.exit("benchmarks/forward.py needs mosquitto and influxd (apt install mosquitto influxdb)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        broker = Broker.create(mosquitto, folder / "mosquitto")
        influx = Influx.create(influxd, folder / "influx")
        try:
            print(f"Baseline: real time at 8 channels x 10 Hz = {REAL_TIME} readings/s")
            print(
                f"\n1. Drain {hours * 60:.0f} min of backlog ({int(hours * 3600 * REAL_TIME):,} readings) "
                "while the live feed records 80 readings/s:"
            )
            print(
                f"   {'target':<7}{'drain_rate':>11}{'seconds':>9}{'readings/s':>12}{'x real time':>13}"
                f"{'CPU':>7}{'arrived':>17}  live writer"
            )
            for kind in ("mqtt", "influx"):
                for rate in (Pace().drain_rate, 1e9):
                    r = drain(folder, kind, rate, broker, influx, hours)
                    label = f"{rate:,.0f}" if rate < 1e9 else "unbounded"
                    times = r["rate"] / REAL_TIME
                    print(
                        f"   {kind:<7}{label:>11}{r['seconds']:>9.1f}{r['rate']:>12,.0f}{times:>12,.0f}x"
                        f"{r['cpu']:>7.0%}{r['arrived']:>9,}/{r['total']:,}"
                        f"  {r['live_pending']} pending, {r['live_failures']} failed commits"
                    )
            print(f"\n2. Broker stopped for {down:.0f} s mid-stream, then started again:")
            r = outage(folder, broker, down)
            times = down / max(r["catch_up"], 1e-9)
            print(
                f"   backlog at restart {r['backlog']:,} readings; caught up {r['catch_up']:.1f} s after "
                f"the broker returned ({times:,.0f}x real time, the reconnect back-off included)"
            )
            order = "yes" if r["in_order"] else "NO"
            print(
                f"   arrived {r['total'] - r['lost']:,} of {r['total']:,} (lost {r['lost']}), "
                f"in order per channel: {order}, sent twice: {r['copies']}"
            )
        finally:
            broker.stop(signal.SIGKILL)
            influx.stop()


if __name__ == "__main__":
    main()
