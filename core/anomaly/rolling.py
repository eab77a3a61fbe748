"""Vectorised statistics of the window *before* each reading, exact however the data is batched.

Every helper computes each output from a fixed window of earlier values with the same numpy call
shape, so results are bit-identical whether a stream arrives in one batch or in many; running sums
(cumsum) would not be, because their rounding depends on where the sum started.
"""

from __future__ import annotations

import numpy as np

# Rows per chunk: bounds the temporary (rows x window) copy that np.partition makes.
_CHUNK = 4096


def sliding_window_view(a: np.ndarray, window: int) -> np.ndarray:
    """Read-only ``(len(a) - window + 1, window)`` view of consecutive windows of a 1-D array.

    numpy's own ``sliding_window_view`` checks its arguments at some 20 us a call, and even
    ``as_strided`` takes a few: most of the cost of the small batches a live monitor scores. The
    view is made by the array constructor over the array's memory instead (the same strides).
    """
    a = np.ascontiguousarray(a)
    rows = max(len(a) - window + 1, 0)
    if not rows:
        return np.empty((0, window), a.dtype)
    view = np.ndarray((rows, window), a.dtype, a, 0, (a.itemsize, a.itemsize))
    view.flags.writeable = False
    return view


def past_order_stats(
    series: np.ndarray, start: int, window: int, ranks: tuple[int, ...], stop: int | None = None
) -> np.ndarray:
    """Order statistics ``ranks`` (0 = smallest) of the ``window`` values before ``series[i]``.

    Computed for every ``start <= i < stop`` (``start >= window``; ``stop`` at most
    ``len(series) + 1``, by default ``len(series)``); returns ``(len(ranks), n)``.
    """
    stop = len(series) if stop is None else stop
    n = stop - start
    if n <= 0:
        return np.empty((len(ranks), 0))
    views = sliding_window_view(series[start - window : stop - 1], window)
    if n <= _CHUNK:
        return np.partition(views, ranks, axis=1)[:, list(ranks)].T
    out = np.empty((len(ranks), n))
    for lo in range(0, n, _CHUNK):
        part = np.partition(views[lo : lo + _CHUNK], ranks, axis=1)
        out[:, lo : lo + len(part)] = part[:, list(ranks)].T
    return out


def trailing_mean(series: np.ndarray, start: int, window: int) -> np.ndarray:
    """Mean of the ``window`` values ending at ``series[i]`` (inclusive), for every ``i >= start``.

    ``start`` must be ``>= window - 1``.
    """
    n = len(series) - start
    if n <= 0:
        return np.empty(0)
    views = sliding_window_view(series[start - window + 1 :], window)
    return np.add.reduce(views, axis=1) / window


def run_lengths(x: np.ndarray, prev_value: float, prev_run: int) -> tuple[np.ndarray, np.ndarray]:
    """Length of the run of identical values ending at each reading, and where runs break.

    ``prev_value``/``prev_run`` carry the run in progress from the previous batch (``prev_run`` 0:
    none). Returns ``(run, breaks)``: ``breaks[i]`` is true where ``x[i]`` differs from the reading
    before it.
    """
    n = len(x)
    same = np.empty(n, dtype=bool)
    if n:
        same[0] = prev_run > 0 and x[0] == prev_value
        np.equal(x[1:], x[:-1], out=same[1:])
    idx = np.arange(n)
    last_break = np.maximum.accumulate(np.where(~same, idx, -1)) if n else idx
    run = np.where(last_break >= 0, idx - last_break + 1, prev_run + idx + 1)
    return run, ~same
