"""ChannelScorer: causal, deterministic, calibrated scores that flag sustained changes, not noise."""

import numpy as np
import pytest

from core.anomaly.scorer import ChannelScorer
from core.anomaly.settings import ScorerSettings

T0 = 1_767_225_600_000_000  # 2026-01-01 UTC
STEP = 1_000_000  # one reading a second


def ts(n: int, step: int = STEP) -> np.ndarray:
    return T0 + np.arange(n, dtype=np.int64) * step


def noise(n: int, seed: int = 0, sigma: float = 1.0) -> np.ndarray:
    return 50.0 + np.random.default_rng(seed).normal(0, sigma, n)


def flags_of(x: np.ndarray, settings: ScorerSettings | None = None, step: int = STEP) -> np.ndarray:
    return np.flatnonzero(ChannelScorer(settings).update(ts(len(x), step), x)[1])


def test_scores_are_probabilities_and_probation_scores_zero():
    """Every score lies in [0, 1] and the probation readings score exactly 0."""
    x = noise(1500)
    x[1000] += 30
    scores, _ = ChannelScorer().update(ts(len(x)), x)
    assert scores.min() >= 0.0 and scores.max() <= 1.0
    assert (scores[: ScorerSettings().probation] == 0).all()


def test_batches_of_any_size_give_bit_identical_scores():
    """Scoring in random batches equals scoring at once: no score depends on how data arrives."""
    x = noise(3000, seed=1)
    x[2000:] += 5
    whole, _ = ChannelScorer().update(ts(len(x)), x)
    cuts = np.sort(np.random.default_rng(2).choice(np.arange(1, len(x)), 60, replace=False))
    s = ChannelScorer()
    parts = [
        s.update(ts(len(x))[a:b], x[a:b])[0] for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(x)], strict=True)
    ]
    assert np.array_equal(np.concatenate(parts), whole)


def test_scores_of_a_prefix_do_not_depend_on_what_follows():
    """Causality: the first k scores are the same whether the stream stops at k or goes on."""
    x = noise(2500, seed=3)
    x[1800:] *= 3
    full, _ = ChannelScorer().update(ts(len(x)), x)
    for k in (250, 1000, 1900):
        prefix, _ = ChannelScorer().update(ts(k), x[:k])
        assert np.array_equal(prefix, full[:k])


def test_same_input_same_scores():
    """Two scorers fed the same readings agree exactly (no hidden randomness)."""
    x = noise(1200, seed=4)
    assert np.array_equal(ChannelScorer().update(ts(1200), x)[0], ChannelScorer().update(ts(1200), x)[0])


def test_one_noisy_reading_is_not_flagged():
    """A single 4-sigma reading in Gaussian noise is normal noise, not an anomaly."""
    x = noise(2000, seed=5)
    x[1500] = 50.0 + 4.0
    assert not any(1500 <= i <= 1510 for i in flags_of(x))


def test_sustained_level_shift_is_flagged_within_a_few_readings():
    """A lasting 4-sigma level shift is flagged within 30 readings of its start."""
    x = noise(2000, seed=6)
    x[1500:] += 4.0
    flagged = flags_of(x)
    assert any(1500 <= i <= 1530 for i in flagged)


def test_a_lasting_anomaly_is_flagged_once():
    """One event, one detection: a 100-reading level shift raises exactly one flag."""
    x = noise(2000, seed=7)
    x[1500:1600] += 8.0
    flagged = flags_of(x)
    assert len([i for i in flagged if 1500 <= i < 1600]) == 1


def test_large_spike_is_flagged_on_the_reading():
    """A 20-sigma spike is flagged on the spike itself."""
    x = noise(2000, seed=8)
    x[1500] += 20.0
    assert 1500 in flags_of(x)


def test_stuck_sensor_is_flagged_quickly():
    """A noisy signal that freezes at its last value is flagged within 10 readings."""
    x = np.round(noise(2000, seed=9, sigma=0.3), 2)
    x[1500:1700] = x[1500]
    assert any(1500 <= i <= 1510 for i in flags_of(x))


def test_constant_signal_is_not_stuck():
    """A channel that never changed is constant, not stuck: no flags."""
    assert len(flags_of(np.full(2000, 45.0))) == 0


def test_variance_increase_is_flagged():
    """The same level with four times the spread is flagged within 40 readings."""
    x = noise(2000, seed=10)
    x[1500:] = 50.0 + (x[1500:] - 50.0) * 4
    assert any(1500 <= i <= 1540 for i in flags_of(x))


def test_impossible_rate_of_change_is_flagged_at_once():
    """With max_rate set, a change faster than it is flagged on that very reading."""
    x = 20.0 + np.cumsum(np.random.default_rng(11).normal(0, 0.5, 1000))
    x[800] += 3.0  # 3 units in one second; allowed: 2 units per second
    assert 800 in flags_of(x, ScorerSettings(max_rate=2.0))


def test_missing_value_scores_zero_and_is_not_learned():
    """NaN readings score 0, are not flagged, and the rest scores as if they were absent."""
    x = noise(1000, seed=12)
    with_gap = x.copy()
    with_gap[500] = np.nan
    scores, flags = ChannelScorer().update(ts(1000), with_gap)
    assert scores[500] == 0 and not flags[500]
    alone, _ = ChannelScorer().update(np.delete(ts(1000), 500), np.delete(x, 500))
    assert np.array_equal(np.delete(scores, 500), alone)


def test_a_slow_drift_is_caught_by_the_forecast_band_and_by_the_channels_earlier_level():
    """A slow drift (no single step stands out) is flagged with a confident forecast, and also
    without one: the last readings' level is compared with the channel's level before the drift."""
    n = 1600
    x = noise(n, seed=13, sigma=0.5)
    x[1200:] += np.arange(n - 1200) * 0.01  # 8 sigma over 400 readings: no single step stands out
    with_fc = ChannelScorer()
    with_fc.set_forecast(ts(n), np.full(n, 50.0), np.full(n, 49.0), np.full(n, 51.0))
    flagged = np.flatnonzero(with_fc.update(ts(n), x)[1])
    assert any(1200 < i < n for i in flagged)
    alone = ChannelScorer().score(ts(n), x)
    late = [i for i in np.flatnonzero(alone.flags) if i > 1200]
    assert late and not any(400 < i < 1200 for i in np.flatnonzero(alone.flags))
    why = alone.explanations[late[0]]
    assert why.kind == "shift" and why.params["direction"] > 0 and abs(why.params["usual"] - 50) < 0.5


def test_a_missing_daily_peak_is_flagged_and_normal_days_are_not():
    """On a daily cycle (5-minute readings), a day without its peak is flagged; normal days are not."""
    day = 288
    n = 10 * day
    tod = np.arange(n) % day
    x = 20 + 30.0 * ((tod > 100) & (tod < 160)) + np.random.default_rng(14).normal(0, 1.0, n)
    x[8 * day + 101 : 8 * day + 160] -= 30
    flagged = flags_of(x, step=300 * STEP)
    assert any(8 * day + 101 <= i <= 8 * day + 130 for i in flagged)
    assert not any(4 * day <= i < 8 * day for i in flagged)


@pytest.mark.parametrize("name, value", [("window", 1), ("threshold", 0.0), ("probation", -1)])
def test_invalid_settings_are_refused(name, value):
    """Settings out of range are refused with the key named."""
    from dataclasses import replace

    from core.config import ConfigError

    with pytest.raises(ConfigError, match=f"anomaly.{name}"):
        replace(ScorerSettings(), **{name: value}).validate()
