"""PlotStack: one plot per channel, stacked on a shared time axis, with a crosshair readout.

Curves are created once and fed whole numpy arrays (``setData``); live data arrives already
decimated to the plot's width. History is drawn as a mean line inside a shaded min/max envelope.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui.live_curve import LiveCurve
from gui.messages import render_message

if TYPE_CHECKING:
    from core.messages import Message
    from core.storage.history import Series

pg.setConfigOptions(antialias=False, background="w", foreground="#333")

MAX_MARKED = 400  # newest notable readings marked per plot
ANOMALY_HIGH = pg.mkBrush("#d92d20")
SPAN_COLOR = (217, 45, 32, 40)  # shading while an anomaly alarm was active
# Channel colours keep clear of the reds and oranges that mean "anomaly" and "limit": a channel's
# min/max envelope (its colour, light) must never be read as anomaly shading.
COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#5b6b7f", "#3f4d66", "#7a8b00", "#0b6e69"]
LIMIT_PENS = {  # H/L dashed, HH/LL solid: the further limit is drawn stronger
    "H": ("#dc6803", QtCore.Qt.DashLine),
    "L": ("#dc6803", QtCore.Qt.DashLine),
    "HH": ("#b42318", QtCore.Qt.SolidLine),
    "LL": ("#b42318", QtCore.Qt.SolidLine),
}


def _curve(pen: QtGui.QPen | None) -> pg.PlotCurveItem:
    return pg.PlotCurveItem(pen=pen)


def _same(item: pg.PlotCurveItem, x: np.ndarray, y: np.ndarray) -> bool:
    """Whether ``item`` already draws exactly these points (then setting them again would only
    cost a repaint of everything it covers)."""
    old_x, old_y = item.xData, item.yData
    if old_x is None or old_y is None:
        return False
    return np.array_equal(old_x, x) and np.array_equal(old_y, y, equal_nan=True)


def _set(item: pg.PlotCurveItem, x: np.ndarray, y: np.ndarray) -> None:
    """Set an item's points unless it draws them already (the window asks again on a timer).

    An item with no points, or the edge of a fill (no pen: the fill draws it), is hidden: Qt asks
    every visible item for its bounds at every paint, however small the part repainted."""
    if not _same(item, np.asarray(x), np.asarray(y)):
        item.setData(x, y)
    pen = item.opts["pen"]
    item.setVisible(len(x) > 0 and pen is not None and pen.style() != QtCore.Qt.NoPen)


def _show_axis(plot: pg.PlotItem, name: str, show: bool) -> None:
    """Show an axis linked to its view, or hide it and cut the link: a hidden axis still
    recomputes its ticks and label on every range change while it is linked."""
    axis = plot.getAxis(name)
    plot.showAxis(name, show)
    if show and axis.linkedView() is None:
        axis.linkToView(plot.vb)
    elif not show and axis.linkedView() is not None:
        axis.unlinkFromView()


class ChannelPlot:
    """The curves of one channel inside its PlotItem."""

    def __init__(self, name: str, unit: str, color: str) -> None:
        self.name = name
        self.unit = unit
        self.plot = pg.PlotItem(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setLabel("left", name, units=None)
        self.plot.getAxis("left").setWidth(70)
        # Ticks point out, toward their labels: pointing into the plot, they reach over its edge
        # and every new reading drawn near the edge would repaint the whole axis with it.
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setStyle(tickLength=5)
        for hidden in ("top", "right"):
            _show_axis(self.plot, hidden, False)
        self.plot.showGrid(x=False, y=False)
        self.plot.setMenuEnabled(False)
        # The y range is fitted here (fit_y) from the arrays already in hand: pyqtgraph's own
        # auto-range walks every item's bounds on each frame, which the GUI thread cannot afford.
        # Live data arrives cut to the view, so clipping to the view would be work done twice.
        self.plot.disableAutoRange()
        self.plot.hideButtons()
        self.auto_y = True  # False once the operator zooms or pans this plot by hand
        base = QtGui.QColor(color)
        fill = QtGui.QColor(base)
        fill.setAlpha(45)
        # Plain curve items: a PlotDataItem carries a hidden scatter item that is told of every
        # change of view, which a scrolling window pays for on each frame.
        self.env_lo = _curve(pen=None)
        self.env_hi = _curve(pen=None)
        self.envelope = pg.FillBetweenItem(self.env_lo, self.env_hi, brush=fill)
        self.history = _curve(pen=pg.mkPen(base, width=1))
        self.live = LiveCurve(pen=pg.mkPen(base, width=1))
        # The fill's bounds would drag the y range to 0 while it is empty; its edges count instead.
        self.plot.addItem(self.envelope, ignoreBounds=True)
        for item in (self.env_lo, self.env_hi, self.history, self.live):
            self.plot.addItem(item)
        # Forecast: dashed line from "now" inside shaded 80 % and 95 % bands; earlier cycles dotted.
        band80, band95 = QtGui.QColor(base), QtGui.QColor(base)
        band80.setAlpha(70)
        band95.setAlpha(35)
        self.fc_edges = [_curve(pen=None) for _ in range(4)]  # l95, u95, l80, u80
        self.fc_band95 = pg.FillBetweenItem(self.fc_edges[0], self.fc_edges[1], brush=band95)
        self.fc_band80 = pg.FillBetweenItem(self.fc_edges[2], self.fc_edges[3], brush=band80)
        self.forecast = _curve(pen=pg.mkPen(base, width=2, style=QtCore.Qt.DashLine))
        self.past_forecasts = pg.PlotCurveItem(
            pen=pg.mkPen("#555", width=1, style=QtCore.Qt.DotLine), connect="finite"
        )
        for item in (self.fc_band95, self.fc_band80):
            self.plot.addItem(item, ignoreBounds=True)
        for item in (*self.fc_edges, self.forecast, self.past_forecasts):
            self.plot.addItem(item)
        # Anomalies: readings at or above the anomaly alarm's threshold, and shaded spans while an
        # anomaly alarm was on. A mark is a small bar of 1-pixel strokes, one path: scatter items,
        # or thick pens, cost the GUI thread several milliseconds a frame; thin strokes a fraction.
        self.anomalies_high = pg.PlotCurveItem(pen=pg.mkPen(ANOMALY_HIGH.color(), width=1), connect="pairs")
        self.anomalies = self.anomalies_high  # one kind of mark: what the anomaly alarm would flag
        self._marks: dict[bool, tuple[np.ndarray, np.ndarray]] = {}
        self._marks_px: tuple[float, float] | None = None  # the pixel size they were drawn at
        # They sit on the curve: leaving them out of the y fit saves work every frame.
        self.plot.addItem(self.anomalies_high, ignoreBounds=True)
        self.anomalies_high.setVisible(False)
        # Alarm limits (H/HH/L/LL) as horizontal lines, and where the forecast crosses one.
        self.limit_lines: dict[str, pg.InfiniteLine] = {}
        self.crossing = pg.ScatterPlotItem(
            size=11, symbol="d", pen=pg.mkPen("#b42318", width=1.5), brush=pg.mkBrush(255, 255, 255, 230)
        )
        self.crossing_label = pg.TextItem(anchor=(0.5, 1.2), color="#b42318")
        self._crossing: tuple[float, float, str] | None = None
        self.crossing.setVisible(False)
        self.crossing_label.setVisible(False)
        self.plot.addItem(self.crossing, ignoreBounds=True)
        self.plot.addItem(self.crossing_label, ignoreBounds=True)
        self.spans: list[pg.LinearRegionItem] = []
        self.live.setData([], [])
        for item in (
            *self.fc_edges,
            self.forecast,
            self.past_forecasts,
            self.history,
            self.env_lo,
            self.env_hi,
        ):
            _set(item, np.empty(0), np.empty(0))
        for fill in (self.envelope, self.fc_band95, self.fc_band80):
            fill.setVisible(False)
        self.cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#888", style=QtCore.Qt.DashLine))
        self.cursor.setVisible(False)
        self.plot.addItem(self.cursor, ignoreBounds=True)
        self.readout = pg.TextItem(anchor=(0, 0), color="#222", fill=pg.mkBrush(255, 255, 255, 200))
        self.readout.setVisible(False)
        self.plot.addItem(self.readout, ignoreBounds=True)
        self._hist_xy = (np.empty(0), np.empty(0))
        self._explained: tuple[np.ndarray, list] = (np.empty(0), [])

    @property
    def _live_xy(self) -> tuple[np.ndarray, np.ndarray]:
        return self.live.xData, self.live.yData

    def set_live(self, x: np.ndarray, y: np.ndarray) -> None:
        """Draw the live curve whole; the same points again change nothing and cost no repaint."""
        if not _same(self.live, x, y):
            self.live.setData(x, y)

    def extend_live(self, keep: int, x: np.ndarray, y: np.ndarray) -> bool:
        """Keep the live curve's first ``keep`` points and draw ``x, y`` after them: only the strip
        they cover is repainted. Returns whether the y range still holds all of them (if not,
        :meth:`fit_y` fits it)."""
        drawn = self.live.extend(keep, x, y)
        if not self.auto_y or drawn is None:
            return True
        lo, hi = self.plot.vb.viewRange()[1]
        return lo <= drawn[0] and drawn[1] <= hi

    def set_forecast(self, x: np.ndarray, bands: dict[str, np.ndarray] | None) -> None:
        """Show a forecast (``forecast``, ``lower_80`` … ``upper_95`` at times ``x``), or clear it."""
        if bands is None or not len(x):
            for item in (*self.fc_edges, self.forecast):
                _set(item, np.empty(0), np.empty(0))
            self.fc_band95.setVisible(False)
            self.fc_band80.setVisible(False)
            return
        for item, key in zip(self.fc_edges, ("lower_95", "upper_95", "lower_80", "upper_80"), strict=True):
            _set(item, x, bands[key])
        _set(self.forecast, x, bands["forecast"])
        self.fc_band95.setVisible(True)
        self.fc_band80.setVisible(True)

    def set_past_forecasts(self, x: np.ndarray, y: np.ndarray) -> None:
        """Earlier cycles' forecasts (NaN separates cycles), to compare with what happened."""
        _set(self.past_forecasts, np.asarray(x, float), np.asarray(y, float))

    def set_scores(self, x: np.ndarray, y: np.ndarray, scores: np.ndarray, threshold: float) -> None:
        """Mark readings whose anomaly score reaches ``threshold`` (the anomaly alarm's own): what
        an operator should look at, never the noise below it.

        Marks are bars 5 px wide and 9 px tall, centred on the reading; the newest ``MAX_MARKED``
        are drawn.
        """
        pw, ph = self.plot.vb.viewPixelSize()
        item = self.anomalies_high
        idx = np.flatnonzero(scores >= threshold)[-MAX_MARKED:]
        marks = (x[idx], y[idx])
        old = self._marks.get(True)
        if old is not None and self._marks_px == (pw, ph) and all(map(np.array_equal, old, marks)):
            return  # the same marks where they were: nothing to draw again
        self._marks[True] = marks
        self._marks_px = (pw, ph)
        if not len(idx):
            item.setData([], [])
            item.setVisible(False)
            return
        half_w, half_h = 2, 4
        cols = x[idx, None] + np.arange(-half_w, half_w + 1) * pw  # one stroke per pixel column
        xs = np.repeat(cols.ravel(), 2)
        ys = np.repeat(np.repeat(y[idx].astype(float), cols.shape[1]), 2)
        ys[0::2] -= half_h * ph
        ys[1::2] += half_h * ph
        item.setData(xs, ys)
        item.setVisible(True)

    def marked(self, high: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Times and values of the readings marked as anomalous (there is no lesser mark)."""
        return self._marks.get(True, (np.empty(0), np.empty(0))) if high else (np.empty(0), np.empty(0))

    def set_limits(self, limits: dict[str, float]) -> None:
        """Draw the alarm limits (``{"H": 70.0, "HH": 80.0, …}``); limits not given are removed."""
        for kind in list(self.limit_lines):
            if kind not in limits:
                self.plot.removeItem(self.limit_lines.pop(kind))
        for kind, value in limits.items():
            line = self.limit_lines.get(kind)
            if line is None:
                color, style = LIMIT_PENS.get(kind, ("#dc6803", QtCore.Qt.DashLine))
                line = pg.InfiniteLine(
                    angle=0,
                    movable=False,
                    pen=pg.mkPen(color, width=1, style=style),
                    label=kind,
                    labelOpts={"position": 0.02, "color": color, "anchors": [(0, 1), (0, 1)]},
                )
                line.setZValue(-5)
                self.plot.addItem(line, ignoreBounds=True)
                self.limit_lines[kind] = line
            line.setValue(value)

    def set_crossing(self, at_s: float | None, value: float = 0.0, text: str = "") -> None:
        """Mark where the forecast crosses a limit (``at_s`` None: it crosses none)."""
        self._crossing = None if at_s is None else (at_s, value, text)
        if at_s is None:
            self.crossing.setData([], [])
            self.crossing.setVisible(False)
            self.crossing_label.setVisible(False)
            return
        self.crossing.setData([at_s], [value])
        self.crossing.setVisible(True)
        self.crossing_label.setVisible(True)
        self.place_crossing_label()

    def place_crossing_label(self) -> None:
        """At the marker, or, when the crossing lies beyond the right edge of the view (the view
        leaves the forecast only a little room), at that edge with an arrow: the time the banner
        gives is always on the plot."""
        if self._crossing is None:
            return
        at_s, value, text = self._crossing
        x1 = self.plot.vb.viewRange()[0][1]
        if at_s > x1:
            self.crossing_label.setAnchor((1, 1.2))
            self.crossing_label.setText(f"{text} →")
            self.crossing_label.setPos(x1, value)
        else:
            self.crossing_label.setAnchor((0.5, 1.2))
            self.crossing_label.setText(text)
            self.crossing_label.setPos(at_s, value)

    def set_spans(self, spans: list[tuple[float, float]]) -> None:
        """Shade ``(start_s, end_s)`` spans (anomaly alarms); reuses its items."""
        while len(self.spans) < len(spans):
            region = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(*SPAN_COLOR), pen=pg.mkPen(None))
            region.setZValue(-10)
            self.plot.addItem(region, ignoreBounds=True)
            self.spans.append(region)
        for i, region in enumerate(self.spans):
            if i < len(spans):
                region.setRegion(spans[i])
                region.setVisible(True)
            else:
                region.setVisible(False)

    def set_history(self, series: Series | None, before_s: float | None = None) -> None:
        """Show ``series`` (optionally only the part before ``before_s``, where live data takes over)."""
        if series is None or not len(series):
            for item in (self.history, self.env_lo, self.env_hi):
                _set(item, np.empty(0), np.empty(0))
            self.envelope.setVisible(False)
            self._hist_xy = (np.empty(0), np.empty(0))
            return
        x = series.ts_us / 1e6 + series.bucket_us / 2e6  # bucket centres
        keep = slice(None) if before_s is None else x < before_s
        x, mean = x[keep], series.mean[keep]
        lo, hi = series.vmin[keep], series.vmax[keep]
        live_x, live_y = self._live_xy
        if before_s is not None and len(x) and len(live_x):
            # Bucket centres stop half a bucket short of the live data: join the history to where
            # the live data starts, at the mean (and within the min/max) of its first bucket, so
            # there is neither a gap nor a spike to one noisy reading where one hands over.
            first = live_y[live_x <= live_x[0] + max(series.bucket_us / 1e6, 1.0)]
            x, mean = np.append(x, live_x[0]), np.append(mean, first.mean())
            lo, hi = np.append(lo, first.min()), np.append(hi, first.max())
        _set(self.history, x, mean)
        raw = series.resolution == "raw"
        none = np.empty(0)
        _set(self.env_lo, none if raw else x, none if raw else lo)
        _set(self.env_hi, none if raw else x, none if raw else hi)
        self.envelope.setVisible(not raw and len(x) > 0)
        self._hist_xy = (x, mean)

    def fit_y(self, x0: float, x1: float) -> None:
        """Fit the y range to what is drawn between ``x0`` and ``x1`` (unless set by hand).

        The range only moves when the data leaves it or fills less than 3/4 of it, so a scrolling
        view does not re-lay out its axis on every frame.
        """
        if not self.auto_y:
            return
        lo, hi = np.inf, -np.inf
        for item in (
            self.live,
            self.history,
            self.env_lo,
            self.env_hi,
            *self.fc_edges[:2],
            self.forecast,
            self.past_forecasts,
        ):
            xs, ys = item.xData, item.yData
            if xs is None or not len(xs):
                continue
            i0, i1 = np.searchsorted(xs, (x0, x1)) if item is not self.past_forecasts else (0, len(xs))
            ys = ys[i0:i1]
            if item is self.past_forecasts:
                ys = ys[(xs >= x0) & (xs <= x1)]
            if len(ys):
                finite = ys[np.isfinite(ys)]
                if len(finite):
                    lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
        if not np.isfinite(lo):
            return
        # A limit close to the data is brought into view, so the operator sees how near it is;
        # a far one is not (it would flatten the curve).
        reach = max(2 * (hi - lo), 0.05 * abs(hi + lo) / 2)
        for line in self.limit_lines.values():
            v = float(line.value())
            if hi < v <= hi + reach or lo - reach <= v < lo:
                lo, hi = min(lo, v), max(hi, v)
        pad = (hi - lo) * 0.05 or max(abs(lo) * 0.01, 0.5)
        want_lo, want_hi = lo - pad, hi + pad
        (cur_lo, cur_hi) = self.plot.vb.viewRange()[1]
        inside = cur_lo <= lo and hi <= cur_hi
        same = abs(cur_lo - want_lo) + abs(cur_hi - want_hi) <= 1e-6 * (want_hi - want_lo)
        if inside and ((hi - lo) >= 0.75 * (cur_hi - cur_lo) or same):
            return
        self.plot.setYRange(want_lo, want_hi, padding=0)

    def set_explanations(self, x: np.ndarray, texts: list) -> None:
        """What was unusual at flagged readings (epoch s, in time order): texts, or explanations
        worded in this channel's unit only when shown. The crosshair's readout shows the one the
        cursor is on."""
        self._explained = (np.asarray(x, np.float64), list(texts))

    def explanation_at(self, x: float, within_s: float) -> str | Message | None:
        """The explanation of the flagged reading nearest ``x``, if it is within ``within_s``: a
        text, or an explanation's message (an id with parameters) in this channel's unit."""
        xs, texts = self._explained
        if not len(xs):
            return None
        i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
        if i and abs(xs[i - 1] - x) < abs(xs[i] - x):
            i -= 1
        if abs(xs[i] - x) > within_s:
            return None
        why = texts[i]
        return why if isinstance(why, str) else why.message(self.unit)

    def value_at(self, x: float) -> float | None:
        for xs, ys in (self._live_xy, self._hist_xy):
            if len(xs) and xs[0] <= x <= xs[-1]:
                i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
                if i and abs(xs[i - 1] - x) < abs(xs[i] - x):
                    i -= 1
                return float(ys[i])
        return None


class PlotStack(QtWidgets.QWidget):
    """Stacked channel plots with linked time axes."""

    user_range_changed = QtCore.Signal(float, float)  # the operator zoomed or panned (epoch s)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        # A white background is filled in no time; a cached one is an image drawn (on Qt's thread
        # pool) under every strip repainted.
        self.view.setCacheMode(QtWidgets.QGraphicsView.CacheModeFlag.CacheNone)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.plots: dict[str, ChannelPlot] = {}
        self.order: list[str] = []
        self.hidden: set[str] = set()
        self._moving = False
        self._mouse = pg.SignalProxy(self.view.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)
        self.view.installEventFilter(self)  # the crosshair hides when the mouse leaves the plots
        self.placeholder = pg.LabelItem("Waiting for readings…", size="14pt", color="#777")
        self.view.addItem(self.placeholder)

    # -- channels -----------------------------------------------------------------------------
    def ensure_channels(self, names: list[str], units: dict[str, str]) -> bool:
        """Add plots for channels not seen before; True if the layout changed."""
        new = [n for n in names if n not in self.plots]
        for name in new:
            cp = ChannelPlot(name, units.get(name, ""), COLORS[len(self.plots) % len(COLORS)])
            cp.plot.vb.sigRangeChangedManually.connect(lambda mask, cp=cp: self._on_manual_range(cp, mask))
            self.plots[name] = cp
            self.order.append(name)
        if new:
            self._relayout()
        return bool(new)

    def set_hidden(self, hidden: set[str]) -> None:
        self.hidden = set(hidden)
        self._relayout()

    def visible_channels(self) -> list[str]:
        return [n for n in self.order if n not in self.hidden]

    def _relayout(self) -> None:
        self.view.ci.clear()
        visible = self.visible_channels()
        if not visible:
            self.placeholder = pg.LabelItem(
                self.tr("Waiting for readings…") if not self.order else self.tr("All channels are hidden."),
                size="14pt",
                color="#777",
            )
            self.view.addItem(self.placeholder)
            return
        first = self.plots[visible[0]].plot
        for i, name in enumerate(visible):
            plot = self.plots[name].plot
            self.view.addItem(plot, row=i, col=0)
            if plot is not first:
                plot.setXLink(first)
            # Only the bottom plot draws a time axis: axes are the costliest thing to repaint.
            _show_axis(plot, "bottom", i == len(visible) - 1)

    # -- data ---------------------------------------------------------------------------------
    def set_x_range(self, x0: float, x1: float) -> None:
        """Move the view without it counting as the operator's zoom."""
        visible = self.visible_channels()
        if not visible:
            return
        self._moving = True
        try:
            self.plots[visible[0]].plot.setXRange(x0, x1, padding=0)
        finally:
            self._moving = False
        for name in visible:
            self.plots[name].place_crossing_label()

    def fit_y(self, x0: float, x1: float) -> None:
        """Fit each visible plot's y range to its data in ``[x0, x1]`` (unless zoomed by hand)."""
        for name in self.visible_channels():
            self.plots[name].fit_y(x0, x1)

    def reset_y(self) -> None:
        """Let every plot's y range follow its data again (the operator's y zooms are dropped)."""
        for cp in self.plots.values():
            cp.auto_y = True

    def settle(self) -> None:
        """Apply pending view changes now rather than at paint time.

        pyqtgraph defers a view's transform to just before painting; the items' bounds then change
        during the paint and Qt paints their edges a second time. Settling first makes one paint.
        """
        for name in self.visible_channels():
            self.plots[name].plot.vb.prepareForPaint()

    def x_range(self) -> tuple[float, float] | None:
        visible = self.visible_channels()
        if not visible:
            return None
        x0, x1 = self.plots[visible[0]].plot.vb.viewRange()[0]
        return float(x0), float(x1)

    def width_px(self) -> int:
        return max(200, self.view.width())

    # -- interaction --------------------------------------------------------------------------
    def _on_manual_range(self, cp: ChannelPlot, mask: list[bool]) -> None:
        if mask[1]:
            cp.auto_y = False  # the operator's y zoom stays until following resumes
        if not self._moving:
            rng = self.x_range()
            if rng:
                self.user_range_changed.emit(*rng)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.view and event.type() == QtCore.QEvent.Leave:
            self.hide_crosshair()
        return False

    def hide_crosshair(self) -> None:
        for cp in self.plots.values():
            cp.cursor.setVisible(False)
            cp.readout.setVisible(False)

    def _on_mouse(self, event: tuple[QtCore.QPointF]) -> None:
        pos = event[0]
        target = next(
            (
                cp
                for n in self.visible_channels()
                if (cp := self.plots[n]).plot.sceneBoundingRect().contains(pos)
            ),
            None,
        )
        for name in self.visible_channels():
            cp = self.plots[name]
            cp.cursor.setVisible(target is not None)
            cp.readout.setVisible(target is not None)
        if target is None:
            return
        x = target.plot.vb.mapSceneToView(pos).x()
        stamp = datetime.fromtimestamp(x).strftime("%Y-%m-%d %H:%M:%S")
        for name in self.visible_channels():
            cp = self.plots[name]
            cp.cursor.setPos(x)
            value = cp.value_at(x)
            text = f"{stamp}  {name}: " + ("–" if value is None else f"{value:.4g} {cp.unit}".strip())
            why = cp.explanation_at(x, 4 * cp.plot.vb.viewPixelSize()[0])  # on a mark: what was unusual
            cp.readout.setText(text if why is None else f"{text}\n{render_message(why)}")
            # Beside the cursor, on the side with room, at the top: never cut off at an edge.
            (x0, x1), (_, y1) = cp.plot.vb.viewRange()
            right_half = x > (x0 + x1) / 2
            cp.readout.setAnchor((1, 0) if right_half else (0, 0))
            cp.readout.setPos(x, y1)
