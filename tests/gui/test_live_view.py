"""The live view: a reading is drawn at once, and its score marks that very reading when it comes."""

from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore

from core.readings import ReadingBatch
from gui.live_view import STEP_FRACTION


def _no_port(wk, qtbot):
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=10_000)
    wk.port_dialog.reject()


def test_a_score_marks_its_own_reading_not_another_at_the_same_time(make_app, qtbot):
    """Two readings of a channel stamped alike: the value shows before scoring, and the high score
    of the second marks the second's value only (a join by timestamp could not tell them apart)."""
    wk = make_app()
    _no_port(wk, qtbot)
    now_us = int(time.time() * 1e6)
    batch = ReadingBatch(
        np.array([now_us - 2_000_000, now_us, now_us], np.int64),
        np.zeros(3, np.int32),
        np.array([20.0, 21.0, 35.0]),
        ("pressure",),
    )
    wk.live.push(batch)
    plots = wk.window.plots
    qtbot.waitUntil(lambda: "pressure" in plots.plots, timeout=5_000)
    cp = plots.plots["pressure"]
    qtbot.waitUntil(lambda: cp.live.getData()[1] is not None and 35.0 in cp.live.getData()[1], timeout=5_000)
    assert len(cp.marked()[0]) == 0  # not scored yet: drawn, not marked
    threshold = wk.controller.live_view.mark_threshold()
    wk.live.set_scores(batch, np.array([0.0, 0.0, min(1.0, threshold + 0.3)]), {2: "a jump"})
    qtbot.waitUntil(lambda: len(cp.marked()[0]) == 1, timeout=5_000)
    x, y = cp.marked()
    assert abs(x[0] - now_us / 1e6) < 1e-6 and y.tolist() == [35.0]
    assert cp.explanation_at(now_us / 1e6, within_s=1.0) is not None


def test_a_forecast_reach_widens_the_view_to_the_right(make_app, qtbot):
    """The forecast's reach, given to the live view, leaves room on the right while following."""
    wk = make_app()
    _no_port(wk, qtbot)
    wk.live.push(ReadingBatch.from_records([(int(time.time() * 1e6), "flow", 1.0)]))
    plots = wk.window.plots
    qtbot.waitUntil(lambda: "flow" in plots.plots and plots.x_range() is not None, timeout=5_000)
    view = wk.controller.live_view
    # Without a forecast the right edge is the followed view's step ahead, at most a tenth of the span.
    assert plots.x_range()[1] <= time.time() + STEP_FRACTION * view.span_s + 1
    wk.controller.live_view.set_forecast_reach(600.0)
    qtbot.waitUntil(lambda: plots.x_range()[1] > time.time() + 60, timeout=5_000)


class _Paints(QtCore.QObject):
    """Counts the paints of a widget."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QtCore.QEvent.Type.Paint:
            self.count += 1
        return False


def test_plots_are_painted_when_readings_come_and_not_while_none_do(make_app, qtbot):
    """A reading is drawn as it comes; while nothing arrives the plots are not painted again
    (the view follows the clock at an hour's span, a pixel of several seconds)."""
    wk = make_app()
    _no_port(wk, qtbot)
    window = wk.window
    button = window.toolbar.widgetForAction(window.range_actions[3600])
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
    plots = window.plots
    now_us = int(time.time() * 1e6)
    wk.live.push(
        ReadingBatch.from_records([(now_us - i * 100_000, "flow", 1.0 + i % 3) for i in range(50, 0, -1)])
    )
    qtbot.waitUntil(lambda: "flow" in plots.plots, timeout=5_000)
    cp = plots.plots["flow"]
    paints = _Paints(plots.view.viewport())
    # The new channel is drawn, then once more when its (empty) history has been asked for;
    # from the first half second without a paint on, nothing changes.
    quiet = time.monotonic() + 5
    while time.monotonic() < quiet:
        before = paints.count
        qtbot.wait(500)
        if paints.count == before:
            break
    paints.count = 0
    qtbot.wait(1500)  # every frame timer tick of 1.5 s comes and finds nothing new
    assert paints.count <= 2, f"{paints.count} paints of unchanged plots in 1.5 s"
    wk.live.push(ReadingBatch.from_records([(int(time.time() * 1e6), "flow", 7.5)]))
    qtbot.waitUntil(lambda: 7.5 in cp.live.getData()[1], timeout=5_000)
    qtbot.waitUntil(lambda: paints.count >= 1, timeout=5_000)
