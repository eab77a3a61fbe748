"""LiveBuffer: the bounded, thread-safe store of recent readings that live views pull from.

The reader thread pushes every batch; the window pulls on a timer (25–50 ms) and never gets one
notification per reading. Each channel keeps a ring of the newest ``capacity`` readings; older
readings fall out of the ring (they are in the database) and are counted as ``evicted``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from core.acquisition.batch import ReadingBatch

_FIRST_ROOM = 1024  # readings a new channel gets before its ring grows (doubling) to capacity


class _Ring:
    """The newest ``capacity`` readings of one channel. It starts small and doubles as readings
    come, so a channel seen once or twice (a noisy line that named a new channel) costs a few
    kilobytes, not a full ring."""

    __slots__ = ("capacity", "count", "evicted", "head", "ts", "values")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        room = min(capacity, _FIRST_ROOM)
        self.ts = np.empty(room, np.int64)
        self.values = np.empty(room, np.float64)
        self.head = 0  # next write position
        self.count = 0
        self.evicted = 0

    def _grow(self, needed: int) -> None:
        room = min(self.capacity, max(2 * len(self.ts), needed))
        ts, values = self.ordered()
        self.ts = np.empty(room, np.int64)
        self.values = np.empty(room, np.float64)
        self.ts[: len(ts)] = ts
        self.values[: len(values)] = values
        self.head = self.count % room

    def extend(self, ts: np.ndarray, values: np.ndarray) -> None:
        if self.count + len(ts) > len(self.ts) and len(self.ts) < self.capacity:
            self._grow(self.count + len(ts))
        cap = len(self.ts)
        n = len(ts)
        if n >= cap:
            self.evicted += self.count + n - cap
            self.ts[:] = ts[-cap:]
            self.values[:] = values[-cap:]
            self.head, self.count = 0, cap
            return
        first = min(n, cap - self.head)
        self.ts[self.head : self.head + first] = ts[:first]
        self.values[self.head : self.head + first] = values[:first]
        rest = n - first
        if rest:
            self.ts[:rest] = ts[first:]
            self.values[:rest] = values[first:]
        self.head = (self.head + n) % cap
        overflow = max(0, self.count + n - cap)
        self.evicted += overflow
        self.count = min(cap, self.count + n)

    def ordered(self) -> tuple[np.ndarray, np.ndarray]:
        cap = len(self.ts)
        if self.count < cap:
            start = self.head - self.count
            return self.ts[start : self.head].copy(), self.values[start : self.head].copy()
        return (
            np.concatenate((self.ts[self.head :], self.ts[: self.head])),
            np.concatenate((self.values[self.head :], self.values[: self.head])),
        )


@dataclass(frozen=True, slots=True)
class Latest:
    ts_us: int
    value: float


class LiveBuffer:
    """Recent readings per channel, bounded by count; safe to push and pull from different threads."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._rings: dict[str, _Ring] = {}
        self._lock = threading.Lock()
        self._version = 0
        self._changed: dict[str, int] = {}
        self.total = 0

    def push(self, batch: ReadingBatch) -> None:
        """Add a batch (called on the reader thread; cost is one pass per channel in the batch)."""
        if not len(batch):
            return
        order = np.argsort(batch.codes, kind="stable")
        codes = batch.codes[order]
        bounds = np.flatnonzero(np.diff(codes)) + 1
        starts = np.r_[0, bounds]
        ends = np.r_[bounds, len(codes)]
        with self._lock:
            self._version += 1
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
                name = batch.names[codes[s]]
                idx = order[s:e]
                ring = self._rings.get(name)
                if ring is None:
                    ring = self._rings[name] = _Ring(self.capacity)
                ring.extend(batch.ts_us[idx], batch.values[idx])
                self._changed[name] = self._version
            self.total += len(batch)

    @property
    def version(self) -> int:
        """Increases with every push; compare with a saved value to see if anything arrived."""
        return self._version

    def channels(self) -> list[str]:
        with self._lock:
            return sorted(self._rings)

    def changed_since(self, version: int) -> list[str]:
        with self._lock:
            return sorted(n for n, v in self._changed.items() if v > version)

    def series(self, channel: str, since_us: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the channel's (ts_us, values), oldest first, optionally from ``since_us`` on."""
        with self._lock:
            ring = self._rings.get(channel)
            if ring is None:
                return np.empty(0, np.int64), np.empty(0, np.float64)
            ts, values = ring.ordered()
        if since_us is not None and len(ts):
            i = int(np.searchsorted(ts, since_us, side="left"))
            ts, values = ts[i:], values[i:]
        return ts, values

    def latest(self) -> dict[str, Latest]:
        """The newest reading of every channel."""
        with self._lock:
            out = {}
            for name, ring in self._rings.items():
                if ring.count:
                    i = (ring.head - 1) % len(ring.ts)
                    out[name] = Latest(int(ring.ts[i]), float(ring.values[i]))
            return out

    def evicted(self) -> int:
        with self._lock:
            return sum(r.evicted for r in self._rings.values())
