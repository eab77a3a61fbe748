"""The live view paints only what changed: a strip for a new reading, nothing while none come, and
the whole plot only when the view steps ahead or the operator moves it."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from core.readings import ReadingBatch
from gui.live_view import STEP_FRACTION

SPAN_S = 600.0  # the window's first span: ten minutes


class _Paints(QtCore.QObject):
    """The regions painted on a widget since its size last changed (a tile taking a second line
    of text, say, lays the window out again: that is no frame of the plots)."""

    def __init__(self, widget: QtWidgets.QWidget) -> None:
        super().__init__()
        self.rects: list[QtCore.QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QtCore.QEvent.Type.Paint:
            self.rects.append(event.region().boundingRect())
        elif event.type() == QtCore.QEvent.Type.Resize:
            self.rects.clear()
        return False


class _Clock:
    """The clock the followed view follows, held still by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def held(make_app, qtbot):
    """The window with no port, its clock held in the middle of a step, and a minute of 10 Hz
    readings of one channel drawn."""
    wk = make_app()
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=10_000)
    wk.port_dialog.reject()
    live_view = wk.controller.live_view
    step = SPAN_S * STEP_FRACTION
    clock = _Clock(math.floor(time.time() / step) * step + step / 2)
    live_view.clock = clock
    ts = clock.now - 60 + np.arange(600) * 0.1
    push(wk, ts[:-1], 20 + np.sin(ts[:-1]))
    plots = wk.window.plots
    qtbot.waitUntil(lambda: "flow" in plots.plots, timeout=5_000)
    cp = plots.plots["flow"]
    qtbot.waitUntil(lambda: len(cp.live.getData()[0]) > 100, timeout=5_000)
    # The window settles its layout (a tile's note, the status bar) before the test counts paints:
    # a second without a resize.
    resizes = _Events(plots.view.viewport(), QtCore.QEvent.Type.Resize)
    for _ in range(10):
        seen = resizes.count
        qtbot.wait(1000)
        if resizes.count == seen:
            break
    return wk, clock, cp


class _Events(QtCore.QObject):
    """How many events of one kind an object has had (a widget's resizes, a timer's wake-ups)."""

    def __init__(self, obj: QtCore.QObject, kind: QtCore.QEvent.Type) -> None:
        super().__init__()
        self.kind = kind
        self.count = 0
        obj.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        self.count += event.type() == self.kind
        return False


def push(wk, ts_s, values) -> None:
    ts_us = (np.asarray(ts_s) * 1e6).astype(np.int64)
    wk.live.push(ReadingBatch(ts_us, np.zeros(len(ts_us), np.int32), np.asarray(values, float), ("flow",)))


def drawn_last(cp) -> tuple[float, float]:
    x, y = cp.live.getData()
    return float(x[-1]), float(y[-1])


def plot_width(wk) -> int:
    return wk.window.plots.view.viewport().width()


def test_a_new_reading_is_drawn_at_once_and_paints_only_a_narrow_strip(held, qtbot):
    """A reading arriving between steps ends the curve at once, and what is repainted for it is a
    strip a small fraction of the plot wide, not the plot."""
    wk, clock, cp = held
    paints = _Paints(wk.window.plots.view.viewport())
    view = wk.window.plots.x_range()
    at = clock.now - 0.05
    push(wk, [at], [20.5])  # inside the y range: a reading outside it rescales the plot
    qtbot.waitUntil(lambda: drawn_last(cp) == (pytest.approx(at, abs=1e-3), 20.5), timeout=1_000)
    qtbot.waitUntil(lambda: len(paints.rects) >= 1, timeout=2_000)
    qtbot.wait(200)
    assert wk.window.plots.x_range() == view  # the view stood still
    widest = max(r.width() for r in paints.rects)
    assert widest < plot_width(wk) / 20, f"painted {widest} px of a {plot_width(wk)} px plot"


def test_nothing_is_painted_while_no_reading_comes(held, qtbot):
    """With the clock inside a step and no new reading, the frames paint nothing."""
    wk, clock, _ = held
    paints = _Paints(wk.window.plots.view.viewport())
    clock.now += 1.0  # time passes, still inside the step
    qtbot.wait(1500)
    assert len(paints.rects) <= 1, f"{len(paints.rects)} paints of unchanged plots in 1.5 s"


def test_the_view_steps_ahead_when_the_clock_reaches_its_edge_and_keeps_the_newest_reading(held, qtbot):
    """The right edge jumps a tenth of the span ahead once the clock passes it; the newest reading
    is in view before and after, the span stays ten minutes, and the curve is drawn whole again."""
    wk, clock, cp = held
    plots = wk.window.plots
    x0, x1 = plots.x_range()
    assert x1 - x0 == pytest.approx(SPAN_S) and x0 < clock.now <= x1
    clock.now = x1 - 0.1
    push(wk, [x1 - 0.2], [21.0])
    qtbot.waitUntil(lambda: drawn_last(cp)[1] == 21.0, timeout=1_000)
    assert plots.x_range() == (x0, x1)
    clock.now = x1 + 0.3
    push(wk, [x1 + 0.2], [22.0])
    step = SPAN_S * STEP_FRACTION
    qtbot.waitUntil(lambda: plots.x_range()[1] == pytest.approx(x1 + step, abs=1e-3), timeout=1_000)
    n0, n1 = plots.x_range()
    assert n1 - n0 == pytest.approx(SPAN_S) and n0 < x1 + 0.2 < n1
    qtbot.waitUntil(lambda: drawn_last(cp) == (pytest.approx(x1 + 0.2, abs=1e-3), 22.0), timeout=1_000)
    x, _ = cp.live.getData()
    assert x[0] >= n0 - 1  # drawn anew for the new range: nothing left of it


