"""The port dialog: pick a port (or type one), set the serial settings, test, connect."""

from __future__ import annotations

import html
import logging
import threading

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.acquisition.modbus.transport import Protocol
from core.acquisition.parsing import LineFormat
from core.acquisition.ports import (
    COMMON_BAUDRATES,
    PortError,
    PortInfo,
    SerialSettings,
    UsbIdentity,
    list_serial_ports,
)
from core.acquisition.probe import ProbeReport, probe_port
from core.config import PortConfig
from core.messages import Message
from gui.messages import render_message
from gui.modbus_panel import ModbusPanel

log = logging.getLogger(__name__)

SIM_PORT = "sim://?channels=4&rate=10"
DEFAULT_BAUD = SerialSettings().baudrate
PARITY_LABELS = [
    ("N", QT_TRANSLATE_NOOP("PortDialog", "None")),
    ("E", QT_TRANSLATE_NOOP("PortDialog", "Even")),
    ("O", QT_TRANSLATE_NOOP("PortDialog", "Odd")),
    ("M", QT_TRANSLATE_NOOP("PortDialog", "Mark")),
    ("S", QT_TRANSLATE_NOOP("PortDialog", "Space")),
]
FORMAT_LABELS = [
    (LineFormat.AUTO, QT_TRANSLATE_NOOP("PortDialog", "Auto-detect")),
    (LineFormat.CSV, QT_TRANSLATE_NOOP("PortDialog", "CSV / numbers")),
    (LineFormat.KEY_VALUE, QT_TRANSLATE_NOOP("PortDialog", "key=value")),
    (LineFormat.JSON, QT_TRANSLATE_NOOP("PortDialog", "JSON")),
]
PROTOCOL_LABELS = [
    (Protocol.LINES, QT_TRANSLATE_NOOP("PortDialog", "Lines the device sends by itself (ASCII)")),
    (Protocol.MODBUS_RTU, QT_TRANSLATE_NOOP("PortDialog", "Modbus RTU (serial port)")),
    (Protocol.MODBUS_TCP, QT_TRANSLATE_NOOP("PortDialog", "Modbus TCP (gateway or device)")),
    (Protocol.MODBUS_RTU_TCP, QT_TRANSLATE_NOOP("PortDialog", "Modbus RTU through a TCP socket")),
]
MODBUS_SERIAL_DEFAULT = SerialSettings(baudrate=19200, parity="E")  # the Modbus serial spec's default
COLUMNS = [
    QT_TRANSLATE_NOOP("PortDialog", "Port"),
    QT_TRANSLATE_NOOP("PortDialog", "Description"),
    QT_TRANSLATE_NOOP("PortDialog", "Manufacturer"),
    "VID:PID",
    QT_TRANSLATE_NOOP("PortDialog", "Serial number"),
]


def shown_address(device: str) -> str:
    """The address as the operator should read it: the simulated device's internal ``shift``
    and ``spacing`` parameters (the demo's clock offset and fault spacing) are left out."""
    internal = ("shift=", "spacing=")
    if not device.startswith("sim://") or not any(k in device for k in internal):
        return device
    base, _, query = device.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith(internal)]
    return f"{base}?{'&'.join(kept)}" if kept else base


def _protocol(value: str) -> Protocol:
    try:
        return Protocol(value)
    except ValueError:
        return Protocol.LINES


