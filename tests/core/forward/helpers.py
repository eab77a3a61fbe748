"""A live feed into a real store, and an MQTT subscriber that keeps what it gets."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict

import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from core.readings import ReadingBatch
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter

CHANNELS = tuple(f"ch{i}" for i in range(8))


def batch_at(t_us: int, step_us: int, n: int, names: tuple[str, ...] = CHANNELS) -> ReadingBatch:
    """``n`` lines of every channel, ``step_us`` apart from ``t_us`` (value = line index)."""
    ts = t_us + np.repeat(np.arange(n, dtype=np.int64) * step_us, len(names))
    codes = np.tile(np.arange(len(names), dtype=np.int32), n)
    values = np.repeat(np.arange(n, dtype=np.float64), len(names)) + codes / 10
    return ReadingBatch(ts, codes, values, names)


class Feeder:
    """8 channels at ``hz`` lines per second into ``store`` through its StoreWriter, as recording does."""

    def __init__(self, store: ReadingStore, hz: float = 20.0) -> None:
        self.store = store
        self.writer = StoreWriter(store, 0.2)
        self.hz = hz
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.written = 0

    def start(self) -> Feeder:
        self.writer.start()
        self._thread.start()
        return self

    def _run(self) -> None:
        step = int(1e6 / self.hz)
        t = time.time_ns() // 1000
        while not self._stop.wait(0.1):
            now = time.time_ns() // 1000
            n = max(1, (now - t) // step)
            self.written += len(self.writer_submit(batch_at(t, step, int(n))))
            t += int(n) * step

    def writer_submit(self, batch: ReadingBatch) -> ReadingBatch:
        self.writer.submit(batch)
        return batch

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.writer.stop()


class Subscriber:
    """A QoS 1 subscriber with a persistent session on ``prefix/#``."""

    def __init__(self, port: int, prefix: str, protocol: int = mqtt.MQTTv311, **tls) -> None:
        self.messages: dict[str, list] = defaultdict(list)
        self.raw: list[tuple[str, bytes, bool]] = []
        self._lock = threading.Lock()
        kwargs = {"clean_session": False} if protocol == mqtt.MQTTv311 else {}
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"test-sub-{time.monotonic_ns()}",
            protocol=protocol,
            **kwargs,
        )
        self.prefix = prefix
        self.subscribed = threading.Event()
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe(f"{prefix}/#", qos=1)
        self.client.on_subscribe = lambda *a: self.subscribed.set()
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(0.1, 0.5)
        self.client.connect("127.0.0.1", port, 30)
        self.client.loop_start()
        assert self.subscribed.wait(20), "the test subscriber could not subscribe"

    def _on_message(self, client, userdata, msg) -> None:
        with self._lock:
            self.raw.append((msg.topic, msg.payload, msg.retain))
            kind = msg.topic.rsplit("/", 1)[-1]
            if kind == "status":
                self.messages[kind].append(msg.payload.decode())
            else:
                self.messages[kind].append(json.loads(msg.payload))

    def readings(self) -> list[dict]:
        with self._lock:
            return [r for doc in self.messages["readings"] for r in doc["readings"]]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def first_copies(readings: list[dict]) -> list[dict]:
    """The readings in arrival order without repeats (a target de-duplicates by id)."""
    seen, out = set(), []
    for r in readings:
        if r["id"] not in seen:
            seen.add(r["id"])
            out.append(r)
    return out


def stored_ids(store: ReadingStore) -> set[str]:
    rows = store.cursor().execute("SELECT channel, epoch_us(ts) FROM readings").fetchall()
    return {f"{c}@{t}" for c, t in rows}
