"""AlarmEngine limit alarms: delays, deadband, acknowledgement, shelving, service, chattering."""

from __future__ import annotations

import numpy as np
import pytest

from core.alarms.commands import AlarmError
from core.alarms.config import parse_alarm_config
from core.alarms.engine import AlarmEngine
from core.alarms.model import AlarmCommand, AlarmKind, AlarmState, CommandKind, ManualClock, Priority
from core.readings import ReadingBatch

S = AlarmState
LIMITS = {
    "channels": {
        "boiler": {"hh": 95.0, "h": 85.0, "l": 40.0, "span": [0, 150], "on_delay": 5, "off_delay": 5}
    }
}


class Rig:
    """An engine on a hand-moved clock that records every event."""

    def __init__(self, table=LIMITS, units=None, journal=None, clock=None):
        self.clock = clock or ManualClock()
        units = units or {"boiler": "°C"}
        self.engine = AlarmEngine(parse_alarm_config(table, units), units, self.clock, journal)
        self.events = []
        self.engine.subscribe(self.events.append)

    def feed(self, value: float, seconds: float = 1.0, channel: str = "boiler", score: float | None = None):
        self.clock.advance(seconds)
        batch = ReadingBatch.from_records([(self.clock.now_us(), channel, value)])
        self.engine.process(batch, None if score is None else np.array([score]))
        self.engine.tick()

    def run(self, values, seconds: float = 1.0, channel: str = "boiler"):
        for v in values:
            self.feed(v, seconds, channel)

    def wait(self, seconds: float):
        for _ in range(int(seconds)):
            self.clock.advance(1)
            self.engine.tick()

    def state(self, alarm: str = "boiler.H") -> AlarmState:
        return self.engine.status(alarm).state

    def states(self, alarm: str = "boiler.H") -> list[AlarmState]:
        return [e.state for e in self.events if e.alarm_id == alarm]


def test_limit_alarm_waits_for_its_on_delay():
    """A value above H raises the alarm only once it has stayed there for the on-delay."""
    rig = Rig()
    rig.run([90] * 4)
    assert rig.state() is S.NORMAL
    rig.run([90] * 2)
    assert rig.state() is S.ACTIVE_UNACK


def test_excursion_shorter_than_the_on_delay_raises_nothing():
    """Above the limit for less than the on-delay, then back: no alarm at all."""
    rig = Rig()
    rig.run([90] * 3 + [80] * 10)
    assert rig.states() == []


def test_on_delay_completes_without_new_readings():
    """Time alone completes the on-delay (ticks), even if no further reading arrives."""
    rig = Rig()
    rig.feed(90)
    rig.wait(5)
    assert rig.state() is S.ACTIVE_UNACK


def test_deadband_keeps_the_alarm_active_just_below_the_limit():
    """Back below H but within the deadband (1 % of a 150 span = 1.5) the alarm stays active."""
    rig = Rig()
    rig.run([90] * 6 + [84] * 20)
    assert rig.state() is S.ACTIVE_UNACK


def test_off_delay_clears_only_after_the_value_stayed_clear():
    """Below limit - deadband the alarm returns to normal only after the off-delay."""
    rig = Rig()
    rig.run([90] * 6 + [80] * 4)
    assert rig.state() is S.ACTIVE_UNACK
    rig.run([80] * 2)
    assert rig.state() is S.RTN_UNACK


def test_acknowledged_alarm_returns_to_normal_when_it_clears():
    """Active, acknowledged (with its comment kept), then clear: normal."""
    rig = Rig()
    rig.run([90] * 6)
    assert rig.engine.acknowledge("boiler.H", "operator is on it")
    assert rig.state() is S.ACTIVE_ACK and rig.events[-1].comment == "operator is on it"
    rig.run([80] * 6)
    assert rig.states() == [S.ACTIVE_UNACK, S.ACTIVE_ACK, S.NORMAL]


def test_returned_alarm_needs_acknowledging_then_is_normal():
    """An unacknowledged alarm that clears waits in RTN-unack until acknowledged."""
    rig = Rig()
    rig.run([90] * 6 + [80] * 6)
    assert rig.engine.acknowledge("boiler.H")
    assert rig.states() == [S.ACTIVE_UNACK, S.RTN_UNACK, S.NORMAL]


def test_returned_alarm_reactivates():
    """From RTN-unack a new activation annunciates again."""
    rig = Rig()
    rig.run([90] * 6 + [80] * 6 + [90] * 6)
    assert rig.states() == [S.ACTIVE_UNACK, S.RTN_UNACK, S.ACTIVE_UNACK]


def test_acknowledging_a_normal_alarm_does_nothing():
    """Acknowledge returns False when there is nothing to acknowledge."""
    rig = Rig()
    assert not rig.engine.acknowledge("boiler.H") and rig.events == []


