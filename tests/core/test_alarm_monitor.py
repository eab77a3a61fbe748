"""The monitor thread and the recording session: scoring and alarms off the reader thread."""

import threading
import time

import numpy as np
import pandas as pd

from core.alarms.config import parse_alarm_config
from core.alarms.engine import AlarmEngine
from core.alarms.journal import AlarmJournal
from core.alarms.monitor import Monitor
from core.anomaly.detector import AnomalyDetector
from core.config import Config
from core.engine.session import RecordingSession, SessionEvents
from core.engine.settings import EngineConfig
from core.forecast.cycle import store_forecasts
from core.readings import ReadingBatch
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


def _cycle(channel: str, generated_s: float, values: list[float]) -> pd.DataFrame:
    """A forecast cycle's rows as Forecaster.predict_cycle returns them: one target per 10 minutes."""
    targets = [generated_s + 600 * (k + 1) for k in range(len(values))]
    return pd.DataFrame(
        {
            "timestamp": pd.to_datetime(targets, unit="s", utc=True),
            "channel": channel,
            "forecast": values,
            "lower_80": [v - 0.5 for v in values],
            "upper_80": [v + 0.5 for v in values],
            "lower_95": [v - 1.0 for v in values],
            "upper_95": [v + 1.0 for v in values],
            "generated_at": pd.Timestamp(generated_s, unit="s", tz="UTC"),
        }
    )


class ForecastLog:
    """Records every forecast the engine is given: (channel, first target µs, first value)."""

    def __init__(self, engine: AlarmEngine) -> None:
        self.seen: list[tuple[str, int, float]] = []
        update = engine.update_forecast

        def record(channel, ts_us, value, lower_95, upper_95):
            self.seen.append((channel, int(ts_us[0]), float(value[0])))
            update(channel, ts_us, value, lower_95, upper_95)

        engine.update_forecast = record


def test_monitor_restores_the_newest_stored_forecast_of_every_channel_at_start(db_path):
    """At start the newest stored cycle of each channel reaches the predictive alarm (an older
    cycle of the same channel does not), without any cycle being pushed."""
    now = float(int(time.time()))  # whole seconds: targets compare exactly in µs
    with ReadingStore(db_path) as store:
        store_forecasts(store, _cycle("t", now - 600, [10.0] * 6), {})
        store_forecasts(store, _cycle("t", now, [20.0 + 2 * k for k in range(1, 7)]), {})
        store_forecasts(store, _cycle("u", now - 300, [5.0] * 6), {})
        engine = AlarmEngine(parse_alarm_config({"predictive_on_delay": 0, "channels": {"t": {"h": 28.0}}}))
        log = ForecastLog(engine)
        monitor = Monitor(AnomalyDetector(), engine, store)
        monitor.start()
        monitor.submit(batch(5))
        assert wait_until(
            lambda: any(a.alarm_id == "t.predictive" and a.state.active for a in engine.alarms()), timeout=5
        )
        monitor.stop()
    assert "Predicted HIGH 28.0" in engine.status("t.predictive").message
    assert sorted(log.seen) == [("t", int((now + 600) * 1e6), 22.0), ("u", int((now + 300) * 1e6), 5.0)]


def test_monitor_takes_new_forecasts_only_when_pushed_and_never_polls_the_table(db_path):
    """A cycle stored after the start does not reach the engine (the table is read once); a
    pushed cycle does, in full, and raises the predictive alarm."""
    now = float(int(time.time()))  # whole seconds: targets compare exactly in µs
    with ReadingStore(db_path) as store:
        engine = AlarmEngine(parse_alarm_config({"predictive_on_delay": 0, "channels": {"t": {"h": 28.0}}}))
        log = ForecastLog(engine)
        monitor = Monitor(AnomalyDetector(), engine, store, tick_interval=0.05, min_interval=0.01)
        assert not hasattr(monitor, "forecast_poll")
        monitor.start()
        try:
            monitor.submit(batch(1, start_s=-10))  # scored after the restore at start: it is done
            assert wait_until(lambda: monitor.stats().scored >= 1, timeout=30)
            rounds = monitor.stats().scored
            store_forecasts(store, _cycle("t", now, [30.0] * 6), {})  # stored, not pushed
            for i in range(5):  # rounds go by: each would have been a chance to poll
                monitor.submit(batch(1, start_s=i))
            assert wait_until(lambda: monitor.stats().scored >= rounds + 5, timeout=5)
            assert log.seen == []
            monitor.set_cycle(_cycle("t", now, [20.0 + 2 * k for k in range(1, 7)]))
            monitor.submit(batch(5))
            assert wait_until(
                lambda: any(a.alarm_id == "t.predictive" and a.state.active for a in engine.alarms()),
                timeout=5,
            )
        finally:
            monitor.stop()
    assert log.seen == [("t", int((now + 600) * 1e6), 22.0)]


