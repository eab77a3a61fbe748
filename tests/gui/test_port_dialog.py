"""The port dialog: lists ports, accepts typed paths and URLs, tests a port live."""

import threading
import time

import pytest
from PySide6 import QtCore, QtWidgets

from core.acquisition.parsing import LineFormat
from core.acquisition.ports import PortInfo, SerialSettings
from core.config import PortConfig
from gui.port_dialog import PortDialog

USB = PortInfo("/dev/ttyUSB0", "USB-RS485 Cable", "FTDI", 0x0403, 0x6001, "A10K3Z9")


def test_lists_ports_with_details_and_follows_plugging(qtbot):
    """Each port shows description, manufacturer, VID:PID and serial; the list refreshes by itself."""
    ports = [USB]
    dialog = PortDialog(lister=lambda: list(ports))
    qtbot.addWidget(dialog)
    row = [dialog.table.item(0, c).text() for c in range(5)]
    assert row == ["/dev/ttyUSB0", "USB-RS485 Cable", "FTDI", "0403:6001", "A10K3Z9"]
    ports.append(PortInfo("/dev/ttyUSB1", "Second adapter"))
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=3_000)


def test_choosing_a_usb_port_remembers_its_identity(qtbot):
    """Picking a USB adapter keeps its VID/PID/serial so it can be found under a new COM number."""
    dialog = PortDialog(lister=lambda: [USB])
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    dialog.baud.setCurrentText("19200")
    dialog.parity.setCurrentIndex(dialog.parity.findData("E"))
    choice = dialog.choice()
    assert choice.device == "/dev/ttyUSB0" and choice.settings.baudrate == 19200
    assert choice.settings.parity == "E" and choice.usb.serial_number == "A10K3Z9"


def test_custom_baud_and_typed_url_are_accepted(qtbot):
    """Any whole baud rate and a socket:// gateway address can be typed."""
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    dialog.port_edit.setText("socket://127.0.0.1:4001")
    dialog.baud.setCurrentText("250000")
    dialog.format.setCurrentIndex(dialog.format.findData(LineFormat.JSON))
    choice = dialog.choice()
    assert (choice.device, choice.settings.baudrate, choice.format, choice.usb) == (
        "socket://127.0.0.1:4001",
        250000,
        LineFormat.JSON,
        None,
    )


def test_test_button_shows_raw_lines_and_parsed_values_from_a_pty(qtbot, cable):
    """Typing a pty path and pressing Test shows what arrives and says the settings look right."""
    import threading

    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    dialog.port_edit.setText(cable.a)
    threading.Timer(0.3, cable.write_b, [b"temp=21.5,hum=40\n" * 3]).start()
    dialog.start_test(seconds=1.0)
    qtbot.waitUntil(lambda: "Looks right" in dialog.verdict.text(), timeout=5_000)
    assert "temp=21.5,hum=40" in dialog.raw.toPlainText()
    assert "temp = 21.5" in dialog.values.text()


def test_busy_or_missing_port_is_said_in_plain_words(qtbot, tmp_path):
    """Testing a port that is not there says so in the dialog."""
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    dialog.port_edit.setText(str(tmp_path / "ttyGONE"))
    dialog.start_test(seconds=0.5)
    qtbot.waitUntil(lambda: "was not found" in dialog.verdict.text(), timeout=5_000)


def test_empty_port_is_refused_with_a_sentence(qtbot, monkeypatch):
    """Connect without a port explains what to do instead of failing."""
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    dialog.accept()
    assert shown == ["Choose a port from the list or type one."]
    assert dialog.result() == 0


def test_first_start_without_a_saved_port_opens_the_dialog_and_records_a_typed_pty(make_app, qtbot, cable):
    """End to end: no saved port -> dialog; typing the pty path and connecting records it."""
    wk = make_app()
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=3_000)
    dialog = wk.port_dialog
    dialog.port_edit.setText(cable.a)
    dialog.accept()
    qtbot.waitUntil(lambda: wk.recorder.is_recording, timeout=5_000)
    cable.write_b(b"flow=12.5\n")
    qtbot.waitUntil(lambda: "flow" in wk.window.plots.plots, timeout=5_000)
    assert wk.settings.last_port.device == cable.a


@pytest.mark.usefixtures("no_qt_warnings")
def test_pressing_test_listens_for_seconds_and_reports_what_a_pty_sends(qtbot, cable):
    """The Test button itself (not the slot) listens long enough to hear a device that sends once a
    second: clicked(bool) must not become a listening time of 0 s."""
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    dialog.port_edit.setText(cable.a)
    stop = threading.Event()

    def device() -> None:  # one line a second, the first after a second
        while not stop.wait(1.0):
            cable.write_b(b"temp=21.5,hum=40\n")

    feeder = threading.Thread(target=device, daemon=True)
    feeder.start()
    try:
        qtbot.mouseClick(dialog.test_button, QtCore.Qt.LeftButton)
        assert not dialog.test_button.isEnabled()  # listening
        qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    finally:
        stop.set()
        feeder.join()
    assert "Looks right" in dialog.verdict.text(), dialog.verdict.text()
    assert "temp = 21.5" in dialog.values.text()


@pytest.mark.usefixtures("no_qt_warnings")
def test_pressing_test_on_the_simulated_device_shows_its_channels(qtbot):
    """'Use the simulated device' then Test: its readings are reported in the dialog."""
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.sim_button, QtCore.Qt.LeftButton)
    started = time.monotonic()
    qtbot.mouseClick(dialog.test_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert time.monotonic() - started >= 2.0  # it listened, not 0 s
    assert "Looks right" in dialog.verdict.text(), dialog.verdict.text()
    assert dialog.values.text().startswith("Channels:")


def test_default_baud_is_9600_as_on_the_command_line(qtbot):
    """A new dialog offers 9600 baud, the default of 'watchkeeper record' and the README."""
    dialog = PortDialog(lister=lambda: [])
    qtbot.addWidget(dialog)
    assert dialog.baud.currentText() == "9600"
    dialog.port_edit.setText("/dev/ttyUSB0")
    assert dialog.choice().settings.baudrate == 9600


def test_the_simulated_address_is_shown_without_its_internal_shift(qtbot):
    """The demo's device address is shown without '&shift=…'; connecting keeps the shift."""
    full = "sim://?channels=4&rate=10&shift=3600"
    dialog = PortDialog(PortConfig(full, SerialSettings(115200)), lister=lambda: [])
    qtbot.addWidget(dialog)
    assert dialog.port_edit.text() == "sim://?channels=4&rate=10"
    assert dialog.choice().device == full
    dialog.port_edit.setText("sim://?channels=2")
    assert dialog.choice().device == "sim://?channels=2"  # a typed address is taken as typed
