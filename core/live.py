"""LiveBuffer: the bounded, thread-safe store of recent readings that live views pull from.

The reader thread pushes every batch; a window that subscribed is told that something came
(once per push or round of scores, never once per reading) and pulls what it draws. Each
channel keeps a ring of the newest ``capacity`` readings; older readings fall out of the ring
(they are in the database) and are counted as ``evicted``.

Every reading also has a slot for its anomaly score, empty (NaN) until the scoring thread
fills it with :meth:`LiveBuffer.set_scores`. Readings never wait for their scores: a value is
pulled as soon as it is pushed, and its score joins it in the same slot when it comes. Scores
find their readings by batch, not by timestamp: the scorer sees the pushed batches in push
order (whole batches may be dropped when it falls behind, and it joins consecutive batches
into one round), so each scored round is matched, batch by batch, against the batches pushed
and not scored yet.

:class:`LiveTail` is what a followed plot draws of the readings that came since it drew its
curve whole: their min and max per bucket of fixed time (two pixels wide), so a new reading
changes only the last bucket's points and adds points after them, and the window repaints that
strip a few pixels wide instead of the plot. The newest reading is always one of the points.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.readings import ReadingBatch

log = logging.getLogger(__name__)

_FIRST_ROOM = 1024  # readings a new channel gets before its ring grows (doubling) to capacity
_EXPLAINED = 1000  # explanations of flagged readings kept per channel (they are few)


class _Ring:
    """The newest ``capacity`` readings of one channel. It starts small and doubles as readings
    come, so a channel seen once or twice (a noisy line that named a new channel) costs a few
    kilobytes, not a full ring.

    Readings are numbered from 0 in arrival order (``written`` so far); reading ``a`` sits at
    ``(a - base) % room`` while it is in the ring, which is how a late score finds its slot."""

    __slots__ = (
        "base",
        "capacity",
        "count",
        "evicted",
        "explained",
        "head",
        "scores",
        "ts",
        "values",
        "written",
    )

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        room = min(capacity, _FIRST_ROOM)
        self.ts = np.empty(room, np.int64)
        self.values = np.empty(room, np.float64)
        self.scores = np.full(room, np.nan, np.float32)  # float32: a score needs no more
        self.head = 0  # next write position
        self.count = 0
        self.evicted = 0
        self.written = 0
        self.base = 0
        self.explained: deque[tuple[int, object]] = deque(maxlen=_EXPLAINED)  # (ts_us, Explanation)

    def _grow(self, needed: int) -> None:
        room = min(self.capacity, max(2 * len(self.ts), needed))
        ts, values, scores = self.ordered()
        self.ts = np.empty(room, np.int64)
        self.values = np.empty(room, np.float64)
        self.scores = np.full(room, np.nan, np.float32)
        self.ts[: len(ts)] = ts
        self.values[: len(values)] = values
        self.scores[: len(scores)] = scores
        self.head = self.count % room
        self.base = self.written - self.count

    def extend(self, ts: np.ndarray, values: np.ndarray) -> int:
        """Append readings (their scores empty); returns the number of the first one."""
        first_number = self.written
        if self.count + len(ts) > len(self.ts) and len(self.ts) < self.capacity:
            self._grow(self.count + len(ts))
        cap = len(self.ts)
        n = len(ts)
        self.written += n
        if n >= cap:
            self.evicted += self.count + n - cap
            self.ts[:] = ts[-cap:]
            self.values[:] = values[-cap:]
            self.scores[:] = np.nan
            self.head, self.count = 0, cap
            self.base = self.written - cap
            return first_number
        first = min(n, cap - self.head)
        self.ts[self.head : self.head + first] = ts[:first]
        self.values[self.head : self.head + first] = values[:first]
        self.scores[self.head : self.head + first] = np.nan
        rest = n - first
        if rest:
            self.ts[:rest] = ts[first:]
            self.values[:rest] = values[first:]
            self.scores[:rest] = np.nan
        self.head = (self.head + n) % cap
        overflow = max(0, self.count + n - cap)
        self.evicted += overflow
        self.count = min(cap, self.count + n)
        return first_number

    def set_scores(self, numbers: np.ndarray, scores: np.ndarray) -> int:
        """Fill the scores of readings ``numbers``; returns how many had already left the ring."""
        kept = numbers >= self.written - self.count
        self.scores[(numbers[kept] - self.base) % len(self.ts)] = scores[kept]
        return int(len(numbers) - np.count_nonzero(kept))

    def newer(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Copies of (ts, values) of the readings numbered ``number`` on that are still here."""
        n = min(self.written - number, self.count)
        if n <= 0:
            return self.ts[:0].copy(), self.values[:0].copy()
        cap = len(self.ts)
        start = (self.head - n) % cap
        if start + n <= cap:
            return self.ts[start : start + n].copy(), self.values[start : start + n].copy()
        return (
            np.concatenate((self.ts[start:], self.ts[: self.head])),
            np.concatenate((self.values[start:], self.values[: self.head])),
        )

    def ordered(self, since_us: int | None = None, scores: bool = True) -> tuple[np.ndarray, ...]:
        """Copies of (ts, values[, scores]), oldest first, from ``since_us`` on: only that part is
        copied (the window pulls the visible minutes of a ring that may hold hours)."""
        arrays = (self.ts, self.values, self.scores) if scores else (self.ts, self.values)
        cap, h = len(self.ts), self.head
        if self.count < cap:
            start = h - self.count
            if since_us is not None:
                start += int(np.searchsorted(self.ts[start:h], since_us, side="left"))
            return tuple(a[start:h].copy() for a in arrays)
        if since_us is not None:
            newer = self.ts[:h]  # the newer part of a full ring sits before the head
            if h and since_us > self.ts[cap - 1]:
                i = int(np.searchsorted(newer, since_us, side="left"))
                return tuple(a[i:h].copy() for a in arrays)
            i = h + int(np.searchsorted(self.ts[h:], since_us, side="left"))
            return tuple(np.concatenate((a[i:], a[:h])) for a in arrays)
        return tuple(np.concatenate((a[h:], a[:h])) for a in arrays)


