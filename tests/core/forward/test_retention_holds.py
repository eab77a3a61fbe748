"""Retention keeps raw readings a forwarder has not sent, for unsent_days more, and says so."""

from __future__ import annotations

from core.storage.retention import DAY_US, RetentionPolicy, RetentionWorker, apply_retention
from core.storage.store import ReadingStore
from tests.core.forward.conftest import wait_for
from tests.core.forward.helpers import batch_at

NOW = 1_767_225_600_000_000 + 60 * DAY_US


def _store(tmp_path) -> ReadingStore:
    store = ReadingStore(tmp_path / "f.duckdb")
    for day in range(0, 60, 1):  # one line of 8 channels per day, 60 days back
        store.append(batch_at(NOW - (60 - day) * DAY_US + 1, 1, 1))
    return store


def test_unsent_readings_outlive_raw_days(tmp_path):
    store = _store(tmp_path)
    policy = RetentionPolicy(raw_days=30, minute_days=365, hour_days=3650, unsent_days=7)
    hold = NOW - 35 * DAY_US  # the broker has been unreachable for 35 days
    result = apply_retention(store, policy, NOW, {"mqtt": hold, "influx": NOW})
    assert result.unsent_deleted == 0 and result.unsent_by == ("mqtt",)
    assert result.unsent_kept == 8 * 5, "the five days between the cursor and raw_days stay"
    assert store.count() == 8 * 35
    assert result.raw_deleted == 8 * 25


def test_past_unsent_days_they_go_and_it_is_said(tmp_path):
    store = _store(tmp_path)
    policy = RetentionPolicy(30, 365, 3650, unsent_days=7)
    hold = NOW - 50 * DAY_US
    worker = RetentionWorker(
        store, policy, interval=3600, clock=lambda: NOW / 1e6, holds=lambda: {"mqtt": hold}
    )
    worker.start()
    try:
        wait_for(lambda: worker.last is not None, what="retention")
    finally:
        worker.stop()
    assert worker.last.unsent_deleted == 8 * 13  # days 50..38 back: past 30 + 7
    assert worker.warning.startswith("104 readings were deleted before mqtt could send them")
    assert store.count() == 8 * 37
    store.close()


def test_without_forwarders_retention_is_unchanged(tmp_path):
    store = _store(tmp_path)
    result = apply_retention(store, RetentionPolicy(30, 365, 3650), NOW, {})
    assert (result.raw_deleted, result.unsent_kept, result.unsent_deleted) == (8 * 30, 0, 0)
    store.close()
