"""Alarms on screen: banner, panel, acknowledge, shelve, journal, sound."""

import time

from PySide6 import QtGui, QtWidgets

from core.acquisition.batch import ReadingBatch
from core.alarms import AlarmEngine, AlarmJournal, AlarmState, ManualClock
from core.alarms.config import parse_alarm_config
from core.storage.store import ReadingStore
from gui.alarm_banner import AlarmBanner
from gui.alarm_controller import AlarmController
from gui.alarm_panel import AlarmPanel

LIMITS = {"channels": {"boiler": {"kind": "temperature", "hh": 95.0, "h": 85.0, "span": [0, 150],
                                  "on_delay": 0, "off_delay": 0, "hh_priority": "critical"}}}


class Rig:
    def __init__(self, qtbot, db_path, monkeypatch):
        self.sounds = []
        monkeypatch.setattr("gui.alarm_controller.beep", lambda: self.sounds.append(1))
        self.store = ReadingStore(db_path)
        self.clock = ManualClock(int(time.time() * 1e6) - 3_600_000_000)
        self.engine = AlarmEngine(parse_alarm_config(LIMITS, {"boiler": "°C"}), {"boiler": "°C"}, self.clock,
                                  AlarmJournal(self.store))
        self.window = QtWidgets.QMainWindow()
        self.banner, self.panel = AlarmBanner(), AlarmPanel()
        self.mute = QtGui.QAction("Mute", self.window, checkable=True)
        self.ctl = AlarmController(self.window, self.banner, self.panel, self.store, self.mute)
        qtbot.addWidget(self.window)
        qtbot.addWidget(self.panel)
        self.ctl.attach(self.engine)

    def feed(self, value, seconds=1.0):
        self.clock.advance(seconds)
        self.engine.process(ReadingBatch.from_records([(self.clock.now_us(), "boiler", value)]))
        self.engine.tick()

    def journal_states(self):
        return list(AlarmJournal(self.store).frame()["state"])


def test_alarm_appears_in_banner_and_panel_and_sounds(qtbot, db_path, monkeypatch):
    """A high alarm shows in the banner (with its message) and the panel, and makes a sound."""
    rig = Rig(qtbot, db_path, monkeypatch)
    with qtbot.waitSignal(rig.ctl.sounded, timeout=3000):
        rig.feed(97.0)
    qtbot.waitUntil(lambda: rig.banner.showing_alarm, timeout=2000)
    assert "boiler" in rig.banner.text.text() and "CRITICAL" in rig.banner.text.text()
    assert "to acknowledge" in rig.banner.count.text()
    ids = {rig.panel.active.item(r, 3).data(0x0100) for r in range(rig.panel.active.rowCount())}
    assert {"boiler.HH", "boiler.H"} <= ids
    assert rig.sounds


def test_mute_silences_new_alarms(qtbot, db_path, monkeypatch):
    """With Mute on, a new critical alarm is shown but makes no sound."""
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.mute.setChecked(True)
    rig.feed(97.0)
    qtbot.waitUntil(lambda: rig.banner.showing_alarm, timeout=2000)
    qtbot.wait(100)
    assert rig.sounds == []


def test_acknowledge_changes_state_and_journal(qtbot, db_path, monkeypatch):
    """Acknowledge from the banner moves the alarm to active-acknowledged and journals the comment."""
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(97.0)
    qtbot.waitUntil(lambda: rig.banner.alarm_id == "boiler.HH", timeout=2000)
    rig.ctl.acknowledge(["boiler.HH"], "operator checked the gauge")
    assert rig.engine.status("boiler.HH").state is AlarmState.ACTIVE_ACK
    journal = AlarmJournal(rig.store).frame()
    acked = journal[(journal["alarm_id"] == "boiler.HH") & (journal["state"] == "active_ack")]
    assert list(acked["comment"]) == ["operator checked the gauge"]
    rig.ctl.refresh_journal()  # read on a pool thread
    qtbot.waitUntil(lambda: rig.panel.journal.rowCount() >= 3, timeout=5000)
    qtbot.waitUntil(lambda: "alarms raised" in rig.panel.kpis.toPlainText(), timeout=5000)


def test_shelve_hides_the_alarm_until_the_shelve_expires(qtbot, db_path, monkeypatch):
    """Shelving for 15 min hides the alarm; when the time is up it returns to the list."""
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(90.0)
    qtbot.waitUntil(lambda: rig.banner.alarm_id == "boiler.H", timeout=2000)
    rig.ctl.shelve(["boiler.H"], 900.0, "known, crew on the way")
    assert rig.engine.status("boiler.H").state is AlarmState.SHELVED
    qtbot.waitUntil(lambda: not rig.banner.showing_alarm, timeout=2000)
    for _ in range(181):  # the value stays high while the crew is on the way
        rig.feed(90.0, seconds=5.0)
    qtbot.waitUntil(lambda: rig.banner.showing_alarm and rig.banner.alarm_id == "boiler.H", timeout=2000)
    assert rig.engine.status("boiler.H").state is AlarmState.ACTIVE_UNACK


def test_panel_buttons_drive_the_engine(qtbot, db_path, monkeypatch):
    """The panel's Acknowledge all acts on every alarm needing acknowledgement."""
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(97.0)
    qtbot.waitUntil(lambda: rig.panel.active.rowCount() >= 2, timeout=2000)
    rig.panel.acknowledge_all.emit("")
    assert all(not s.state.needs_ack for s in rig.engine.alarms(shown_only=True))


def test_the_panel_follows_a_predicted_crossing_as_it_comes_closer(qtbot, db_path, monkeypatch):
    """A predictive alarm's message counts down; the panel shows the newest, like the banner."""
    import numpy as np

    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(80.0)
    now = rig.clock.now_us()
    ts = now + np.arange(1, 61) * 60_000_000  # the next hour, minute by minute
    values = np.linspace(80.0, 90.0, 60)  # crosses HIGH (85) about half an hour ahead
    rig.engine.update_forecast("boiler", ts, values, values - 0.5, values + 0.5)
    rig.engine.tick()

    def message() -> str:
        rows = range(rig.panel.active.rowCount())
        return next((rig.panel.active.item(r, 6).text() for r in rows
                     if rig.panel.active.item(r, 3).data(0x0100) == "boiler.predictive"), "")

    qtbot.waitUntil(lambda: "Predicted HIGH" in message(), timeout=2000)
    first = message()
    rig.feed(80.0, seconds=300)  # five minutes later, the sensor still reading
    qtbot.waitUntil(lambda: message() not in ("", first), timeout=2000)
    assert message() == rig.engine.status("boiler.predictive").message