@dataclass(frozen=True, slots=True)
class Latest:
    ts_us: int
    value: float


@dataclass(slots=True)
class _Pushed:
    """A pushed batch waiting for its scores: where each of its channels' readings went."""

    batch: ReadingBatch
    parts: list[tuple[_Ring, np.ndarray, int]]  # (ring, rows of the batch, number of the first)

    def matches(self, batch: ReadingBatch, offset: int) -> bool:
        """Whether ``batch`` holds this batch's readings from row ``offset`` on (the scorer may
        have joined it with the batches before and after it)."""
        mine = self.batch
        n = len(mine)
        if batch is mine and offset == 0:
            return True
        if n > len(batch) - offset or mine.ts_us[0] != batch.ts_us[offset]:
            return False
        end = offset + n
        return bool(
            np.array_equal(mine.ts_us, batch.ts_us[offset:end])
            and np.array_equal(mine.values, batch.values[offset:end], equal_nan=True)
        )


class LiveBuffer:
    """Recent readings and their scores per channel, bounded by count; safe to push, score and
    pull from different threads."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._rings: dict[str, _Ring] = {}
        self._lock = threading.Lock()
        self._version = 0
        self._score_version = 0
        self._changed: dict[str, int] = {}
        self.total = 0
        # Batches pushed and not scored yet, oldest first; bounded by readings (a recording that
        # is not scored at all leaves them here until they fall out).
        self._unscored: deque[_Pushed] = deque()
        self._unscored_readings = 0
        # Scores of readings not pushed yet: the scorer can finish a batch before the reader
        # thread, which hands it to the scorer first, has pushed it here.
        # [batch, scores, first row not placed yet, explanations].
        self._early: deque[list] = deque()
        self.unplaced_scores = 0  # scores whose reading had left the ring or was never pushed
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, fn: Callable[[], None]) -> None:
        """Call ``fn()`` after every push and every round of scores placed, on the thread that
        pushed or scored (outside the buffer's lock): a view can wait for it instead of asking
        on a timer whether anything came. Keep it quick; what it raises is logged."""
        self._listeners.append(fn)

    def unsubscribe(self, fn: Callable[[], None]) -> None:
        """Stop calling ``fn`` (a call already under way on another thread still finishes)."""
        self._listeners = [f for f in self._listeners if f != fn]

    def _tell(self) -> None:
        for fn in self._listeners:  # unsubscribe replaces the list: this one stays whole
            try:
                fn()
            except Exception:
                log.exception("live buffer listener failed")

    def push(self, batch: ReadingBatch) -> None:
        """Add a batch (called on the reader thread; cost is one pass per channel in the batch)."""
        if not len(batch):
            return
        order = np.argsort(batch.codes, kind="stable")
        codes = batch.codes[order]
        bounds = np.flatnonzero(np.diff(codes)) + 1
        starts = np.r_[0, bounds]
        ends = np.r_[bounds, len(codes)]
        parts = []
        with self._lock:
            self._version += 1
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
                name = batch.names[codes[s]]
                idx = order[s:e]
                ring = self._rings.get(name)
                if ring is None:
                    ring = self._rings[name] = _Ring(self.capacity)
                parts.append((ring, idx, ring.extend(batch.ts_us[idx], batch.values[idx])))
                self._changed[name] = self._version
            self.total += len(batch)
            self._unscored.append(_Pushed(batch, parts))
            self._unscored_readings += len(batch)
            while self._unscored_readings > max(self.capacity, len(batch)):
                self._unscored_readings -= len(self._unscored.popleft().batch)
            if self._early:
                # Early scores waited for a push: only this batch can be theirs (they would have
                # matched an older one when they came).
                self._place(len(self._unscored) - 1)
        self._tell()

    def set_scores(
        self, batch: ReadingBatch, scores: np.ndarray, explanations: dict[int, object] | None = None
    ) -> None:
        """Give the readings of a scored round (one or more pushed batches, in push order) their
        scores, and ``explanations`` (row of ``batch`` -> why) to the flagged ones. Called on the
        scoring thread; the cost is one array copy per channel of each batch."""
        if not len(batch):
            return
        with self._lock:
            # Early scores still unplaced when the next round comes match no pushed batch: the
            # reader pushes a batch before it hands the scorer the next one.
            while self._early:
                stale, _, row, _ = self._early.popleft()
                self.unplaced_scores += len(stale) - row
            self._early.append([batch, np.asarray(scores, np.float32), 0, explanations or {}])
            self._place()
        self._tell()

    def _place(self, first: int = 0) -> None:
        """Match early scores against the unscored batches from ``first`` on (under the lock)."""
        while self._early:
            batch, scores, row, explanations = self._early[0]
            candidates = range(max(0, first), len(self._unscored))
            found = next((i for i in candidates if self._unscored[i].matches(batch, row)), None)
            first = 0
            if found is None:
                return  # its batch is not pushed yet
            for _ in range(found):  # batches the scorer dropped: they get no score
                self._unscored_readings -= len(self._unscored.popleft().batch)
            pushed = self._unscored.popleft()
            self._unscored_readings -= len(pushed.batch)
            n = len(pushed.batch)
            mine = scores[row : row + n]
            for ring, idx, number in pushed.parts:
                self.unplaced_scores += ring.set_scores(number + np.arange(len(idx)), mine[idx])
            for i, why in explanations.items():  # few: flagged readings only
                if row <= i < row + n:
                    b = pushed.batch
                    self._rings[b.names[b.codes[i - row]]].explained.append((int(b.ts_us[i - row]), why))
            self._score_version += 1
            row += n
            if row >= len(batch):
                self._early.popleft()
            else:
                self._early[0][2] = row

    @property
    def version(self) -> int:
        """Increases with every push; compare with a saved value to see if anything arrived."""
        return self._version

    @property
    def score_version(self) -> int:
        """Increases whenever scores arrive."""
        return self._score_version

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
            return ring.ordered(since_us, scores=False)

    def scored_series(
        self, channel: str, since_us: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Copies of the channel's (ts_us, values, scores), oldest first, optionally from
        ``since_us`` on; a score not known yet is NaN."""
        with self._lock:
            ring = self._rings.get(channel)
            if ring is None:
                return np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, np.float32)
            return ring.ordered(since_us)

    def numbered_series(
        self, channel: str, since_us: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """:meth:`scored_series` and the number the channel's next reading will get (readings are
        numbered from 0 in arrival order), taken together: what :meth:`newer` goes on from."""
        with self._lock:
            ring = self._rings.get(channel)
            if ring is None:
                return np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, np.float32), 0
            return (*ring.ordered(since_us), ring.written)

    def newer(self, channel: str, number: int) -> tuple[np.ndarray, np.ndarray, int]:
        """Copies of the channel's (ts_us, values) numbered ``number`` on, oldest first (those
        that already left the ring are not returned), and the number the next reading will get:
        a view that drew up to ``number`` pulls only what came since."""
        with self._lock:
            ring = self._rings.get(channel)
            if ring is None:
                return np.empty(0, np.int64), np.empty(0, np.float64), number
            return (*ring.newer(number), ring.written)

    def explanations(self, channel: str) -> tuple[np.ndarray, list]:
        """(ts_us, explanations) of the channel's newest flagged readings, oldest first."""
        with self._lock:
            ring = self._rings.get(channel)
            kept = list(ring.explained) if ring is not None else []
        return np.array([t for t, _ in kept], np.int64), [why for _, why in kept]

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