def test_low_limit_alarms_mirror_high_ones():
    """Below L for the on-delay raises L; the deadband lies above the limit."""
    rig = Rig()
    rig.run([35] * 6 + [41] * 10)
    assert rig.state("boiler.L") is S.ACTIVE_UNACK
    rig.run([42] * 6)
    assert rig.state("boiler.L") is S.RTN_UNACK


def test_hh_and_h_are_separate_alarms_with_their_priorities():
    """Above HH both H and HH are raised; HH carries the higher priority and its message."""
    rig = Rig()
    rig.run([97] * 6)
    hh = rig.engine.status("boiler.HH")
    assert hh.state is S.ACTIVE_UNACK and hh.priority is Priority.HIGH
    assert hh.message == "HIGH-HIGH 97.0 °C (limit 95.0 °C)"
    assert rig.engine.status("boiler.H").priority is Priority.MEDIUM


def test_timed_shelving_hides_and_expires():
    """Shelved for 30 s the alarm stays hidden; at expiry it comes back as active-unacknowledged."""
    rig = Rig()
    rig.run([90] * 6)
    assert rig.engine.shelve("boiler.H", 30, "known issue")
    rig.run([90] * 20)
    assert rig.state() is S.SHELVED
    rig.run([90] * 10)
    assert rig.state() is S.ACTIVE_UNACK
    assert rig.events[-1].message == "Shelving expired"


def test_one_shot_shelving_ends_when_the_alarm_returns_to_normal():
    """Shelved until normal: the shelf ends when the condition clears, and the alarm is normal."""
    rig = Rig()
    rig.run([90] * 6)
    rig.engine.shelve("boiler.H")
    rig.run([90] * 30)
    assert rig.state() is S.SHELVED
    rig.run([80] * 6)
    assert rig.state() is S.NORMAL


def test_unshelve_by_hand_shows_the_condition():
    """Unshelving an active alarm annunciates it again."""
    rig = Rig()
    rig.run([90] * 6)
    rig.engine.shelve("boiler.H", 600)
    assert rig.engine.unshelve("boiler.H")
    assert rig.state() is S.ACTIVE_UNACK


def test_out_of_service_alarm_does_not_annunciate():
    """Out of service the alarm ignores its condition; back in service it shows the present one."""
    rig = Rig()
    rig.engine.set_out_of_service("boiler.H", True, "sensor replaced")
    rig.run([90] * 10)
    assert rig.state() is S.OUT_OF_SERVICE
    rig.engine.set_out_of_service("boiler.H", False)
    assert rig.state() is S.ACTIVE_UNACK


def test_chattering_is_flagged_at_three_activations_in_a_minute():
    """Three activations within 60 s flag the alarm as chattering; the flag shows on its events."""
    rig = Rig({"channels": {"boiler": {"h": 85.0, "span": [0, 150], "on_delay": 0, "off_delay": 0}}})
    rig.run([90, 80, 90, 80, 90], seconds=5)
    assert rig.engine.status("boiler.H").chattering
    assert rig.events[-1].chattering


def test_activations_spread_out_do_not_chatter():
    """Activations more than a minute apart are not chattering."""
    rig = Rig({"channels": {"boiler": {"h": 85.0, "span": [0, 150], "on_delay": 0, "off_delay": 0}}})
    rig.run([90, 80, 90, 80, 90], seconds=40)
    assert not rig.engine.status("boiler.H").chattering


def test_commands_as_enum_values():
    """AlarmCommand values do what the plain calls do."""
    rig = Rig()
    rig.run([90] * 6)
    assert rig.engine.command(AlarmCommand(CommandKind.ACKNOWLEDGE, "boiler.H", "ok"))
    assert rig.engine.command(AlarmCommand(CommandKind.SHELVE, "boiler.H", duration=60))
    assert rig.state() is S.SHELVED
    assert rig.engine.command(AlarmCommand(CommandKind.OUT_OF_SERVICE, "boiler.H"))
    assert rig.state() is S.OUT_OF_SERVICE


def test_unknown_alarm_is_one_sentence():
    """A command for an alarm that does not exist raises AlarmError naming it."""
    with pytest.raises(AlarmError, match=r"no alarm named 'nope\.H'"):
        Rig().engine.acknowledge("nope.H")


def test_a_failing_subscriber_does_not_stop_the_others():
    """One subscriber raising does not keep events from the rest."""
    rig = Rig()
    rig.engine.subscribe(lambda e: 1 / 0)
    seen = []
    rig.engine.subscribe(seen.append)
    rig.run([90] * 6)
    assert [e.state for e in seen if e.alarm_id == "boiler.H"] == [S.ACTIVE_UNACK]


