"""AlarmBanner: the strip at the top that shows the most important alarm needing attention."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtWidgets

if TYPE_CHECKING:  # the window shows before the alarm machinery (and pandas) is imported
    from core.alarms import AlarmStatus

PRIORITY_COLORS = {  # by Priority value
    "critical": ("#7a0916", "white"),
    "high": ("#d92d20", "white"),
    "medium": ("#f79009", "black"),
    "low": ("#fedf89", "black"),
}


def local_time(ts_us: int) -> str:
    return datetime.fromtimestamp(ts_us / 1e6).strftime("%H:%M:%S")


class AlarmBanner(QtWidgets.QFrame):
    """Highest-priority unacknowledged alarm (blinking until acknowledged) and the active count."""

    acknowledge_clicked = QtCore.Signal(str)  # alarm id
    show_panel_clicked = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBanner")
        self.text = QtWidgets.QLabel()
        self.text.setWordWrap(True)
        self.count = QtWidgets.QLabel()
        self.ack_button = QtWidgets.QPushButton("Acknowledge")
        self.list_button = QtWidgets.QPushButton("Alarms…")
        self.ack_button.clicked.connect(lambda: self.acknowledge_clicked.emit(self.alarm_id))
        self.list_button.clicked.connect(self.show_panel_clicked)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.ack_button)
        layout.addWidget(self.list_button)
        self.alarm_id = ""
        self._colors = PRIORITY_COLORS["low"]
        self._blink_on = True
        self._blinking = False
        self._blink = QtCore.QTimer(self)
        self._blink.setInterval(600)
        self._blink.timeout.connect(self._toggle)
        self.setVisible(False)

    def show_alarms(self, shown: list[AlarmStatus]) -> None:
        """``shown``: the operator's alarm list, most important first."""
        active = sum(1 for s in shown if s.state.active)
        unacked = [s for s in shown if s.state.needs_ack]
        top = unacked[0] if unacked else (shown[0] if shown else None)
        if top is None:
            self.setVisible(False)
            self._blink.stop()
            self.alarm_id = ""
            return
        self.alarm_id = top.alarm_id
        self._colors = PRIORITY_COLORS[top.priority.value]
        state = "unacknowledged" if top.state.needs_ack else "acknowledged"
        self.text.setText(
            f"<b>{top.priority.value.upper()}</b> {local_time(top.since_us)} — "
            f"{top.channel}: {top.message} <i>({state})</i>"
        )
        self.count.setText(f"{active} active, {len(unacked)} to acknowledge")
        self.ack_button.setVisible(top.state.needs_ack)
        self._blinking = top.state.needs_ack
        if self._blinking and not self._blink.isActive():
            self._blink.start()
        elif not self._blinking:
            self._blink.stop()
            self._blink_on = True
        self._apply()
        self.setVisible(True)

    def _toggle(self) -> None:
        self._blink_on = not self._blink_on
        self._apply()

    def _apply(self) -> None:
        bg, fg = self._colors
        if not self._blink_on:
            bg, fg = "#ffffff", bg
        self.setStyleSheet(
            f"QFrame#alarmBanner {{ background:{bg}; border:2px solid {self._colors[0]}; }}"
            f"QFrame#alarmBanner QLabel {{ color:{fg}; font-size:11pt; }}"
        )
