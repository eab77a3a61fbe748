"""The window records a Modbus bus chosen in the port dialog, and shows each slave in the Bus view.

A new user's path: the port dialog opens by itself, they choose Modbus TCP and the simulated
plant's register map, type the gateway's address and press Connect. pymodbus's server on
127.0.0.1 plays the three slaves; unit 3 is silent.
"""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from core.acquisition.modbus.transport import Protocol
from core.register_maps import TEMPLATES_DIR
from core.simulation.demo_bus import demo_slaves
from core.simulation.simulated_bus import SimulatedBus
from tests.core.modbus_fixtures import free_tcp_port


@pytest.fixture
def gateway():
    slaves = demo_slaves(seed=5)
    slaves[2].muted = True
    address = f"127.0.0.1:{free_tcp_port()}"
    server = SimulatedBus(Protocol.MODBUS_TCP, address, slaves)
    server.start()
    yield address
    server.stop()


def test_connect_to_a_modbus_gateway_records_it_and_shows_the_bus(make_app, qtbot, gateway):
    wk = make_app()
    w = wk.window
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=10_000)
    dialog = wk.port_dialog
    dialog.protocol.setCurrentIndex(dialog.protocol.findData(Protocol.MODBUS_TCP))
    dialog.set_register_map(str(TEMPLATES_DIR / "simulated.toml"))
    qtbot.keyClicks(dialog.port_edit, gateway)
    connect = dialog.findChild(QtWidgets.QDialogButtonBox).button(QtWidgets.QDialogButtonBox.Ok)
    qtbot.mouseClick(connect, QtCore.Qt.LeftButton)

    qtbot.waitUntil(lambda: {"voltage", "temperature"} <= set(w.tiles.tiles), timeout=30_000)
    assert w.tiles.tiles["temperature"].unit == "°C"
    qtbot.waitUntil(lambda: w.bus_dock.isVisible() and w.bus_view.table.rowCount() == 3, timeout=20_000)
    assert w.bus_action.isVisible()

    def row(unit: int) -> list[str]:
        t = w.bus_view.table
        return [t.item(unit - 1, c).text() for c in range(t.columnCount())]

    qtbot.waitUntil(lambda: row(3)[2].startswith("not answering"), timeout=30_000)
    assert row(1)[2] == "answering" and int(row(1)[4]) > 0  # good replies
    assert int(row(3)[5]) > 0  # time-outs
    # Unit 3's own comm-loss alarm is in the alarm list, the others' channels are not suppressed.
    qtbot.waitUntil(
        lambda: any(a.alarm_id == f"{gateway}/unit 3.comm_loss" for a in wk.recorder.alarm_engine.alarms()),
        timeout=30_000,
    )
    # Chosen again next time: the protocol and the register map are remembered.
    assert wk.settings.last_port.protocol == "modbus-tcp"
    assert wk.settings.register_map.endswith("simulated.toml")
