"""Options ▸ Language: Korean, English or the system's language, kept between runs.

Every text is translated when its widget is built, so a new language shows once Watchkeeper
starts again: the window offers to restart at once (the recording is flushed and the file closed
first, as on any close) or to keep the old language until the next start.
"""

from __future__ import annotations

import sys

from PySide6 import QtCore, QtGui, QtWidgets

from gui import i18n


def restart_command() -> tuple[str, list[str]]:
    """How to start this Watchkeeper again with the same options (frozen or from source)."""
    if getattr(sys, "frozen", False):
        return sys.executable, sys.argv[1:]
    return sys.executable, ["-m", "gui.app", *sys.argv[1:]]


class LanguageMenu(QtCore.QObject):
    """The Language submenu of the window's Options menu (or a toolbar button if it has none)."""

    restart_requested = QtCore.Signal()

    def __init__(self, window: QtWidgets.QMainWindow, qsettings: QtCore.QSettings, in_use: str) -> None:
        super().__init__(window)
        self.window = window
        self.qsettings = qsettings
        self.in_use = in_use  # the language the window speaks now
        self.menu = QtWidgets.QMenu(self.tr("Language"), window)
        self.menu.setObjectName("language-menu")
        self.group = QtGui.QActionGroup(self.menu)
        self.actions: dict[str, QtGui.QAction] = {}
        system = i18n.LANGUAGES[i18n.system_language()]
        for code, label in (
            ("", self.tr("System language ({language})").format(language=system)),
            *i18n.LANGUAGES.items(),
        ):
            action = self.menu.addAction(label)
            action.setCheckable(True)
            action.setData(code)
            self.group.addAction(action)
            self.actions[code] = action
        self.actions[i18n.saved_choice(qsettings)].setChecked(True)
        self.group.triggered.connect(self._on_chosen)
        self.restart_box: QtWidgets.QMessageBox | None = None
        options = getattr(window, "options_menu", None)
        if options is not None:
            options.addSeparator()
            options.addMenu(self.menu)
        else:
            button = QtWidgets.QToolButton()
            button.setText(self.tr("Language"))
            button.setPopupMode(QtWidgets.QToolButton.InstantPopup)
            button.setMenu(self.menu)
            window.toolbar.addWidget(button)
        self.restart_requested.connect(self.restart)

    def _on_chosen(self, action: QtGui.QAction) -> None:
        code = action.data() or ""
        i18n.save_choice(self.qsettings, code)
        wanted = code or i18n.system_language()
        if wanted == self.in_use:
            return
        box = self.restart_box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Question,
            "Watchkeeper",
            self.tr(
                "The window speaks {language} from the next start of Watchkeeper. Restart now? "
                "Recording pauses for a few seconds; every reading received is saved."
            ).format(language=i18n.LANGUAGES[wanted]),
            QtWidgets.QMessageBox.NoButton,
            self.window,
        )
        self.restart_button = box.addButton(self.tr("Restart now"), QtWidgets.QMessageBox.AcceptRole)
        self.later_button = box.addButton(self.tr("Later"), QtWidgets.QMessageBox.RejectRole)
        box.setAttribute(QtCore.Qt.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda b: box.buttonRole(b) == QtWidgets.QMessageBox.AcceptRole and self.restart_requested.emit()
        )
        box.open()

    def restart(self) -> None:
        """Close the window the ordinary way (flushing the recording), then start again."""
        self.window.close()
        program, arguments = restart_command()
        QtCore.QProcess.startDetached(program, arguments)
