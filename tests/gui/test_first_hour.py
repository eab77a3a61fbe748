"""The small things an operator meets in the first hour (issue #11, item 8), each through the
widget the operator touches."""

from __future__ import annotations

import colorsys
import time

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from core.alarms.conditions import Forecast, first_crossing, local_hhmm
from core.alarms.config import parse_alarm_config
from core.forecast import ForecastSettings
from core.storage.history import Series
from gui.forecast_controller import crossing_mark, for_window
from gui.main_window import MainWindow
from gui.plots import COLORS, SPAN_COLOR, PlotStack
from gui.tiles import TileStrip
from gui.train_dialog import TrainDialog

pytestmark = pytest.mark.usefixtures("no_qt_warnings")
T0 = 1_700_000_000.0


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_ctrl_l_shows_the_alarm_list_and_never_hides_it(window, qtbot):
    """The list is open by default; Ctrl+L (which says "Show the alarm list") keeps it open and
    brings it back after the toolbar button hid it."""
    assert window.alarm_dock.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key_L, QtCore.Qt.ControlModifier)
    assert window.alarm_dock.isVisible()
    qtbot.mouseClick(window.toolbar.widgetForAction(window.alarms_action), QtCore.Qt.LeftButton)
    assert not window.alarm_dock.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key_L, QtCore.Qt.ControlModifier)
    assert window.alarm_dock.isVisible()
    assert window.show_alarms_action.text() == "Show the alarm list"


def test_the_alarm_list_shows_at_least_five_rows(window):
    table = window.alarm_panel.active
    rows_in_view = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    assert rows_in_view >= 5, rows_in_view


def test_the_toolbar_keeps_its_layout_when_following_pauses(window, qtbot):
    """Pressing "Following" (it becomes "Paused") moves no other toolbar button sideways."""
    follow = window.toolbar.widgetForAction(window.follow_action)
    after = window.toolbar.widgetForAction(window.range_actions[600])
    x_before = after.x()
    qtbot.mouseClick(follow, QtCore.Qt.LeftButton)
    window.follow_action.setText("Paused")  # what the monitor shows when following stops
    QtWidgets.QApplication.processEvents()
    assert after.x() == x_before


def test_tiles_do_not_move_sideways_as_values_change(qtbot):
    strip = TileStrip()
    qtbot.addWidget(strip)
    strip.resize(900, 118)
    strip.show()
    a, b = strip.ensure("pressure", "bar"), strip.ensure("flow", "m³/h")
    a.show_reading(1.0, 0.2, None)
    QtWidgets.QApplication.processEvents()
    where = (a.geometry(), b.geometry())
    a.show_reading(-12345.678, 4000.0, -1234.5)
    a.set_note("forecast skill +0.42 vs persistence and a long tail of words")
    QtWidgets.QApplication.processEvents()
    assert (a.geometry(), b.geometry()) == where


def test_a_long_status_message_is_shown_whole(window, qtbot):
    """A long sentence wraps in the status bar; none of it is cut off by the labels on the right."""
    window.port_label.setText("sim://?channels=4&rate=10: connected")
    window.db_label.setText("demo.duckdb: 123.4 MB")
    text = (
        "Forecast for flow, level, pressure and temperature made at 12:34 and written to "
        "/home/operator/.local/share/Watchkeeper/Prediction.csv."
    )
    window.show_message(text, 10_000)
    qtbot.waitUntil(
        lambda: (
            window.message_label.heightForWidth(window.message_label.width()) <= window.message_label.height()
        ),
        timeout=3_000,
    )
    assert window.message_label.text() == text


def test_a_long_status_message_does_not_take_the_plots_room(window, qtbot):
    """The status bar is as tall as the wrapped sentence, not as a narrow label's size hint."""
    window.resize(1400, 900)
    plots_before = window.plots.height()
    window.show_message("Forecast for temperature made at 00:56 and written to " + "/data" * 12 + ".", 10_000)
    qtbot.wait(200)
    lines = window.message_label.fontMetrics().height()
    assert window.statusBar().height() <= 3 * lines + 12
    assert window.plots.height() >= plots_before - 2 * lines


def test_window_users_are_pointed_at_the_train_button_not_the_command_line():
    said = "There are no forecast models in /x/models; train one with 'watchkeeper train'."
    assert "watchkeeper train" not in for_window(said)
    assert "Train…" in for_window(said)


