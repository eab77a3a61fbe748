"""Rollups folded from a commit's readings in numpy equal a from-scratch GROUP BY of the samples,
whatever the commits hold: many channels, minutes and hours apart, months apart, before 1970,
live (deferred) or at once; and a reading the samples table refuses is refused as before."""

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.readings import ReadingBatch
from core.storage.store import ReadingStore
from tests.core.test_rollups_deferred import exact

T0 = 1_767_225_600_000_000  # 2026-01-01 UTC, µs
HOUR, DAY = 3_600_000_000, 86_400_000_000
NAMES = tuple(f"ch{i}" for i in range(12))


def _assert_exact(store: ReadingStore) -> None:
    store.flush_rollups()
    assert exact(store)


@st.composite
def commits(draw) -> list[tuple[ReadingBatch, bool]]:
    """Commits of a few readings to many, spread over seconds to months, some deferred."""
    start = draw(st.sampled_from([T0, -3 * HOUR - 1234, 0, T0 - 400 * DAY]))
    spread = draw(st.sampled_from([10_000_000, 2 * HOUR, 90 * DAY]))
    out = []
    for _ in range(draw(st.integers(1, 6))):
        n = draw(st.integers(1, 400))
        seed = draw(st.integers(0, 2**32 - 1))
        rng = np.random.default_rng(seed)
        ts = start + rng.integers(0, spread, n)
        codes = rng.integers(0, draw(st.integers(1, len(NAMES))), n).astype(np.int32)
        values = np.round(rng.normal(50, 20, n), rng.integers(0, 4))
        out.append((ReadingBatch(ts.astype(np.int64), codes, values, NAMES), draw(st.booleans())))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commits())
def test_rollups_equal_a_from_scratch_group_by(stream):
    """Counts, extremes and sums of every channel's minutes and hours, however the commits fell."""
    with tempfile.TemporaryDirectory() as tmp, ReadingStore(Path(tmp) / "x.duckdb") as store:
        for batch, deferred in stream:
            store.append(batch, defer_rollups=deferred)
        _assert_exact(store)


def test_one_large_commit_over_months_folds_exactly(db_path):
    """A backfill spanning months (more buckets than readings) is folded without a dense table."""
    rng = np.random.default_rng(5)
    n = 50_000
    ts = (T0 + np.sort(rng.integers(0, 200 * DAY, n))).astype(np.int64)
    batch = ReadingBatch(ts, rng.integers(0, 8, n).astype(np.int32), rng.normal(20, 3, n), NAMES[:8])
    with ReadingStore(db_path) as store:
        store.append(batch)
        _assert_exact(store)
        assert store.count() == n


def test_a_reading_that_is_not_a_number_is_left_out_and_the_others_are_stored(db_path):
    """A float register holding NaN (a transmitter's "no value") or an overflow to inf is no
    reading: the samples table holds none, and the batch's other readings and rollups are kept."""
    batch = ReadingBatch(
        np.array([T0, T0 + 1, T0 + 2, T0 + 3], np.int64),
        np.array([0, 0, 1, 0], np.int32),
        np.array([1.0, np.nan, np.inf, 3.0]),
        ("a", "b"),
    )
    with ReadingStore(db_path) as store:
        assert store.append(batch) == 2
        assert store.count() == 2 and store.non_finite_dropped == 2
        _assert_exact(store)
        assert (
            store.append(ReadingBatch(batch.ts_us[1:2] + 10, batch.codes[1:2], batch.values[1:2], ("a", "b")))
            == 0
        )
        assert store.count() == 2
