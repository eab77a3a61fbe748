"""Naive forecasts, scores, skill and conformal bands."""

import numpy as np
import pytest

from core.forecast.bands import Bands, conformal_halfwidth
from core.forecast.baselines import Scores, combine, persistence, seasonal_naive, skill
from core.forecast.train import choose_blend


def test_persistence_repeats_the_last_value_before_each_window():
    v = np.arange(20.0)
    p = persistence(v, np.array([5, 10]), 3)
    assert p.tolist() == [[4, 4, 4], [9, 9, 9]]


def test_seasonal_naive_takes_the_same_phase_one_period_earlier():
    """Step h forecasts v[t + h - P]; beyond one period it repeats the last period."""
    v = np.arange(100.0)
    p = seasonal_naive(v, np.array([50]), horizon=10, period=4)
    assert p[0].tolist() == [46, 47, 48, 49, 46, 47, 48, 49, 46, 47]


def test_seasonal_naive_is_exact_on_a_pure_periodic_series():
    v = np.sin(2 * np.pi * np.arange(500) / 24)
    t = np.arange(100, 400)
    p = seasonal_naive(v, t, horizon=30, period=24)
    truth = np.stack([v[i : i + 30] for i in t])
    assert np.abs(p - truth).max() < 1e-12


def test_seasonal_naive_falls_back_to_persistence_where_the_past_is_unknown():
    """Before the start of the data (or in a long gap) the last value stands in."""
    v = np.arange(10.0)
    v[2] = np.nan
    p = seasonal_naive(v, np.array([2, 5]), horizon=2, period=4)
    assert p[0].tolist() == [1.0, 1.0]  # v[-2], v[-1] do not exist: persistence v[1]
    assert p[1].tolist() == [1.0, 4.0]  # v[1]; v[2] is NaN: persistence v[4]


def test_scores_in_original_units_follow_the_scaler():
    """MSE scales with std², MAE with std."""
    s = Scores.of(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]), std=3.0)
    assert (s.mse_z, s.mae_z) == (2.5, 1.5)
    assert (s.mse, s.mae) == (22.5, 4.5)


def test_skill_is_one_minus_the_mae_ratio():
    assert skill(0.5, 2.0) == 0.75
    assert skill(2.0, 1.0) == -1.0
    assert np.isnan(skill(1.0, 0.0))


def test_conformal_halfwidth_is_the_right_order_statistic():
    """With n residuals the half-width is the ceil((n+1)·level)-th smallest |residual|, per step."""
    r = np.arange(1.0, 11.0)[:, None] * np.array([[1.0, -2.0]])
    assert conformal_halfwidth(r, 0.8).tolist() == [9.0, 18.0]  # ceil(11 * 0.8) = 9
    assert conformal_halfwidth(r, 0.95).tolist() == [10.0, 20.0]  # ceil(10.45) = 11 > n: the largest


def test_bands_cover_about_80_and_95_percent_of_exchangeable_errors():
    """Calibrated on one sample of errors, the bands cover ~80 % / ~95 % of a fresh sample."""
    rng = np.random.default_rng(1)
    scale = np.linspace(0.5, 2.0, 12)  # error grows with the horizon step
    calib = rng.standard_t(4, size=(3000, 12)) * scale
    fresh = rng.standard_t(4, size=(3000, 12)) * scale
    bands = Bands.calibrate(calib, np.zeros_like(calib))
    c80, c95 = bands.coverage(fresh, np.zeros_like(fresh))
    assert c80 == pytest.approx(0.80, abs=0.02) and c95 == pytest.approx(0.95, abs=0.01)
    assert np.all(np.diff(bands.half_80) > 0)  # wider where errors are larger
    assert Bands.from_dict(bands.to_dict()).half_95.tolist() == bands.half_95.tolist()


def test_the_blend_is_chosen_on_validation_error():
    """Each weight (0, 0.1, …, 1) is chosen by validation MSE: the better component gets the weight."""
    rng = np.random.default_rng(0)
    y = rng.standard_normal((400, 8))
    good, bad = y + 0.1 * rng.standard_normal(y.shape), y + rng.standard_normal(y.shape)
    assert choose_blend(bad, good, None, y) == (1.0, 0.0)  # the LSTM head, no seasonal part
    assert choose_blend(good, bad, None, y)[0] <= 0.1
    assert choose_blend(bad, bad, good, y)[1] >= 0.9  # a strictly periodic signal: repeat the period
    # Two equally noisy, independent forecasts: averaging halves the error variance.
    other = y + rng.standard_normal(y.shape)
    assert choose_blend(bad, other, None, y)[0] == pytest.approx(0.5, abs=0.1)


def test_ties_go_to_the_network_and_the_lstm():
    y = np.zeros((10, 3))
    assert choose_blend(y, y, y, y) == (1.0, 0.0)


def test_combine_mixes_in_the_seasonal_forecast():
    net, season = np.array([1.0, 2.0]), np.array([3.0, 6.0])
    assert combine(net, season, 0.25).tolist() == [1.5, 3.0]
    assert combine(net, None, 0.5).tolist() == [1.0, 2.0]
