"""GUI test setup: offscreen Qt, private settings and data folders, an app factory."""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6 import QtCore


@pytest.fixture(autouse=True)
def restore_excepthook():
    """The app installs its own excepthook; put pytest-qt's back so slot errors fail the test."""
    import sys

    saved = sys.excepthook
    yield
    sys.excepthook = saved


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    """Each test gets its own data folder (logs, default files) and settings file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def window_env(folder) -> dict[str, str]:
    """The environment of a window started as its own process: offscreen, with its own data and
    settings folders under ``folder``."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    }


@pytest.fixture
def qsettings(tmp_path):
    return QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.IniFormat)


@pytest.fixture
def make_app(qtbot, qsettings, tmp_path, request):
    """Build the real Application (window + controller) like ``watchkeeper`` does, and close it after."""
    from gui.app import Application

    apps = []

    def factory(demo: bool = False, db: str | None = None, config: str | None = None, start: bool = True):
        args = argparse.Namespace(demo=demo, db=db or str(tmp_path / "gui.duckdb"), config=config)
        wk = Application(args, qsettings)
        qtbot.addWidget(wk.window)
        wk.window.show()
        if start:
            assert wk.start()
        apps.append(wk)
        return wk

    yield factory
    for wk in apps:
        wk.window.close()
    if "unexpected" not in request.node.name:
        crashes = [m for wk in apps for m in wk.messages if m.startswith("An unexpected error")]
        assert crashes == [], "the window hit an unexpected error (see watchkeeper.log)"


@pytest.fixture
def no_qt_warnings(qtlog):
    """Fail the test if Qt warned (a destroyed running thread, a bad connection, a painter fault)."""
    yield
    benign = ("This plugin does not support",)  # the offscreen platform's notes, not our faults
    warnings = [
        r.message
        for r in qtlog.records
        if r.type in (QtCore.QtMsgType.QtWarningMsg, QtCore.QtMsgType.QtCriticalMsg)
        and not any(b in r.message for b in benign)
    ]
    assert warnings == [], warnings


@pytest.fixture
def korean(qapp, qsettings):
    """Korean chosen (a window made by make_app starts in it), English for the tests after it."""
    from gui import i18n

    qsettings.setValue(i18n.SETTING, "ko")
    assert i18n.install("ko") == "ko"
    yield
    i18n.uninstall()
