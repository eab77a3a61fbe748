"""TailCalibrator: surprise in decades that matches how rare a value really is."""

import numpy as np

from core.anomaly.calibration import TailCalibrator


def fitted(values: np.ndarray, **kw) -> TailCalibrator:
    cal = TailCalibrator(history=len(values), **kw)
    cal.learn(values)
    cal.refit()
    return cal


def test_no_surprise_before_enough_history():
    """Until it has learned min_count values a calibration gives every value surprise 0."""
    cal = fitted(np.arange(10.0))
    assert not cal.ready and (cal.surprise(np.array([1e9])) == 0).all()


def test_surprise_grows_with_the_value():
    """A stranger value is never less surprising."""
    cal = fitted(np.abs(np.random.default_rng(0).normal(size=2000)))
    u = cal.surprise(np.linspace(0, 10, 200))
    assert (np.diff(u) >= 0).all()


def test_surprise_matches_the_empirical_tail():
    """On fresh data from the learned distribution, about 1 % of values reach 2 decades (1 in 100)."""
    rng = np.random.default_rng(1)
    cal = fitted(np.abs(rng.standard_t(4, size=2000)))
    share = (cal.surprise(np.abs(rng.standard_t(4, size=100_000))) >= 2.0).mean()
    assert 0.004 < share < 0.02


def test_values_beyond_everything_seen_keep_growing():
    """Past the largest learned value the exponential tail still ranks values."""
    cal = fitted(np.abs(np.random.default_rng(2).normal(size=1000)))
    u = cal.surprise(np.array([5.0, 10.0, 20.0]))
    assert u[0] > 2.5 and u[1] > u[0] and u[2] > u[1]


def test_one_extreme_value_does_not_teach_that_everything_is_normal():
    """A learned 1000-sigma value is clipped, so the next 10-sigma value is still very surprising."""
    rng = np.random.default_rng(3)
    cal = fitted(np.abs(rng.normal(size=1000)))
    cal.learn(np.array([1000.0]))
    cal.refit()
    assert cal.surprise(np.array([10.0]))[0] > 5


def test_nan_is_absent():
    """NaN scores 0 and is not learned."""
    cal = fitted(np.abs(np.random.default_rng(4).normal(size=500)))
    before = cal.count
    cal.learn(np.array([np.nan]))
    assert cal.count == before and cal.surprise(np.array([np.nan]))[0] == 0
