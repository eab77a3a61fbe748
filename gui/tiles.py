"""Channel tiles: the current value with its unit, the trend, and how old the reading is."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

STALE_AFTER_S = 10.0


def trend_per_minute(ts_us: np.ndarray, values: np.ndarray, window_s: float = 60.0) -> float | None:
    """Least-squares slope of the last ``window_s`` seconds, in units per minute."""
    if len(ts_us) < 3:
        return None
    sel = ts_us >= ts_us[-1] - window_s * 1e6
    t, v = ts_us[sel] / 60e6, values[sel]
    if len(t) < 3 or np.ptp(t) == 0:
        return None
    t = t - t.mean()
    return float((t * (v - v.mean())).sum() / (t * t).sum())


class ChannelTile(QtWidgets.QFrame):
    def __init__(self, name: str, unit: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.unit = unit
        self.setFrameShape(QtWidgets.QFrame.StyledPanel)
        self.setObjectName("tile")
        self.title = QtWidgets.QLabel(name)
        self.title.setStyleSheet("color:#555; font-weight:bold;")
        self.value = QtWidgets.QLabel("–")
        big = QtGui.QFont(self.value.font())
        big.setPointSize(20)
        self.value.setFont(big)
        self.trend = QtWidgets.QLabel("")
        self.age = QtWidgets.QLabel("")
        self.age.setStyleSheet("color:#777;")
        # Sizes from the widest text each label shows, so the tiles never shift sideways as the
        # numbers change (a value of 4 significant digits with sign, point and exponent). Fixed
        # sizes also keep a new number from laying the tile out again, twice a second per tile.
        value_px = QtGui.QFontMetrics(big).horizontalAdvance(f"-8.888e+88 {unit}".strip())
        self.value.setFixedSize(value_px, self.value.sizeHint().height())
        small = self.trend.fontMetrics()
        widest_trend = self.tr("{arrow} {slope}/min").format(arrow="▲", slope="-8.88e+88")
        widest_age = max((_age_text(s) for s in (88.0, 5000.0, 99_999.0)), key=small.horizontalAdvance)
        self.trend.setFixedSize(small.horizontalAdvance(widest_trend) + 2, self.trend.sizeHint().height())
        self.age.setFixedSize(small.horizontalAdvance(widest_age) + 2, self.age.sizeHint().height())
        self.age.setAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
        self._shown: tuple | None = None  # the texts and staleness last shown: unchanged, none is set
        self.setToolTip(name)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.trend)
        row.addStretch(1)
        row.addWidget(self.age)
        layout.addLayout(row)
        self.note = QtWidgets.QLabel("")
        self.note.setStyleSheet("color:#555; font-size:8pt;")
        self.note.setWordWrap(False)
        layout.addWidget(self.note)
        note_font = QtGui.QFont(self.note.font())
        note_font.setPointSize(8)
        widest = max(
            value_px,
            self.trend.width() + self.age.width() + row.spacing() + 8,
            QtGui.QFontMetrics(note_font).horizontalAdvance("M" * 24),
            150,
        )
        self.setFixedWidth(widest + 16 + 2 * self.frameWidth())
        self._note_metrics = QtGui.QFontMetrics(note_font)
        self._note_px = widest
        self._note: tuple[str, bool] = ("", False)

    def set_note(self, text: str, problem: bool = False) -> None:
        """One line under the value: forecast skill, or what is wrong with the channel's model."""
        if (text, problem) == self._note:
            return
        self._note = (text, problem)
        self.note.setText(self._note_metrics.elidedText(text, QtCore.Qt.ElideRight, self._note_px))
        self.note.setToolTip(text)
        self.note.setStyleSheet("color:%s; font-size:8pt;" % ("#b42318" if problem else "#555"))

    def show_reading(self, value: float, age_s: float, slope: float | None) -> None:
        value_text = f"{value:.4g} {self.unit}".strip()
        if slope is None:
            trend_text = ""
        else:
            arrow = "▲" if slope > 0 else "▼" if slope < 0 else "▶"
            trend_text = self.tr("{arrow} {slope}/min").format(arrow=arrow, slope=f"{slope:+.3g}")
        age_text = _age_text(age_s)
        stale = age_s > STALE_AFTER_S
        shown = (value_text, trend_text, age_text, stale)
        if shown == self._shown:
            return  # the same words: no label is set, laid out or repainted
        old = self._shown or ("", "", "", None)
        self._shown = shown
        self.value.setText(value_text)  # a label given its own text again does nothing
        self.trend.setText(trend_text)
        self.age.setText(age_text)
        if stale != old[3]:  # a style sheet set, even the same one, styles the label anew
            self.value.setStyleSheet("color:%s;" % ("#999" if stale else "#111"))
        if stale or old[3]:
            self.setToolTip(
                self.tr("{name}: last reading {age} ago").format(name=self.name, age=age_text)
                if stale
                else self.name
            )


def _age_text(age_s: float) -> str:
    if age_s < 1:
        return QCoreApplication.translate("ChannelTile", "now")
    if age_s < 120:
        return QCoreApplication.translate("ChannelTile", "{n} s").format(n=f"{age_s:.0f}")
    if age_s < 7200:
        return QCoreApplication.translate("ChannelTile", "{n} min").format(n=f"{age_s / 60:.0f}")
    return QCoreApplication.translate("ChannelTile", "{n} h").format(n=f"{age_s / 3600:.1f}")


class TileStrip(QtWidgets.QScrollArea):
    """A row of tiles, one per channel, scrolling sideways when there are many."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        inner = QtWidgets.QWidget()
        self.row = QtWidgets.QHBoxLayout(inner)
        self.row.setContentsMargins(4, 4, 4, 4)
        self.row.addStretch(1)
        self.setWidget(inner)
        self.setFixedHeight(118)
        self.tiles: dict[str, ChannelTile] = {}

    def ensure(self, name: str, unit: str) -> ChannelTile:
        tile = self.tiles.get(name)
        if tile is None:
            tile = self.tiles[name] = ChannelTile(name, unit)
            self.row.insertWidget(self.row.count() - 1, tile)
        return tile

    def set_hidden(self, hidden: set[str]) -> None:
        for name, tile in self.tiles.items():
            tile.setVisible(name not in hidden)