def test_recording_session_runs_scoring_and_alarms(db_path):
    """A monitoring session scores what it records and journals alarms into the same file."""
    table = {"comm_loss_after": 60, "channels": {"ch1": {"l": 1e9, "on_delay": 0, "off_delay": 0}}}
    events = []
    session = RecordingSession(
        "sim://?channels=2&rate=50",
        db_path,
        EngineConfig(Config(), alarms=parse_alarm_config(table)),
        monitoring=True,
        events=SessionEvents(on_alarm=events.append),
    )
    session.start()
    try:
        assert wait_until(lambda: session.stats().monitor.scored >= 100, timeout=10)
        assert wait_until(lambda: any(e.alarm_id == "ch1.L" for e in events), timeout=5)
    finally:
        session.stop()
    with ReadingStore(db_path, read_only=True) as store:
        assert "ch1.L" in set(AlarmJournal(store).frame()["alarm_id"])


def test_a_slow_forecast_restore_raises_no_false_comm_loss(db_path, monkeypatch):
    """Readings that arrive while the monitor waits on the file for its stored forecasts are
    evaluated before time is, so a slow read of the forecasts table is not mistaken for a silent
    sensor."""
    import core.alarms.monitor as monitor_module

    engine = AlarmEngine(parse_alarm_config({"comm_loss_after": 1.0, "channels": {"t": {}}}))
    events = []
    engine.subscribe(events.append)
    reading = threading.Event()
    newest_cycles = monitor_module.newest_cycles

    def slow(store):
        reading.set()
        time.sleep(2.5)
        return newest_cycles(store)

    monkeypatch.setattr(monitor_module, "newest_cycles", slow)
    with ReadingStore(db_path) as store:
        monitor = Monitor(None, engine, store, min_interval=0.05)
        monitor.start()
        assert reading.wait(10)
        end = time.monotonic() + 4
        k = 0
        while time.monotonic() < end:
            now_us = time.time_ns() // 1000
            monitor.submit(ReadingBatch.from_records([(now_us, "t", 20.0)]))
            k += 1
            time.sleep(0.1)
        fed_until_us = time.time_ns() // 1000
        monitor.stop()
    false_alarms = [e for e in events if e.alarm_id == "t.comm_loss" and e.ts_us < fed_until_us]
    assert not false_alarms
    assert monitor.stats().scored == k


def test_a_round_starts_early_once_enough_readings_wait():
    """Rounds are at most a second apart for few readings, but a flood is scored in rounds of
    ``round_readings``: here 150 readings wait, past the 100, and are scored long before the
    minute between rounds has passed."""
    monitor = Monitor(AnomalyDetector(), AlarmEngine(), min_interval=60.0, round_readings=100)
    monitor.start()
    try:
        now = int(time.time() * 1e6)
        monitor.submit(ReadingBatch.from_records([(now, "flow", 1.0)]))
        assert wait_until(lambda: monitor.stats().scored == 1)  # a round is done: the next in a minute
        monitor.submit(ReadingBatch.from_records([(now + 1 + i, "flow", 1.0) for i in range(150)]))
        assert wait_until(lambda: monitor.stats().scored == 151, timeout=10)
    finally:
        monitor.stop()