def test_a_span_preset_steps_by_a_tenth_of_its_span(held, qtbot):
    """The 1 h button shows an hour ending at the next tenth of an hour after the clock."""
    wk, clock, _ = held
    window = wk.window
    qtbot.mouseClick(window.toolbar.widgetForAction(window.range_actions[3600]), QtCore.Qt.LeftButton)
    x0, x1 = window.plots.x_range()
    assert x1 - x0 == pytest.approx(3600)
    assert x1 == pytest.approx(math.ceil(clock.now / 360) * 360, abs=1e-3)


def _drag(widget: QtWidgets.QWidget, start: QtCore.QPoint, end: QtCore.QPoint) -> None:
    """A left-button drag with the moves between (QTest's moves carry no buttons)."""
    left, none = QtCore.Qt.LeftButton, QtCore.Qt.NoModifier

    def send(kind, pos: QtCore.QPoint, buttons) -> None:
        p = QtCore.QPointF(pos)
        g = QtCore.QPointF(widget.mapToGlobal(pos))
        QtWidgets.QApplication.sendEvent(widget, QtGui.QMouseEvent(kind, p, g, left, buttons, none))

    send(QtCore.QEvent.MouseButtonPress, start, left)
    for i in range(1, 11):
        send(QtCore.QEvent.MouseMove, start + (end - start) * (i / 10), left)
        QtWidgets.QApplication.processEvents()
    send(QtCore.QEvent.MouseButtonRelease, end, QtCore.Qt.NoButton)


def test_dragging_the_plot_stops_following_and_the_following_button_resumes_it(held, qtbot):
    """The operator's pan holds the range they chose while the clock passes the edge; Following
    brings the view back to the clock."""
    wk, clock, cp = held
    window = wk.window
    plots = window.plots
    viewport = plots.view.viewport()
    box = plots.view.mapFromScene(cp.plot.vb.sceneBoundingRect()).boundingRect()
    _drag(viewport, box.center(), box.center() + QtCore.QPoint(box.width() // 4, 0))
    live_view = wk.controller.live_view
    qtbot.waitUntil(lambda: not live_view.following, timeout=2_000)
    assert window.follow_action.text() == "Paused"
    held_range = plots.x_range()
    clock.now += SPAN_S  # the clock passes the edge
    push(wk, [clock.now - 0.1], [23.0])
    qtbot.wait(300)
    assert plots.x_range() == held_range
    qtbot.mouseClick(window.toolbar.widgetForAction(window.follow_action), QtCore.Qt.LeftButton)
    assert live_view.following
    qtbot.waitUntil(lambda: plots.x_range() == live_view.followed_range(), timeout=1_000)
    qtbot.waitUntil(lambda: drawn_last(cp)[1] == 23.0, timeout=1_000)


def test_the_live_view_sleeps_while_no_reading_comes_and_wakes_for_one_from_the_reader(held, qtbot):
    """With the clock inside a step and nothing arriving, the view does not wake to ask whether
    anything came; a reading pushed on another thread (as the reader pushes) is drawn at once."""
    wk, clock, cp = held
    live_view = wk.controller.live_view
    wakes = _Events(live_view.frame_timer, QtCore.QEvent.Type.Timer)  # each one a wake-up to draw
    qtbot.wait(2000)
    assert wakes.count <= 1, f"{wakes.count} wake-ups in 2 s with no reading"
    at = clock.now - 0.02
    reader = threading.Thread(target=push, args=(wk, [at], [20.25]), name="reader")
    reader.start()
    reader.join()
    qtbot.waitUntil(lambda: drawn_last(cp) == (pytest.approx(at, abs=1e-3), 20.25), timeout=2_000)


def test_the_strips_painted_for_new_readings_show_what_painting_the_whole_plot_shows(held, qtbot):
    """A strip repaint draws only the curve's points inside it: what is on the screen after a
    run of readings drawn strip by strip is what the plots look like drawn whole."""
    wk, clock, cp = held
    viewport = wk.window.plots.view.viewport()
    for i in range(20):
        at = clock.now + i * 0.1  # after the readings drawn, before the view's edge
        push(wk, [at], [20 + 0.4 * math.sin(i)])
        qtbot.waitUntil(lambda at=at: drawn_last(cp)[0] == pytest.approx(at, abs=1e-3), timeout=2_000)
        qtbot.wait(45)
    qtbot.wait(200)
    screen = viewport.screen().grabWindow(wk.window.winId())  # the backing store: strips as painted
    top_left = viewport.mapTo(wk.window, QtCore.QPoint(0, 0))
    on_screen = screen.copy(QtCore.QRect(top_left, viewport.size())).toImage()
    whole = viewport.grab().toImage()  # painted whole, now
    fmt = QtGui.QImage.Format.Format_RGB32
    assert on_screen.convertToFormat(fmt) == whole.convertToFormat(fmt)
