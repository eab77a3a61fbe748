"""The port dialog's Modbus part: the register map, a bus scan, a test read and the frame monitor.

Every request runs on a short-lived thread through core's commissioning functions (the same as
``watchkeeper modbus scan/read``); results come back as queued signals, and the frames sent and
received are drained from a :class:`FrameLog` on a timer, never one signal per frame.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from core.acquisition.modbus.commissioning import (
    CommissioningError,
    ReadSpec,
    ScanProgress,
    open_link,
    parse_units,
    read_map,
    read_values,
    scan,
)
from core.acquisition.modbus.frames import FrameLog, format_frame
from core.acquisition.modbus.registers import MAX_UNIT_ID, DataType, Function, WordOrder
from core.acquisition.modbus.transport import Protocol
from core.acquisition.ports import PortError, SerialSettings
from core.config import ConfigError
from core.messages import listed
from core.register_maps import RegisterMap, load_register_map, register_map_templates
from gui.messages import render_message

log = logging.getLogger(__name__)

OTHER_FILE = "__other__"
SCAN_TIMEOUT_S = 0.3
READ_TIMEOUT_S = 1.0

# The titles of the register maps shipped in resources/modbus (their first comment line).
MAP_TITLES = (
    QtCore.QT_TRANSLATE_NOOP(
        "RegisterMap", "Autonics TK series PID temperature controller (TK4S/TK4M/TK4H/TK4W/TK4L with RS485)"
    ),
    QtCore.QT_TRANSLATE_NOOP("RegisterMap", "Eastron SDM energy meter (SDM120 / SDM230 / SDM630 Modbus)"),
    QtCore.QT_TRANSLATE_NOOP(
        "RegisterMap", "Example register map, every key explained (a boiler meter and a room sensor)"
    ),
    QtCore.QT_TRANSLATE_NOOP(
        "RegisterMap", "The simulated bus of 'watchkeeper modbus simulate' (three slaves, no hardware needed)"
    ),
    QtCore.QT_TRANSLATE_NOOP(
        "RegisterMap", "XY-MD02 temperature and humidity transmitter (SHT20 sensor, RS485 Modbus RTU)"
    ),
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


# (protocol, serial settings) -> what the link needs; given by the dialog
LinkTarget = Callable[[], tuple[Protocol, str, SerialSettings]]


class ModbusPanel(QtWidgets.QGroupBox):
    """Register map, scan and read for a Modbus bus; ``register_map()`` is the chosen map."""

    map_changed = QtCore.Signal(object)  # RegisterMap, or None when the choice is unusable
    _progress = QtCore.Signal(object)  # ScanProgress, from the scan thread
    _done = QtCore.Signal(str, bool)  # sentence, ok

    def __init__(self, target: LinkTarget, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Modbus")
        self._target = target
        self._map: RegisterMap | None = None
        self._stop: threading.Event | None = None
        self.frames = FrameLog(limit=500)

        self.map_combo = QtWidgets.QComboBox()
        for path in register_map_templates():
            try:
                title = load_register_map(path).title
                self.map_combo.addItem(QtCore.QCoreApplication.translate("RegisterMap", title), str(path))
            except ConfigError:
                continue  # a damaged template is left out rather than offered
        self.map_combo.addItem(self.tr("Open a register map file…"), OTHER_FILE)
        self.map_combo.activated.connect(self._on_map_activated)
        self.test_button = QtWidgets.QPushButton(self.tr("Read the whole map"))
        self.test_button.setToolTip(self.tr("Read every point of the register map once, slave by slave"))
        self.test_button.clicked.connect(lambda _checked=False: self.start_test())
        self.map_summary = QtWidgets.QLabel("")
        self.map_summary.setWordWrap(True)

        self.units_edit = QtWidgets.QLineEdit(f"1-{MAX_UNIT_ID}")
        self.units_edit.setMaximumWidth(120)
        self.scan_button = QtWidgets.QPushButton(self.tr("Scan the bus"))
        self.scan_button.setToolTip(self.tr("Ask every unit id for one register and list those that answer"))
        self.scan_button.clicked.connect(lambda _checked=False: self.start_scan())

        self.unit = QtWidgets.QSpinBox()
        self.unit.setRange(1, MAX_UNIT_ID)
        self.address = QtWidgets.QLineEdit("30001")
        self.address.setToolTip(self.tr("0-based (3, 0x03E8) or the 30001/40001 notation"))
        self.address.setMaximumWidth(90)
        self.function = QtWidgets.QComboBox()
        self.function.addItem(self.tr("from the address"), None)
        for f in Function:
            self.function.addItem(f.value, f)
        self.type = QtWidgets.QComboBox()
        self.type.addItem(self.tr("automatic"), None)
        for t in DataType:
            self.type.addItem(t.value, t)
        self.order = QtWidgets.QComboBox()
        for o in WordOrder:
            self.order.addItem(o.value, o)
        self.read_button = QtWidgets.QPushButton(self.tr("Read"))
        self.read_button.clicked.connect(lambda _checked=False: self.start_read())

        self.status = QtWidgets.QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.monitor = QtWidgets.QPlainTextEdit()
        self.monitor.setReadOnly(True)
        self.monitor.setMaximumBlockCount(500)
        self.monitor.setPlaceholderText(
            self.tr("Frames sent (TX) and received (RX) appear here, in hex, with times.")
        )

        form = QtWidgets.QFormLayout(self)
        map_row = QtWidgets.QHBoxLayout()
        map_row.addWidget(self.map_combo, 1)
        map_row.addWidget(self.test_button)
        form.addRow(self.tr("Register map:"), map_row)
        form.addRow("", self.map_summary)
        scan_row = QtWidgets.QHBoxLayout()
        scan_row.addWidget(QtWidgets.QLabel(self.tr("Unit ids")))
        scan_row.addWidget(self.units_edit)
        scan_row.addWidget(self.scan_button)
        scan_row.addStretch(1)
        form.addRow(self.tr("Scan:"), scan_row)
        read_row = QtWidgets.QHBoxLayout()
        for label, widget in (
            (self.tr("Unit"), self.unit),
            (self.tr("Address"), self.address),
            (self.tr("Table"), self.function),
            (self.tr("Type"), self.type),
            (self.tr("Order"), self.order),
        ):
            read_row.addWidget(QtWidgets.QLabel(label))
            read_row.addWidget(widget)
        read_row.addWidget(self.read_button)
        read_row.addStretch(1)
        form.addRow(self.tr("Read:"), read_row)
        form.addRow("", self.status)
        form.addRow(self.tr("Frames:"), self.monitor)

        self._progress.connect(self._on_progress)
        self._done.connect(self._on_done)
        self._drain = QtCore.QTimer(self)
        self._drain.setInterval(200)
        self._drain.timeout.connect(self._drain_frames)
        self._drain.start()
        if self.map_combo.count() > 1:
            self._choose_file(self.map_combo.itemData(0))

    # -- the map ------------------------------------------------------------------------------
    def register_map(self) -> RegisterMap | None:
        return self._map

    def set_map_file(self, path: str) -> None:
        """Choose ``path`` (a saved choice, or a template) as the register map."""
        index = self.map_combo.findData(str(path))
        if index < 0:
            index = self.map_combo.count() - 1
            self.map_combo.insertItem(index, Path(path).name, str(path))
        self.map_combo.setCurrentIndex(index)
        self._choose_file(str(path))

    def _on_map_activated(self, index: int) -> None:
        data = self.map_combo.itemData(index)
        if data != OTHER_FILE:
            self._choose_file(data)
            return
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self,
            self.tr("Open a register map"),
            "",
            self.tr("Watchkeeper configuration (*.toml);;All files (*)"),
        )
        if path:
            self.set_map_file(path)
        elif self._map is not None:
            self.map_combo.setCurrentIndex(max(0, self.map_combo.findData(str(self._map.path))))

    def _choose_file(self, path: str) -> None:
        try:
            self._map = load_register_map(path)
        except ConfigError as exc:
            self._map = None
            shown = _escape(render_message(exc.message))
            self.map_summary.setText(f"<span style='color:#b42318'>{shown}.</span>")
        else:
            self.map_summary.setText(_escape(render_message(self._map.describe())))
            first = self._map.modbus.slaves[0]
            self.unit.setValue(first.unit)
        self.map_changed.emit(self._map)

    # -- requests -----------------------------------------------------------------------------
    def start_scan(self) -> None:
        try:
            units = parse_units(self.units_edit.text())
        except CommissioningError as exc:
            self._on_done(render_message(exc.message), False)
            return

        def job(link) -> str:
            hits = scan(link, units, SCAN_TIMEOUT_S, on_progress=self._progress.emit, stop=self._stop)
            if not hits:
                return self.tr("No unit id of {units} answered.").format(units=self.units_edit.text())
            found = render_message(listed([h.describe() for h in hits]))
            return self.tr("Found: {units}.").format(units=found)

        self._run(job, self.tr("Scanning {n} unit ids…").format(n=len(units)))

    def start_read(self) -> None:
        spec = ReadSpec(
            self.unit.value(),
            self.address.text().strip(),
            self.function.currentData(),
            self.type.currentData(),
            self.order.currentData(),
        )
        try:
            spec.request()
        except CommissioningError as exc:
            self._on_done(render_message(exc.message), False)
            return

        def job(link) -> str:
            values = read_values(link, spec, READ_TIMEOUT_S)
            shown = ", ".join(f"{v:.10g}" for v in values)
            return self.tr("Unit {unit}, address {address}: {values}").format(
                unit=spec.unit, address=spec.address, values=shown
            )

        self._run(job, self.tr("Reading unit {unit}…").format(unit=spec.unit))

    def start_test(self) -> None:
        """Read every point of the chosen map once (the dialog's Test button, for Modbus)."""
        chosen = self._map
        if chosen is None:
            self._on_done(self.tr("Choose a register map first."), False)
            return

        def job(link) -> str:
            lines, answered = [], 0
            for slave, values, error in read_map(link, chosen.modbus.slaves):
                if error is not None:
                    lines.append(render_message(error))
                    continue
                answered += 1
                units = {p.channel: p.unit for p in slave.points}
                shown = ", ".join(f"{ch} = {v:.6g} {units.get(ch, '')}".rstrip() for ch, v in values)
                lines.append(
                    self.tr("Unit {unit} ({name}): {values}").format(
                        unit=slave.unit, name=slave.name, values=shown
                    )
                )
            if not answered:
                raise CommissioningError(
                    self.tr("No slave of the register map answered.") + " " + " ".join(lines)
                )
            return "\n".join(lines)

        self._run(job, self.tr("Reading every point of the register map once…"))

    def _run(self, job, starting: str) -> None:
        try:
            protocol, port, settings = self._target()
        except ValueError as exc:
            self._on_done(str(exc), False)
            return
        self.stop()
        stop = self._stop = threading.Event()
        self._set_busy(True)
        self.status.setText(starting)

        def run() -> None:
            try:
                link = open_link(protocol, port, settings, READ_TIMEOUT_S, on_frame=self.frames.append)
                try:
                    text = job(link)
                finally:
                    link.close()
            except (CommissioningError, PortError) as exc:
                if not stop.is_set():
                    self._done.emit(render_message(getattr(exc, "message", None), str(exc)), False)
                return
            except Exception:  # a broken device must never take the dialog down
                log.exception("Modbus request on %s failed", port)
                if not stop.is_set():
                    self._done.emit(
                        self.tr("The request failed unexpectedly; the log has the details."), False
                    )
                return
            if not stop.is_set():
                self._done.emit(text, True)

        threading.Thread(target=run, name="ModbusCommissioning", daemon=True).start()

    def stop(self) -> None:
        """Abandon a running scan (its thread ends after the current request)."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.scan_button, self.read_button, self.test_button):
            button.setEnabled(not busy)

    def _on_progress(self, progress: ScanProgress) -> None:
        if self._stop is not None and not progress.finished:
            self.status.setText(render_message(progress.describe()) + "…")

    def _on_done(self, text: str, ok: bool) -> None:
        self._stop = None
        self._set_busy(False)
        color = "#1a7f37" if ok else "#b42318"
        html = _escape(text).replace("\n", "<br>")
        self.status.setText(f"<span style='color:{color}'>{html}</span>")

    def _drain_frames(self) -> None:
        frames = self.frames.drain()
        if frames:
            self.monitor.appendPlainText("\n".join(format_frame(f) for f in frames))
