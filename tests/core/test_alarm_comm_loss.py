"""Communication loss: its own alarm, and no anomaly or predictive alarms while data is missing."""

from datetime import UTC, datetime

import numpy as np

from core.acquisition.reader import PortEvent, PortState
from core.alarms.engine import COMM_LOSS_ARMED_AFTER
from core.alarms.model import AlarmState
from tests.core.test_alarm_engine import Rig

S = AlarmState


def port_event(rig: Rig, state: PortState) -> None:
    at = datetime.fromtimestamp(rig.clock.now_us() / 1e6, UTC)
    rig.engine.port_event(PortEvent(state, at, "COM3", "cable pulled"))


def reporting(rig: Rig, channel: str = "boiler") -> None:
    """The channel reports regularly for a few seconds (a sensor, not a stray name)."""
    rig.run([60] * COMM_LOSS_ARMED_AFTER, channel=channel)


def test_no_reading_for_n_seconds_raises_comm_loss():
    """Ten seconds without a valid reading raise the channel's communication-loss alarm."""
    rig = Rig()
    reporting(rig)
    rig.wait(9)
    assert rig.state("boiler.comm_loss") is S.NORMAL
    rig.wait(1)
    assert rig.state("boiler.comm_loss") is S.ACTIVE_UNACK


def test_comm_loss_suppresses_anomaly_and_predictive_alarms():
    """While a channel is silent its anomaly and predictive alarms are suppressed."""
    rig = Rig()
    reporting(rig)
    rig.feed(60, score=0.0)
    rig.wait(10)
    assert rig.state("boiler.anomaly") is S.SUPPRESSED
    assert rig.state("boiler.predictive") is S.SUPPRESSED


def test_active_anomaly_alarm_is_suppressed_by_comm_loss():
    """An anomaly alarm that was active is suppressed (not left standing) when data stops."""
    rig = Rig()
    reporting(rig)
    rig.feed(60, score=0.9)
    assert rig.state("boiler.anomaly") is S.ACTIVE_UNACK
    rig.wait(10)
    assert rig.state("boiler.anomaly") is S.SUPPRESSED


def test_readings_again_clear_comm_loss_and_lift_suppression():
    """The next valid reading clears communication loss and lifts the suppression."""
    rig = Rig()
    reporting(rig)
    rig.wait(12)
    rig.feed(60, score=0.0)
    assert rig.state("boiler.comm_loss") is S.RTN_UNACK
    assert rig.state("boiler.anomaly") is S.NORMAL


def test_scores_during_suppression_raise_nothing():
    """A high score still in the pipeline after the port was lost does not raise the alarm."""
    rig = Rig()
    rig.feed(60)
    port_event(rig, PortState.LOST)
    rig.feed(60, score=0.95)
    assert rig.state("boiler.anomaly") is S.SUPPRESSED


def test_port_loss_raises_one_alarm_and_suppresses_every_channel():
    """A lost port raises the port's alarm and suppresses all channels' dependent alarms."""
    rig = Rig()
    rig.feed(60, channel="boiler")
    rig.feed(3.0, channel="steam")
    port_event(rig, PortState.LOST)
    assert rig.state("COM3.comm_loss") is S.ACTIVE_UNACK
    assert rig.state("boiler.anomaly") is S.SUPPRESSED and rig.state("steam.anomaly") is S.SUPPRESSED
    rig.wait(30)
    assert rig.state("boiler.comm_loss") is S.SUPPRESSED  # consequences of the port, not new alarms


def test_port_reconnect_clears_the_port_alarm_and_gives_a_grace_period():
    """On reconnection the port alarm clears; channels get comm_loss_after seconds to report."""
    rig = Rig()
    rig.feed(60)
    port_event(rig, PortState.LOST)
    rig.wait(60)
    port_event(rig, PortState.CONNECTED)
    assert rig.state("COM3.comm_loss") is S.RTN_UNACK
    assert rig.state("boiler.anomaly") is S.NORMAL
    rig.wait(5)
    assert rig.state("boiler.comm_loss") is S.NORMAL


def test_limit_alarms_are_not_suppressed_by_comm_loss():
    """A standing limit alarm stays visible during communication loss (it is no inference)."""
    rig = Rig()
    rig.run([90] * 6)
    rig.wait(10)
    assert rig.state("boiler.H") is S.ACTIVE_UNACK
    assert np.isfinite(rig.engine.status("boiler.H").value)


def test_a_name_seen_once_or_twice_gets_no_comm_loss_alarm():
    """Random bytes that happen to parse as a reading (``B:6``) create a channel that reported
    once or twice: its silence afterwards is not a sensor gone quiet, so no comm-loss alarm."""
    rig = Rig()
    reporting(rig)
    rig.feed(6.0, channel="B")
    rig.feed(6.0, channel="B")
    for _ in range(60):
        rig.feed(60)
    assert rig.state("B.comm_loss") is S.NORMAL
    assert rig.state("boiler.comm_loss") is S.NORMAL
    rig.wait(10)
    assert rig.state("boiler.comm_loss") is S.ACTIVE_UNACK
    assert rig.state("B.comm_loss") is S.NORMAL
