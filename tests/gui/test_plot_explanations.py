"""The crosshair on an anomaly mark says what was unusual there."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from core.anomaly.explain import Explanation
from core.messages import MessageId
from gui.plots import PlotStack

T0 = 1_700_000_000.0
WHY = "Dropped to 2.81 bar in 1 s; usual 4.00 ± 0.05"


@pytest.fixture
def stack(qtbot):
    s = PlotStack()
    qtbot.addWidget(s)
    s.resize(900, 400)
    s.show()
    qtbot.waitExposed(s)
    s.ensure_channels(["p"], {"p": "bar"})
    s.set_x_range(T0, T0 + 100)
    cp = s.plots["p"]
    y = np.full(100, 4.0)
    y[50] = 2.81
    cp.set_live(T0 + np.arange(100.0), y)
    scores = np.zeros(100)
    scores[50] = 0.9
    cp.set_scores(T0 + np.arange(100.0), y, scores, threshold=0.6)
    cp.set_explanations(np.array([T0 + 50]), [WHY])
    s.fit_y(T0, T0 + 100)
    return s


def test_the_explanation_of_the_nearest_mark_within_reach(qtbot):
    from gui.plots import ChannelPlot

    cp = ChannelPlot("p", "bar", "#1570ef")
    cp.set_explanations(np.array([10.0, 20.0]), ["first", "second"])
    assert cp.explanation_at(10.4, 1.0) == "first"
    assert cp.explanation_at(19.2, 1.0) == "second"
    assert cp.explanation_at(15.0, 1.0) is None  # between marks: nothing to explain
    cp.set_explanations(np.empty(0), [])
    assert cp.explanation_at(10.0, 1.0) is None
    # An explanation from the scorer is worded in the plot's unit when it is shown, as a message
    # id with parameters (so the readout can say it in the operator's language).
    cp.set_explanations(np.array([5.0]), [Explanation("spike", {"value": 2.81, "usual": 4.0, "sigma": 0.05})])
    why = cp.explanation_at(5.0, 1.0)
    assert why.id is MessageId.JUMPED and why.english == "Jumped to 2.81 bar; usual 4.00 ± 0.05"


def _hover_until(stack, qtbot, x_s: float, condition) -> None:
    """Move the mouse onto ``x_s`` (nudging it, since moves are rate-limited and a move to where
    the mouse already is sends nothing) until ``condition()`` holds."""
    cp = stack.plots["p"]
    step = [0]

    def moved_and_holds() -> bool:
        step[0] += 1
        scene = cp.plot.vb.mapViewToScene(QtCore.QPointF(x_s, 4.0))
        pos = QtCore.QPointF(stack.view.mapFromScene(scene) + QtCore.QPoint(0, step[0] % 3))
        viewport = stack.view.viewport()
        # The move goes to the plot's own viewport, as the window system would deliver it: the
        # offscreen platform's shared cursor is not moved, so another test's window cannot take it.
        move = QtGui.QMouseEvent(
            QtCore.QEvent.MouseMove,
            pos,
            QtCore.QPointF(viewport.mapToGlobal(pos.toPoint())),
            QtCore.Qt.NoButton,
            QtCore.Qt.NoButton,
            QtCore.Qt.NoModifier,
        )
        QtWidgets.QApplication.sendEvent(viewport, move)
        qtbot.wait(40)
        return cp.readout.isVisible() and condition(cp.readout.textItem.toPlainText())

    qtbot.waitUntil(moved_and_holds, timeout=10_000)


def test_the_readout_on_a_mark_shows_the_explanation_and_elsewhere_does_not(stack, qtbot):
    _hover_until(stack, qtbot, T0 + 50, lambda text: WHY in text)
    _hover_until(stack, qtbot, T0 + 20, lambda text: WHY not in text and "p:" in text)


def test_the_readout_says_the_scorers_explanation_in_korean(stack, qtbot):
    """In the Korean window the crosshair on a mark says the scorer's explanation in Korean,
    worded by its message id in the channel's unit."""
    from gui import i18n

    why = Explanation(
        "spike", {"value": 2.81, "usual": 4.0, "sigma": 0.05, "seconds": 1.0, "direction": -1.0}
    )
    stack.plots["p"].set_explanations(np.array([T0 + 50]), [why])
    i18n.install("ko")
    try:
        _hover_until(
            stack, qtbot, T0 + 50, lambda text: "1초 만에 2.81 bar(으)로 급락, 평소 4.00 ± 0.05" in text
        )
    finally:
        i18n.install("en")
