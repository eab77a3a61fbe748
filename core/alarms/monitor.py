"""Monitor: anomaly scoring and the alarm engine on their own thread, fed by a bounded queue.

The reader thread only hands batches over (:meth:`Monitor.submit` never blocks); if scoring ever
falls behind and the queue fills, whole batches are dropped and counted, never silently. The
worker drains everything queued at once, at most every ``min_interval`` (big batches score
fastest) or as soon as ``round_readings`` wait, scores it, publishes the
scores, drives the alarm engine and lets time act on it (``tick``) at least every ``tick_interval``.

Forecasts arrive through :meth:`Monitor.set_forecast` (the forecast service pushes each cycle);
with a store, the newest stored cycle of every channel is restored once as the worker starts, so
the predictive alarm has a forecast from the first reading on after a restart.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.acquisition.modbus.poller import SlaveEvent
from core.acquisition.reader import PortEvent
from core.alarms.engine import AlarmEngine
from core.anomaly.detector import AnomalyDetector, ScoredBatch
from core.anomaly.process import DetectorProcess
from core.readings import ReadingBatch, concat_batches
from core.storage.forecasts import newest_cycles
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MonitorStats:
    scored: int  # readings scored and evaluated
    dropped: int  # readings dropped because the queue was full
    queued: int  # batches waiting now
    lag_s: float  # age of the newest reading evaluated, when it was evaluated


class Monitor:
    def __init__(
        self,
        detector: AnomalyDetector | DetectorProcess | None,  # or anything with their two calls
        engine: AlarmEngine,
        store: ReadingStore | None = None,  # the newest stored forecasts are restored from it
        max_batches: int = 1000,
        tick_interval: float = 1.0,
        min_interval: float = 1.0,
        round_readings: int = 2000,
    ) -> None:
        self.detector = detector
        self.engine = engine
        self.store = store
        self.tick_interval = tick_interval
        # Scoring costs a fixed ~1 ms per channel and call, whatever the call's size: gathering
        # readings for this long makes the calls few (at 4 channels x 10 Hz, a fifth of the CPU
        # of rounds every 0.2 s) and still alarms within a second of the reading, a DCS's scan.
        self.min_interval = min_interval
        # ... but a round starts early once this many readings wait: a round holds the GIL for
        # its whole batch, and at 8 x 1 kHz a second's batch stalled the window's thread.
        self.round_readings = round_readings
        self._waiting = 0  # readings submitted since the last round began (a hint, not a count)
        self._hurry = threading.Event()  # enough readings wait, or stop was asked
        self._queue: queue.Queue[ReadingBatch | None] = queue.Queue(max_batches)
        self._control: deque[Callable[[], None]] = deque()  # port events, forecasts: never dropped
        self._score_subscribers: list[Callable[[ScoredBatch], None]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.scored = 0
        self.dropped = 0
        self.lag_s = 0.0

    # -- producers (any thread) -----------------------------------------------------------------
    def submit(self, batch: ReadingBatch) -> bool:
        """Queue a batch for scoring; False (and counted) if the queue is full."""
        if not len(batch):
            return True
        try:
            self._queue.put_nowait(batch)
            self._waiting += len(batch)
            if self._waiting >= self.round_readings:
                self._hurry.set()
            return True
        except queue.Full:
            self.dropped += len(batch)
            return False

    def port_event(self, event: PortEvent) -> None:
        self._control.append(lambda: self.engine.port_event(event))
        self._wake()

    def device_event(self, event: SlaveEvent) -> None:
        """A device on a bus stopped or started answering (in order with the readings)."""
        self._control.append(lambda: self.engine.device_event(event))
        self._wake()

    def set_forecast(
        self, channel: str, ts_us: np.ndarray, value: np.ndarray, lower_95: np.ndarray, upper_95: np.ndarray
    ) -> None:
        """Hand a fresh forecast to the scorer and the predictive alarm (on the worker thread)."""

        self._control.append(lambda: self._apply_forecast(channel, ts_us, value, lower_95, upper_95))
        self._wake()

    def set_cycle(self, frame: pd.DataFrame) -> None:
        """Hand every channel of a forecast cycle to :meth:`set_forecast`: ``frame`` is a cycle's
        rows as :meth:`Forecaster.predict_cycle` returns them (timestamp, channel, forecast,
        lower_95, upper_95)."""
        for channel, rows in frame.groupby("channel", sort=False):
            since_epoch = pd.to_datetime(rows["timestamp"], utc=True) - pd.Timestamp(0, tz="UTC")
            ts = (since_epoch // pd.Timedelta(1, "us")).to_numpy(np.int64)  # whatever pandas' resolution
            value, lo, hi = (
                rows[c].to_numpy(np.float64, na_value=np.nan) for c in ("forecast", "lower_95", "upper_95")
            )
            self.set_forecast(str(channel), ts, value, lo, hi)

    def subscribe_scores(self, fn: Callable[[ScoredBatch], None]) -> None:
        """Call ``fn(scored_batch)`` on the worker thread after every scoring round; keep it quick."""
        self._score_subscribers.append(fn)

    def stats(self) -> MonitorStats:
        return MonitorStats(self.scored, self.dropped, self._queue.qsize(), self.lag_s)

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self._hurry.clear()
        self._thread = threading.Thread(target=self._run, name="Monitor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what is queued, then stop."""
        self._stop.set()
        self._hurry.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _wake(self) -> None:
        with contextlib.suppress(queue.Full):  # a full queue wakes the worker anyway
            self._queue.put_nowait(None)

    # -- worker ---------------------------------------------------------------------------------
    def _run(self) -> None:
        if self.store is not None:
            # Before any reading is gathered: if the file keeps this waiting, the readings that
            # arrive meanwhile are still evaluated before time is (no false comm loss). Cycles
            # pushed meanwhile are applied after it, so the newest one wins.
            try:
                self._restore_forecasts()
            except Exception:
                log.exception("reading the stored forecasts failed")
        last_tick = last_round = 0.0
        while True:
            rest = self.min_interval - (time.monotonic() - last_round)
            if rest > 0:
                self._hurry.wait(rest)
            if not self._stop.is_set():
                self._hurry.clear()
            self._waiting = 0
            last_round = time.monotonic()
            stopping = self._stop.is_set()
            try:
                first = self._queue.get(timeout=0.05 if stopping else self.tick_interval)
            except queue.Empty:
                first = None
            batches = [first] if first is not None else []
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    batches.append(item)
            try:
                self._round(batches)
                now = time.monotonic()
                if batches or now - last_tick >= self.tick_interval:
                    last_tick = now
                    self.engine.tick()
            except Exception:  # monitoring must outlive a bad batch
                log.exception("anomaly scoring or alarm evaluation failed")
            if stopping and self._queue.empty() and not self._control:
                return

    def _round(self, batches: list[ReadingBatch]) -> None:
        while self._control:
            self._control.popleft()()
        if not batches:
            return
        batch = concat_batches(batches)
        if self.detector is not None:
            scored = self.detector.update(batch)
            for fn in self._score_subscribers:
                try:
                    fn(scored)
                except Exception:
                    log.exception("score subscriber failed")
            self.engine.process(batch, scored.scores, scored.explanations)
        else:
            self.engine.process(batch)
        self.scored += len(batch)
        self.lag_s = max(0.0, time.time() - int(batch.ts_us.max()) / 1e6)

    def _apply_forecast(
        self, channel: str, ts_us: np.ndarray, value: np.ndarray, lower_95: np.ndarray, upper_95: np.ndarray
    ) -> None:
        """Give a forecast to the scorer and the predictive alarm (on the worker thread)."""
        if self.detector is not None:
            self.detector.set_forecast(channel, ts_us, value, lower_95, upper_95)
        self.engine.update_forecast(channel, ts_us, value, lower_95, upper_95)

    def _restore_forecasts(self) -> None:
        """Apply the newest stored cycle of every channel (once, as the worker starts)."""
        rows = newest_cycles(self.store)
        for channel, group in rows.groupby("channel"):
            ts = group["target_us"].to_numpy(np.int64)
            value, lo, hi = (
                group[c].to_numpy(np.float64, na_value=np.nan) for c in ("value", "lower_95", "upper_95")
            )
            self._apply_forecast(str(channel), ts, value, lo, hi)
