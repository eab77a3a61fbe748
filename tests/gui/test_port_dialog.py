"""The port dialog: lists ports, accepts typed paths and URLs, tests a port live."""

from PySide6 import QtWidgets

from core.acquisition.parsing import LineFormat
from core.acquisition.ports import PortInfo
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
