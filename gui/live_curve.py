"""LiveCurve: a plot's live curve, drawn whole when the view moves and grown at its end as
readings come, so a new reading repaints a strip a few pixels wide instead of the plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

STRIP_FRACTION = 0.25  # a repaint narrower than this part of a curve draws only the points in it


class LiveCurve(pg.PlotCurveItem):
    """The live curve: set whole when the view moves, and extended at its end as readings come.

    An extension marks only the strip its new points cover as needing a repaint. Its bounds reach
    over the whole view, so a curve growing inside the view changes no geometry, and Qt repaints
    a strip a few pixels wide instead of the plot.
    """

    def __init__(self, pen: QtGui.QPen) -> None:
        super().__init__(pen=pen, skipFiniteCheck=True)  # the parser rejects non-finite values
        self._bounds: QtCore.QRectF | None = None
        self._pad: tuple[float, float] | None = None
        self._whole = 0  # points set whole: their path is made once, the extension's each paint
        self._whole_path: QtGui.QPainterPath | None = None
        self._room: tuple[np.ndarray, np.ndarray] | None = None  # what the points are views of
        # Qt tells paint() the part exposed, not just the bounds: a strip repainted draws the few
        # points inside it rather than the whole curve clipped to it.
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def updateData(self, *args, **kargs) -> None:
        super().updateData(*args, **kargs)
        self._whole = len(self.xData)
        self._whole_path = None

    def paint(self, p: QtGui.QPainter, opt, widget) -> None:
        """A strip exposed: the points in it and one on either side. Otherwise the curve in two
        paths: the points set whole (made once) and the extension."""
        x, y = self.xData, self.yData
        if x is None or not len(x):
            return
        exposed = opt.exposedRect
        if exposed.width() < STRIP_FRACTION * self.boundingRect().width():
            lo, hi = np.searchsorted(x, (exposed.left(), exposed.right()))
            lo, hi = max(int(lo) - 1, 0), min(int(hi) + 1, len(x))
            if hi - lo >= 2:
                p.setRenderHint(p.RenderHint.Antialiasing, bool(self.opts["antialias"]))
                p.setPen(self.opts["pen"])
                p.drawPath(pg.arrayToQPath(x[lo:hi], y[lo:hi], finiteCheck=False))
            return
        whole = min(self._whole, len(x))
        if self._whole_path is None:
            self._whole_path = pg.arrayToQPath(x[:whole], y[:whole], finiteCheck=False)
        p.setRenderHint(p.RenderHint.Antialiasing, bool(self.opts["antialias"]))
        p.setPen(self.opts["pen"])
        p.drawPath(self._whole_path)
        if len(x) > whole:
            start = max(whole - 1, 0)  # from the last point set whole
            p.drawPath(pg.arrayToQPath(x[start:], y[start:], finiteCheck=False))

    def invalidateBounds(self) -> None:
        self._bounds = self._pad = None
        super().invalidateBounds()

    def _pixel_pad(self) -> tuple[float, float]:
        """Two pixels in data units, kept until the view changes (finding them is not cheap)."""
        if self._pad is None:
            px, py = self.pixelVectors()
            self._pad = (
                2 * (px.length() if px is not None else 0.0),
                2 * (py.length() if py is not None else 0.0),
            )
        return self._pad

    def boundingRect(self) -> QtCore.QRectF:
        if self._bounds is None:
            rect = super().boundingRect()
            view = self.getViewBox()
            if view is not None:
                rect = rect.united(view.viewRect()) if rect.isValid() else view.viewRect()
            self._bounds = rect
        return self._bounds

    def extend(self, keep: int, x: np.ndarray, y: np.ndarray) -> tuple[float, float] | None:
        """Keep the first ``keep`` points and draw ``x, y`` after them; returns the lowest and
        highest value drawn anew (None if nothing was).

        The points live in arrays with room to grow: extending writes the new points in place
        instead of copying the curve, so a frame costs the same early and late in a step.
        """
        old_x, old_y = self.xData, self.yData
        n_old = len(old_x)
        keep = min(keep, n_old)
        if keep < self._whole:  # the extension replaces points set whole: they are made again
            self._whole, self._whole_path = keep, None
        start = max(keep - 1, 0)  # the segment from the point before joins the new points
        new_y = y.tolist()
        joined = old_y[start:n_old].tolist() + new_y  # a few points: the strip to repaint
        x_first = float(old_x[start]) if start < n_old else (float(x[0]) if len(x) else 0.0)
        x_last = float(x[-1]) if len(x) else (float(old_x[-1]) if n_old else 0.0)
        total = keep + len(x)
        room = self._room
        if room is None or len(room[0]) < total or old_x.base is not room[0]:
            size = max(2 * total, 1024)
            room = self._room = (np.empty(size), np.empty(size))
            room[0][:keep], room[1][:keep] = old_x[:keep], old_y[:keep]
        room[0][keep:total], room[1][keep:total] = x, y
        self.xData, self.yData = room[0][:total], room[1][:total]
        # What pyqtgraph derives from the points is made again at the next paint.
        self.path = self.fillPath = self._fillPathList = self._mouseShape = None
        self._lineSegmentsRendered = False
        self._boundsCache = [None, None]
        if not joined:
            return None
        lo, hi = min(joined), max(joined)
        strip = QtCore.QRectF(x_first, lo, x_last - x_first, hi - lo)
        bounds = self.boundingRect()
        if bounds.contains(strip.topLeft()) and bounds.contains(strip.bottomRight()):
            pad_x, pad_y = self._pixel_pad()  # the pen's width and Qt's rounding
            self.update(strip.adjusted(-pad_x, -pad_y, pad_x, pad_y))
        else:  # out of the view: bounds and all
            self.prepareGeometryChange()
            self.invalidateBounds()
            self.informViewBoundsChanged()
            self.update()
        return (min(new_y), max(new_y)) if new_y else None
