"""Predictive alarms: a forecast (or its band) crossing a limit within the horizon."""

import re

import numpy as np

from core.alarms.model import AlarmState
from tests.core.test_alarm_engine import Rig

S = AlarmState
# Most tests here are about what is predicted: no on/off delays (their own tests set them).
TABLE = {
    "predictive_horizon": 3600,
    "predictive_on_delay": 0,
    "predictive_off_delay": 0,
    "channels": {"boiler": {"h": 85.0, "span": [0, 150]}},
}
DELAYED = {
    "predictive_horizon": 3600,
    "channels": {"boiler": {"h": 85.0, "hh": 95.0, "span": [0, 150], "on_delay": 5, "off_delay": 5}},
}
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
    assert status.value == 70  # the channel's reading, as the tile shows it (not the forecast's)


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


def noisy_ramp_to_the_limit(rig: Rig, minutes: float, rng, limit=85.0, rate=10.0, noise=0.6):
    """Readings at ``rate`` Hz hovering at the limit with noise (half of them beyond it), with a
    fresh forecast that keeps predicting the crossing a little ahead every minute."""
    step = 1.0 / rate
    for k in range(int(minutes * 60 * rate)):
        if k % int(60 * rate) == 0:
            forecast(rig, [limit - 0.5] + [limit + 1.0] * 11)
        rig.feed(limit + rng.normal(0, noise), seconds=step)


def test_noise_around_the_limit_does_not_make_the_prediction_chatter():
    """The case seen in the field: at 10 Hz, noise around the limit flipped 'already beyond the
    limit' every reading and the predictive alarm chattered (285 activations in 41 min). Judged on
    the smoothed value, with hand-over to the limit alarm, it is raised once and cleared once."""
    rig = Rig(DELAYED)
    rng = np.random.default_rng(1)
    rig.run([80.0] * 30)
    forecast(rig, [82, 84, 86, 88] + [88] * 8)
    rig.run([80.0] * 60)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK
    noisy_ramp_to_the_limit(rig, 10, rng)
    raised = [e for e in rig.events if e.alarm_id == "boiler.predictive" and e.state is S.ACTIVE_UNACK]
    assert len(raised) == 1, [(e.state, e.message) for e in rig.events if e.alarm_id == "boiler.predictive"]
    assert not rig.engine.status("boiler.predictive").chattering


def test_a_reached_limit_hands_over_to_the_limit_alarm_at_once():
    """Once the H alarm is active, 'Predicted HIGH … in N min' is never shown: the predictive
    alarm returns to normal saying the limit alarm takes over, and is not raised again by the
    same forecast."""
    rig = Rig(DELAYED)
    rig.run([80.0] * 30)
    forecast(rig, [84, 86, 88, 90] + [90] * 8)
    rig.run([80.0] * 60)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK
    rig.run([86.0] * 120)  # beyond H for two minutes: the H alarm is active
    assert rig.state("boiler.H") is S.ACTIVE_UNACK
    status = rig.engine.status("boiler.predictive")
    assert status.state is S.RTN_UNACK
    assert status.message == "HIGH limit reached: its own alarm takes over"
    rig.run([80.0] * 600)  # back below H - deadband: the limit alarm clears
    assert not rig.engine.status("boiler.H").condition
    assert rig.state("boiler.predictive") is S.RTN_UNACK  # the same forecast does not raise it again


def test_a_reached_limit_lets_the_prediction_move_on_to_the_next_limit():
    """With H reached and HH still ahead in the forecast, the prediction names HH (no toggle)."""
    rig = Rig(DELAYED)
    rig.run([80.0] * 30)
    forecast(rig, [84, 88, 92, 96, 98] + [98] * 7)
    rig.run([80.0] * 60)
    assert rig.engine.status("boiler.predictive").message.startswith("Predicted HIGH 85.0")
    rig.run([88.0] * 120)
    status = rig.engine.status("boiler.predictive")
    assert status.state is S.ACTIVE_UNACK
    assert status.message.startswith("Predicted HIGH-HIGH 95.0")
    assert rig.states("boiler.predictive") == [S.ACTIVE_UNACK]


def test_the_predictive_alarm_waits_for_its_on_delay_and_holds_through_its_off_delay():
    """A crossing must stand for predictive_on_delay (30 s by default) before it is announced; a
    forecast that dips back below the limit only clears it after predictive_off_delay (300 s)."""
    rig = Rig(DELAYED)
    rig.feed(70)
    forecast(rig, [80] * 3 + [90] * 9)
    rig.wait(29)
    assert rig.state("boiler.predictive") is S.NORMAL
    rig.wait(2)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK
    forecast(rig, [80] * 12)
    rig.wait(290)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK
    rig.wait(15)
    assert rig.state("boiler.predictive") is S.RTN_UNACK


def test_a_forecast_within_the_deadband_holds_an_active_prediction():
    """Hysteresis: an active prediction holds while the forecast stays within the limit's
    deadband (here 1.5) below the limit; a new forecast just under the limit does not clear it."""
    table = dict(TABLE, predictive_off_delay=0)
    rig = Rig(table)
    rig.feed(70)
    forecast(rig, [86] * 12)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK
    forecast(rig, [84.0] * 12)  # below 85 but within 85 - 1.5
    rig.wait(5)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK
    # It holds, but it no longer claims a crossing time the forecast does not reach.
    message = rig.engine.status("boiler.predictive").message
    expected = r"Forecast close to HIGH 85\.0 °C \(within 1\.5 °C\) from \d\d:\d\d"
    assert re.fullmatch(expected, message), message
    forecast(rig, [83.0] * 12)
    rig.wait(1)
    assert rig.state("boiler.predictive") is S.RTN_UNACK


def test_after_the_limit_returns_only_a_fresh_forecast_predicts_it_again():
    """A forecast made while the value was beyond HIGH says nothing about crossing it again: when
    the value drops back (the drift restarts), the old forecast raises no predictive alarm; a
    forecast made after the return may."""
    rig = Rig(DELAYED)
    rig.run([86.0] * 120)  # beyond H: the limit alarm is active
    assert rig.state("boiler.H") is S.ACTIVE_UNACK
    forecast(rig, [87.0] * 12)  # made while H is active: it sees the value up there
    rig.run([75.0] * 300)  # the value drops well back below H - deadband
    assert not rig.engine.status("boiler.H").condition
    assert rig.states("boiler.predictive") == []
    forecast(rig, [80.0, 84.0, 88.0] + [88.0] * 9)  # a fresh forecast sees it coming back
    rig.run([75.0] * 40)
    assert rig.state("boiler.predictive") is S.ACTIVE_UNACK
