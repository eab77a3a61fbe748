"""AlarmEngine.reconfigure: new limits apply in place; states, acknowledgements and shelving stay."""

from __future__ import annotations

from core.alarms.config import parse_alarm_config
from core.alarms.model import AlarmState
from tests.core.test_alarm_engine import LIMITS, Rig

S = AlarmState
UNITS = {"boiler": "°C"}


def _limits(**boiler) -> dict:
    return {"channels": {"boiler": {"span": [0, 150], "on_delay": 5, "off_delay": 5, **boiler}}}


def test_a_raised_limit_clears_the_alarm_from_the_next_readings():
    """H moves from 85 to 100: a boiler at 90 is no longer high, after the off-delay."""
    rig = Rig()
    rig.run([90] * 6)
    assert rig.state() is S.ACTIVE_UNACK
    rig.engine.reconfigure(parse_alarm_config(_limits(hh=120.0, h=100.0, l=40.0), UNITS))
    assert rig.state() is S.ACTIVE_UNACK, "nothing changes until readings say so"
    rig.run([90] * 7)
    assert rig.state() is S.RTN_UNACK


def test_a_lowered_limit_raises_the_alarm_with_its_delay():
    """H moves from 85 to 70: a boiler at 80 goes into alarm after the on-delay, not before."""
    rig = Rig()
    rig.run([80] * 3)
    rig.engine.reconfigure(parse_alarm_config(_limits(hh=95.0, h=70.0), UNITS))
    rig.run([80] * 4)
    assert rig.state() is S.NORMAL
    rig.run([80] * 2)
    assert rig.state() is S.ACTIVE_UNACK
    assert "70" in rig.engine.status("boiler.H").message


def test_acknowledgement_and_shelving_survive_new_limits():
    """An acknowledged H stays acknowledged and a shelved L stays shelved across a change."""
    rig = Rig()
    rig.run([90] * 6)
    rig.engine.acknowledge("boiler.H")
    rig.engine.shelve("boiler.L", 3600)
    rig.engine.reconfigure(parse_alarm_config(_limits(hh=99.0, h=88.0, l=30.0), UNITS))
    assert rig.state() is S.ACTIVE_ACK
    assert rig.state("boiler.L") is S.SHELVED
    rig.run([90] * 3)
    assert rig.state() is S.ACTIVE_ACK


def test_a_removed_limit_returns_its_alarm_to_normal():
    """The L limit is deleted while it is active and acknowledged: the alarm clears at once."""
    rig = Rig()
    rig.run([30] * 6)
    assert rig.state("boiler.L") is S.ACTIVE_UNACK
    rig.engine.acknowledge("boiler.L")
    rig.engine.reconfigure(parse_alarm_config(_limits(hh=95.0, h=85.0), UNITS))
    assert rig.state("boiler.L") is S.NORMAL
    assert rig.events[-1].message == "Rule no longer configured"
    rig.run([20] * 10)
    assert rig.state("boiler.L") is S.NORMAL, "no rule raises it any more"


def test_a_removed_limit_waiting_for_acknowledgement_keeps_waiting():
    """An unacknowledged alarm is never silently dropped: it clears when acknowledged."""
    rig = Rig()
    rig.run([30] * 6)
    rig.engine.reconfigure(parse_alarm_config(_limits(hh=95.0, h=85.0), UNITS))
    assert rig.state("boiler.L") is S.ACTIVE_UNACK
    rig.engine.acknowledge("boiler.L")
    assert rig.state("boiler.L") is S.NORMAL


def test_a_new_limit_on_a_channel_starts_normal_and_works():
    """A channel that had no LL gets one: it starts normal and raises on its own readings."""
    rig = Rig()
    rig.run([50] * 3)
    rig.engine.reconfigure(parse_alarm_config(_limits(**LIMITS["channels"]["boiler"], ll=20.0), UNITS))
    assert rig.state("boiler.LL") is S.NORMAL
    rig.run([10] * 7)
    assert rig.state("boiler.LL") is S.ACTIVE_UNACK
