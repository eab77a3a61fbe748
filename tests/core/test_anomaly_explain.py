"""Every flagged reading says what was unusual, in the channel's units, and the words reach the alarm."""

import itertools
import re

import numpy as np
import pytest

from core.alarms.config import parse_alarm_config
from core.alarms.engine import AlarmEngine
from core.alarms.model import ManualClock
from core.anomaly.detector import AnomalyDetector
from core.anomaly.explain import Explanation, fmt_duration, fmt_number
from core.anomaly.scorer import ChannelScorer
from core.anomaly.settings import ScorerSettings
from core.readings import ReadingBatch

T0 = 1_700_000_000_000_000


def ts(n: int, step_s: float = 1.0) -> np.ndarray:
    return T0 + np.arange(n, dtype=np.int64) * int(step_s * 1e6)


def first_explained(
    x: np.ndarray, settings: ScorerSettings | None = None, step_s: float = 1.0, after: int = 0
):
    result = ChannelScorer(settings).score(ts(len(x), step_s), x)
    assert set(result.explanations) == set(np.flatnonzero(result.flags).tolist())  # one per flag, only
    found = [(i, e) for i, e in sorted(result.explanations.items()) if i >= after]
    assert found, "nothing was flagged"
    return found[0]


def test_a_spike_says_which_way_how_far_and_what_is_usual():
    """A drop in one reading: 'Dropped to 2.81 bar in 1 s; usual 4.00 ± 0.05'."""
    rng = np.random.default_rng(1)
    x = np.round(4.0 + rng.normal(0, 0.05, 2000), 3)
    x[1500] = 2.81
    i, why = first_explained(x)
    assert i == 1500 and why.kind == "spike"
    assert why.params["value"] == 2.81 and why.params["direction"] < 0
    assert abs(why.params["usual"] - 4.0) < 0.03 and 0.02 < why.params["sigma"] < 0.1
    assert re.fullmatch(
        r"Dropped to 2\.81 bar in 1 s; usual (3\.99|4\.00|4\.01) ± 0\.0\d", why.describe("bar")
    )


def test_a_level_shift_says_shifted_and_the_level_before():
    rng = np.random.default_rng(2)
    x = 20 + rng.normal(0, 0.5, 2000)
    x[1500:] += 3.0
    i, why = first_explained(x, after=1400)
    assert 1500 <= i < 1540 and why.kind in ("shift", "spike")
    assert why.params["direction"] > 0 and abs(why.params["usual"] - 20) < 0.5
    assert why.text.startswith(("Shifted up to", "Jumped to"))


def test_variance_down_says_how_many_times_less():
    rng = np.random.default_rng(3)
    x = 40 + rng.normal(0, 1.0, 2500)
    x[1500:] = 40 + rng.normal(0, 0.05, 1000)
    _i, why = first_explained(x, after=1400)
    assert why.kind == "variance" and why.params["ratio"] < 0.3
    assert "times less than usual" in why.text


def test_a_stuck_sensor_says_for_how_long_and_the_longest_before():
    """'Stuck at 131.2 for 14 min, longest before 2 s' (a noisy 1 Hz flow that freezes)."""
    rng = np.random.default_rng(4)
    x = np.round(131 + rng.normal(0, 0.3, 3000), 1)
    x[2000:] = 131.2
    i, why = first_explained(x, after=1900)
    assert why.kind == "stuck" and why.params["value"] == 131.2
    assert why.params["seconds"] == i - 2000 and why.params["longest_seconds"] < why.params["seconds"]
    assert why.describe("m³/h").startswith("Stuck at 131.2 m³/h for ")


def test_off_the_daily_profile_says_what_is_usual_at_this_time_of_day():
    """A day whose high phase does not come: 'Dropped to 19.8; usual at this time of day 50.3'."""
    day = 288
    n = 12 * day
    k = np.arange(n)
    rng = np.random.default_rng(5)
    x = 20 + 30.0 * ((k % day >= 100) & (k % day < 250)) + rng.normal(0, 1.0, n)
    x[10 * day + 100 : 10 * day + 250] -= 30
    i, why = first_explained(x, step_s=300, after=3 * day)
    assert 10 * day + 100 <= i < 10 * day + 120
    assert why.params["direction"] < 0 and abs(why.params["usual"] - 50) < 2
    assert "usual at this time of day 5" in why.text


