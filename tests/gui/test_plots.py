"""The plot stack: anomaly marks, its own y fit, and the operator's y zoom."""

import numpy as np
import pytest

from gui.plots import PlotStack

T0 = 1_700_000_000.0


@pytest.fixture
def stack(qtbot):
    s = PlotStack()
    qtbot.addWidget(s)
    s.resize(900, 400)
    s.show()
    qtbot.waitExposed(s)
    s.ensure_channels(["t"], {"t": "°C"})
    s.set_x_range(T0, T0 + 100)
    return s


def y_range(stack):
    return stack.plots["t"].plot.vb.viewRange()[1]


def test_readings_are_marked_by_score(stack):
    """Only readings at or above the anomaly alarm's threshold are marked (red); the noise below
    it, even at half the threshold, is not marked at all."""
    cp = stack.plots["t"]
    x = T0 + np.arange(10.0)
    y = np.arange(10.0)
    scores = np.array([0.0, 0.1, 0.3, 0.0, 0.7, 0.0, 0.26, 0.0, 0.9, 0.49])
    cp.set_live(x, y)
    cp.set_scores(x, y, scores, threshold=0.5)
    np.testing.assert_array_equal(cp.marked(high=True)[1], y[[4, 8]])
    assert len(cp.marked(high=False)[0]) == 0  # no lesser, half-threshold mark
    assert cp.anomalies_high.isVisible()
    # Each mark is a bar of strokes centred on its reading: 5 columns, two ends each.
    assert len(cp.anomalies_high.getData()[0]) == 2 * 5 * 2
    lo, hi = cp.anomalies_high.getData()[1][0:2]
    assert lo < y[4] < hi
    cp.set_scores(x, y, np.array([0.0] * 9 + [0.5]), threshold=0.5)  # at the threshold counts
    np.testing.assert_array_equal(cp.marked()[0], x[[9]])
    cp.set_scores(x, y, np.zeros(10), threshold=0.5)
    assert not cp.anomalies_high.isVisible() and len(cp.marked(high=True)[0]) == 0


def test_y_range_follows_the_data_in_view(stack):
    cp = stack.plots["t"]
    x = T0 + np.linspace(0, 100, 200)
    cp.set_live(x, 10 + 10 * (x > T0 + 50))  # 10 for the first half, 20 after
    stack.fit_y(T0, T0 + 100)
    lo, hi = y_range(stack)
    assert lo < 10 < 20 < hi and hi - lo < 13
    stack.fit_y(T0, T0 + 40)  # only the 10s in view: a flat line gets a small range around it
    lo, hi = y_range(stack)
    assert lo < 10 < hi and hi - lo < 2
    # The history and the forecast bands count as well.
    cp.set_forecast(
        T0 + np.array([30.0, 35.0]),
        {
            "forecast": np.array([10.0, 11.0]),
            "lower_80": np.array([9.0, 9.0]),
            "upper_80": np.array([12.0, 12.0]),
            "lower_95": np.array([8.0, 8.0]),
            "upper_95": np.array([13.0, 13.0]),
        },
    )
    stack.fit_y(T0, T0 + 40)
    lo, hi = y_range(stack)
    assert lo < 8 and hi > 13


def test_a_small_change_does_not_move_the_range(stack):
    """A scrolling view keeps its y range while the data stays inside and fills most of it."""
    cp = stack.plots["t"]
    x = T0 + np.linspace(0, 100, 200)
    cp.set_live(x, np.sin(x - T0))
    stack.fit_y(T0, T0 + 100)
    before = y_range(stack)
    cp.set_live(x, 0.95 * np.sin(x - T0))
    stack.fit_y(T0, T0 + 100)
    assert y_range(stack) == before


def test_the_operators_y_zoom_is_kept_until_following_resumes(stack):
    cp = stack.plots["t"]
    x = T0 + np.linspace(0, 100, 200)
    cp.set_live(x, np.sin(x - T0))
    cp.plot.vb.setYRange(-10, 10, padding=0)
    cp.plot.vb.sigRangeChangedManually.emit([True, True])  # what a wheel zoom or a drag sends
    assert not cp.auto_y
    stack.fit_y(T0, T0 + 100)
    assert y_range(stack) == pytest.approx([-10, 10])
    stack.reset_y()  # what resuming following does
    stack.fit_y(T0, T0 + 100)
    lo, hi = y_range(stack)
    assert -1.2 < lo < -1 and 1 < hi < 1.2
