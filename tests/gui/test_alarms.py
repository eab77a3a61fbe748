"""Alarms on screen: banner, panel, acknowledge, shelve, journal, sound."""

import time

from PySide6 import QtCore, QtGui, QtWidgets

from core.alarms import AlarmEngine, AlarmJournal, AlarmState, ManualClock
from core.alarms.config import parse_alarm_config
from core.readings import ReadingBatch
from core.storage.store import ReadingStore
from gui.alarm_banner import AlarmBanner
from gui.alarm_controller import AlarmController
from gui.alarm_panel import ACTIVE_COLUMNS, JOURNAL_COLUMNS, AlarmPanel

MESSAGE = ACTIVE_COLUMNS.index("Message")
LIMITS = {
    "predictive_on_delay": 0,
    "channels": {
        "boiler": {
            "kind": "temperature",
            "hh": 95.0,
            "h": 85.0,
            "span": [0, 150],
            "on_delay": 0,
            "off_delay": 0,
            "hh_priority": "critical",
        }
    },
}


class Rig:
    def __init__(self, qtbot, db_path, monkeypatch):
        self.sounds = []
        monkeypatch.setattr("gui.alarm_controller.beep", lambda: self.sounds.append(1))
        self.store = ReadingStore(db_path)
        self.clock = ManualClock(int(time.time() * 1e6) - 3_600_000_000)
        self.engine = AlarmEngine(
            parse_alarm_config(LIMITS, {"boiler": "°C"}),
            {"boiler": "°C"},
            self.clock,
            AlarmJournal(self.store),
        )
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

    def cell(self, alarm_id: str, column: str) -> str:
        table, c = self.panel.active, ACTIVE_COLUMNS.index(column)
        for r in range(table.rowCount()):
            if table.item(r, 3).data(0x0100) == alarm_id:
                return table.item(r, c).text()
        return ""

    def journal_states(self):
        return list(AlarmJournal(self.store).frame()["state"])


def select_row(qtbot, rig: Rig, alarm_id: str) -> None:
    """Click the alarm's row in the Active table, as the operator does."""
    rig.panel.show()
    table = rig.panel.active
    qtbot.waitUntil(lambda: any(table.item(r, 3).data(0x0100) == alarm_id for r in range(table.rowCount())))
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).data(0x0100) == alarm_id)
    rect = table.visualItemRect(table.item(row, 2))
    qtbot.mouseClick(table.viewport(), QtCore.Qt.LeftButton, pos=rect.center())
    assert rig.panel.selected_ids() == [alarm_id]


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
    select_row(qtbot, rig, "boiler.HH")
    rig.panel.comment.setText("operator checked the gauge")
    qtbot.mouseClick(rig.panel.ack_button, QtCore.Qt.LeftButton)
    assert rig.engine.status("boiler.HH").state is AlarmState.ACTIVE_ACK
    journal = AlarmJournal(rig.store).frame()
    acked = journal[(journal["alarm_id"] == "boiler.HH") & (journal["state"] == "active_ack")]
    assert list(acked["comment"]) == ["operator checked the gauge"]
    rig.ctl.refresh_journal()  # read on a pool thread
    qtbot.waitUntil(lambda: rig.panel.journal.rowCount() >= 3, timeout=5000)
    qtbot.waitUntil(lambda: "Alarms raised: " in rig.panel.kpis.toPlainText(), timeout=5000)


def test_shelve_hides_the_alarm_until_the_shelve_expires(qtbot, db_path, monkeypatch):
    """Shelving for 15 min hides the alarm; when the time is up it returns to the list."""
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(90.0)
    qtbot.waitUntil(lambda: rig.banner.alarm_id == "boiler.H", timeout=2000)
    select_row(qtbot, rig, "boiler.H")
    rig.panel.comment.setText("known, crew on the way")
    shelve_for_15_min = next(a for a in rig.panel.shelve_menu.actions() if a.text() == "for 15 min")
    shelve_for_15_min.trigger()
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
    qtbot.mouseClick(rig.panel.ack_all_button, QtCore.Qt.LeftButton)
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
        return next(
            (
                rig.panel.active.item(r, MESSAGE).text()
                for r in rows
                if rig.panel.active.item(r, 3).data(0x0100) == "boiler.predictive"
            ),
            "",
        )

    qtbot.waitUntil(lambda: "Predicted HIGH" in message(), timeout=2000)
    first = message()
    rig.feed(80.0, seconds=300)  # five minutes later, the sensor still reading
    qtbot.waitUntil(lambda: message() not in ("", first), timeout=2000)
    assert message() == rig.engine.status("boiler.predictive").message


def predicted_then_reached(rig: Rig):
    """The field case: a predicted HIGH crossing, then the value reaches HIGH. The predictive
    alarm (MEDIUM) hands over and returns to normal, newer than the active HIGH (MEDIUM too)."""
    import numpy as np

    rig.feed(80.0)
    now = rig.clock.now_us()
    ts = now + np.arange(1, 61) * 60_000_000
    values = np.linspace(82.0, 90.0, 60)
    rig.engine.update_forecast("boiler", ts, values, values - 0.5, values + 0.5)
    rig.engine.tick()
    rig.feed(86.0)
    rig.feed(86.0)