def _bucket_extremes(y: np.ndarray, buckets: np.ndarray) -> np.ndarray:
    """Indices, in order, of the min and the max of each run of equal ``buckets`` (sorted)."""
    if not len(y):
        return np.empty(0, np.intp)
    starts = np.r_[0, np.flatnonzero(np.diff(buckets)) + 1]
    ends = np.r_[starts[1:], len(y)]
    by_value = np.lexsort((y, buckets))  # within each bucket, smallest value first
    return np.unique(np.concatenate((by_value[starts], by_value[ends - 1])))


class LiveTail:
    """Points to draw for readings added in time order, ``bucket_s`` wide buckets from ``origin``.

    The newest (open) bucket is kept as its min, its max and its newest reading, not as its
    readings: a frame costs the same at 10 Hz and at 1 kHz.
    """

    def __init__(self, origin: float, bucket_s: float, after: float = -np.inf) -> None:
        """``after``: the time of the newest reading drawn before the tail begins."""
        self.origin = origin
        self.bucket_s = bucket_s
        self.closed = 0  # points of the buckets that no reading can change any more
        self.last_x = after  # the newest reading's time
        self._bucket: int | None = None  # the open bucket's number
        self._lo = self._hi = self._last = (0.0, 0.0)  # its min, max and newest (x, y)

    def _number(self, x: float) -> int:
        return math.floor((x - self.origin) / self.bucket_s)

    def _open(self, x: np.ndarray, y: np.ndarray) -> None:
        """Take readings of one bucket into the open bucket (a new one if ``_bucket`` is None)."""
        if len(y) == 1:
            lo = hi = (float(x[0]), float(y[0]))
        else:
            i, j = int(y.argmin()), int(y.argmax())
            lo, hi = (float(x[i]), float(y[i])), (float(x[j]), float(y[j]))
        if self._bucket is None:
            self._bucket = self._number(lo[0])
            self._lo, self._hi = lo, hi
        else:
            self._lo = lo if lo[1] < self._lo[1] else self._lo
            self._hi = hi if hi[1] > self._hi[1] else self._hi
        self._last = (float(x[-1]), float(y[-1]))

    def _close(self) -> list[tuple[float, float]]:
        """The open bucket's points for good (its min and max in time order) and no open bucket."""
        self._bucket = None
        return sorted({self._lo, self._hi})

    def add(self, x: np.ndarray, y: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
        """Add readings (``x`` in time order, none before those added already).

        Returns ``(keep, px, py)``: the first ``keep`` points returned so far stand, and
        ``px, py`` follow them (they replace the newest bucket's points returned before).
        """
        keep = self.closed
        done: list[tuple[float, float]] = []
        middle = (np.empty(0), np.empty(0))
        if len(x):
            self.last_x = float(x[-1])
            first, last = self._number(float(x[0])), self._number(self.last_x)
            if self._bucket is not None and self._bucket != first:
                done += self._close()
            if first == last:
                self._open(x, y)
            else:
                numbers = np.floor((x - self.origin) / self.bucket_s)
                end_first = int(np.searchsorted(numbers, first, side="right"))
                start_last = int(np.searchsorted(numbers, last, side="left"))
                self._open(x[:end_first], y[:end_first])
                done += self._close()
                inner = end_first + _bucket_extremes(y[end_first:start_last], numbers[end_first:start_last])
                middle = (x[inner], y[inner])
                self._open(x[start_last:], y[start_last:])
        self.closed += len(done) + len(middle[0])
        shown = sorted({self._lo, self._hi, self._last}) if self._bucket is not None else []
        if not len(middle[0]):  # the usual frame: a handful of points, made without numpy's overhead
            points = done + shown
            return keep, np.array([p[0] for p in points], float), np.array([p[1] for p in points], float)
        head = np.array(done, float).reshape(-1, 2)
        tail = np.array(shown, float).reshape(-1, 2)
        return (
            keep,
            np.concatenate((head[:, 0], middle[0], tail[:, 0])),
            np.concatenate((head[:, 1], middle[1], tail[:, 1])),
        )
