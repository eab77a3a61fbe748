"""AlarmPanel: active alarms with acknowledge/shelve, the journal with filters, and the KPIs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from core.alarms import AlarmStatus
from gui.alarm_banner import PRIORITY_COLORS, local_time
from gui.i18n import local_date_time
from gui.messages import kind_text, priority_text, render_journal_messages, render_message, state_text

SHELVE_CHOICES = [
    (QT_TRANSLATE_NOOP("AlarmPanel", "for 15 min"), 900.0),
    (QT_TRANSLATE_NOOP("AlarmPanel", "for 1 h"), 3600.0),
    (QT_TRANSLATE_NOOP("AlarmPanel", "for 8 h"), 8 * 3600.0),
]
ACTIVE_COLUMNS = [
    QT_TRANSLATE_NOOP("AlarmPanel", "Priority"),
    QT_TRANSLATE_NOOP("AlarmPanel", "Since"),
    QT_TRANSLATE_NOOP("AlarmPanel", "Channel"),
    QT_TRANSLATE_NOOP("AlarmPanel", "Alarm"),
    QT_TRANSLATE_NOOP("AlarmPanel", "State"),
    QT_TRANSLATE_NOOP("AlarmPanel", "Value"),
    QT_TRANSLATE_NOOP("AlarmPanel", "Acknowledged"),
    QT_TRANSLATE_NOOP("AlarmPanel", "Message"),
]
ALARM_COLUMN = ACTIVE_COLUMNS.index("Alarm")
JOURNAL_COLUMNS = [
    QT_TRANSLATE_NOOP("AlarmPanel", "Time"),
    "Channel",
    "Alarm",
    "Priority",
    "State",
    "Value",
    "Message",
    QT_TRANSLATE_NOOP("AlarmPanel", "Comment"),
]
JOURNAL_ROWS = 2000


def _item(text: str, color: str | None = None) -> QtWidgets.QTableWidgetItem:
    item = QtWidgets.QTableWidgetItem(text)
    if color:
        item.setBackground(QtGui.QColor(color))
    return item


class AlarmPanel(QtWidgets.QTabWidget):
    acknowledge = QtCore.Signal(list, str)  # alarm ids, comment
    acknowledge_all = QtCore.Signal(str)
    shelve = QtCore.Signal(list, object, str)  # alarm ids, seconds (None: until normal), comment
    unshelve = QtCore.Signal(list, str)
    export_journal = QtCore.Signal()
    journal_range_changed = QtCore.Signal(float)  # hours back

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.statuses: list[AlarmStatus] = []
        self._build_active()
        self._build_journal()
        self.kpis = QtWidgets.QPlainTextEdit()
        self.kpis.setReadOnly(True)
        self.kpis.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.FixedFont))
        self.addTab(self.kpis, self.tr("KPIs"))

    # -- active -------------------------------------------------------------------------------
    def _build_active(self) -> None:
        page = QtWidgets.QWidget()
        self.active = QtWidgets.QTableWidget(0, len(ACTIVE_COLUMNS))
        self.active.setHorizontalHeaderLabels([self.tr(c) for c in ACTIVE_COLUMNS])
        self.active.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.active.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.active.verticalHeader().setVisible(False)
        self.active.horizontalHeader().setStretchLastSection(True)
        self.comment = QtWidgets.QLineEdit()
        self.comment.setPlaceholderText(self.tr("Comment (optional), saved in the journal"))
        self.ack_button = ack = QtWidgets.QPushButton(self.tr("Acknowledge"))
        self.ack_all_button = ack_all = QtWidgets.QPushButton(self.tr("Acknowledge all"))
        self.shelve_button = shelve = QtWidgets.QToolButton()
        shelve.setText(self.tr("Shelve"))
        shelve.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        self.shelve_menu = menu = QtWidgets.QMenu(shelve)
        for label, seconds in SHELVE_CHOICES:
            menu.addAction(self.tr(label), lambda s=seconds: self._shelve(s))
        menu.addAction(self.tr("for…"), self._shelve_custom)
        menu.addAction(self.tr("until it returns to normal"), lambda: self._shelve(None))
        menu.addSeparator()
        menu.addAction(
            self.tr("Unshelve"), lambda: self.unshelve.emit(self.selected_ids(), self.comment.text())
        )
        shelve.setMenu(menu)
        ack.clicked.connect(lambda: self.acknowledge.emit(self.selected_ids(), self._take_comment()))
        ack_all.clicked.connect(lambda: self.acknowledge_all.emit(self._take_comment()))
        row = QtWidgets.QHBoxLayout()
        for w in (ack, ack_all, shelve):
            row.addWidget(w)
        row.addWidget(self.comment, 1)
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.active, 1)
        layout.addLayout(row)
        self.addTab(page, self.tr("Active"))

    def _take_comment(self) -> str:
        text = self.comment.text().strip()
        self.comment.clear()
        return text

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.active.selectedIndexes()})
        return [self.active.item(r, ALARM_COLUMN).data(QtCore.Qt.UserRole) for r in rows]

    def _shelve(self, seconds: float | None) -> None:
        ids = self.selected_ids()
        if ids:
            self.shelve.emit(ids, seconds, self._take_comment())

    def _shelve_custom(self) -> None:
        minutes, ok = QtWidgets.QInputDialog.getInt(
            self, self.tr("Shelve"), self.tr("Shelve for how many minutes?"), 120, 1, 7 * 24 * 60
        )
        if ok:
            self._shelve(minutes * 60.0)

    def set_alarms(self, statuses: list[AlarmStatus]) -> None:
        """Show the operator's list (and shelved alarms, greyed, so they can be unshelved)."""
        selected = set(self.selected_ids())
        self.statuses = statuses
        self.active.setRowCount(len(statuses))
        for r, s in enumerate(statuses):
            bg = PRIORITY_COLORS[s.priority.value][0] if s.state.needs_ack else None
            value = "" if s.value is None else f"{s.value:.4g} {s.unit}".rstrip()
            state = state_text(s.state.value) + (self.tr(" (chattering)") if s.chattering else "")
            cells = [
                priority_text(s.priority.value),
                local_time(s.shown_since_us),  # when it was raised; an acknowledgement keeps it
                s.channel,
                kind_text(s.kind.value),
                state,
                value,
                "" if s.acked_us is None else local_time(s.acked_us),
                render_message(s.phrase, s.message),
            ]
            for c, text in enumerate(cells):
                item = _item(text, bg if c == 0 else None)
                if c == ALARM_COLUMN:
                    item.setData(QtCore.Qt.UserRole, s.alarm_id)
                if not s.state.shown:
                    item.setForeground(QtGui.QColor("#888"))
                self.active.setItem(r, c, item)
            if s.alarm_id in selected:
                self.active.selectRow(r)
        self.setTabText(0, self.tr("Active ({n})").format(n=sum(1 for s in statuses if s.state.shown)))

    # -- journal ------------------------------------------------------------------------------
    def _build_journal(self) -> None:
        page = QtWidgets.QWidget()
        self.range_box = QtWidgets.QComboBox()
        for label, hours in (
            (self.tr("last hour"), 1.0),
            (self.tr("last 24 h"), 24.0),
            (self.tr("last 7 days"), 168.0),
            (self.tr("last 30 days"), 720.0),
        ):
            self.range_box.addItem(label, hours)
        self.range_box.setCurrentIndex(1)
        self.range_box.currentIndexChanged.connect(
            lambda: self.journal_range_changed.emit(float(self.range_box.currentData()))
        )
        self.filter_channel = QtWidgets.QComboBox()
        self.filter_priority = QtWidgets.QComboBox()
        self.filter_priority.addItem(self.tr("all priorities"), "")
        for value in ("critical", "high", "medium", "low"):
            self.filter_priority.addItem(priority_text(value), value)
        self.filter_text = QtWidgets.QLineEdit()
        self.filter_text.setPlaceholderText(self.tr("Filter text"))
        export = QtWidgets.QPushButton(self.tr("Export CSV…"))
        export.clicked.connect(self.export_journal)
        for w in (self.filter_channel, self.filter_priority):
            w.currentIndexChanged.connect(self._fill_journal)
        self.filter_text.textChanged.connect(self._fill_journal)
        self.journal = QtWidgets.QTableWidget(0, len(JOURNAL_COLUMNS))
        self.journal.setHorizontalHeaderLabels([self.tr(c) for c in JOURNAL_COLUMNS])
        self.journal.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.journal.verticalHeader().setVisible(False)
        # The message takes the room (a prediction or an explanation is a sentence); the
        # operator's comment is often empty.
        header = self.journal.horizontalHeader()
        header.setSectionResizeMode(JOURNAL_COLUMNS.index("Message"), QtWidgets.QHeaderView.Stretch)
        self.journal.setColumnWidth(JOURNAL_COLUMNS.index("Comment"), 160)
        row = QtWidgets.QHBoxLayout()
        for w in (self.range_box, self.filter_channel, self.filter_priority):
            row.addWidget(w)
        row.addWidget(self.filter_text, 1)
        row.addWidget(export)
        layout = QtWidgets.QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.journal, 1)
        self.addTab(page, self.tr("Journal"))
        self._journal_frame = None

    def set_journal(self, frame) -> None:
        """``frame``: the journal (pandas DataFrame with ts, channel, kind, priority, state, …)."""
        self._journal_frame = frame
        current = self.filter_channel.currentText()
        channels = sorted(frame["channel"].unique()) if len(frame) else []
        self.filter_channel.blockSignals(True)
        self.filter_channel.clear()
        self.filter_channel.addItems([self.tr("all channels"), *channels])
        self.filter_channel.setCurrentIndex(channels.index(current) + 1 if current in channels else 0)
        self.filter_channel.blockSignals(False)
        self._fill_journal()

    def _fill_journal(self) -> None:
        frame = self._journal_frame
        if frame is None:
            return
        if self.filter_channel.currentIndex() > 0:
            frame = frame[frame["channel"] == self.filter_channel.currentText()]
        if self.filter_priority.currentIndex() > 0:
            frame = frame[frame["priority"] == self.filter_priority.currentData()]
        text = self.filter_text.text().strip().lower()
        if text:
            hay = (
                frame["message"].str.lower()
                + " "
                + [m.lower() for m in render_journal_messages(frame)]  # as the operator reads it
                + " "
                + frame["comment"].str.lower()
                + " "
                + frame["alarm_id"].str.lower()
                + " "
                + frame["state"].str.lower()
            )
            frame = frame[hay.str.contains(text, regex=False)]
        frame = frame.sort_values("ts", ascending=False).head(JOURNAL_ROWS)
        messages = render_journal_messages(frame)  # as the operator reads them
        self.journal.setRowCount(len(frame))
        for r, (ev, message) in enumerate(zip(frame.itertuples(index=False), messages, strict=True)):
            when = datetime.fromtimestamp(ev.ts.timestamp())  # the operator's local time
            value = "" if ev.value is None or ev.value != ev.value else f"{ev.value:.4g}"
            cells = [
                local_date_time(when),
                ev.channel,
                kind_text(ev.kind),
                priority_text(ev.priority),
                state_text(ev.state),
                value,
                message,
                ev.comment,
            ]
            for c, text in enumerate(cells):
                self.journal.setItem(r, c, _item(str(text)))
