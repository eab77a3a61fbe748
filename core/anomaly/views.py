"""ViewSelector: which series the window features look at — raw, or minus a seasonal profile.

A signal with a daily (or weekly) cycle is best judged after removing the cycle: a switch-over
that happens every morning is normal, a missing one is not. For each view the selector keeps the
recent values and, at each refit, how tight the view is: the interquartile range of its last
``window`` values, the scale the level evidence divides by, smoothed over refits. It picks the
tightest view and leaves the current one only for a clearly better one (by ``SWITCH_MARGIN``), so
it does not flicker.
"""

from __future__ import annotations

import numpy as np

VIEWS = ("raw", "daily", "weekly")
SWITCH_MARGIN = 0.8
_SMOOTHING = 0.125  # weight of the newest segment in each view's running predictability


class ViewSelector:
    __slots__ = ("_hist", "_keep", "_level", "view", "window")

    def __init__(self, window: int, keep: int) -> None:
        self.window = window
        self._keep = max(keep, window)
        self.view = "raw"
        self._hist = {v: np.empty(0) for v in VIEWS}
        self._level: dict[str, float | None] = dict.fromkeys(VIEWS, None)

    def history(self, view: str) -> np.ndarray:
        """The last values of ``view`` (NaN where its profile was not known yet)."""
        return self._hist[view]

    def observe(self, series: dict[str, np.ndarray]) -> None:
        """Learn this segment's values of every view."""
        for view, values in series.items():
            self._hist[view] = np.concatenate((self._hist[view], values))[-self._keep :]

    def choose(self) -> str:
        """Fold each view's current tightness into its running level and pick the view to use."""
        for view in VIEWS:
            recent = self._hist[view][-self.window :]
            if len(recent) < self.window or np.isnan(recent).any():
                if view != "raw":
                    self._level[view] = None  # its profile is not available (any more)
                continue
            lo, hi = len(recent) // 4, (3 * len(recent)) // 4
            part = np.partition(recent, (lo, hi))
            iqr = float(part[hi] - part[lo])
            old = self._level[view]
            self._level[view] = iqr if old is None else old + _SMOOTHING * (iqr - old)
        levels = {v: lvl for v, lvl in self._level.items() if lvl is not None}
        current = levels.get(self.view)
        best = min(levels, key=lambda v: (levels[v], VIEWS.index(v)), default="raw")
        if current is None or levels[best] < SWITCH_MARGIN * current:
            self.view = best
        return self.view
