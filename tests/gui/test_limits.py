"""Alarm limits edited in the window: validated with clear messages, saved to the config file."""

import tomllib

from PySide6.QtCore import Qt

from core.alarms.config import parse_alarm_config
from core.config import load_config
from gui.limits_dialog import COLUMNS, LimitsDialog


def make(qtbot, tmp_path, alarms=None):
    path = tmp_path / "watchkeeper.toml"
    path.write_text('# my plant\n[port]\ndevice = "COM3"\n', encoding="utf-8")
    dialog = LimitsDialog(["boiler", "flow"], alarms, {"boiler": "°C"}, path)
    qtbot.addWidget(dialog)
    return dialog, path


def test_limits_are_saved_to_the_config_and_take_effect(qtbot, tmp_path):
    """Typed limits, delays and priorities are written to [alarms] and read back by the config loader."""
    dialog, path = make(qtbot, tmp_path)
    saved = []
    dialog.saved.connect(saved.append)
    dialog.table.item(0, 1).setText("85")  # H
    dialog.table.item(0, 0).setText("95")  # HH
    dialog.table.item(0, 5).setText("30")  # on-delay
    dialog.table.cellWidget(0, 7).setCurrentText("critical")
    dialog.save()
    assert saved and dialog.result() == 1
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["port"]["device"] == "COM3"
    assert data["alarms"]["channels"]["boiler"] == {
        "h": 85.0,
        "hh": 95.0,
        "on_delay": 30.0,
        "hh_priority": "critical",
    }
    assert (tmp_path / "watchkeeper.toml.bak").read_text(encoding="utf-8").startswith("# my plant")
    config = load_config(path)
    rules = parse_alarm_config(config.extra["alarms"], {"boiler": "°C"})
    assert {r.kind.value for ch in rules.channels for r in ch.limits} == {"HH", "H"}


def test_invalid_limits_are_explained_and_nothing_is_written(qtbot, tmp_path):
    """A word where a number belongs, or limits in the wrong order, is one sentence; the file is unchanged."""
    dialog, path = make(qtbot, tmp_path)
    before = path.read_text(encoding="utf-8")
    dialog.table.item(1, 1).setText("lots")
    dialog.save()
    assert "flow H must be a number" in dialog.error.text()
    dialog.table.item(1, 1).setText("10")
    dialog.table.item(1, 0).setText("5")  # HH below H
    dialog.save()
    assert "Not saved" in dialog.error.text()
    assert path.read_text(encoding="utf-8") == before


def test_saved_limits_apply_in_place_without_reopening_the_port(make_app, qtbot, tmp_path):
    """Saving new limits in the dialog changes the running alarm engine: the same recording, the
    same alarm engine, no port event (the port was not closed and reopened), and the new H raises."""
    config = tmp_path / "watchkeeper.toml"
    config.write_text("# plant\n", encoding="utf-8")
    wk = make_app(demo=True, config=str(config))
    qtbot.waitUntil(lambda: wk.recorder.alarm_engine is not None, timeout=10_000)
    qtbot.waitUntil(lambda: "pressure" in wk.window.plots.order, timeout=10_000)
    session, engine = wk.recorder._session, wk.recorder.alarm_engine
    port_events = []
    wk.recorder.port_event.connect(lambda *e: port_events.append(e))
    wk.window.limits_action.trigger()
    dialog = wk.limits_dialog
    row = dialog.channels.index("pressure")
    columns = [key for key, _ in COLUMNS]
    dialog.table.item(row, columns.index("h")).setText("1")  # below every pressure the demo makes
    for low in ("l", "ll"):
        dialog.table.item(row, columns.index(low)).setText("")
    dialog.table.item(row, columns.index("on_delay")).setText("0")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert not dialog.isVisible(), dialog.error.text()
    qtbot.waitUntil(lambda: engine.status("pressure.H").state.active, timeout=15_000)
    assert engine.status("pressure.H").message.startswith("HIGH")
    assert wk.recorder._session is session and wk.recorder.alarm_engine is engine
    assert port_events == []
    assert session.reader.stats().reconnects == 0
    assert tomllib.loads(config.read_text(encoding="utf-8"))["alarms"]["channels"]["pressure"]["h"] == 1.0
