"""TileView: each channel tile shows its newest value, its trend over a minute and its age."""

from __future__ import annotations

import time

from core.live import LiveBuffer
from gui.tiles import TileStrip, trend_per_minute

TREND_US = 60_000_000  # the trend is over the last minute


class TileView:
    """Fills the visible tiles from the live buffer (called on the status timer)."""

    def __init__(self, tiles: TileStrip, live: LiveBuffer) -> None:
        self.tiles = tiles
        self.live = live

    def update(self) -> None:
        now = time.time()
        for name, reading in self.live.latest().items():
            tile = self.tiles.tiles.get(name)
            if tile is not None and tile.isVisible():
                ts, values = self.live.series(name, since_us=reading.ts_us - TREND_US)
                tile.show_reading(reading.value, now - reading.ts_us / 1e6, trend_per_minute(ts, values))
