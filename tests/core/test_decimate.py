"""minmax_decimate keeps every extreme while bounding the point count."""

import numpy as np

from core.decimate import minmax_decimate


def test_small_series_pass_through_with_margin():
    """Series that fit are returned unchanged, including one point beyond each edge."""
    x = np.arange(10.0)
    xs, ys = minmax_decimate(x, x * 2, 3, 6, buckets=100)
    assert xs.tolist() == [2, 3, 4, 5, 6, 7]
    assert ys.tolist() == [4, 6, 8, 10, 12, 14]


def test_large_series_are_bounded_and_keep_spikes():
    """A million points become at most 2 per bucket, and a single spike and dip survive."""
    rng = np.random.default_rng(0)
    x = np.arange(1_000_000, dtype=float)
    y = rng.normal(0, 1, x.size)
    y[123_456] = 50.0
    y[654_321] = -50.0
    xs, ys = minmax_decimate(x, y, 0, 1e6, buckets=1000)
    assert len(xs) <= 2000
    assert ys.max() == 50.0 and ys.min() == -50.0
    assert np.all(np.diff(xs) > 0)


def test_bucket_extremes_are_exact():
    """Every bucket's min and max appear in the output, in time order."""
    x = np.arange(100.0)
    y = np.sin(x)
    xs, ys = minmax_decimate(x, y, 0, 99, buckets=10)
    assert len(xs) == 20 and np.all(np.diff(xs) >= 0)
    for k in range(10):
        chunk = y[k * 10:(k + 1) * 10]
        assert chunk.max() in ys and chunk.min() in ys
