"""Retention deletes exactly what the policy no longer keeps, and the file stops growing."""

import numpy as np
import pytest

from core.readings import ReadingBatch
from core.storage.retention import RetentionPolicy, RetentionWorker, apply_retention
from core.storage.store import ReadingStore
from tests.conftest import wait_until

DAY = 86_400_000_000
NOW = 1_800_000_000_000_000 // DAY * DAY  # midnight UTC


def hourly_points(days_back: int) -> ReadingBatch:
    """One reading every hour for the last ``days_back`` days."""
    ts = NOW - np.arange(days_back * 24, 0, -1, dtype=np.int64) * 3_600_000_000
    return ReadingBatch(ts, np.zeros(len(ts), np.int32), np.ones(len(ts)), ("a",))


def test_deletes_exactly_what_is_older_than_each_age(db_path):
    """Raw older than raw_days, minutes older than minute_days, hours older than hour_days go."""
    with ReadingStore(db_path) as store:
        store.append(hourly_points(400))
        result = apply_retention(store, RetentionPolicy(30, 365, 380), now_us=NOW)
        cur = store.cursor()
        oldest = {
            t: cur.execute(f"SELECT epoch_us(min({c})) FROM {t}").fetchall()[0][0]
            for t, c in (("samples", "ts"), ("rollup_1m", "bucket"), ("rollup_1h", "bucket"))
        }
    assert (result.raw_deleted, result.minute_deleted, result.hour_deleted) == (370 * 24, 35 * 24, 20 * 24)
    assert oldest == {"samples": NOW - 30 * DAY, "rollup_1m": NOW - 365 * DAY, "rollup_1h": NOW - 380 * DAY}


def test_history_falls_back_to_rollups_where_raw_is_gone(db_path):
    """After raw retention, a short span in the past is served from the minute rollup."""
    with ReadingStore(db_path) as store:
        store.append(hourly_points(60))
        apply_retention(store, RetentionPolicy(30, 365, 3650), now_us=NOW)
        old = store.history(["a"], NOW - 50 * DAY, NOW - 49 * DAY, max_points=2000)["a"]
        recent = store.history(["a"], NOW - 2 * DAY, NOW - DAY, max_points=2000)["a"]
    assert old.resolution == "1min" and len(old) == 24
    assert recent.resolution == "raw" and len(recent) == 24


def test_policy_validation_names_the_key():
    """Nonsense ages are refused with the key named."""
    with pytest.raises(ValueError, match=r"retention\.raw_days"):
        RetentionPolicy(raw_days=0).validate()
    with pytest.raises(ValueError, match="raw_days <= minute_days"):
        RetentionPolicy(raw_days=400, minute_days=365).validate()


def test_worker_runs_in_the_background_while_the_writer_commits(db_path):
    """The retention thread deletes while another thread keeps appending, without lock errors."""
    with ReadingStore(db_path) as store:
        store.append(hourly_points(100))
        worker = RetentionWorker(store, RetentionPolicy(30, 60, 90), interval=0.05, clock=lambda: NOW / 1e6)
        worker.start()
        t = NOW
        for i in range(100):
            t += 1_000_000
            store.append(ReadingBatch(np.array([t]), np.zeros(1, np.int32), np.array([float(i)]), ("a",)))
        assert wait_until(lambda: worker.last is not None)
        worker.stop()
        assert worker.last_error == ""
        assert store.count("a") == 100 + 30 * 24  # the new ones are kept, raw older than 30 days is gone
