"""Alarm limits edited in the window: validated with clear messages, saved to the config file."""

import tomllib

from core.alarms.config import parse_alarm_config
from core.config import load_config
from gui.limits_dialog import LimitsDialog


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
    assert data["alarms"]["channels"]["boiler"] == {"h": 85.0, "hh": 95.0, "on_delay": 30.0,
                                                    "hh_priority": "critical"}
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


def test_saved_limits_apply_to_the_running_recording(make_app, qtbot):
    """After saving, recording restarts with an alarm engine that has the new limits."""
    wk = make_app(demo=True)
    qtbot.waitUntil(lambda: wk.recorder.engine is not None, timeout=10_000)
    table = {"channels": {"pressure": {"h": 1.0, "span": [0.0, 8.0], "on_delay": 0.0}}}
    wk._on_limits_saved(table)
    qtbot.waitUntil(lambda: wk.recorder.engine is not None
                    and wk.recorder.engine.status("pressure.H").state.active, timeout=15_000)
    assert wk.recorder.engine.status("pressure.H").message.startswith("HIGH")