def test_anomaly_alarm_follows_the_score_with_hysteresis():
    """Score at the threshold raises the anomaly alarm; a held 0.4 keeps it; below 0.3 for the
    off-delay it clears."""
    rig = Rig()
    off_delay = int(rig.engine.config.anomaly_off_delay)
    rig.feed(60, score=0.7)
    assert rig.state("boiler.anomaly") is S.ACTIVE_UNACK
    for _ in range(off_delay + 10):
        rig.feed(60, score=0.4)
    assert rig.state("boiler.anomaly") is S.ACTIVE_UNACK
    for _ in range(off_delay - 1):
        rig.feed(60, score=0.1)
    assert rig.state("boiler.anomaly") is S.ACTIVE_UNACK
    for _ in range(2):
        rig.feed(60, score=0.1)
    assert rig.state("boiler.anomaly") is S.RTN_UNACK
    assert rig.engine.status("boiler.anomaly").kind is AlarmKind.ANOMALY


def test_anomaly_alarm_waits_for_its_on_delay():
    """With anomaly_on_delay the score must stay up that long before the alarm is raised."""
    rig = Rig({"anomaly_on_delay": 10})
    rig.feed(60, score=0.6)
    for _ in range(5):
        rig.feed(60, score=0.4)
    assert rig.state("boiler.anomaly") is S.NORMAL
    for _ in range(6):
        rig.feed(60, score=0.4)
    assert rig.state("boiler.anomaly") is S.ACTIVE_UNACK


# -- what the operator reads: order, times, values ---------------------------------------------
def test_acknowledging_keeps_the_activation_time_and_records_the_ack_time():
    """'Since' is when the alarm was raised; an acknowledgement is stamped separately."""
    rig = Rig()
    rig.run([90] * 6)
    raised = rig.engine.status("boiler.H").activated_us
    assert raised is not None
    rig.clock.advance(107)
    rig.engine.acknowledge("boiler.H")
    status = rig.engine.status("boiler.H")
    assert status.state is S.ACTIVE_ACK
    assert status.shown_since_us == raised
    assert status.acked_us == rig.clock.now_us()
    rig.run([70] * 10)  # returned to normal: still known when it was raised
    assert rig.engine.status("boiler.H").activated_us == raised


def test_anomaly_alarm_value_is_the_channels_reading_with_its_unit():
    """The anomaly alarm's value is the reading (in the channel's unit) with the highest score,
    not the score itself."""
    rig = Rig()
    rig.feed(61.0, score=0.1)
    rig.feed(72.5, score=0.8)
    rig.feed(75.0, score=0.95)
    rig.feed(62.0, score=0.6)
    status = rig.engine.status("boiler.anomaly")
    assert status.state is S.ACTIVE_UNACK
    assert status.value == 75.0
    assert status.unit == "°C"
    assert status.message == "Unusual behaviour at 75.0 °C (anomaly score 0.95)"


def test_an_anomaly_alarm_keeps_the_first_of_equally_strong_readings():
    """Scores saturate at 1.0: a level shift's drop and its return both score 1.0. The alarm keeps
    the drop that raised it; only a reading scoring higher than the peak so far replaces it."""
    rig = Rig()
    rig.feed(61.0, score=0.1)
    rig.feed(40.0, score=1.0)  # the drop
    rig.feed(41.0, score=0.9)
    rig.feed(61.0, score=1.0)  # the return, as strong as the drop
    status = rig.engine.status("boiler.anomaly")
    assert status.state is S.ACTIVE_UNACK
    assert status.value == 40.0
    assert status.message == "Unusual behaviour at 40.0 °C (anomaly score 1.00)"


def test_list_order_puts_active_before_returned_within_a_priority():
    """Highest priority first; within a priority: active-unacknowledged, then returned-
    unacknowledged, then active-acknowledged; then the newest. A returned alarm never hides an
    active one of the same priority (the field case: a returned MEDIUM prediction shown above an
    active MEDIUM H)."""
    table = {
        "predictive_on_delay": 0,
        "predictive_off_delay": 0,
        "channels": {"boiler": {"h": 85.0, "span": [0, 150], "on_delay": 5, "off_delay": 5}},
    }
    rig = Rig(table)
    rig.run([80.0] * 5)
    now = rig.clock.now_us()
    ts = now + np.arange(1, 13, dtype=np.int64) * 300_000_000
    rig.engine.update_forecast("boiler", ts, np.full(12, 90.0), np.full(12, 89.0), np.full(12, 91.0))
    rig.run([90.0] * 8)  # H active; the prediction hands over and returns (newer than the H)
    shown = rig.engine.alarms(shown_only=True)
    assert [(s.alarm_id, s.state) for s in shown] == [
        ("boiler.H", S.ACTIVE_UNACK),
        ("boiler.predictive", S.RTN_UNACK),
    ]
    rig.engine.acknowledge("boiler.H")
    assert [s.alarm_id for s in rig.engine.alarms(shown_only=True)] == ["boiler.predictive", "boiler.H"]
