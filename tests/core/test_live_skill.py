"""Skill of stored forecasts against what happened, and past forecasts for the plot."""

from datetime import UTC, datetime, timedelta

import numpy as np

from core.forecast.live_skill import past_forecasts, recent_skill
from core.readings import ReadingBatch
from core.storage.store import ReadingStore

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_perfect_forecast_has_skill_one_and_persistence_zero(db_path):
    """Forecasts equal to the actual values score 1; forecasts equal to persistence score 0."""
    minutes = np.arange(-600, 0)
    ts = (np.array([(NOW + timedelta(minutes=int(m))).timestamp() for m in minutes]) * 1e6).astype(np.int64)
    values = minutes.astype(float)  # a ramp: persistence is always 1 behind per minute ahead
    with ReadingStore(db_path) as store:
        store.append(ReadingBatch(ts, np.zeros(len(ts), np.int32), values, ("a",)))
        gen = NOW - timedelta(minutes=300)
        rows = [(gen + timedelta(minutes=k), -300.0 + k) for k in range(1, 31)]  # exact values
        cur = store.cursor()
        for target, value in rows:
            cur.execute(
                "INSERT INTO forecasts (channel, generated_at, target_ts, value) VALUES ('a', ?, ?, ?)",
                [gen, target, value],
            )
            cur.execute(
                "INSERT INTO forecasts (channel, generated_at, target_ts, value) VALUES ('b', ?, ?, ?)",
                [gen, target, value],
            )
        skill, n = recent_skill(store, "a", now=NOW)
        assert n == 30 and abs(skill - 1.0) < 1e-9
        assert recent_skill(store, "b", now=NOW) is None  # no readings for b
        past = past_forecasts(store, "a", (NOW - timedelta(hours=6)).timestamp(), NOW.timestamp())
        assert len(past) == 30 and past[0][2] == -299.0
