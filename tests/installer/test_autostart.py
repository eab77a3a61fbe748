"""Start at logon: the Task Scheduler command and definition, the XDG entry, and the window's option."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core import autostart
from core.cli import run

NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


@pytest.fixture
def xdg(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "autostart" / "watchkeeper.desktop"


def test_the_installed_program_starts_the_window_exe():
    """Asked from watchkeeper-cli.exe (the installer does), the task still opens Watchkeeper.exe."""
    cli = r"C:\Users\op\AppData\Local\Programs\Watchkeeper\watchkeeper-cli.exe"
    assert autostart.launch_command(frozen=True, executable=cli, platform="win32") == [
        r"C:\Users\op\AppData\Local\Programs\Watchkeeper\Watchkeeper.exe"
    ]
    assert autostart.launch_command(frozen=True, executable="/opt/wk/watchkeeper-cli", platform="linux") == [
        "/opt/wk/Watchkeeper"
    ]
    assert autostart.launch_command(frozen=False, executable="/venv/bin/python", platform="linux") == [
        "/venv/bin/python",
        "-m",
        "gui.app",
    ]


def test_the_task_runs_at_this_users_logon_without_time_limit():
    """The definition: a logon trigger for this user alone, as this user, never stopped after
    72 hours or on battery, one instance."""
    xml = autostart.task_xml(
        [r"C:\Program Files\Watch & Keep\Watchkeeper.exe", "--db", r"D:\plant a.duckdb"], "PLANT\\op"
    )
    root = ET.fromstring(xml.replace('encoding="UTF-16"', ""))
    assert root.find("t:Triggers/t:LogonTrigger/t:UserId", NS).text == "PLANT\\op"
    assert root.find("t:Principals/t:Principal/t:LogonType", NS).text == "InteractiveToken"
    assert root.find("t:Principals/t:Principal/t:RunLevel", NS).text == "LeastPrivilege"
    settings = root.find("t:Settings", NS)
    assert settings.find("t:ExecutionTimeLimit", NS).text == "PT0S"
    assert settings.find("t:DisallowStartIfOnBatteries", NS).text == "false"
    assert settings.find("t:MultipleInstancesPolicy", NS).text == "IgnoreNew"
    exec_ = root.find("t:Actions/t:Exec", NS)
    assert exec_.find("t:Command", NS).text == r"C:\Program Files\Watch & Keep\Watchkeeper.exe"
    assert exec_.find("t:Arguments", NS).text == r'--db "D:\plant a.duckdb"'


def test_on_windows_enable_and_disable_run_schtasks_with_these_arguments(monkeypatch):
    """The commands are lists (no shell, no quoting mistakes); the XML file exists while schtasks
    reads it and is UTF-16 as schtasks expects."""
    calls, definitions = [], []
    registered = {"yes": False}

    def fake_run(command, **kwargs):
        calls.append(command)
        assert kwargs.get("shell") is not True
        if "/Create" in command:
            definitions.append(Path(command[command.index("/XML") + 1]).read_bytes().decode("utf-16"))
            registered["yes"] = True
        if "/Delete" in command:
            registered["yes"] = False
        code = 0 if "/Query" not in command or registered["yes"] else 1
        return subprocess.CompletedProcess(command, code, "", "")

    monkeypatch.setattr(autostart.subprocess, "run", fake_run)
    monkeypatch.setenv("USERDOMAIN", "PLANT")
    monkeypatch.setenv("USERNAME", "op")
    autostart.enable([r"C:\WK\Watchkeeper.exe"], platform="win32")
    assert calls[0][:5] == ["schtasks", "/Create", "/TN", "Watchkeeper", "/XML"] and calls[0][-1] == "/F"
    assert "<UserId>PLANT\\op</UserId>" in definitions[0] and r"C:\WK\Watchkeeper.exe" in definitions[0]
    assert not Path(calls[0][5]).exists()  # the temporary definition is gone
    assert autostart.is_enabled(platform="win32")
    autostart.disable(platform="win32")
    assert ["schtasks", "/Delete", "/TN", "Watchkeeper", "/F"] in calls
    assert not autostart.is_enabled(platform="win32")
    autostart.disable(platform="win32")  # off already: nothing to delete
    assert calls.count(["schtasks", "/Delete", "/TN", "Watchkeeper", "/F"]) == 1


def test_a_refused_task_is_one_sentence(monkeypatch):
    monkeypatch.setattr(
        autostart.subprocess,
        "run",
        lambda command, **kw: subprocess.CompletedProcess(command, 1, "", "ERROR: Access is denied.\n"),
    )
    with pytest.raises(autostart.AutostartError, match=r"refused to add the logon task.*Access is denied"):
        autostart.enable(["C:/WK/Watchkeeper.exe"], platform="win32")


def test_on_linux_an_autostart_entry_is_written_and_removed(xdg, capsys):
    """``watchkeeper autostart on|status|off`` manage ~/.config/autostart/watchkeeper.desktop."""
    assert run(["autostart", "on"]) == 0
    text = xdg.read_text(encoding="utf-8")
    assert "Exec=" in text and "gui.app" in text and "Type=Application" in text
    assert run(["autostart", "status"]) == 0
    assert "starts at logon" in capsys.readouterr().out.splitlines()[-1]
    assert run(["autostart", "off"]) == 0
    assert not xdg.exists()
    run(["autostart", "status"])
    assert "does not start at logon" in capsys.readouterr().out


def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says():
    entry = autostart.desktop_entry(["/opt/my apps/Watchkeeper", "--db", 'a"b$c'])
    assert 'Exec="/opt/my apps/Watchkeeper" --db "a\\"b\\$c"' in entry


def test_the_window_option_switches_start_at_logon(qtbot, xdg):
    """Options ▸ Start recording at logon shows the current state and switches it."""
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.options_menu.aboutToShow.emit()
    assert not window.autostart_action.isChecked()
    window.autostart_action.trigger()
    assert xdg.exists() and window.autostart_action.isChecked()
    assert "starts at logon" in window.message_label.text()
    window.autostart_action.trigger()
    assert not xdg.exists() and not window.autostart_action.isChecked()


def test_the_first_window_fits_a_small_screen():
    """1200×800 on a big screen; 90 % of the free area of a 1080p screen at 150 % scaling."""
    from PySide6 import QtCore

    from gui.main_window import first_size

    class Screen:
        def __init__(self, w, h):
            self.rect = QtCore.QRect(0, 0, w, h)

        def availableGeometry(self):
            return self.rect

    assert first_size(Screen(2560, 1400)) == QtCore.QSize(1200, 800)
    assert first_size(Screen(1280, 680)) == QtCore.QSize(1152, 612)
    assert first_size(None) == QtCore.QSize(1200, 800)


def test_the_window_and_its_tray_have_the_icon(qtbot):
    from gui.app import ICON, app_icon

    assert ICON.exists() and ICON.with_suffix(".ico").exists()
    icon = app_icon()
    assert not icon.isNull() and icon.availableSizes()
