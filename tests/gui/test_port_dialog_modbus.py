"""The port dialog on a Modbus bus: choose the protocol and a map, scan, read, test, watch frames.

Against pymodbus's own server on 127.0.0.1 (Modbus TCP) playing the simulated plant's three
slaves; unit 3 is muted to play a dead slave.
"""

from __future__ import annotations

import pytest
from PySide6 import QtCore

from core.acquisition.modbus.transport import Protocol
from core.register_maps import TEMPLATES_DIR
from core.simulation.demo_bus import demo_slaves
from core.simulation.simulated_bus import SimulatedBus
from gui.port_dialog import PortDialog
from tests.core.modbus_fixtures import free_tcp_port

SIMULATED_MAP = str(TEMPLATES_DIR / "simulated.toml")


@pytest.fixture
def bus():
    slaves = demo_slaves(seed=3)
    slaves[2].muted = True  # unit 3 does not answer
    address = f"127.0.0.1:{free_tcp_port()}"
    server = SimulatedBus(Protocol.MODBUS_TCP, address, slaves)
    server.start()
    yield address
    server.stop()


def _modbus_dialog(qtbot, address: str) -> PortDialog:
    dialog = PortDialog(lister=list)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.protocol.setCurrentIndex(dialog.protocol.findData(Protocol.MODBUS_TCP))
    dialog.set_register_map(SIMULATED_MAP)
    qtbot.keyClicks(dialog.port_edit, address)
    return dialog


def _status(dialog) -> str:
    return dialog.modbus.status.text()


def test_choosing_modbus_shows_the_map_and_hides_the_line_format(qtbot, bus):
    dialog = _modbus_dialog(qtbot, bus)
    assert dialog.modbus.isVisible() and not dialog.format.isEnabled()
    assert "3 slaves" in dialog.modbus.map_summary.text() and "voltage" in dialog.modbus.map_summary.text()
    assert not dialog.baud.isEnabled()  # a TCP gateway has its own serial settings
    choice = dialog.choice()
    assert choice.protocol == "modbus-tcp" and choice.device == bus
    assert dialog.register_map().modbus.slaves[0].unit == 1


def test_scan_finds_the_units_that_answer(qtbot, bus):
    dialog = _modbus_dialog(qtbot, bus)
    dialog.modbus.units_edit.setText("1-5")
    qtbot.mouseClick(dialog.modbus.scan_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: "Found:" in _status(dialog) or "#b42318" in _status(dialog), timeout=30_000)
    text = _status(dialog)
    assert "unit 1 answers" in text and "unit 2 answers" in text and "unit 3" not in text
    # The frames went by in the monitor, as hex with TX/RX and a time.
    qtbot.waitUntil(lambda: " TX " in dialog.modbus.monitor.toPlainText(), timeout=5_000)
    assert " RX " in dialog.modbus.monitor.toPlainText()


def test_read_a_register_shows_the_value_and_a_dead_unit_one_sentence(qtbot, bus):
    dialog = _modbus_dialog(qtbot, bus)
    panel = dialog.modbus
    panel.unit.setValue(2)
    panel.address.setText("30002")  # input register 1: temperature, int16 in tenths
    panel.type.setCurrentIndex(panel.type.findData(None))
    qtbot.mouseClick(panel.read_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: "Unit 2, address 30002:" in _status(dialog), timeout=15_000)
    raw = float(_status(dialog).split(":")[-1].split("<")[0])
    assert 0 < raw < 1000  # tenths of a degree: the simulated process temperature, 0-100 °C

    panel.unit.setValue(3)
    qtbot.mouseClick(panel.read_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: "Unit 3 did not answer" in _status(dialog), timeout=15_000)
    assert "time-out" in _status(dialog) and "pymodbus" not in _status(dialog).lower()


def test_test_button_reads_every_point_of_the_map_once(qtbot, bus):
    dialog = _modbus_dialog(qtbot, bus)
    assert not dialog.test_box.isVisible()  # the line test has nothing to say about a bus
    qtbot.mouseClick(dialog.modbus.test_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: "Unit 1 (energy meter)" in _status(dialog), timeout=20_000)
    text = _status(dialog)
    assert "voltage = " in text and "Unit 2 (room transmitter): temperature = " in text
    assert "Unit 3 did not answer" in text


def test_connect_needs_a_register_map(qtbot, bus, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[modbus]\ninterval = 1\n", encoding="utf-8")
    dialog = _modbus_dialog(qtbot, bus)
    dialog.set_register_map(str(broken))
    assert dialog.register_map() is None
    assert "broken.toml" in dialog.modbus.map_summary.text() and "slaves" in dialog.modbus.map_summary.text()
