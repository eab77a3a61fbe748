"""DetectorProcess: the anomaly detector in a child process, behind the same calls.

Scoring every reading is steady numpy and Python work. In the window's process it competes with
the GUI thread for the interpreter lock, and a window that has to wait for the lock stutters. In
a child process the scoring has a core of its own; the parent only sends each batch's columns
through a pipe and waits for the scores (waiting on a pipe does not hold the lock).

The scores are the same as in-process scoring: the child runs the same :class:`AnomalyDetector`
on the same batches in the same order. If the child dies, the next call starts a new one (its
scorers learn again from scratch), hands it the latest forecasts, logs it and counts it in
``restarts``; if a new child cannot be started either, scoring goes on in this process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import signal

import numpy as np

from core.anomaly.detector import AnomalyDetector, ScoredBatch
from core.anomaly.explain import Explanation
from core.anomaly.settings import AnomalyConfig
from core.readings import ReadingBatch

log = logging.getLogger(__name__)
START_TIMEOUT_S = 60.0  # a cold start imports numpy in the child; slow disks take a while


def _serve(conn, config: AnomalyConfig) -> None:
    """The child: score what arrives until told to stop or the parent goes away."""
    # Ctrl+C in a console reaches the whole process group: the parent decides when this ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _serve_loop(conn, AnomalyDetector(config))
    except (EOFError, OSError):  # the parent closed the pipe (it stopped or is gone)
        return


def _serve_loop(conn, detector: AnomalyDetector) -> None:
    conn.send(("ready",))
    while True:
        message = conn.recv()
        kind = message[0]
        if kind == "update":
            _, columns, names = message
            try:
                ts_us, codes, values = (np.frombuffer(data, dtype) for dtype, data in columns)
                scored = detector.update(ReadingBatch(ts_us, codes, values, names))
            except Exception as exc:  # a bad batch is the caller's error, not the end of scoring
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
                continue
            # Explanations exist for flagged readings only: a few small tuples, if any.
            why = [(i, e.kind, e.params) for i, e in scored.explanations.items()]
            conn.send(("scores", scored.scores.tobytes(), scored.flags.tobytes(), why))
        elif kind == "forecast":
            detector.set_forecast(*message[1:])
        elif kind == "stop":
            return


class DetectorProcess:
    """An :class:`AnomalyDetector` that runs in a spawned child process.

    Use it from one thread (the monitor's), like the detector itself; :meth:`close` ends the child.
    """

    def __init__(self, config: AnomalyConfig | None = None) -> None:
        self.config = config or AnomalyConfig()
        self.restarts = 0
        self._forecasts: dict[str, tuple] = {}  # replayed into a restarted child
        self._fallback: AnomalyDetector | None = None
        self._proc = None
        self._conn = None
        self._ready = False
        self._start()

    # -- the detector's calls ---------------------------------------------------------------------
    def update(self, batch: ReadingBatch) -> ScoredBatch:
        if self._fallback is not None:
            return self._fallback.update(batch)
        # The columns travel as bytes (with their dtypes): pickling arrays costs several times more.
        columns = tuple(
            (a.dtype.str, a.tobytes()) for a in map(np.asarray, (batch.ts_us, batch.codes, batch.values))
        )
        message = ("update", columns, tuple(batch.names))
        for attempt in (1, 2):
            try:
                self._wait_ready()
                self._conn.send(message)
                reply = self._conn.recv()
            except (EOFError, OSError, AttributeError) as exc:
                if attempt == 2 or not self._restart(exc):
                    break
                continue
            if reply[0] == "error":
                raise RuntimeError(f"anomaly scoring failed: {reply[1]}")
            why = {i: Explanation(kind, params) for i, kind, params in reply[3]}
            scores = np.frombuffer(reply[1], np.float64).copy()
            flags = np.frombuffer(reply[2], np.bool_).copy()
            return ScoredBatch(batch, scores, flags, why)
        return self._fallback_detector().update(batch)

    def set_forecast(
        self, channel: str, ts_us: np.ndarray, value: np.ndarray, lower_95: np.ndarray, upper_95: np.ndarray
    ) -> None:
        self._forecasts[channel] = (channel, ts_us, value, lower_95, upper_95)
        if self._fallback is not None:
            self._fallback.set_forecast(channel, ts_us, value, lower_95, upper_95)
            return
        try:
            self._conn.send(("forecast", channel, ts_us, value, lower_95, upper_95))
        except (OSError, AttributeError) as exc:
            self._restart(exc)  # the restart replays every forecast, this one included

    def close(self, timeout: float = 5.0) -> None:
        """Ask the child to stop and wait for it (then make sure it is gone)."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            with contextlib.suppress(OSError):  # already gone
                conn.send(("stop",))
            conn.close()
        if proc is not None:
            proc.join(timeout)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout)

    @property
    def in_process(self) -> bool:
        """True once scoring fell back to this process (no child could be started)."""
        return self._fallback is not None

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    # -- the child ------------------------------------------------------------------------------
    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, self.config), name="anomaly scoring", daemon=True)
        proc.start()
        child.close()
        self._proc, self._conn, self._ready = proc, parent, False
        # Not waited for here: the first batch waits, on the monitor's thread, not the caller's.
        for forecast in self._forecasts.values():
            parent.send(("forecast", *forecast))

    def _wait_ready(self) -> None:
        if self._ready:
            return
        if not self._conn.poll(START_TIMEOUT_S) or self._conn.recv() != ("ready",):
            raise OSError("the anomaly scoring process did not start")
        self._ready = True

    def _restart(self, exc: BaseException) -> bool:
        """Replace a dead child; False (and scoring moves into this process) if that fails too."""
        code = None if self._proc is None else self._proc.exitcode
        self.close(timeout=1.0)
        self.restarts += 1
        log.warning("anomaly scoring process stopped (%s, exit code %s); starting a new one", exc, code)
        try:
            self._start()
            return True
        except (OSError, EOFError) as err:
            log.error("anomaly scoring process could not be restarted (%s); scoring in this process", err)
            self._fallback_detector()
            return False

    def _fallback_detector(self) -> AnomalyDetector:
        if self._fallback is None:
            self._fallback = AnomalyDetector(self.config)
            for forecast in self._forecasts.values():
                self._fallback.set_forecast(*forecast)
        return self._fallback
