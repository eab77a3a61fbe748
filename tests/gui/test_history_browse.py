"""A file with stored or imported history can be browsed with no device: its channels appear and
every range preset shows history, not "Waiting for readings…"."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6 import QtCore

from core.readings import ReadingBatch
from core.storage.store import ReadingStore
from gui.main_window import RANGE_PRESETS


def _file_with_history(path, days: float = 2.0, step_s: float = 10.0) -> None:
    """Two channels, one reading each every ``step_s`` for ``days``, ending a few seconds ago."""
    end = time.time() - 5
    t = np.arange(end - days * 86_400, end, step_s)
    ts = np.repeat((t * 1e6).astype(np.int64), 2)
    codes = np.tile(np.array([0, 1], dtype=np.int32), len(t))
    values = np.column_stack([20 + np.sin(t / 3600), 3 + np.cos(t / 600)]).ravel()
    with ReadingStore(path) as store:
        store.append(ReadingBatch(ts, codes, values, ("temperature", "pressure")))


@pytest.mark.usefixtures("no_qt_warnings")
def test_a_file_with_history_is_browsable_without_a_port(make_app, qtbot, tmp_path):
    db = tmp_path / "history.duckdb"
    _file_with_history(db)
    wk = make_app(db=str(db))  # no saved port: the port dialog opens, the operator cancels it
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=5_000)
    qtbot.waitUntil(lambda: wk.port_dialog.isVisible(), timeout=5_000)
    wk.port_dialog.reject()
    assert not wk.recorder.is_recording
    w = wk.window
    qtbot.waitUntil(lambda: set(w.plots.visible_channels()) == {"temperature", "pressure"}, timeout=5_000)
    for label, seconds in RANGE_PRESETS:  # through the toolbar buttons
        button = w.toolbar.widgetForAction(w.range_actions[seconds])
        qtbot.mouseClick(button, QtCore.Qt.LeftButton)
        assert wk.controller.live_view.span_s == seconds, label

        def drawn(seconds: float = seconds) -> bool:
            """Every plot shows history reaching back to the start of the range (or of the file)."""
            rng = w.plots.x_range()
            for cp in w.plots.plots.values():
                x = cp.history.getData()[0]
                if rng is None or x is None or not len(x):
                    return False
                start = max(rng[0], time.time() - 2 * 86_400)
                if x.min() > start + 0.1 * seconds or x.min() < rng[0] - 0.1 * seconds:
                    return False
            return True

        qtbot.waitUntil(drawn, timeout=10_000)
    assert w.plots.placeholder.scene() is None  # "Waiting for readings…" is not shown
