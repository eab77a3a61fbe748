"""Predictive alarms: a forecast (or its band) crossing a limit within the horizon."""

import re

import numpy as np

from core.alarms.model import AlarmState
from tests.core.test_alarm_engine import Rig

S = AlarmState
TABLE = {"predictive_horizon": 3600, "channels": {"boiler": {"h": 85.0, "span": [0, 150]}}}
MIN = 60_000_000


def forecast(rig: Rig, values, band: float = 0.0, step_min: int = 5):
    now = rig.clock.now_us()
    ts = now + np.arange(1, len(values) + 1, dtype=np.int64) * step_min * MIN
    v = np.asarray(values, float)
    rig.engine.update_forecast("boiler", ts, v, v - band, v + band)


def test_crossing_within_the_horizon_raises_with_when_in_the_message():
    """A forecast reaching H in 35 min raises 'Predicted HIGH 85.0 °C at HH:MM (in 35 min)'."""
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [70 + 2.5 * k for k in range(1, 13)])  # 85.0 at step 6 (30 min), 87.5 at 35 min
    status = rig.engine.status("boiler.predictive")
    assert status.state is S.ACTIVE_UNACK
    assert re.fullmatch(r"Predicted HIGH 85\.0 °C at \d\d:\d\d \(in 35 min\)", status.message)


def test_crossing_beyond_the_horizon_raises_nothing():
    """A crossing predicted after the horizon is not announced yet."""
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [70] * 12 + [90] * 3, step_min=6)  # 90 only after 78 min
    assert rig.state("boiler.predictive") is S.NORMAL


def test_crossing_comes_due_as_time_passes():
    """As the clock runs, a crossing that enters the horizon raises the alarm (no new forecast)."""
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [70] * 12 + [90] * 3, step_min=6)
    rig.clock.advance(20 * 60)
    rig.feed(70)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK


def test_the_band_counts_when_the_forecast_itself_stays_below():
    """With the 95 % band on (the default), an upper band crossing the limit is enough."""
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [80] * 12, band=6.0)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK


def test_a_new_forecast_without_crossing_clears_it():
    """When the latest forecast no longer crosses a limit, the predictive alarm returns to normal."""
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [90] * 12)
    forecast(rig, [70] * 12)
    assert rig.states("boiler.predictive") == [S.ACTIVE_UNACK, S.RTN_UNACK]


def test_no_prediction_for_a_limit_already_exceeded():
    """When the value is already above H the limit alarm speaks, not the prediction."""
    rig = Rig(TABLE)
    rig.feed(88)
    forecast(rig, [90] * 12)
    assert rig.state("boiler.predictive") is S.NORMAL


def test_the_message_says_whether_the_forecast_or_only_its_band_reaches_the_limit():
    """The forecast at 85 in 35 min with its band there in 15 min names both; a band alone is
    'possible', never stated as the forecast."""
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [70 + 2.5 * k for k in range(1, 13)], band=6.0)  # band 85.0 at 15 min, value at 35
    message = rig.engine.status("boiler.predictive").message
    assert re.fullmatch(
        r"Predicted HIGH 85\.0 °C at \d\d:\d\d \(in 35 min\), possible from \d\d:\d\d", message
    )
    rig = Rig(TABLE)
    rig.feed(70)
    forecast(rig, [80] * 12, band=6.0)
    message = rig.engine.status("boiler.predictive").message
    assert re.fullmatch(
        r"Predicted HIGH 85\.0 °C possible from \d\d:\d\d \(in 5 min, within the 95 % band\)", message
    )
