"""The monitor thread and the recording session: scoring and alarms off the reader thread."""

import threading
import time

import numpy as np

from core.acquisition.batch import ReadingBatch
from core.alarms.config import parse_alarm_config
from core.alarms.engine import AlarmEngine
from core.alarms.journal import AlarmJournal
from core.alarms.monitor import Monitor
from core.anomaly.detector import AnomalyDetector
from core.session import RecordingSession
from core.storage.store import ReadingStore
from tests.conftest import wait_until


def batch(n: int, start_s: float = 0.0, channel: str = "t") -> ReadingBatch:
    t0 = time.time_ns() // 1000 - 10_000_000
    return ReadingBatch.from_records(
        [(t0 + int((start_s + i) * 1e6), channel, 20.0 + 0.1 * np.sin(i)) for i in range(n)]
    )


def test_monitor_scores_everything_submitted():
    """Every submitted reading is scored, and score subscribers see every batch."""
    monitor = Monitor(AnomalyDetector(), AlarmEngine())
    seen = []
    monitor.subscribe_scores(lambda scored: seen.append(len(scored)))
    monitor.start()
    for k in range(10):
        monitor.submit(batch(50, start_s=50 * k))
    monitor.stop()
    assert monitor.stats().scored == 500 and sum(seen) == 500


def test_a_full_queue_drops_and_counts_instead_of_blocking():
    """When scoring falls behind, submit never blocks: overflow is dropped and counted."""
    gate = threading.Event()

    class SlowEngine(AlarmEngine):
        def process(self, b, scores=None):
            gate.wait(5)

    monitor = Monitor(None, SlowEngine(), max_batches=2)
    monitor.start()
    started = time.monotonic()
    results = [monitor.submit(batch(10, start_s=10 * k)) for k in range(20)]
    assert time.monotonic() - started < 1.0
    assert not all(results) and monitor.stats().dropped >= 10 * results.count(False)
    gate.set()
    monitor.stop()


def test_monitor_feeds_alarms_with_scores():
    """A limit crossed in submitted readings raises the alarm on the monitor thread."""
    engine = AlarmEngine(parse_alarm_config({"channels": {"t": {"h": 25.0, "on_delay": 0, "off_delay": 0}}}))
    events = []
    engine.subscribe(events.append)
    monitor = Monitor(AnomalyDetector(), engine)
    monitor.start()
    hot = ReadingBatch.from_records([(time.time_ns() // 1000, "t", 30.0)])
    monitor.submit(hot)
    monitor.stop()
    assert [e.alarm_id for e in events] == ["t.H"]


def test_monitor_picks_up_forecasts_from_the_store(db_path):
    """A forecast cycle written to the forecasts table reaches the predictive alarm."""
    with ReadingStore(db_path) as store:
        now = time.time()
        cur = store.cursor()
        for k in range(1, 7):
            cur.execute(
                "INSERT INTO forecasts (channel, generated_at, target_ts, value, lower_95, upper_95) "
                "VALUES ('t', to_timestamp(?), to_timestamp(?), ?, ?, ?)",
                [now, now + 600 * k, 20.0 + 2 * k, 19.0 + 2 * k, 21.0 + 2 * k],
            )
        engine = AlarmEngine(parse_alarm_config({"predictive_on_delay": 0, "channels": {"t": {"h": 28.0}}}))
        monitor = Monitor(AnomalyDetector(), engine, store, forecast_poll=0.0)
        monitor.start()
        monitor.submit(batch(5))
        assert wait_until(
            lambda: any(a.alarm_id == "t.predictive" and a.state.active for a in engine.alarms()), timeout=5
        )
        monitor.stop()
        assert "Predicted HIGH 28.0" in engine.status("t.predictive").message


def test_recording_session_runs_scoring_and_alarms(db_path):
    """A monitoring session scores what it records and journals alarms into the same file."""
    table = {"comm_loss_after": 60, "channels": {"ch1": {"l": 1e9, "on_delay": 0, "off_delay": 0}}}
    events = []
    session = RecordingSession(
        "sim://?channels=2&rate=50",
        db_path,
        monitoring=True,
        alarms=parse_alarm_config(table),
        on_alarm=events.append,
    )
    session.start()
    try:
        assert wait_until(lambda: session.stats().monitor.scored >= 100, timeout=10)
        assert wait_until(lambda: any(e.alarm_id == "ch1.L" for e in events), timeout=5)
    finally:
        session.stop()
    with ReadingStore(db_path, read_only=True) as store:
        assert "ch1.L" in set(AlarmJournal(store).frame()["alarm_id"])


def test_a_slow_forecast_read_raises_no_false_comm_loss(db_path, monkeypatch):
    """Readings that arrive while the monitor waits on the file are evaluated before time is, so
    a slow read of the forecasts table is not mistaken for a silent sensor."""
    engine = AlarmEngine(parse_alarm_config({"comm_loss_after": 1.0, "channels": {"t": {}}}))
    events = []
    engine.subscribe(events.append)
    slow = threading.Event()

    def poll(self):
        if slow.is_set():
            time.sleep(2.5)

    monkeypatch.setattr(Monitor, "_poll_forecasts", poll)
    with ReadingStore(db_path) as store:
        monitor = Monitor(None, engine, store, forecast_poll=0.0, min_interval=0.05)
        monitor.start()
        end = time.monotonic() + 6
        k = 0
        while time.monotonic() < end:
            now_us = time.time_ns() // 1000
            monitor.submit(ReadingBatch.from_records([(now_us, "t", 20.0)]))
            k += 1
            if k == 10:
                slow.set()
            time.sleep(0.1)
        fed_until_us = time.time_ns() // 1000
        slow.clear()
        monitor.stop()
    false_alarms = [e for e in events if e.alarm_id == "t.comm_loss" and e.ts_us < fed_until_us]
    assert not false_alarms
    assert monitor.stats().scored == k