class PortDialog(QtWidgets.QDialog):
    """Choose what to record. ``choice()`` gives the result after ``exec()`` returns Accepted."""

    probe_update = QtCore.Signal(object)  # ProbeReport, from the test thread
    probe_error = QtCore.Signal(object)  # core.messages.Message: why the test could not run

    def __init__(
        self,
        last: PortConfig | None = None,
        parent: QtWidgets.QWidget | None = None,
        lister=list_serial_ports,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Watchkeeper – Connect to a device"))
        self.resize(760, 560)
        self._lister = lister
        self._ports: list[PortInfo] = []
        self._probe_stop: threading.Event | None = None
        self._full_device: tuple[str, str] | None = None  # (shown, full) when parameters are hidden

        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_table_selection)
        self.table.itemDoubleClicked.connect(lambda *_: self.accept())

        self.port_edit = QtWidgets.QLineEdit()
        self.port_edit.setPlaceholderText("COM3, /dev/ttyUSB0, socket://192.0.2.10:4001, rfc2217://host:port")
        self.sim_button = QtWidgets.QPushButton(self.tr("Use the simulated device"))
        self.sim_button.clicked.connect(lambda: self._set_port_text(SIM_PORT))

        self.baud = QtWidgets.QComboBox()
        self.baud.setEditable(True)
        self.baud.addItems([str(b) for b in COMMON_BAUDRATES])
        self.baud.setValidator(QtGui.QIntValidator(1, 100_000_000, self))
        self.baud.setCurrentText(str(DEFAULT_BAUD))  # as the command line and the README
        self.parity = QtWidgets.QComboBox()
        for code, label in PARITY_LABELS:
            self.parity.addItem(self.tr(label), code)
        self.stopbits = QtWidgets.QComboBox()
        for value in (1.0, 1.5, 2.0):
            self.stopbits.addItem(f"{value:g}", value)
        self.bytesize = QtWidgets.QComboBox()
        for value in (8, 7, 6, 5):
            self.bytesize.addItem(str(value), value)
        self.format = QtWidgets.QComboBox()
        for fmt, label in FORMAT_LABELS:
            self.format.addItem(self.tr(label), fmt)
        self.protocol = QtWidgets.QComboBox()
        for proto, label in PROTOCOL_LABELS:
            self.protocol.addItem(self.tr(label), proto)
        self.protocol.currentIndexChanged.connect(self._on_protocol)
        self.modbus = ModbusPanel(self._link_target)
        self.modbus.map_changed.connect(self._on_map_changed)

        self.test_button = QtWidgets.QPushButton(self.tr("Test"))
        self.test_button.setToolTip(self.tr("Open the port for a few seconds and show what arrives"))
        # clicked(bool) would land in ``seconds``: the button always listens for the default time.
        self.test_button.clicked.connect(lambda _checked=False: self.start_test())
        self.verdict = QtWidgets.QLabel("")
        self.verdict.setWordWrap(True)
        self.raw = QtWidgets.QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setMaximumBlockCount(200)
        self.raw.setPlaceholderText(self.tr("Raw lines appear here during a test."))
        self.values = QtWidgets.QLabel("")
        self.values.setWordWrap(True)
        self.values.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)

        form = QtWidgets.QFormLayout()
        port_row = QtWidgets.QHBoxLayout()
        port_row.addWidget(self.port_edit, 1)
        port_row.addWidget(self.sim_button)
        form.addRow(self.tr("Protocol:"), self.protocol)
        form.addRow(self.tr("Port or address:"), port_row)
        serial_row = QtWidgets.QHBoxLayout()
        for label, widget in (
            (self.tr("Baud"), self.baud),
            (self.tr("Parity"), self.parity),
            (self.tr("Stop bits"), self.stopbits),
            (self.tr("Data bits"), self.bytesize),
        ):
            serial_row.addWidget(QtWidgets.QLabel(label))
            serial_row.addWidget(widget)
        serial_row.addStretch(1)
        form.addRow(self.tr("Serial settings:"), serial_row)
        form.addRow(self.tr("Line format:"), self.format)

        test_box = self.test_box = QtWidgets.QGroupBox(self.tr("Test"))
        tl = QtWidgets.QVBoxLayout(test_box)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.test_button)
        top.addWidget(self.verdict, 1)
        tl.addLayout(top)
        tl.addWidget(self.raw, 1)
        tl.addWidget(self.values)

        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.Ok | QtWidgets.QDialogButtonBox.Cancel
        )
        buttons.button(QtWidgets.QDialogButtonBox.Ok).setText(self.tr("Connect"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(
            QtWidgets.QLabel(
                self.tr("Serial ports on this PC (the list follows adapters as they are plugged in and out):")
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.modbus, 1)
        layout.addWidget(test_box, 1)
        layout.addWidget(buttons)

        self.probe_update.connect(self._on_probe_update)
        self.probe_error.connect(self._on_probe_error)
        self._refresh = QtCore.QTimer(self)
        self._refresh.setInterval(1000)
        self._refresh.timeout.connect(self.refresh_ports)
        self._refresh.start()
        self.refresh_ports()
        self._on_protocol()
        if last is not None:
            self.set_choice(last)

    # -- ports --------------------------------------------------------------------------------
    def refresh_ports(self) -> None:
        try:
            ports = self._lister()
        except Exception:  # a misbehaving driver must not break the dialog
            ports = []
        if ports == self._ports:
            return
        selected = self.port_edit.text()
        self._ports = ports
        self.table.setRowCount(len(ports))
        for row, p in enumerate(ports):
            for col, text in enumerate((p.device, p.description, p.manufacturer, p.vid_pid, p.serial_number)):
                self.table.setItem(row, col, QtWidgets.QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._select_row_for(selected)

    def _select_row_for(self, device: str) -> None:
        for row, p in enumerate(self._ports):
            if p.device == device:
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                return

    def _on_table_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.port_edit.setText(self._ports[rows[0].row()].device)

    def _set_port_text(self, text: str) -> None:
        self.table.clearSelection()
        self.port_edit.setText(text)

    # -- choice -------------------------------------------------------------------------------
    def set_choice(self, port: PortConfig) -> None:
        shown = shown_address(port.device)
        self._full_device = (shown, port.device) if shown != port.device else None
        self.port_edit.setText(shown)
        self._select_row_for(port.device)
        self.baud.setCurrentText(str(port.settings.baudrate))
        self.parity.setCurrentIndex(max(0, self.parity.findData(port.settings.parity)))
        self.stopbits.setCurrentIndex(max(0, self.stopbits.findData(float(port.settings.stopbits))))
        self.bytesize.setCurrentIndex(max(0, self.bytesize.findData(port.settings.bytesize)))
        self.format.setCurrentIndex(max(0, self.format.findData(port.format)))
        self.protocol.setCurrentIndex(max(0, self.protocol.findData(_protocol(port.protocol))))

    def set_register_map(self, path: str) -> None:
        """The register map chosen last time (the window remembers it)."""
        if path:
            self.modbus.set_map_file(path)

    def register_map(self):
        """The chosen Modbus register map (a RegisterMap), or None for the line protocol."""
        return self.modbus.register_map() if self.protocol.currentData().is_modbus else None

    # -- protocol -----------------------------------------------------------------------------
    def _on_protocol(self, *_args) -> None:
        modbus = self.protocol.currentData().is_modbus
        self.modbus.setVisible(modbus)
        self.format.setEnabled(not modbus)
        self.test_box.setVisible(not modbus)  # the Modbus part tests with the register map
        self.sim_button.setEnabled(not modbus)
        tcp = self.protocol.currentData() in (Protocol.MODBUS_TCP, Protocol.MODBUS_RTU_TCP)
        for widget in (self.baud, self.parity, self.stopbits, self.bytesize):
            widget.setEnabled(not tcp)  # a TCP gateway has its own serial settings
        self.port_edit.setPlaceholderText(
            self.tr("192.0.2.10:502 (the gateway's address and port)")
            if tcp
            else "COM3, /dev/ttyUSB0, socket://192.0.2.10:4001, rfc2217://host:port"
        )
        if modbus and not tcp and self._untouched_settings():
            self._show_settings(MODBUS_SERIAL_DEFAULT)

    def _on_map_changed(self, chosen) -> None:
        """A template suggests its device's serial settings (e.g. XY-MD02: 9600 8N1)."""
        if chosen is not None and chosen.port.protocol == Protocol.MODBUS_RTU.value:
            self._show_settings(chosen.port.settings)

    def _show_settings(self, s: SerialSettings) -> None:
        self.baud.setCurrentText(str(s.baudrate))
        self.parity.setCurrentIndex(max(0, self.parity.findData(s.parity)))
        self.stopbits.setCurrentIndex(max(0, self.stopbits.findData(float(s.stopbits))))
        self.bytesize.setCurrentIndex(max(0, self.bytesize.findData(s.bytesize)))

    def _untouched_settings(self) -> bool:
        try:
            return self.settings() == SerialSettings()
        except ValueError:
            return False

    def _link_target(self) -> tuple[Protocol, str, SerialSettings]:
        choice = self.choice()
        return self.protocol.currentData(), choice.device, choice.settings

    def settings(self) -> SerialSettings:
        text = self.baud.currentText().strip()
        if not text.isdigit() or int(text) <= 0:
            raise ValueError(
                self.tr("The baud rate must be a positive whole number, not {text}.").format(
                    text=text or self.tr("empty")
                )
            )
        return SerialSettings(
            int(text), self.parity.currentData(), self.stopbits.currentData(), self.bytesize.currentData()
        ).validate()

    def choice(self) -> PortConfig:
        """The port and settings chosen; raises ValueError with a sentence if something is missing."""
        device = self.port_edit.text().strip()
        if self._full_device is not None and device == self._full_device[0]:
            device = self._full_device[1]  # unchanged: keep the parameters it was shown without
        if not device:
            raise ValueError(self.tr("Choose a port from the list or type one."))
        info = next((p for p in self._ports if p.device == device), None)
        usb = (
            UsbIdentity(info.vid, info.pid, info.serial_number)
            if info is not None and info.vid is not None and info.pid is not None
            else None
        )
        protocol = self.protocol.currentData()
        return PortConfig(device, self.settings(), self.format.currentData(), usb, protocol=protocol.value)

    def accept(self) -> None:
        try:
            self.choice()
            if self.protocol.currentData().is_modbus and self.modbus.register_map() is None:
                raise ValueError(
                    self.tr("Choose a register map: it says which registers of which slaves to read.")
                )
        except ValueError as exc:
            QtWidgets.QMessageBox.warning(self, "Watchkeeper", str(exc))
            return
        self._stop_probe()
        self.modbus.stop()
        super().accept()

    def reject(self) -> None:
        self._stop_probe()
        self.modbus.stop()
        super().reject()

    # -- test ---------------------------------------------------------------------------------
    def start_test(self, seconds: float = 3.0) -> None:
        if self.protocol.currentData().is_modbus:
            self.modbus.start_test()
            return
        try:
            choice = self.choice()
        except ValueError as exc:
            self.verdict.setText(str(exc))
            return
        self._stop_probe()
        self.raw.clear()
        self.values.clear()
        self.verdict.setText(
            self.tr("Listening on {port} for {seconds} s…").format(
                port=shown_address(choice.device), seconds=f"{seconds:g}"
            )
        )
        self.test_button.setEnabled(False)
        stop = self._probe_stop = threading.Event()

        def run() -> None:
            try:
                probe_port(
                    choice.device,
                    choice.settings,
                    choice.format,
                    seconds,
                    on_update=self.probe_update.emit,
                    stop=stop,
                )
            except PortError as exc:
                self.probe_error.emit(exc.message)
            except Exception:  # never let a test take the dialog down; the library's words go to the log
                log.exception("the test of %s failed", choice.device)
                self.probe_error.emit(self.tr("The test failed unexpectedly; the log has the details."))

        threading.Thread(target=run, name="PortTest", daemon=True).start()

    def _stop_probe(self) -> None:
        if self._probe_stop is not None:
            self._probe_stop.set()
            self._probe_stop = None

    def _on_probe_update(self, report: ProbeReport) -> None:
        self.raw.setPlainText("\n".join(report.raw))
        self.raw.verticalScrollBar().setValue(self.raw.verticalScrollBar().maximum())
        if report.values:
            self.values.setText(
                self.tr("Channels: ") + ", ".join(f"{k} = {v:.6g}" for k, v in sorted(report.values.items()))
            )
        if report.finished:
            self.test_button.setEnabled(True)
            color = "#1a7f37" if report.ok else "#b42318"
            verdict = html.escape(render_message(report.verdict_message, report.verdict), quote=False)
            self.verdict.setText(f"<span style='color:{color}'>{verdict}</span>")

    def _on_probe_error(self, message: Message | str) -> None:
        self.test_button.setEnabled(True)
        self.verdict.setText(
            f"<span style='color:#b42318'>{html.escape(render_message(message), quote=False)}</span>"
        )
