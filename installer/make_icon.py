"""Draw Watchkeeper's icon and write resources/icons/watchkeeper.png and .ico.

Run from the repository root when the design changes: ``uv run python installer/make_icon.py``.
The .ico holds PNG images at the sizes Windows asks for (16 to 256 px), drawn for each size
rather than scaled, so the small ones stay crisp.
"""

from __future__ import annotations

import math
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int):
    """A night-blue tile with a trend line that climbs to an amber alarm point."""
    from PySide6 import QtCore, QtGui

    image = QtGui.QImage(size, size, QtGui.QImage.Format_ARGB32)
    image.fill(QtCore.Qt.transparent)
    p = QtGui.QPainter(image)
    p.setRenderHint(QtGui.QPainter.Antialiasing)
    s = float(size)
    margin = max(0.5, s * 0.03)
    tile = QtCore.QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    gradient = QtGui.QLinearGradient(tile.topLeft(), tile.bottomRight())
    gradient.setColorAt(0.0, QtGui.QColor("#1f4e79"))
    gradient.setColorAt(1.0, QtGui.QColor("#0b2239"))
    p.setPen(QtCore.Qt.NoPen)
    p.setBrush(gradient)
    p.drawRoundedRect(tile, s * 0.18, s * 0.18)
    # The limit line the trend is about to reach.
    limit_y = s * 0.30
    dash = QtGui.QPen(QtGui.QColor(255, 255, 255, 110), max(1.0, s * 0.035))
    if size >= 32:
        dash.setStyle(QtCore.Qt.DashLine)
    p.setPen(dash)
    p.drawLine(QtCore.QPointF(s * 0.16, limit_y), QtCore.QPointF(s * 0.84, limit_y))
    # The measured trend: a damped wave that rises towards the limit.
    path = QtGui.QPainterPath()
    steps = 48
    for i in range(steps + 1):
        t = i / steps
        x = s * (0.16 + 0.58 * t)
        y = s * (0.74 - 0.34 * t - 0.09 * math.sin(t * 3.2 * math.pi) * (1 - 0.5 * t))
        path.moveTo(x, y) if i == 0 else path.lineTo(x, y)
    pen = QtGui.QPen(QtGui.QColor("#e8f1fa"), max(1.3, s * 0.075))
    pen.setCapStyle(QtCore.Qt.RoundCap)
    pen.setJoinStyle(QtCore.Qt.RoundJoin)
    p.setPen(pen)
    p.setBrush(QtCore.Qt.NoBrush)
    p.drawPath(path)
    # The alarm point where it meets the limit.
    end = path.currentPosition()
    r = max(1.5, s * 0.11)
    p.setPen(QtGui.QPen(QtGui.QColor("#0b2239"), max(0.8, s * 0.03)))
    p.setBrush(QtGui.QColor("#ffb000"))
    p.drawEllipse(QtCore.QPointF(end.x() + r * 0.4, limit_y), r, r)
    p.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6 import QtCore

    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose images are PNGs (read by Windows Vista and later, and by PyInstaller)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, blob in sorted(pngs.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtGui

    app = QtGui.QGuiApplication.instance() or QtGui.QGuiApplication(sys.argv[:1])
    pngs = {size: png_bytes(draw(size)) for size in SIZES}
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    (out / "watchkeeper.png").write_bytes(pngs[256])
    (out / "watchkeeper.ico").write_bytes(ico_bytes(pngs))
    print(f"Wrote {out / 'watchkeeper.png'} and {out / 'watchkeeper.ico'} ({', '.join(map(str, SIZES))} px)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