def test_outside_the_forecast_band_names_the_forecast():
    """A wandering signal leaves a tight forecast that followed it: its own windows are too wide
    to notice, the forecast band is not."""
    n = 3000
    rng = np.random.default_rng(7)
    walk = 50 + np.cumsum(rng.normal(0, 0.3, n))
    x = walk + rng.normal(0, 0.05, n)
    x[2500:] += np.linspace(0, 2.0, 500)
    scorer = ChannelScorer()
    scorer.set_forecast(ts(n), walk, walk - 0.2, walk + 0.2)
    result = scorer.score(ts(n), x)
    found = [(i, e) for i, e in sorted(result.explanations.items()) if i >= 2500]
    assert found and found[0][1].kind == "forecast"
    assert "outside the forecast" in found[0][1].text
    assert not [i for i in result.explanations if 300 < i < 2500]


def test_a_change_faster_than_possible_names_the_limit():
    rng = np.random.default_rng(6)
    x = 4 + rng.normal(0, 0.05, 2000)
    x[1500:] -= 1.2
    i, why = first_explained(x, ScorerSettings(max_rate=0.5))
    assert i == 1500 and why.kind == "rate"
    assert why.describe("bar").startswith("Dropped by 1.2") and "faster than the possible 0.5" in why.text


@pytest.mark.parametrize(
    ("kind", "params", "text"),
    [
        (
            "forecast",
            {"value": 7.2, "usual": 5.0, "sigma": 0.5, "band": 0.98},
            "At 7.2 °C, outside the forecast",
        ),
        ("relation", {"value": 2.1, "usual": 2.4, "sigma": 0.3, "other": "flow"}, "At 2.1 °C, off its usual"),
        (
            "step",
            {"value": 9.0, "change": -3.0, "seconds": 2.0, "usual_step": 0.2, "direction": -1},
            "Dropped to 9.0",
        ),
        ("profile", {"value": 51.3, "usual": 20.4, "sigma": 1.2, "period": "week"}, "At 51.3 °C; usual at"),
    ],
)
def test_each_kind_has_a_sentence(kind, params, text):
    assert Explanation(kind, params).describe("°C").startswith(text)


def test_numbers_and_durations_read_at_a_glance():
    assert fmt_number(4.0012, 0.05, "bar") == "4.00 bar"
    assert fmt_number(131.24, 0.3) == "131.2"
    assert fmt_number(0.0123, 0.012) == "0.012"
    assert [fmt_duration(s) for s in (1, 45, 840, 9000, 3 * 86400)] == [
        "1 s",
        "45 s",
        "14 min",
        "2.5 h",
        "3.0 d",
    ]


def test_explanations_do_not_change_with_batching():
    """The same explanations (and scores) whether the stream comes in one call or in many."""
    rng = np.random.default_rng(8)
    x = np.round(60 + rng.normal(0, 0.3, 4000), 2)
    x[1800] += 5
    x[2500:2700] = x[2500]
    x[3200:] += 2
    whole = ChannelScorer().score(ts(len(x)), x)
    s = ChannelScorer()
    parts, cuts = [], [0, 7, 130, 131, 900, 1801, 2222, 3999, 4000]
    for a, b in itertools.pairwise(cuts):
        r = s.score(ts(len(x))[a:b], x[a:b])
        parts.append((a, r))
    assert np.array_equal(np.concatenate([r.scores for _, r in parts]), whole.scores)
    assert np.array_equal(np.concatenate([r.unusual for _, r in parts]), whole.unusual)
    joined = {a + i: e for a, r in parts for i, e in r.explanations.items()}
    assert joined == whole.explanations and whole.explanations


def test_the_anomaly_alarm_says_what_is_unusual_in_the_channels_unit():
    """Scores and explanations from the detector reach the alarm's message."""
    rng = np.random.default_rng(9)
    n = 2000
    values = np.round(4.0 + rng.normal(0, 0.05, n), 3)
    values[1500] = 2.81
    batch = ReadingBatch(ts(n), np.zeros(n, np.int32), values, ("pressure",))
    scored = AnomalyDetector().update(batch)
    assert scored.explanations
    config = parse_alarm_config({"anomaly_threshold": 0.5, "channels": {"pressure": {"span": [0, 10]}}})
    engine = AlarmEngine(config, {"pressure": "bar"}, ManualClock(T0))
    engine.process(batch, scored.scores, scored.explanations)
    message = engine.status("pressure.anomaly").message
    assert re.match(r"Dropped to 2\.81 bar in 1 s; usual \d\.\d\d ± 0\.0\d \(anomaly score", message), message
