"""The KPI tab words the alarm KPIs in the window's language, with the PC's local times."""

from __future__ import annotations

from PySide6 import QtCore

from gui import i18n
from tests.gui.test_alarms import Rig


def _open_kpi_tab(qtbot, rig: Rig) -> str:
    rig.panel.show()
    bar = rig.panel.tabBar()
    index = rig.panel.indexOf(rig.panel.kpis)
    qtbot.mouseClick(bar, QtCore.Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert rig.panel.currentWidget() is rig.panel.kpis
    qtbot.waitUntil(lambda: rig.panel.kpis.toPlainText() != "", timeout=5000)
    return rig.panel.kpis.toPlainText()


def test_the_kpi_tab_reads_korean_in_the_korean_window(qtbot, db_path, monkeypatch, qapp):
    i18n.install("ko")
    try:
        rig = Rig(qtbot, db_path, monkeypatch)
        rig.feed(97.0)
        text = _open_kpi_tab(qtbot, rig)
    finally:
        i18n.uninstall()
    assert text.startswith(f"경보 보고서: {db_path.name}")
    assert "발생한 경보: 2" in text and "10분당 평균" in text and "채터링" in text
    assert "boiler.HH" in text  # the most frequent alarms, by their ids
    assert not any(word in text for word in ("Alarm report", "raised", "Chattering")), text


def test_the_kpi_tab_reads_english_in_the_english_window(qtbot, db_path, monkeypatch):
    rig = Rig(qtbot, db_path, monkeypatch)
    rig.feed(97.0)
    text = _open_kpi_tab(qtbot, rig)
    assert text.startswith(f"Alarm report for {db_path.name}")
    assert "Alarms raised: 2" in text and "Chattering (3 or more within 60 s): 0" in text