def test_envelope_and_channel_colours_are_not_the_anomaly_red(qtbot):
    """A min/max envelope takes its channel's colour; none is near the red of anomaly shading."""
    span_hue = colorsys.rgb_to_hsv(*(c / 255 for c in SPAN_COLOR[:3]))[0]
    for color in COLORS:
        q = QtGui.QColor(color)
        h, s, _ = colorsys.rgb_to_hsv(q.redF(), q.greenF(), q.blueF())
        distance = min(abs(h - span_hue), 1 - abs(h - span_hue)) * 360
        assert s < 0.25 or distance > 40, color  # grey-ish, or far from red and orange


@pytest.fixture
def stack(qtbot):
    s = PlotStack()
    qtbot.addWidget(s)
    s.resize(900, 400)
    s.show()
    qtbot.waitExposed(s)
    s.ensure_channels(["t"], {"t": "°C"})
    s.set_x_range(T0, T0 + 100)
    cp = s.plots["t"]
    cp.set_live(T0 + np.arange(100.0), 20 + np.sin(np.arange(100.0)))
    s.fit_y(T0, T0 + 100)
    return s


def test_crosshair_readout_stays_inside_the_plot_and_hides_when_the_mouse_leaves(stack, qtbot):
    cp = stack.plots["t"]
    view_rect = cp.plot.vb.sceneBoundingRect()
    for x_frac in (0.02, 0.98):  # near the left and the right edge
        scene = QtCore.QPointF(view_rect.left() + x_frac * view_rect.width(), view_rect.center().y())
        qtbot.mouseMove(stack.view.viewport(), stack.view.mapFromScene(scene))
        qtbot.waitUntil(lambda: cp.readout.isVisible(), timeout=2_000)
        qtbot.wait(60)  # the move is rate-limited to 30 a second
        box = cp.readout.sceneBoundingRect()
        assert view_rect.left() - 1 <= box.left() and box.right() <= view_rect.right() + 1, x_frac
    QtWidgets.QApplication.sendEvent(stack.view, QtCore.QEvent(QtCore.QEvent.Leave))
    assert not cp.readout.isVisible() and not cp.cursor.isVisible()


def test_history_joins_the_live_data_without_a_gap(stack):
    """History drawn up to where live data starts ends on the first live reading."""
    cp = stack.plots["t"]
    live_x, live_y = cp._live_xy
    bucket_us = 60_000_000
    ts = (np.arange(T0 - 3600, T0 - 30, 60) * 1e6).astype(np.int64)
    n = len(ts)
    series = Series("t", "1min", ts, np.full(n, 20.0), np.full(n, 19.0), np.full(n, 21.0), np.full(n, 60))
    assert series.bucket_us == bucket_us
    cp.set_history(series, before_s=float(live_x[0]))
    hx, hy = cp.history.getData()
    first_bucket = live_y[live_x <= live_x[0] + 60]
    assert hx[-1] == live_x[0] and hy[-1] == pytest.approx(first_bucket.mean())  # no spike
    lo, hi = cp.env_lo.getData()[1][-1], cp.env_hi.getData()[1][-1]
    assert (lo, hi) == (first_bucket.min(), first_bucket.max())  # the envelope widens to the live band


def test_limit_lines_and_the_forecast_crossing_marker_agree_with_the_predictive_alarm(stack):
    cp = stack.plots["t"]
    alarms = parse_alarm_config({"channels": {"t": {"h": 70.0, "hh": 80.0, "l": 5.0}}}, {"t": "°C"})
    rules = alarms.rules("t").limits
    cp.set_limits({r.kind.value: r.limit for r in rules})
    assert {k: line.value() for k, line in cp.limit_lines.items()} == {"H": 70.0, "HH": 80.0, "L": 5.0}
    cp.set_limits({"H": 72.0})
    assert list(cp.limit_lines) == ["H"] and cp.limit_lines["H"].value() == 72.0

    now_us = int(time.time() * 1e6)
    ts = now_us + np.arange(1, 61) * 60_000_000
    value = np.linspace(60.0, 90.0, 60)
    forecast = Forecast(ts, value, value - 2, value + 2)
    crossing = first_crossing(forecast, rules, now_us, 3_600_000_000, use_band=False, current=None)
    bands = {"forecast": value, "lower_95": value - 2, "upper_95": value + 2}
    stack.set_x_range(now_us / 1e6 - 600, now_us / 1e6 + 3600)  # the crossing is in view
    cp.set_crossing(*crossing_mark(rules, alarms.predictive_horizon, ts, bands, now_us))
    (mx,), (my,) = cp.crossing.getData()
    assert mx == crossing.expected_at_us / 1e6 and my == 70.0
    assert cp.crossing_label.toPlainText() == f"H at {local_hhmm(crossing.expected_at_us)}"


