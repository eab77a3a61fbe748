"""AlarmController: puts the alarm engine on screen — banner, panel, sound, taskbar flash.

The engine runs on the monitor thread; the window polls its snapshot every 250 ms (never a
signal per reading) and gets one queued signal per alarm transition for sound and notification.
Operator commands go straight to the engine, which is thread-safe.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pandas as pd
from PySide6 import QtCore, QtGui, QtWidgets

from core.alarms import AlarmEngine, AlarmEvent, AlarmJournal, AlarmState, Priority
from core.alarms.kpi import compute_kpis
from core.messages import Message, MessageId
from core.storage.store import ReadingStore
from gui.alarm_banner import AlarmBanner
from gui.alarm_panel import AlarmPanel
from gui.background import BackgroundWorker, Query
from gui.exports import export_alarm_journal, failed, why
from gui.kpi_text import kpi_text
from gui.messages import render_message

log = logging.getLogger(__name__)
LOUD = (Priority.HIGH, Priority.CRITICAL)


def beep() -> None:
    """The alarm sound: the system's warning sound on Windows, the desktop bell elsewhere."""
    if sys.platform == "win32":
        import winsound

        winsound.MessageBeep(winsound.MB_ICONHAND)
    else:
        QtWidgets.QApplication.beep()


def _row_key(s) -> tuple:
    return (s.alarm_id, s.state, s.since_us, s.message, s.value, s.chattering, s.acked_us)


