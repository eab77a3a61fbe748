"""Regularising, gap filling, windowing and scaling (pure functions, no TensorFlow)."""

import numpy as np
import pandas as pd
import pytest

from core.forecast.transform import (
    RegularSeries,
    Scaler,
    fill_gaps,
    infer_step_us,
    make_windows,
    regularise,
    window_targets,
)

MIN = 60_000_000


def test_regularise_takes_the_mean_of_each_bucket_and_aligns_to_the_interval():
    """Readings at any times become one mean per interval bucket, starting at a bucket boundary."""
    ts = pd.to_datetime(["2026-01-01 00:00:10", "2026-01-01 00:00:50", "2026-01-01 00:01:30"], utc=True)
    s = regularise(ts, [1.0, 3.0, 10.0], MIN, max_gap_steps=0)
    assert s.values.tolist() == [2.0, 10.0]
    assert s.times()[0] == pd.Timestamp("2026-01-01 00:00", tz="UTC")
    assert s.step_us == MIN and s.end_us == s.start_us + 2 * MIN


def test_regularise_ignores_non_finite_values_and_handles_empty_input():
    """NaN and infinity are not readings; nothing in gives an empty series."""
    s = regularise(
        pd.to_datetime(["2026-01-01 00:00", "2026-01-01 00:01"], utc=True), [np.nan, np.inf], MIN, 3
    )
    assert len(s) == 0
    assert len(regularise([], [], MIN, 3)) == 0


def test_short_gaps_are_interpolated_and_long_gaps_stay_missing():
    """A gap of up to max_gap_steps buckets is filled linearly; a longer one is left as NaN."""
    v = np.array([0.0, np.nan, np.nan, 3.0, np.nan, np.nan, np.nan, np.nan, 8.0])
    out = fill_gaps(v, max_steps=3)
    assert out[:4].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert np.isnan(out[4:8]).all() and out[8] == 8.0


def test_leading_and_trailing_gaps_are_never_filled():
    """With no value on one side there is nothing to interpolate towards."""
    out = fill_gaps(np.array([np.nan, 1.0, 2.0, np.nan]), max_steps=5)
    assert np.isnan(out[0]) and np.isnan(out[3])


def test_regularise_fills_missing_buckets_between_readings():
    """Buckets without readings are gaps; short ones are filled after bucketing."""
    ts = pd.to_datetime(["2026-01-01 00:00", "2026-01-01 00:03"], utc=True)
    assert regularise(ts, [0.0, 3.0], MIN, max_gap_steps=2).values.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert np.isnan(regularise(ts, [0.0, 3.0], MIN, max_gap_steps=1).values[1:3]).all()


def test_windows_cover_every_target_range_position_at_stride_one():
    """Targets [t, t+H) inside [lo, hi), inputs [t-L, t): the count is hi - max(lo, L) - H + 1."""
    v = np.arange(100.0)
    t = window_targets(v, lookback=10, horizon=5, lo=50, hi=80)
    assert t[0] == 50 and t[-1] == 75 and len(t) == 26
    x, y = make_windows(v, t, 10, 5)
    assert x.shape == (26, 10) and y.shape == (26, 5)
    assert x[0].tolist() == list(range(40, 50)) and y[0].tolist() == list(range(50, 55))
    assert x.dtype == np.float32


def test_windows_start_no_earlier_than_the_lookback_allows():
    """The first window needs lookback rows of inputs before it."""
    t = window_targets(np.arange(30.0), lookback=10, horizon=5)
    assert t[0] == 10 and t[-1] == 25


def test_no_window_when_the_range_is_shorter_than_the_horizon():
    assert len(window_targets(np.arange(30.0), 10, 5, lo=20, hi=24)) == 0
    assert make_windows(np.arange(30.0), np.empty(0, np.int64), 10, 5)[0].shape == (0, 10)


def test_windows_never_cross_a_long_gap():
    """A NaN anywhere in a window's inputs or targets removes that window, and only those."""
    v = np.arange(60.0)
    v[30] = np.nan
    t = window_targets(v, lookback=10, horizon=5)
    assert not any(s - 10 <= 30 < s + 5 for s in t)
    assert 25 in t and 41 in t and 26 not in t and 40 not in t
    x, y = make_windows(v, t, 10, 5)
    assert np.isfinite(x).all() and np.isfinite(y).all()


def test_stride_thins_windows_but_keeps_the_newest():
    """Training windows may be thinned for speed; the most recent window is always kept."""
    full = window_targets(np.arange(200.0), 10, 5)
    thin = window_targets(np.arange(200.0), 10, 5, stride=4)
    assert thin[-1] == full[-1] and np.all(np.diff(thin) == 4) and len(thin) == -(-len(full) // 4)


def test_scaler_uses_training_rows_only_with_population_std():
    """The z-score uses the training rows' mean and population std (ddof 0), ignoring NaN."""
    train = np.array([1.0, 2.0, 3.0, np.nan])
    s = Scaler.fit(train)
    assert s.mean == 2.0 and s.std == pytest.approx(np.sqrt(2 / 3))
    assert s.inverse(s.transform(np.array([5.0]))) == pytest.approx([5.0])
    assert Scaler.from_dict(s.to_dict()) == s


def test_scaler_of_a_constant_series_does_not_divide_by_zero():
    s = Scaler.fit(np.full(10, 7.0))
    assert s.std == 1.0 and s.transform(np.array([7.0]))[0] == 0.0


def test_scaler_needs_some_values():
    with pytest.raises(ValueError):
        Scaler.fit(np.array([np.nan]))


def test_interval_is_inferred_from_the_typical_spacing():
    """The median spacing wins over an occasional missing row."""
    ts = pd.to_datetime(
        ["2026-01-01 00:00", "2026-01-01 01:00", "2026-01-01 02:00", "2026-01-01 05:00"], utc=True
    )
    assert infer_step_us(ts) == 3600 * 1_000_000
    with pytest.raises(ValueError):
        infer_step_us(ts[:1])


def test_tail_keeps_the_newest_buckets_with_their_times():
    s = RegularSeries(0, MIN, np.arange(10.0))
    t = s.tail(3)
    assert t.values.tolist() == [7.0, 8.0, 9.0] and t.start_us == 7 * MIN and t.end_us == s.end_us
