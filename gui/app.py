"""Composition root: the ``watchkeeper`` and ``watchkeeper-gui`` entry points.

Subcommands go straight to the Qt-free command line in ``core.cli`` (Qt is never imported for
them). With no subcommand this module builds the window, shows it at once, and only then opens
the database and the port, so the window appears quickly and slow work never delays it.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

log = logging.getLogger("watchkeeper")


def translate(context: str, text: str) -> str:
    """Qt's translation (imported late: the command line never loads Qt)."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(context, text)


_DEMO_FILES = {"lines": "demo.duckdb", "modbus": "demo-modbus.duckdb"}


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
    # button does, flushing every reading; the idle timer lets Python see the signal.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: wk.window.close())
    heartbeat = QtCore.QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(200)
    return app.exec()


def _setup_logging(data_dir: Path) -> Path:
    path = data_dir / "watchkeeper.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.watchkeeper_log = True
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "watchkeeper_log", False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class Application:
    """Builds the window at once; ``start()`` (after it shows) wires the core to it."""

    def __init__(self, args: argparse.Namespace, qsettings=None) -> None:
        from gui import i18n
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
        self.demo_clock_shift = 0.0  # see core.demo.demo_clock_shift
        self._error_shown = False
        self.messages: list[str] = []  # every sentence shown to the operator, newest last
        self._backfill: threading.Thread | None = None
        self.demo_bus = None  # the simulated Modbus bus of ``--demo modbus`` (a SimulatedBus)
        self.closed = False  # once closed, a start still queued does nothing

    # -- start-up -----------------------------------------------------------------------------
    def start(self) -> bool:
        """Open the file, build the controller and start recording; False if the file is unusable."""
        if self.closed:  # the window was closed before start-up began: load and open nothing
            return False
        from PySide6 import QtCore, QtWidgets

        from core.config import Config, ConfigError, load_config
        from core.demo import demo_bus_config, demo_config
        from core.live import LiveBuffer
        from core.paths import data_dir, default_config_path, default_db_path
        from core.storage.errors import StoreLockedError
        from core.storage.store import ReadingStore, StoreError
        from gui.monitor import MonitorController
        from gui.recorder import Recorder

        folder = data_dir()
        self.log_path = _setup_logging(folder)
        self._install_excepthook()
        config_path = self.args.config or (
            str(default_config_path()) if default_config_path().exists() else None
        )
        try:
            # A mistake in [alarms], [anomaly] or [forecast] falls back for that section alone.
            config = load_config(config_path, check_all=False) if config_path else Config()
        except ConfigError as exc:
            self.message(
                translate(
                    "Application",
                    "The configuration has a problem: {error}. Watchkeeper starts with default settings.",
                ).format(error=exc)
            )
            config = Config()
        db = Path(
            self.args.db
            or config.storage.db
            or (folder / _DEMO_FILES[self.demo] if self.demo else default_db_path())
        )
        suffix = {
            "lines": translate("Application", " — demo"),
            "modbus": translate("Application", " — Modbus demo"),
        }.get(self.demo, "")
        self.window.setWindowTitle(f"Watchkeeper — {db.name}{suffix}")
        try:
            self.store = ReadingStore(db)
        except StoreError as exc:
            hint = (
                translate("Application", " Close the other program or start with another file (--db).")
                if isinstance(exc, StoreLockedError)
                else translate("Application", " Start with another file (--db).")
            )
            self.window.show_banner(f"{exc}{hint}")
            self.message(str(exc))
            return False
        if self.demo:
            self.demo_clock_shift = self._demo_clock_shift()
            config = demo_config(config, self.demo_clock_shift)
            if self.demo == "modbus" and not self._start_demo_bus():
                return False
            if self.demo_bus is not None:
                config = demo_bus_config(self.demo_bus.port, config)
        self.config = config
        units = {c.name: c.unit for c in config.channels}
        units.update({n: u for n, u in self.store.channels()[["name", "unit"]].itertuples(index=False) if u})
        self.live = LiveBuffer()
        self.recorder = Recorder(self.store, config, self.live)
        self.recorder.anomaly, self.recorder.alarms = self._monitoring_config(config)
        self.recorder.forwarding = self._forwarding_config(config)
        self.controller = MonitorController(
            self.window, self.recorder, self.live, self.store, self.settings, units
        )
        self.controller.anomaly_threshold = self.recorder.alarms.anomaly_threshold
        self._wire_actions()
        self._start_forecasting(config, folder)
        if self.demo:
            started = time.time()
            self.recorder.start(config.port, register_map=self._demo_register_map())
            self._backfill = threading.Thread(
                target=self._backfill_demo, args=(started,), name="DemoHistory", daemon=True
            )
            self._backfill.start()
            return True
        port = self._saved_port()
        if port is not None:
            self.recorder.start(port, register_map=self._saved_register_map(port))
        else:
            QtCore.QTimer.singleShot(0, self.choose_port)
        del QtWidgets
        return True

    def _start_forecasting(self, config, folder: Path) -> None:
        """The forecast worker thread; TensorFlow loads there, on the first training or forecast."""
        import os

        from PySide6 import QtCore

        # Training may use one core; the other stays free for the window and the recorder.
        for var in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
            os.environ.setdefault(var, "1")

        from core.config import ConfigError
        from core.forecast import ForecastConfig, parse_forecast_config
        from gui.forecast_controller import ForecastController

        try:
            fconfig = parse_forecast_config(config.extra.get("forecast"))
        except (ConfigError, ValueError) as exc:
            self.message(
                translate(
                    "Application", "The [forecast] settings have a problem: {error}. Defaults are used."
                ).format(error=exc)
            )
            fconfig = ForecastConfig()
        models = (
            Path(fconfig.models_dir)
            if fconfig.models_dir
            else folder / ("demo-models" if self.demo else "models")
        )
        csv = Path(fconfig.prediction_csv) if fconfig.prediction_csv else folder / "Prediction.csv"
        self.forecasts = ForecastController(
            self.window, self.store, self.recorder, fconfig, models, csv, demo=bool(self.demo)
        )
        self.forecasts.monitor_view = self.controller
        self.forecasts.message.connect(lambda text: self.window.show_message(text, 15_000))
        # After the demo's history is in place (it trains on it), else after the window settles.
        QtCore.QTimer.singleShot(4000 if self.demo else 1000, self.forecasts.start)

    def _forwarding_config(self, config):
        """[forward] and [notify]: where readings, alarms and forecasts go besides the file (None:
        nowhere). A mistake in them is said once, and nothing is forwarded until it is fixed."""
        from core.config import ConfigError, section_error
        from core.forward.settings import parse_forward_config

        try:
            return parse_forward_config(config.extra.get("forward"), config.extra.get("notify"))
        except ConfigError as exc:
            self.message(
                translate(
                    "Application",
                    "The [forward] or [notify] settings have a problem: {error}. Nothing is forwarded.",
                ).format(error=section_error(config, exc))
            )
            return None

    def _monitoring_config(self, config):
        """Anomaly and alarm settings; a mistake in them is said once and defaults are used."""
        from core.alarms.config import AlarmConfig, parse_alarm_config
        from core.anomaly.settings import AnomalyConfig, parse_anomaly_config
        from core.config import ConfigError, section_error

        try:
            anomaly = parse_anomaly_config(config.extra.get("anomaly"))
        except ConfigError as exc:
            exc = section_error(config, exc)
            self.message(
                translate(
                    "Application", "The [anomaly] settings have a problem: {error}. Defaults are used."
                ).format(error=exc)
            )
            anomaly = AnomalyConfig()
        try:
            alarms = parse_alarm_config(config.extra.get("alarms"), config.units)
        except ConfigError as exc:
            exc = section_error(config, exc)
            self.message(
                translate(
                    "Application", "The [alarms] settings have a problem: {error}. Default alarms are used."
                ).format(error=exc)
            )
            alarms = AlarmConfig()
        return anomaly, alarms

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
        from core.acquisition.modbus.config import load_register_map
        from core.config import ConfigError

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
                ).format(error=exc)
            )
            return None

    @property
    def demo(self) -> str | None:
        """None, "lines" (the simulated device) or "modbus" (the simulated Modbus bus)."""
        demo = self.args.demo
        return "lines" if demo is True else (demo or None)

    def _demo_register_map(self):
        if self.demo_bus is None:
            return None
        from core.acquisition.modbus.config import load_register_map
        from core.demo import DEMO_BUS_MAP

        return load_register_map(DEMO_BUS_MAP)

    def _start_demo_bus(self) -> bool:
        from core.demo import start_demo_bus

        try:
            self.demo_bus = start_demo_bus(self.demo_clock_shift)
        except RuntimeError as exc:
            log.warning("the simulated Modbus bus did not start: %s", exc)
            text = translate("Application", "The simulated Modbus bus could not be started on this PC.")
            self.window.show_banner(text)
            self.message(text)
            return False
        return True

    def _demo_clock_shift(self) -> float:
        """A new demo file starts at the demo's chosen time of day; an existing one keeps the shift
        its history was made with, so the signal carries on where it left off."""
        from core.demo import demo_clock_shift

        saved = self.settings.demo_clock_shift
        if saved is not None and self.store.count() > 0:
            return saved
        shift = round(demo_clock_shift(time.time()))
        self.settings.demo_clock_shift = shift
        return shift

    def _backfill_demo(self, until_s: float) -> None:
        from core.acquisition.modbus.demo_bus import UNITS as DEMO_BUS_UNITS
        from core.demo import backfill_history

        channels = tuple(DEMO_BUS_UNITS) if self.demo == "modbus" else None  # the bus's seven
        added = backfill_history(self.store, until_s, clock_shift_s=self.demo_clock_shift, channels=channels)
        if added:
            log.info("demo history: %d readings", added)
            self.controller.history_reset.emit()

    def _wire_actions(self) -> None:
        from gui import exports
        from gui.alarm_controller import AlarmController
        from gui.bus_view import BusController

        w = self.window
        self.alarms = AlarmController(w, w.alarm_banner, w.alarm_panel, self.store, w.mute_action)
        self.recorder.started.connect(lambda _: self.alarms.attach(self.recorder.engine))
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
        """Use the new limits at once: recording restarts with a new alarm engine (journal kept)."""
        from dataclasses import replace

        from core.alarms.config import parse_alarm_config

        self.config = replace(self.config, extra={**self.config.extra, "alarms": table})
        self.recorder.config = self.config
        self.recorder.alarms = parse_alarm_config(table, self.config.units)
        self.controller.show_limits()
        if self.recorder.port is not None:
            self.recorder.start(self.recorder.port, register_map=self.recorder.register_map)
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
        previous = sys.excepthook

        def hook(kind, value, tb) -> None:
            if not issubclass(kind, Exception):  # Ctrl+C, an exit, a test's time-out: not ours to keep
                previous(kind, value, tb)
                return
            log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
            if not self._error_shown:  # show it once; the log has every occurrence
                self._error_shown = True
                self.message(
                    translate(
                        "Application",
                        "An unexpected error occurred: {error}. Monitoring goes on; details are in {path}.",
                    ).format(error=value, path=self.log_path)
                )

        sys.excepthook = hook

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
        from PySide6 import QtCore

        self.settings.set_geometry(self.window.saveGeometry())
        if getattr(self, "forecasts", None) is not None:
            self.forecasts.shutdown()
        if getattr(self, "alarms", None) is not None:
            self.alarms.shutdown()
        if self._backfill is not None:
            # Joined while the live writer still runs: the demo's history goes through it.
            self._backfill.join()
        if self.controller is not None:
            self.controller.shutdown()
        if self.store is not None:
            QtCore.QThreadPool.globalInstance().waitForDone()  # journal, spans and skill readers
            self.store.close()
            self.store = None
        if self.demo_bus is not None:
            self.demo_bus.stop()
            self.demo_bus = None


if __name__ == "__main__":
    sys.exit(main())
