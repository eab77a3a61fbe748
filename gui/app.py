"""Composition root: the ``watchkeeper`` and ``watchkeeper-gui`` entry points.

Subcommands go straight to the Qt-free command line in ``core.cli`` (Qt is never imported for
them). With no subcommand this module builds the window, shows it at once, and only then opens
the database and the port, so the window appears quickly and slow work never delays it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import logging.handlers
import signal
import sys
import time
from pathlib import Path

log = logging.getLogger("watchkeeper")


def translate(context: str, text: str) -> str:
    """Qt's translation (imported late: the command line never loads Qt)."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(context, text)


def _window_options() -> argparse.ArgumentParser:
    """The options of the window alone: parsed without loading the command line's modules."""
    parser = argparse.ArgumentParser(prog="watchkeeper", add_help=False)
    parser.add_argument("--demo", nargs="?", const="lines", choices=["lines", "modbus"])
    parser.add_argument("--db")
    parser.add_argument("--config")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Console entry point: a subcommand runs the command line, otherwise the window opens."""
    argv = sys.argv[1:] if argv is None else argv
    args, rest = _window_options().parse_known_args(argv)
    if rest:  # a subcommand, --help, --version or a mistake: the full parser deals with it
        from core.cli import run

        return run(argv)
    return run_window(args)


def main_gui() -> int:
    """Entry point of the double-clickable executable (no console)."""
    import multiprocessing

    multiprocessing.freeze_support()  # training runs in a child process, also when frozen
    return main()


ICON = Path(__file__).resolve().parents[1] / "resources" / "icons" / "watchkeeper.png"


def app_icon():
    """Watchkeeper's icon (title bar, taskbar, and the tray's alarm notices, which Windows may
    not show at all without one); resources/ sits beside gui/ from source, installed and frozen."""
    from PySide6 import QtGui

    return QtGui.QIcon(str(ICON))


def run_window(args: argparse.Namespace) -> int:
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("Watchkeeper")
    app.setOrganizationName("Watchkeeper")
    app.setWindowIcon(app_icon())
    wk = Application(args)
    wk.window.show()
    QtCore.QTimer.singleShot(0, wk.start)
    # Ctrl+C in the console (or a service manager's SIGTERM) closes the window like the close
    # button does, flushing every reading.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: wk.window.close())
    watch = _wake_on_signals(app)  # noqa: F841 (kept alive while the loop runs)
    return app.exec()


def _wake_on_signals(app):
    """Let Python's signal handlers run while Qt's loop waits: a signal writes to a socket the
    loop watches. (A timer ticking for the same purpose would wake the process five times a
    second for nothing, around the clock.) Returns what must stay alive."""
    import socket

    from PySide6 import QtCore

    try:
        rsock, wsock = socket.socketpair()
        for sock in (rsock, wsock):
            sock.setblocking(False)
        signal.set_wakeup_fd(wsock.fileno(), warn_on_full_buffer=False)
    except (OSError, ValueError, AttributeError):  # no socket pair here: fall back to the tick
        heartbeat = QtCore.QTimer(app)
        heartbeat.timeout.connect(lambda: None)
        heartbeat.start(200)
        return heartbeat

    def drain() -> None:  # a Python call: the interpreter runs the pending handlers around it
        with contextlib.suppress(OSError):
            rsock.recv(256)

    notifier = QtCore.QSocketNotifier(rsock.fileno(), QtCore.QSocketNotifier.Type.Read, app)
    notifier.activated.connect(drain)
    return notifier, rsock, wsock


class Application:
    """Builds the window at once; ``start()`` (after it shows) wires the core to it."""

    def __init__(self, args: argparse.Namespace, qsettings=None) -> None:
        from gui import i18n
        from gui.demo_mode import DemoMode
        from gui.language_menu import LanguageMenu
        from gui.main_window import MainWindow
        from gui.settings import AppSettings

        self.args = args
        self.settings = AppSettings(qsettings)
        # Before the window is built: every widget takes its words from the translator.
        self.language = i18n.install(i18n.chosen_language(self.settings.qs))
        self.window = MainWindow()
        self.window.setWindowIcon(app_icon())  # before the alarm tray icon copies it
        self.language_menu = LanguageMenu(self.window, self.settings.qs, self.language)
        geometry = self.settings.geometry()
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        self.window.closing.connect(self.close)
        self.controller = None
        self.recorder = None
        self.store = None
        self.live = None
        self.config = None
        self._error_shown = False
        self.messages: list[str] = []  # every sentence shown to the operator, newest last
        demo = args.demo
        kind = "lines" if demo is True else (demo or None)
        self.demo = DemoMode(kind) if kind else None  # --demo: the simulated device or Modbus bus
        self.closed = False  # once closed, a start still queued does nothing
        self.handed_over = False  # the file was open in another window, which came to the front
        self.handover = None  # the background recorder this window took over (core.engine.handover)

    # -- start-up -----------------------------------------------------------------------------
    def start(self) -> bool:
        """Open the file, build the controller and start recording; False if the file is unusable."""
        if self.closed:  # the window was closed before start-up began: load and open nothing
            return False
        from PySide6 import QtCore, QtWidgets

        from core.config import Config, ConfigError, load_config
        from core.live import LiveBuffer
        from core.paths import data_dir, default_config_path, default_db_path
        from core.storage.errors import StoreLockedError
        from core.storage.store import ReadingStore, StoreError
        from gui.app_log import setup_logging
        from gui.demo_mode import DEMO_FILES
        from gui.messages import render_message
        from gui.recorder import Recorder
        from gui.window_controller import WindowController

        folder = data_dir()
        self.log_path = setup_logging(folder)
        self._install_excepthook()
        config_path = self.args.config or (
            str(default_config_path()) if default_config_path().exists() else None
        )
        try:
            # A mistake in [alarms], [anomaly] or [forecast] falls back for that section alone.
            config = load_config(config_path) if config_path else Config()
        except ConfigError as exc:
            self.message(
                translate(
                    "Application",
                    "The configuration has a problem: {error}. Watchkeeper starts with default settings.",
                ).format(error=render_message(exc.message))
            )
            config = Config()
        db = Path(
            self.args.db
            or config.storage.db
            or (folder / DEMO_FILES[self.demo.kind] if self.demo else default_db_path())
        )
        suffix = {
            "lines": translate("Application", " — demo"),
            "modbus": translate("Application", " — Modbus demo"),
        }.get(self.demo.kind if self.demo else "", "")
        self.window.setWindowTitle(f"Watchkeeper — {db.name}{suffix}")
        try:
            self.store = ReadingStore(db)
        except StoreLockedError as exc:
            if not self._held_elsewhere(db, exc):
                return False
        except StoreError as exc:
            hint = translate("Application", " Start with another file (--db).")
            shown = render_message(exc.message)
            self.window.show_banner(f"{shown}{hint}")
            self.message(shown)
            return False
        if self.demo:
            self.demo.choose_clock_shift(self.settings, self.store)
            problem = self.demo.start_bus()
            if problem is not None:
                self.window.show_banner(problem)
                self.message(problem)
                return False
            config = self.demo.configure(config)
        self.config = config
        units = {c.name: c.unit for c in config.channels}
        units.update({n: u for n, u in self.store.channels()[["name", "unit"]].itertuples(index=False) if u})
        settings = self._engine_config(config)
        self.engine = self._build_engine(settings, folder)
        self.live = LiveBuffer()
        self.recorder = Recorder(self.engine, settings, self.live)
        self.controller = WindowController(
            self.window,
            self.recorder,
            self.live,
            self.store,
            self.settings,
            units,
            anomaly_threshold=self.recorder.alarms.anomaly_threshold,
        )
        self._wire_actions()
        self._start_forecasting()
        if self.demo:
            started = time.time()
            self.recorder.start(config.port, register_map=self.demo.register_map())
            self.demo.backfill(self.store, started, self.controller.history_reset.emit)
            return True
        port = self.handover.port if self.handover is not None else self._saved_port()
        if port is not None:
            chosen = None if self.handover is not None else self._saved_register_map(port)
            self.recorder.start(port, register_map=chosen)
        else:
            QtCore.QTimer.singleShot(0, self.choose_port)
        del QtWidgets
        return True

    def _held_elsewhere(self, db: Path, exc: Exception) -> bool:
        """Another Watchkeeper holds the file. A window there comes to the front and this launch
        ends; the background recorder hands its recording over to this window (which starts it
        again on close), and True says the file is now open here. Anything else is one sentence."""
        from PySide6 import QtCore

        from core.engine.handover import take_over
        from core.engine.ipc import RemoteError
        from core.storage.store import ReadingStore, StoreError
        from gui.messages import render_message
        from gui.single_instance import raise_running_window

        text = None
        if raise_running_window(db):
            log.info("%s is open in another window; that window was brought to the front", db)
            self.handed_over = True
            QtCore.QTimer.singleShot(0, self.window.close)
            QtCore.QTimer.singleShot(0, QtCore.QCoreApplication.quit)
            return False
        try:
            self.handover = take_over(db, idle=QtCore.QCoreApplication.processEvents)
            if self.handover is not None:
                self.store = ReadingStore(db)
                self.window.show_message(
                    translate(
                        "Application",
                        "Recording taken over from the background recorder (process {pid}); "
                        "it records again when this window closes.",
                    ).format(pid=self.handover.pid),
                    30_000,
                )
                return True
        except (RemoteError, StoreError) as error:
            log.warning("could not take %s over: %s", db, error)
            text = render_message(getattr(error, "message", None), str(error))
        hint = translate("Application", " Close the other program or start with another file (--db).")
        shown = render_message(getattr(exc, "message", None), str(exc))
        text = text or (shown if "is being recorded by" in str(exc) else f"{shown}{hint}")
        self.window.show_banner(text)
        self.message(text)
        return False

    def _engine_config(self, config):
        """Every section the engine uses, parsed once; a section with a mistake is said once and
        falls back to its defaults (forwarding: to nothing until it is fixed)."""
        from core.engine.settings import Section, parse_engine_config
        from gui.messages import render_message

        settings = parse_engine_config(config, lenient=True)
        sentences = {
            Section.ANOMALY: translate(
                "Application", "The [anomaly] settings have a problem: {error}. Defaults are used."
            ),
            Section.ALARMS: translate(
                "Application", "The [alarms] settings have a problem: {error}. Default alarms are used."
            ),
            Section.FORECAST: translate(
                "Application", "The [forecast] settings have a problem: {error}. Defaults are used."
            ),
            Section.FORWARD: translate(
                "Application",
                "The [forward] or [notify] settings have a problem: {error}. Nothing is forwarded.",
            ),
        }
        for section, error in settings.problems:
            self.message(sentences[section].format(error=render_message(error.message)))
        return settings

    def _build_engine(self, settings, folder: Path):
        """The engine on the open file: forecasts on their own thread (TensorFlow loads there, on
        the first training), and the channel through which other programs reach this file."""
        from core.engine.engine import Engine
        from core.engine.forecasting import ForecastService
        from core.engine.ipc import OwnerKind, Request
        from core.engine.settings import forecast_paths
        from gui.single_instance import WindowRaiser

        models, csv = forecast_paths(settings.forecast, folder, demo=bool(self.demo))
        # After the demo's history is in place (it trains on it), else once the window settles.
        first = 4.0 if self.demo else 1.0

        def forecasts(store):
            return ForecastService(store, settings.forecast, models, csv, first_cycle_in=first)

        self.raiser = WindowRaiser(self.window)
        engine = Engine(self.store, forecasts, OwnerKind.WINDOW, {Request.RAISE: self.raiser.request})
        engine.start()
        return engine

    def _start_forecasting(self) -> None:
        """The forecast overlay, the Train dialog and the toolbar's forecast actions."""
        from PySide6 import QtCore

        from gui.forecast_controller import ForecastController
        from gui.forecast_worker import ForecastSignals

        w = self.window
        signals = ForecastSignals(self.engine.forecasts, w)
        self.forecasts = ForecastController(
            w,
            signals,
            self.store,
            self.controller.queries,
            lambda: self.recorder.alarms,
            on_future=self.controller.live_view.set_forecast_reach,
            demo=bool(self.demo),
        )
        w.predict_action.triggered.connect(self.forecasts.predict_now)
        w.train_action.triggered.connect(self.forecasts.open_train_dialog)
        w.past_action.toggled.connect(lambda _: self.forecasts.refresh_overlay())
        self.forecasts.message.connect(lambda text: w.show_message(text, 15_000))
        if self.demo:  # its first model, once the demo's history is in place
            QtCore.QTimer.singleShot(4000, self.forecasts.start)

    def _saved_port(self):
        from dataclasses import replace

        from core.acquisition.ports import find_usb_port, list_serial_ports, same_device

        port = self.settings.last_port or (self.config.port if self.config.port.device else None)
        if port is None or port.usb is None:
            return port
        try:
            if any(same_device(p.device, port.device) and port.usb.matches(p) for p in list_serial_ports()):
                return port
            found = find_usb_port(port.usb)  # the same adapter under a new COM number
        except Exception:
            return port
        return replace(port, device=found.device) if found is not None else port

    def _saved_register_map(self, port):
        """The register map last chosen for a Modbus port (None: the configuration's [modbus])."""
        from core.config import ConfigError
        from core.register_maps import load_register_map
        from gui.messages import render_message

        path = self.settings.register_map
        if not path or not port.protocol.startswith("modbus"):
            return None
        try:
            return load_register_map(path)
        except ConfigError as exc:
            self.message(
                translate(
                    "Application",
                    "The register map chosen last time cannot be used: {error}. Choose one again.",
                ).format(error=render_message(exc.message))
            )
            return None

    def _wire_actions(self) -> None:
        from gui import exports
        from gui.alarm_controller import AlarmController
        from gui.bus_view import BusController

        w = self.window
        self.alarms = AlarmController(w, w.alarm_banner, w.alarm_panel, self.store, w.mute_action)
        self.recorder.started.connect(lambda _: self.alarms.attach(self.recorder.alarm_engine))
        self.recorder.notice.connect(lambda text: self.window.show_message(text, 60_000))
        self.bus = BusController(w.bus_view, w.bus_dock, w.show_bus_view, self.recorder.bus_diagnostics)
        w.alarm_panel.export_journal.connect(self._export_journal)
        w.limits_action.triggered.connect(self.edit_limits)
        w.connect_action.triggered.connect(self.choose_port)
        w.export_csv_action.triggered.connect(self._export_csv)
        w.export_png_action.triggered.connect(self._export_png)
        self.controller.message.connect(lambda text: w.show_message(text, 10_000))
        self._exports = exports

    def choose_port(self) -> None:
        from PySide6 import QtWidgets

        from gui.port_dialog import PortDialog

        dialog = PortDialog(self.recorder.port or self.settings.last_port, self.window)
        in_use = self.recorder.register_map
        dialog.set_register_map(str(in_use.path) if in_use is not None else self.settings.register_map)
        self.port_dialog = dialog

        def accepted() -> None:
            port = dialog.choice()
            chosen = dialog.register_map()
            self.settings.last_port = port
            if chosen is not None:
                self.settings.register_map = str(chosen.path)
            self.recorder.start(port, register_map=chosen)

        dialog.accepted.connect(accepted)
        dialog.open()
        del QtWidgets

    def _export_csv(self) -> None:
        path = self._exports.ask_path(
            self.window,
            translate("Application", "Export the visible range"),
            ".csv",
            translate("Application", "CSV files (*.csv)"),
        )
        if path is not None:
            self._exports.export_visible_csv(self.window, self.store, path, self.controller.message.emit)

    def _export_png(self) -> None:
        path = self._exports.ask_path(
            self.window,
            translate("Application", "Save the plots"),
            ".png",
            translate("Application", "PNG images (*.png)"),
        )
        if path is not None:
            self.controller.message.emit(self._exports.save_plots_png(self.window, path))

    def edit_limits(self) -> None:
        from core.paths import default_config_path
        from gui.limits_dialog import LimitsDialog

        path = Path(self.config.source) if self.config.source else default_config_path()
        channels = self.window.plots.order or list(self.store.channels()["name"])
        units = {**self.config.units, **self.controller.units}
        dialog = LimitsDialog(channels, self.config.extra.get("alarms"), units, path, self.window)
        dialog.saved.connect(self._on_limits_saved)
        self.limits_dialog = dialog
        dialog.open()

    def _on_limits_saved(self, table: dict) -> None:
        """Use the new limits at once: the alarm engine takes them in place, every alarm keeps its
        state and the port stays open."""
        self.recorder.set_alarms(table)
        self.config = self.recorder.config
        self.controller.show_limits()
        self.controller.message.emit(translate("Application", "Alarm limits saved; they apply from now on."))

    def _export_journal(self) -> None:
        path = self._exports.ask_path(
            self.window,
            translate("Application", "Export the alarm journal"),
            ".csv",
            translate("Application", "CSV files (*.csv)"),
        )
        if path is not None:
            self.controller.message.emit(self.alarms.export_journal(path))

    # -- errors -------------------------------------------------------------------------------
    def message(self, text: str) -> None:
        """Tell the operator in a dialog that does not block monitoring (or the event loop)."""
        from PySide6 import QtCore, QtWidgets

        log.warning(text)
        self.messages.append(text)
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Warning, "Watchkeeper", text, QtWidgets.QMessageBox.Ok, self.window
        )
        box.setAttribute(QtCore.Qt.WA_DeleteOnClose)
        box.open()

    def _install_excepthook(self) -> None:
        from gui.app_log import install_excepthook

        def unexpected(error: BaseException) -> None:
            if not self._error_shown:  # show it once; the log has every occurrence
                self._error_shown = True
                self.message(
                    translate(
                        "Application",
                        "An unexpected error occurred: {error}. Monitoring goes on; details are in {path}.",
                    ).format(error=error, path=self.log_path)
                )

        install_excepthook(unexpected)

    # -- shutdown -----------------------------------------------------------------------------
    def close(self) -> None:
        """Save the window's state, stop recording (flushing every reading) and close the file.

        Every thread is asked to stop and then joined without a time limit: each one's work is
        interruptible (a training child is ended, a history query is cut short), so this takes a
        few seconds at most, and Qt never destroys a thread that still runs.
        """
        if self.closed:
            return
        self.closed = True

        if not self.handed_over:  # a launch that only raised the other window keeps its geometry
            self.settings.set_geometry(self.window.saveGeometry())
        if getattr(self, "forecasts", None) is not None:
            self.forecasts.shutdown()
        if getattr(self, "alarms", None) is not None:
            self.alarms.shutdown()
        if self.demo is not None:
            # Joined while the live writer still runs: the demo's history goes through it.
            self.demo.join_backfill()
        if self.controller is not None:
            self.controller.shutdown()
        if getattr(self, "engine", None) is not None:
            self.engine.close()  # the forecast service (a training child is ended) and the channel
        if self.store is not None:
            self.store.close()  # every query ran on the views' worker, stopped above
            self.store = None
        if self.demo is not None:
            self.demo.stop()
        if self.handover is not None:  # the background recorder carries on from here
            from core.engine.handover import hand_back

            hand_back(self.handover)
            self.handover = None


if __name__ == "__main__":
    sys.exit(main())
