"""``watchkeeper --demo modbus``: the simulated plant on a Modbus bus, no hardware needed."""

from __future__ import annotations

import time

from core.simulation.demo_bus import UNITS


def test_the_modbus_demo_records_three_slaves_with_history(make_app, qtbot, tmp_path):
    wk = make_app(demo="modbus", db=str(tmp_path / "demo-modbus.duckdb"))
    w = wk.window
    assert "Modbus demo" in w.windowTitle()
    qtbot.waitUntil(lambda: set(UNITS) <= set(w.tiles.tiles), timeout=60_000)
    assert w.tiles.tiles["humidity"].unit == "%"
    qtbot.waitUntil(lambda: w.bus_view.table.rowCount() == 3, timeout=30_000)
    states = [w.bus_view.table.item(r, 2).text() for r in range(3)]
    assert states == ["answering"] * 3
    # A week of history for the bus's channels came with it (the forecast trains on it).
    wk.demo.join_backfill(timeout=120)
    first = wk.store.cursor().execute("SELECT epoch(min(ts)) FROM readings WHERE channel = 'voltage'")
    assert first.fetchall()[0][0] < time.time() - 5 * 86_400
    assert "vibration" not in set(wk.store.channels()["name"])  # not on the bus: no channel either
    port = wk.demo.bus.port
    w.close()
    assert wk.demo.bus is None  # the simulated bus stops with the window
    assert port.startswith("127.0.0.1:")