def test_banner_shows_the_active_alarm_not_a_newer_returned_one(qtbot, db_path, monkeypatch):
    """With boiler.H active and unacknowledged, the banner shows it, never the returned
    prediction ('No limit crossing predicted' above an active HIGH was seen in the field); after
    the operator clicks Acknowledge the returned prediction is next, and never says 'Predicted
    HIGH … in N min' while the value is already beyond HIGH."""
    rig = Rig(qtbot, db_path, monkeypatch)
    predicted_then_reached(rig)
    assert rig.engine.status("boiler.predictive").state is AlarmState.RTN_UNACK
    qtbot.waitUntil(lambda: rig.banner.alarm_id == "boiler.H", timeout=2000)
    assert "MEDIUM" in rig.banner.text.text() and "HIGH 86.0 °C" in rig.banner.text.text()
    rig.banner.show()
    qtbot.mouseClick(rig.banner.ack_button, QtCore.Qt.LeftButton)
    assert rig.engine.status("boiler.H").state is AlarmState.ACTIVE_ACK
    qtbot.waitUntil(lambda: rig.banner.alarm_id == "boiler.predictive", timeout=2000)
    assert "Predicted HIGH" not in rig.banner.text.text()
    assert "HIGH limit reached" in rig.banner.text.text()


def test_acknowledge_keeps_since_and_shows_the_ack_time(qtbot, db_path, monkeypatch):
    """Clicking Acknowledge leaves 'Since' at the activation time and fills 'Acknowledged'."""
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(90.0)
    qtbot.waitUntil(lambda: rig.cell("boiler.H", "Since") != "", timeout=2000)
    since = rig.cell("boiler.H", "Since")
    assert rig.cell("boiler.H", "Acknowledged") == ""
    rig.clock.advance(107)  # the operator looks up 1 min 47 s later
    select_row(qtbot, rig, "boiler.H")
    qtbot.mouseClick(rig.panel.ack_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: rig.cell("boiler.H", "Acknowledged") != "", timeout=2000)
    assert rig.cell("boiler.H", "Since") == since
    assert rig.cell("boiler.H", "Acknowledged") != since
    assert rig.banner.text.text().count(since) == 1


def test_anomaly_row_shows_the_channels_value_with_its_unit(qtbot, db_path, monkeypatch):
    """The Value column of an anomaly alarm is the reading in °C, not the anomaly score."""
    import numpy as np

    rig = Rig(qtbot, db_path, monkeypatch)
    rig.clock.advance(1)
    batch = ReadingBatch.from_records([(rig.clock.now_us(), "boiler", 71.25)])
    rig.engine.process(batch, np.array([0.97]))
    qtbot.waitUntil(lambda: rig.cell("boiler.anomaly", "Value") != "", timeout=2000)
    assert rig.cell("boiler.anomaly", "Value") == "71.25 °C"


def _contrast(a: QtGui.QColor, b: QtGui.QColor) -> float:
    def lum(c: QtGui.QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_banner_blink_phase_is_readable(qtbot):
    """Both phases of the blink, for every priority, keep text readable (WCAG contrast >= 4.5;
    the LOW banner's off phase was pale yellow on white)."""
    from core.alarms.model import AlarmKind, AlarmStatus, Priority

    banner = AlarmBanner()
    qtbot.addWidget(banner)
    for priority in Priority:
        status = AlarmStatus(
            f"x.{priority.value}",
            "x",
            AlarmKind.H,
            priority,
            AlarmState.ACTIVE_UNACK,
            "HIGH 1.0",
            1.0,
            0,
            0,
            True,
        )
        banner.show_alarms([status])
        for _ in range(2):
            bg = banner._paint_colors[0]
            fg = banner.text.palette().color(QtGui.QPalette.WindowText)
            assert _contrast(bg, fg) >= 4.5, (priority, bg.name(), fg.name())
            banner._blink.timeout.emit()  # the next phase, as the timer does


def test_the_journal_gives_its_room_to_the_message(qtbot, db_path, monkeypatch):
    """A journal row's message is a sentence: its column takes the width, not the comment's."""
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.panel.resize(1300, 400)
    rig.panel.show()
    rig.feed(97.0)
    bar = rig.panel.tabBar()
    page = next(i for i in range(rig.panel.count()) if rig.panel.widget(i).isAncestorOf(rig.panel.journal))
    qtbot.mouseClick(bar, QtCore.Qt.LeftButton, pos=bar.tabRect(page).center())
    journal = rig.panel.journal
    qtbot.waitUntil(lambda: journal.rowCount() >= 2 and journal.isVisible(), timeout=5000)
    message = journal.columnWidth(JOURNAL_COLUMNS.index("Message"))
    assert message > 2 * journal.columnWidth(JOURNAL_COLUMNS.index("Comment"))
    assert message >= max(journal.columnWidth(c) for c in range(len(JOURNAL_COLUMNS)))