def test_train_dialog_says_loading_and_which_channel_of_how_many(qtbot):
    settings = ForecastSettings(interval="1min", lookback=30, horizon=10, epochs=5)
    dialog = TrainDialog(["a", "b", "c", "d"], settings)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.start_requested, timeout=2_000) as started:
        qtbot.mouseClick(dialog.train_button, QtCore.Qt.LeftButton)
    assert started.args[0] == ["a", "b", "c", "d"]
    dialog.on_started("b")
    assert dialog.progress.maximum() == 0  # a moving bar, not 0 %
    assert "loading TensorFlow" in dialog.status.text() and "channel 2 of 4" in dialog.status.text()
    dialog.on_progress("b", 1, 0.5, 0.6)
    assert dialog.progress.maximum() == 5 and dialog.progress.value() == 1
    assert "channel 2 of 4" in dialog.status.text()


def test_train_dialog_opens_beside_the_window_not_over_the_plots(make_app, qtbot):
    wk = make_app()
    w = wk.window
    w.resize(200, 500)
    w.move(0, 0)
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=5_000)
    wk.port_dialog.reject()
    qtbot.mouseClick(w.toolbar.widgetForAction(w.train_action), QtCore.Qt.LeftButton)
    dialog = wk.forecasts.dialog
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=3_000)
    plots = QtCore.QRect(w.plots.mapToGlobal(QtCore.QPoint(0, 0)), w.plots.size())
    assert not dialog.frameGeometry().intersects(plots)


def test_limits_dialog_does_not_say_saved_before_saving(make_app, qtbot, tmp_path):
    wk = make_app()
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=5_000)
    wk.port_dialog.reject()
    qtbot.mouseClick(wk.window.toolbar.widgetForAction(wk.window.limits_action), QtCore.Qt.LeftButton)
    dialog = wk.limits_dialog
    texts = [label.text() for label in dialog.findChildren(QtWidgets.QLabel)]
    assert not any(t.startswith("Saved") for t in texts), texts


def test_a_limit_near_the_data_is_in_view_and_a_far_one_is_not(stack):
    """Temperature at 20 ± 1 with H at 23 and HH at 90: H is in view, HH is not."""
    cp = stack.plots["t"]
    cp.set_limits({"H": 23.0, "HH": 90.0})
    stack.fit_y(T0, T0 + 100)
    lo, hi = cp.plot.vb.viewRange()[1]
    assert lo < 19.5 and 23.0 < hi < 90.0


def test_a_crossing_beyond_the_view_is_named_at_its_right_edge(stack):
    """The view leaves the forecast little room: a crossing further ahead is still shown, at the
    right edge with an arrow, with the time the predictive alarm gives."""
    cp = stack.plots["t"]
    cp.set_crossing(T0 + 1000, 23.0, "H at 12:34")
    x1 = cp.plot.vb.viewRange()[0][1]
    assert cp.crossing_label.pos().x() == x1 and cp.crossing_label.toPlainText() == "H at 12:34 →"
    stack.set_x_range(T0 + 900, T0 + 1100)
    assert cp.crossing_label.pos().x() == T0 + 1000 and cp.crossing_label.toPlainText() == "H at 12:34"
    cp.set_crossing(None)
    assert not cp.crossing.isVisible() and not cp.crossing_label.isVisible()


class _PaintCount(QtCore.QObject):
    def __init__(self, widgets) -> None:
        super().__init__()
        self.count = 0
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        self.count += event.type() == QtCore.QEvent.Type.Paint
        return False


def test_a_tile_shown_the_same_reading_again_repaints_nothing_and_greys_a_stale_value(qtbot):
    """Twice a second every tile is given its newest reading: the same words again cost no paint;
    a reading older than ten seconds is greyed, and black again once a new one comes."""
    strip = TileStrip()
    qtbot.addWidget(strip)
    strip.resize(900, 118)
    strip.show()
    tile = strip.ensure("pressure", "bar")
    tile.show_reading(4.5, 0.2, 0.01)
    assert tile.value.text() == "4.5 bar"
    qtbot.wait(300)  # the first words are painted
    paints = _PaintCount([tile, tile.value, tile.trend, tile.age])
    tile.show_reading(4.5, 0.4, 0.01)
    qtbot.wait(100)
    assert paints.count == 0
    tile.show_reading(4.5, 12.0, 0.01)
    assert tile.age.text() == "12 s" and "#999" in tile.value.styleSheet()
    assert "12 s" in tile.toolTip()
    tile.show_reading(4.6, 0.1, 0.01)
    assert tile.value.text() == "4.6 bar" and "#111" in tile.value.styleSheet()
    assert tile.toolTip() == "pressure"