class AlarmController(QtCore.QObject):
    alarm_event = QtCore.Signal(object)  # AlarmEvent, queued from the monitor thread
    sounded = QtCore.Signal(object)  # AlarmEvent that made a sound (tests listen)

    def __init__(
        self,
        window: QtWidgets.QMainWindow,
        banner: AlarmBanner,
        panel: AlarmPanel,
        store: ReadingStore,
        mute_action: QtGui.QAction,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.banner = banner
        self.panel = panel
        self.journal = AlarmJournal(store)
        self.mute_action = mute_action
        self.engine: AlarmEngine | None = None
        self._unsubscribe = None
        self.journal_hours = 24.0
        self.tray: QtWidgets.QSystemTrayIcon | None = None
        if QtWidgets.QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QtWidgets.QSystemTrayIcon(window.windowIcon(), window)
            self.tray.show()
        # The journal is read on this thread, never the GUI thread; the newest read wins.
        self.queries = BackgroundWorker("AlarmJournal", store, self)
        self.alarm_event.connect(self._on_alarm_event)
        banner.acknowledge_clicked.connect(lambda a: self.acknowledge([a], ""))
        panel.acknowledge.connect(self.acknowledge)
        panel.acknowledge_all.connect(self._acknowledge_all)
        panel.shelve.connect(self.shelve)
        panel.unshelve.connect(self._unshelve)
        panel.journal_range_changed.connect(self._set_journal_hours)
        panel.currentChanged.connect(lambda _: self.refresh_journal())
        # Alarm events refresh the banner and the list at once (alarm_event); the poll only
        # brings what changes without an event, such as a predicted crossing counting down.
        self.poll = QtCore.QTimer(self)
        self.poll.setInterval(1000)
        self.poll.timeout.connect(self.refresh)
        self.poll.start()
        self._journal_debounce = QtCore.QTimer(self)
        self._journal_debounce.setSingleShot(True)
        self._journal_debounce.setInterval(1000)
        self._journal_debounce.timeout.connect(self.refresh_journal)

    def attach(self, engine: AlarmEngine | None) -> None:
        """Show ``engine``'s alarms (a new recording brings a new engine)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.engine = engine
        self._unsubscribe = engine.subscribe(self.alarm_event.emit) if engine is not None else None
        self.refresh()
        if engine is not None:
            self.refresh_journal()

    # -- display ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.engine is None:
            self.banner.show_alarms([])
            return
        statuses = self.engine.alarms()
        shown = [s for s in statuses if s.state.shown]
        self.banner.show_alarms(shown)
        listed = shown + [s for s in statuses if s.state in (AlarmState.SHELVED, AlarmState.OUT_OF_SERVICE)]
        # The message and value change too (a predicted crossing counts down): they are compared.
        if [_row_key(s) for s in listed] != [_row_key(s) for s in self.panel.statuses]:
            self.panel.set_alarms(listed)

    def shutdown(self) -> None:
        """Stop polling and forget the engine: nothing reads the file once it is being closed."""
        self.poll.stop()
        self._journal_debounce.stop()
        self.attach(None)
        self.queries.stop()  # a read waiting is dropped, one running is cut short and joined

    def refresh_journal(self) -> None:
        """Read the journal and its KPIs in the background; shown when ready."""
        hours, journal = self.journal_hours, self.journal

        def query() -> tuple:
            end = pd.Timestamp.now(tz="UTC")
            start = end - pd.Timedelta(hours=hours)
            events = journal.frame(start, end)
            kpis = compute_kpis(events, journal.latest(end), start, end)
            return events, kpis

        self.queries.submit(Query.JOURNAL, query, self._show_journal, self._on_journal_failed)

    def _show_journal(self, data: tuple) -> None:
        events, kpis = data
        self.panel.set_journal(events)
        self.panel.kpis.setPlainText(kpi_text(kpis, Path(self.journal.store.path).name))

    def _on_journal_failed(self, exc: Exception) -> None:
        log.warning("journal could not be read: %s", exc)  # a busy file: read again next time
        self.panel.kpis.setPlainText(
            self.tr("The alarm journal could not be read just now; it is read again shortly.")
        )

    def _set_journal_hours(self, hours: float) -> None:
        self.journal_hours = hours
        self.refresh_journal()

    def _on_alarm_event(self, event: AlarmEvent) -> None:
        self._journal_debounce.start()
        self.refresh()
        if event.state is not AlarmState.ACTIVE_UNACK or event.priority not in LOUD:
            return
        if not self.mute_action.isChecked():
            beep()
            self.sounded.emit(event)
        if self.window.isMinimized() or not self.window.isActiveWindow():
            QtWidgets.QApplication.alert(self.window)  # flashes the taskbar button
            if self.tray is not None:
                self.tray.showMessage(
                    self.tr("Watchkeeper alarm"),
                    render_message(event.phrase, event.message),
                    QtWidgets.QSystemTrayIcon.Warning,
                )

    # -- operator commands --------------------------------------------------------------------
    def acknowledge(self, ids: list[str], comment: str) -> None:
        if self.engine is not None:
            for alarm in ids:
                self.engine.acknowledge(alarm, comment)
            self.refresh()

    def _acknowledge_all(self, comment: str) -> None:
        if self.engine is not None:
            self.engine.acknowledge_all(comment)
            self.refresh()

    def shelve(self, ids: list[str], seconds: float | None, comment: str) -> None:
        if self.engine is not None:
            for alarm in ids:
                self.engine.shelve(alarm, seconds, comment)
            self.refresh()

    def _unshelve(self, ids: list[str], comment: str) -> None:
        if self.engine is not None:
            for alarm in ids:
                self.engine.unshelve(alarm, comment)
            self.refresh()

    def export_journal(self, path: Path) -> str:
        end = pd.Timestamp.now(tz="UTC")
        # The journal's English words stay; a column says them in the window's language.
        try:
            rows = export_alarm_journal(self.journal, path, end - pd.Timedelta(hours=self.journal_hours), end)
        except OSError as exc:
            error = Message.of(MessageId.EXPORT_CANNOT_WRITE, path=str(path), detail=why(exc))
            return failed(render_message(error))
        except Exception:  # a busy or damaged file: a sentence, the details to the log
            log.exception("the alarm journal export to %s failed", path)
            error = Message.of(MessageId.EXPORT_FAILED, db=str(self.journal.store.path), path=str(path))
            return failed(render_message(error))
        return self.tr("Saved {rows} alarm journal entries to {path}.").format(rows=rows, path=path)
