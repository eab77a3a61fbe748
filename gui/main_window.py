"""MainWindow: lays out the toolbar, banner, tiles, plots and status bar. Logic lives elsewhere."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from gui.alarm_banner import AlarmBanner
from gui.alarm_panel import AlarmPanel
from gui.bus_view import BusView
from gui.messages import render_message
from gui.plots import PlotStack
from gui.tiles import TileStrip

RANGE_PRESETS = [
    (QT_TRANSLATE_NOOP("MainWindow", "10 min"), 600),
    (QT_TRANSLATE_NOOP("MainWindow", "1 h"), 3600),
    (QT_TRANSLATE_NOOP("MainWindow", "8 h"), 8 * 3600),
    (QT_TRANSLATE_NOOP("MainWindow", "24 h"), 86_400),
    (QT_TRANSLATE_NOOP("MainWindow", "7 d"), 7 * 86_400),
    (QT_TRANSLATE_NOOP("MainWindow", "30 d"), 30 * 86_400),
    (QT_TRANSLATE_NOOP("MainWindow", "1 y"), 365 * 86_400),
]


class MainWindow(QtWidgets.QMainWindow):
    closing = QtCore.Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Watchkeeper")
        self.resize(first_size(QtGui.QGuiApplication.primaryScreen()))

        tb = self.toolbar = self.addToolBar(self.tr("Main"))
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(QtCore.Qt.ToolButtonTextOnly)
        self.connect_action = tb.addAction(self.tr("Connect…"))
        self.connect_action.setToolTip(self.tr("Choose the port to record (Ctrl+K)"))
        self.connect_action.setShortcut(QtGui.QKeySequence("Ctrl+K"))
        tb.addSeparator()
        self.follow_action = tb.addAction(self.tr("Following"))
        self.follow_action.setCheckable(True)
        self.follow_action.setChecked(True)
        self.follow_action.setToolTip(
            self.tr("Follow the newest readings; zooming or panning pauses (Space)")
        )
        self.follow_action.setShortcut(QtGui.QKeySequence("Space"))
        self.range_group = QtGui.QActionGroup(self)
        self.range_actions: dict[int, QtGui.QAction] = {}
        for label, seconds in RANGE_PRESETS:
            action = tb.addAction(self.tr(label))
            action.setCheckable(True)
            action.setData(seconds)
            action.setToolTip(self.tr("Show the last {range}").format(range=self.tr(label)))
            self.range_group.addAction(action)
            self.range_actions[seconds] = action
        tb.addSeparator()
        self.channels_button = QtWidgets.QToolButton()
        self.channels_button.setText(self.tr("Channels"))
        self.channels_button.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        self.channels_menu = QtWidgets.QMenu(self.channels_button)
        self.channels_button.setMenu(self.channels_menu)
        tb.addWidget(self.channels_button)
        self.export_csv_action = tb.addAction(self.tr("Export CSV…"))
        self.export_csv_action.setToolTip(self.tr("Save the readings of the visible range as CSV"))
        self.export_png_action = tb.addAction(self.tr("Save image…"))
        self.export_png_action.setToolTip(self.tr("Save the plots as a PNG image"))
        tb.addSeparator()
        self.predict_action = tb.addAction(self.tr("Predict now"))
        self.predict_action.setToolTip(self.tr("Run a forecast cycle now and write Prediction.csv"))
        self.train_action = tb.addAction(self.tr("Train…"))
        self.train_action.setToolTip(self.tr("Train forecast models from the recorded history"))
        self.past_action = tb.addAction(self.tr("Past forecasts"))
        self.past_action.setCheckable(True)
        self.past_action.setToolTip(self.tr("Show earlier forecasts next to what actually happened"))
        self.limits_action = tb.addAction(self.tr("Limits…"))
        self.limits_action.setToolTip(
            self.tr("Edit alarm limits, deadbands, delays and priorities per channel")
        )
        tb.addSeparator()
        self.mute_action = tb.addAction(self.tr("Mute"))
        self.mute_action.setCheckable(True)
        self.mute_action.setToolTip(self.tr("Silence the sound of new high and critical alarms"))
        self.options_button = QtWidgets.QToolButton()
        self.options_button.setText(self.tr("Options"))
        self.options_button.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        self.options_menu = QtWidgets.QMenu(self.options_button)
        self.options_button.setMenu(self.options_menu)
        self.autostart_action = self.options_menu.addAction(self.tr("Start recording at logon"))
        self.autostart_action.setCheckable(True)
        self.autostart_action.setToolTip(
            self.tr("Open Watchkeeper at every logon of this user; it resumes recording the last port")
        )
        self.options_menu.setToolTipsVisible(True)
        self.options_menu.aboutToShow.connect(self._show_autostart)
        self.autostart_action.triggered.connect(self._set_autostart)
        tb.addWidget(self.options_button)

        self.alarm_banner = AlarmBanner()
        self.alarm_panel = AlarmPanel()
        self.alarm_dock = QtWidgets.QDockWidget(self.tr("Alarms"), self)
        self.alarm_dock.setObjectName("alarm-dock")
        self.alarm_dock.setWidget(self.alarm_panel)
        self.addDockWidget(QtCore.Qt.BottomDockWidgetArea, self.alarm_dock)
        # The toolbar button shows or hides the list; Ctrl+L always brings it up (it is open by
        # default, so a toggling shortcut would first hide it), as its tooltip says.
        self.alarms_action = self.alarm_dock.toggleViewAction()
        self.alarms_action.setText(self.tr("Alarms"))
        self.alarms_action.setToolTip(self.tr("Show or hide the alarm list (Ctrl+L shows it)"))
        tb.insertAction(self.mute_action, self.alarms_action)
        self.show_alarms_action = QtGui.QAction(self.tr("Show the alarm list"), self)
        self.show_alarms_action.setShortcut(QtGui.QKeySequence("Ctrl+L"))
        self.show_alarms_action.setShortcutContext(QtCore.Qt.WindowShortcut)
        self.show_alarms_action.triggered.connect(self.show_alarm_list)
        self.addAction(self.show_alarms_action)
        self.alarm_banner.show_panel_clicked.connect(self.show_alarm_list)
        # The bus view (per-slave Modbus diagnostics) takes the alarm list's place, as a tab, once
        # a bus is recorded (show_bus_view).
        self.bus_view = BusView()
        self.bus_dock = QtWidgets.QDockWidget(self.tr("Bus"), self)
        self.bus_dock.setObjectName("bus-dock")
        self.bus_dock.setWidget(self.bus_view)
        self.addDockWidget(QtCore.Qt.BottomDockWidgetArea, self.bus_dock)
        self.bus_dock.hide()
        self.bus_action = self.bus_dock.toggleViewAction()
        self.bus_action.setText(self.tr("Bus"))
        self.bus_action.setToolTip(self.tr("Show or hide the diagnostics of each slave on a Modbus bus"))
        tb.insertAction(self.mute_action, self.bus_action)
        self.bus_action.setVisible(False)  # until a bus is recorded

        # At least five alarm rows in view: the table never gets shorter than that.
        table = self.alarm_panel.active
        rows_px = 5 * table.verticalHeader().defaultSectionSize()
        header_px = table.horizontalHeader().sizeHint().height()
        # On a narrow screen the columns scroll sideways: the scroll bar must not hide a row.
        scroll_px = table.horizontalScrollBar().sizeHint().height()
        table.setMinimumHeight(rows_px + header_px + scroll_px + 2 * table.frameWidth())
        self.resizeDocks([self.alarm_dock], [self.alarm_panel.minimumSizeHint().height()], QtCore.Qt.Vertical)

        self.banner = QtWidgets.QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setStyleSheet(
            "QLabel#banner { background:#b42318; color:white; font-weight:bold;"
            " padding:8px; font-size:11pt; }"
        )
        self.tiles = TileStrip()
        self.plots = PlotStack()

        central = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.alarm_banner)
        layout.addWidget(self.banner)
        layout.addWidget(self.tiles)
        layout.addWidget(self.plots, 1)
        self.setCentralWidget(central)

        # The toolbar keeps its layout when "Following" becomes "Paused": the button is as wide as
        # its widest text.
        follow = tb.widgetForAction(self.follow_action)
        metrics = follow.fontMetrics()
        widest = max(metrics.horizontalAdvance(t) for t in (self.tr("Following"), self.tr("Paused")))
        follow.setMinimumWidth(widest + 2 * metrics.horizontalAdvance("M"))

        sb = self.statusBar()
        # Messages wrap onto a second line instead of being cut by the labels on the right.
        self.message_label = QtWidgets.QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setContentsMargins(6, 0, 6, 0)
        self.message_label.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        sb.addWidget(self.message_label, 1)
        self._message_timer = QtCore.QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.show_message(""))
        self.port_label = QtWidgets.QLabel(self.tr("Not recording"))
        self.rate_label = QtWidgets.QLabel("")
        self.rejected_label = QtWidgets.QLabel("")
        self.db_label = QtWidgets.QLabel("")
        self.age_label = QtWidgets.QLabel("")
        self.forward_label = QtWidgets.QLabel("")  # shown while something is forwarded
        self.forward_label.setVisible(False)
        for label in (
            self.port_label,
            self.rate_label,
            self.rejected_label,
            self.age_label,
            self.forward_label,
            self.db_label,
        ):
            label.setContentsMargins(6, 0, 6, 0)
            sb.addPermanentWidget(label)

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        """A sentence in the status bar, whole (wrapped if long), for ``timeout_ms`` (0: until the next)."""
        self.message_label.setText(text)
        self.message_label.setToolTip(text)
        self.fit_message()
        if timeout_ms:
            self._message_timer.start(timeout_ms)
        else:
            self._message_timer.stop()

    def fit_message(self) -> None:
        label = self.message_label
        one_line = label.fontMetrics().height()
        needed = label.heightForWidth(max(1, label.width())) if label.text() else one_line
        # Fixed, not a minimum: a wrapping label's own size hint assumes a narrow width, and the
        # status bar would grow to it and take the plots' room.
        label.setFixedHeight(max(one_line, needed))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        QtCore.QTimer.singleShot(0, self.fit_message)  # after the status bar has its new width

    def show_alarm_list(self) -> None:
        """Bring up the alarm list (the dock) and put the keyboard in its table."""
        self.alarm_dock.show()
        self.alarm_dock.raise_()
        self.alarm_panel.setCurrentIndex(0)
        self.alarm_panel.active.setFocus()

    def show_bus_view(self) -> None:
        """Show the bus view as a tab beside the alarm list (the alarm list stays in front)."""
        self.bus_action.setVisible(True)
        if not self.bus_dock.isVisible():
            height = self.alarm_dock.height()  # the plots keep their room
            self.tabifyDockWidget(self.alarm_dock, self.bus_dock)
            self.bus_dock.show()
            self.alarm_dock.raise_()
            self.resizeDocks([self.alarm_dock], [height], QtCore.Qt.Vertical)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def set_channel_menu(self, names: list[str], hidden: set[str], on_toggle) -> None:
        self.channels_menu.clear()
        for name in names:
            action = self.channels_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name not in hidden)
            action.toggled.connect(lambda checked, n=name: on_toggle(n, checked))

    def _show_autostart(self) -> None:
        """Ask the system whether starting at logon is on (the installer may have switched it)."""
        from core.autostart import AutostartError, is_enabled

        try:
            self.autostart_action.setChecked(is_enabled())
        except AutostartError as exc:
            self.show_message(render_message(exc.message), 15_000)

    def _set_autostart(self, on: bool) -> None:
        from core.autostart import AutostartError, disable, enable

        try:
            enable() if on else disable()
        except AutostartError as exc:
            self.autostart_action.setChecked(not on)
            self.show_message(render_message(exc.message), 30_000)
            return
        self.show_message(
            self.tr("Watchkeeper starts at logon and resumes recording.")
            if on
            else self.tr("Watchkeeper no longer starts at logon."),
            10_000,
        )

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)


def first_size(screen: QtGui.QScreen | None, width: int = 1200, height: int = 800) -> QtCore.QSize:
    """The first window's size: 1200×800, or 90 % of the free screen where that is smaller (a
    1080p screen at 150 % scaling has about 1280×680 logical pixels free of the taskbar)."""
    if screen is None:
        return QtCore.QSize(width, height)
    free = screen.availableGeometry()
    return QtCore.QSize(min(width, int(free.width() * 0.9)), min(height, int(free.height() * 0.9)))
