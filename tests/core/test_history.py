"""Rollups stay exact under incremental commits; history picks the right resolution and envelope."""

import duckdb
import numpy as np
import pytest

from core.readings import ReadingBatch
from core.storage.schema import SCHEMA_VERSION, migrate
from core.storage.store import ReadingStore

T0 = 1_767_225_600_000_000  # 2026-01-01 00:00 UTC
S = 1_000_000


def series_batch(channel, start_s, n, step_s=1.0, values=None, rng=None):
    ts = T0 + (start_s * S + np.arange(n) * step_s * S).astype(np.int64)
    vals = values if values is not None else (rng or np.random.default_rng(0)).normal(50, 5, n)
    return ReadingBatch(ts, np.zeros(n, np.int32), np.asarray(vals, float), (channel,))


def test_rollups_equal_a_from_scratch_aggregation_after_many_small_batches(db_path):
    """Hundreds of small, overlapping-bucket commits give the same rollups as one GROUP BY."""
    rng = np.random.default_rng(3)
    with ReadingStore(db_path) as store:
        t = 0.0
        for _ in range(300):
            n = int(rng.integers(1, 40))
            for ch in ("a", "b"):
                store.append(series_batch(ch, t, n, step_s=1.7, rng=rng))
            t += n * 1.7
        cur = store.cursor()
        for table, unit in (("rollup_1m", "minute"), ("rollup_1h", "hour")):
            got = cur.execute(
                f"SELECT channel_id, bucket, n, vmin, vmax, round(vsum, 6) FROM {table} ORDER BY 1, 2"
            ).fetchall()
            want = cur.execute(
                f"SELECT channel_id, date_trunc('{unit}', ts) b, count(*), min(value), max(value), "
                "round(sum(value), 6) FROM samples GROUP BY ALL ORDER BY 1, 2"
            ).fetchall()
            assert got == want
            assert len(got) > 2


def test_short_span_returns_raw_readings(db_path):
    """When the readings fit in max_points they come back raw, exactly."""
    with ReadingStore(db_path) as store:
        store.append(series_batch("a", 0, 3600))
        h = store.history(["a"], T0 + 60 * S, T0 + 660 * S, max_points=1000)["a"]
    assert h.resolution == "raw"
    assert len(h) == 600 and h.ts_us[0] == T0 + 60 * S
    assert np.array_equal(h.vmin, h.mean) and np.array_equal(h.vmax, h.mean)


def test_longer_span_uses_the_finest_rollup_that_fits(db_path):
    """A day of 1 Hz data in 2000 points is 1-minute buckets; 30 days is hourly; 2 years is wider."""
    with ReadingStore(db_path) as store:
        store.append(series_batch("a", 0, 86_400))
        day = store.history(["a"], T0, T0 + 86_400 * S, max_points=2000)["a"]
        month = store.history(["a"], T0, T0 + 30 * 86_400 * S, max_points=2000)["a"]
        years = store.history(["a"], T0, T0 + 730 * 86_400 * S, max_points=2000)["a"]
    assert (day.resolution, len(day)) == ("1min", 1440)
    assert (month.resolution, len(month)) == ("1h", 24)
    assert years.resolution == "9h" and len(years) == 3
    assert day.count.sum() == month.count.sum() == years.count.sum() == 86_400


def test_a_single_spike_survives_zooming_out(db_path):
    """The envelope keeps a one-sample spike at every resolution."""
    vals = np.full(86_400, 10.0)
    vals[40_000] = 999.0
    with ReadingStore(db_path) as store:
        store.append(series_batch("a", 0, 86_400, values=vals))
        for days in (1, 30, 365):
            h = store.history(["a"], T0, T0 + days * 86_400 * S, max_points=500)["a"]
            assert h.vmax.max() == 999.0, h.resolution
            assert h.mean.max() < 999.0


def test_mean_is_weighted_by_count(db_path):
    """Bucket means are exact means of the readings in the bucket."""
    with ReadingStore(db_path) as store:
        store.append(series_batch("a", 0, 120, values=np.r_[np.zeros(60), np.arange(60.0)]))
        h = store.history(["a"], T0, T0 + 120 * S, max_points=50)["a"]
    assert h.resolution == "1min"
    assert h.mean.tolist() == [0.0, 29.5] and h.count.tolist() == [60, 60]


def test_unknown_channels_are_left_out(db_path):
    """Asking for a channel that was never recorded returns nothing for it, not an error."""
    with ReadingStore(db_path) as store:
        store.append(series_batch("a", 0, 10))
        assert set(store.history(["a", "zz"], T0, T0 + 60 * S)) == {"a"}


def test_history_accepts_timestamps_and_rejects_tiny_max_points(db_path):
    """Times may be given as strings/Timestamps; max_points below 2 is a clear error."""
    with ReadingStore(db_path) as store:
        store.append(series_batch("a", 0, 10))
        assert len(store.history(["a"], "2026-01-01", "2026-01-01 00:00:05")["a"]) == 5
        with pytest.raises(ValueError, match="max_points"):
            store.history(["a"], T0, T0 + 1, max_points=1)


def test_file_from_an_older_schema_opens_with_rollups_built(db_path):
    """A version-1 file (readings only) is migrated on open and its rollups are filled in."""
    con = duckdb.connect(str(db_path))
    con.execute("SET TimeZone = 'UTC'")
    migrate(con, target=1)
    con.execute("INSERT INTO channels (id, name) VALUES (1, 'old')")
    con.execute("INSERT INTO samples SELECT 1, to_timestamp(1767225600 + i), i FROM range(7200) t(i)")
    con.close()
    with ReadingStore(db_path) as store:
        assert (
            store.cursor().execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
            == SCHEMA_VERSION
        )
        h = store.history(["old"], T0, T0 + 7200 * S, max_points=10)["old"]
        assert h.resolution == "1h" and h.count.tolist() == [3600, 3600]
        store.append(series_batch("old", 7200, 5))
        assert store.count("old") == 7205
