"""AlarmBanner: the strip at the top that shows the most important alarm needing attention."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

from gui.i18n import TIME_FORMAT
from gui.messages import priority_text, render_message

if TYPE_CHECKING:  # the window shows before the alarm machinery (and pandas) is imported
    from core.alarms import AlarmStatus

QUIET_COLORS = ("#f2f4f7", "#475467")  # no alarm needs attention
PRIORITY_COLORS = {  # by Priority value
    "critical": ("#7a0916", "white"),
    "high": ("#d92d20", "white"),
    "medium": ("#f79009", "black"),
    "low": ("#fedf89", "black"),
}
# The blink's "off" phase: white strip, text in a strong shade of the priority's colour (pale
# yellow on white could not be read).
BLINK_OFF_TEXT = {"critical": "#7a0916", "high": "#b42318", "medium": "#93370d", "low": "#7a2e0e"}


def local_time(ts_us: int) -> str:
    return datetime.fromtimestamp(ts_us / 1e6).strftime(TIME_FORMAT)


class AlarmBanner(QtWidgets.QFrame):
    """Highest-priority unacknowledged alarm (blinking until acknowledged) and the active count.

    The strip keeps its place and height when there is no alarm ("No alarms"), so the plots below
    never jump when alarms come and go; colours change by palette and paint, never by style sheet,
    so a blink repaints the strip and nothing else.
    """

    acknowledge_clicked = QtCore.Signal(str)  # alarm id
    show_panel_clicked = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBanner")
        self.text = QtWidgets.QLabel()
        self.text.setTextFormat(QtCore.Qt.RichText)
        # A long message is cut at the window's edge rather than widening the window.
        self.text.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        font = self.text.font()
        font.setPointSizeF(11)
        self.text.setFont(font)
        self.count = QtWidgets.QLabel()
        self.ack_button = QtWidgets.QPushButton(self.tr("Acknowledge"))
        self.list_button = QtWidgets.QPushButton(self.tr("Alarms…"))
        self.ack_button.clicked.connect(lambda: self.acknowledge_clicked.emit(self.alarm_id))
        self.list_button.clicked.connect(self.show_panel_clicked)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.ack_button)
        layout.addWidget(self.list_button)
        self.alarm_id = ""
        self._colors = QUIET_COLORS
        self._blink_on = True
        self._blinking = False
        self._blink = QtCore.QTimer(self)
        self._blink.setInterval(600)
        self._blink.timeout.connect(self._toggle)
        self.setFixedHeight(self.sizeHint().height())
        self._quiet()

    @property
    def showing_alarm(self) -> bool:
        """True while the strip shows an alarm (rather than "No alarms")."""
        return bool(self.alarm_id)

    def _quiet(self) -> None:
        self.alarm_id = ""
        self._blink.stop()
        self._blinking, self._blink_on = False, True
        self._colors = QUIET_COLORS
        self._priority = ""
        self.text.setText(self.tr("No alarms"))
        self.count.setText("")
        self.ack_button.setVisible(False)
        self._apply()

    def show_alarms(self, shown: list[AlarmStatus]) -> None:
        """``shown``: the operator's alarm list. The strip shows the most important alarm that
        needs attention: highest priority; within it active-unacknowledged, then returned-
        unacknowledged; with nothing to acknowledge, the most important active one."""
        if shown:
            from core.alarms.model import attention_order  # loaded by now: alarms exist

            shown = attention_order(shown)
        active = sum(1 for s in shown if s.state.active)
        unacked = [s for s in shown if s.state.needs_ack]
        top = unacked[0] if unacked else (shown[0] if shown else None)
        if top is None:
            if self.alarm_id:
                self._quiet()
            return
        self.alarm_id = top.alarm_id
        self._priority = top.priority.value
        self._colors = PRIORITY_COLORS[top.priority.value]
        # Blinking and the Acknowledge button say "unacknowledged"; the words go to the message.
        state = "" if top.state.needs_ack else f" <i>{self.tr('(acknowledged)')}</i>"
        message = render_message(top.phrase, top.message)
        self.text.setText(
            f"<b>{priority_text(top.priority.value).upper()}</b> {local_time(top.shown_since_us)} — "
            f"{top.channel}: {message}{state}"
        )
        self.text.setToolTip(f"{top.channel}: {message}")
        self.count.setText(
            self.tr("{active} active, {unacked} to acknowledge").format(active=active, unacked=len(unacked))
        )
        self.ack_button.setVisible(top.state.needs_ack)
        self._blinking = top.state.needs_ack
        if self._blinking and not self._blink.isActive():
            self._blink.start()
        elif not self._blinking:
            self._blink.stop()
            self._blink_on = True
        self._apply()

    def _toggle(self) -> None:
        self._blink_on = not self._blink_on
        self._apply()

    def _apply(self) -> None:
        bg, fg = self._colors
        if not self._blink_on:
            bg, fg = "#ffffff", BLINK_OFF_TEXT.get(self._priority, bg)
        self._paint_colors = (QtGui.QColor(bg), QtGui.QColor(self._colors[0]))
        for label in (self.text, self.count):
            palette = label.palette()
            palette.setColor(QtGui.QPalette.WindowText, QtGui.QColor(fg))
            label.setPalette(palette)
        self.update()

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        bg, border = self._paint_colors
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), bg)
        painter.setPen(QtGui.QPen(border, 2))
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
