"""The bus view: per-slave diagnostics of a polled bus (Modbus), refreshed once a second.

Requests, good replies, time-outs, CRC/framing errors, Modbus exceptions by name, reply time
p50/p99 and the last error, as ``watchkeeper record`` prints them under its status line.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.acquisition.modbus.diagnostics import SlaveDiagnostics, SlaveState
from gui.messages import render_alarm_message

COLUMNS = [
    QT_TRANSLATE_NOOP("BusView", "Unit"),
    QT_TRANSLATE_NOOP("BusView", "Name"),
    QT_TRANSLATE_NOOP("BusView", "State"),
    QT_TRANSLATE_NOOP("BusView", "Requests"),
    QT_TRANSLATE_NOOP("BusView", "Good"),
    QT_TRANSLATE_NOOP("BusView", "Time-outs"),
    QT_TRANSLATE_NOOP("BusView", "CRC/framing"),
    QT_TRANSLATE_NOOP("BusView", "Exceptions"),
    QT_TRANSLATE_NOOP("BusView", "Reply p50"),
    QT_TRANSLATE_NOOP("BusView", "Reply p99"),
    QT_TRANSLATE_NOOP("BusView", "Last error"),
]
# What became of a request (core.acquisition.modbus.diagnostics.Outcome), in "Last error".
OUTCOMES = {
    "time-out": QT_TRANSLATE_NOOP("BusView", "time-out"),
    "CRC/framing error": QT_TRANSLATE_NOOP("BusView", "CRC/framing error"),
    "Modbus exception": QT_TRANSLATE_NOOP("BusView", "Modbus exception"),
    "link down": QT_TRANSLATE_NOOP("BusView", "link down"),
}
STATE_COLOURS = {SlaveState.ONLINE: "#1a7f37", SlaveState.LOST: "#b42318", SlaveState.UNKNOWN: "#6e7781"}


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.0f} ms"


def _state(d: SlaveDiagnostics) -> str:
    if d.state is SlaveState.LOST and d.next_probe_s is not None:
        return QCoreApplication.translate("BusView", "not answering (next try in {n} s)").format(
            n=f"{d.next_probe_s:.0f}"
        )
    if d.state is SlaveState.ONLINE:
        return QCoreApplication.translate("BusView", "answering")
    if d.state is SlaveState.LOST:
        return QCoreApplication.translate("BusView", "not answering")
    return QCoreApplication.translate("BusView", "not polled yet")


def last_error(text: str) -> str:
    """ "time-out", "Modbus exception: illegal data address" in the window's words."""
    outcome, sep, detail = text.partition(": ")
    if outcome not in OUTCOMES:
        return text
    shown = QCoreApplication.translate("BusView", OUTCOMES[outcome])
    return f"{shown}: {render_alarm_message(detail)}" if sep else shown


def row_texts(d: SlaveDiagnostics) -> list[str]:
    exceptions = ", ".join(f"{n} {render_alarm_message(name)}" for name, n in sorted(d.exceptions.items()))
    return [
        str(d.unit),
        d.name,
        _state(d),
        str(d.requests),
        str(d.good),
        str(d.timeouts),
        str(d.bad_frames),
        exceptions or "0",
        _ms(d.p50_ms),
        _ms(d.p99_ms),
        last_error(d.last_error),
    ]


class BusView(QtWidgets.QWidget):
    """A table with one row per slave."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):  # a state such as "not answering (next try in 8 s)"
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.note = QtWidgets.QLabel(self.tr("Shown while a Modbus bus is recorded."))
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def show_diagnostics(self, rows: list[SlaveDiagnostics]) -> None:
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            for c, text in enumerate(row_texts(d)):
                item = self.table.item(r, c)
                if item is None:
                    item = QtWidgets.QTableWidgetItem()
                    self.table.setItem(r, c, item)
                if item.text() != text:
                    item.setText(text)
            self.table.item(r, 2).setForeground(QtGui.QColor(STATE_COLOURS[d.state]))
        lost = sum(d.state is SlaveState.LOST for d in rows)
        self.note.setText(
            self.tr("{n} slaves, {lost} not answering.").format(n=len(rows), lost=lost)
            if lost
            else self.tr("{n} slaves, all answering.").format(n=len(rows))
        )


class BusController(QtCore.QObject):
    """Refreshes ``view`` from ``diagnostics()`` once a second while it returns rows; calls
    ``show_first`` (the window shows the view) the first time a bus is recorded."""

    def __init__(
        self,
        view: BusView,
        dock: QtWidgets.QDockWidget,
        show_first: Callable[[], None],
        diagnostics: Callable[[], list[SlaveDiagnostics] | None],
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.dock = dock
        self._show_first = show_first
        self._diagnostics = diagnostics
        self._shown_once = False
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def refresh(self) -> None:
        rows = self._diagnostics()
        if rows is None:
            return
        if not self._shown_once:
            self._shown_once = True
            self._show_first()
        if self.dock.isVisible():
            self.view.show_diagnostics(rows)
