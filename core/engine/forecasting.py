"""ForecastService: the forecast cycle, on-demand forecasts and (scheduled) training, without Qt.

One persistent thread owns the forecast models (TensorFlow loads there, on the first forecast,
never at start-up); training itself runs in a child process. Requests queue; a pending forecast
or retraining check is replaced by a newer one (the newest wins). The cycle comes every
``[forecast].cycle`` and models older than ``[forecast].retrain`` are retrained, both measured on
an injected clock, so a day of cycles runs in a test in seconds.

What happens is told to subscribers as small event objects (on the service's thread; keep them
quick): the window turns them into Qt signals, the headless recorder prints them, and the engine
hands each cycle's forecasts straight to the alarm engine.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from core.forecast.errors import ForecastError, TrainingCancelled
from core.messages import Message

if TYPE_CHECKING:
    from core.forecast.forecaster import CycleResult, Forecaster, TrainResult
    from core.forecast.settings import ForecastConfig, ForecastSettings
    from core.storage.store import ReadingStore

log = logging.getLogger(__name__)
RETRAIN_CHECK_S = 600.0  # how often the age of the models is looked at


class ForecastCommand(Enum):
    PREDICT = "predict"
    TRAIN = "train"
    RETRAIN_DUE = "retrain due"  # retrain the models older than [forecast].retrain


@dataclass(frozen=True)
class ForecastRequest:
    command: ForecastCommand
    channels: tuple[str, ...] = ()
    settings: ForecastSettings | None = None  # one shape for every channel (None: each its own)
    per_channel: dict[str, ForecastSettings] = field(default_factory=dict)
    out_csv: Path | None = None  # an on-demand forecast written elsewhere than Prediction.csv
    reply: Future | None = field(default=None, compare=False)  # resolved with the CycleResult


# -- events -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CycleDone:
    result: CycleResult


@dataclass(frozen=True)
class CycleFailed:
    error: str  # a ForecastError's sentence, or the first line of an unexpected error
    unexpected: bool = False
    message: Message | None = None  # a ForecastError's sentence as an id with parameters


@dataclass(frozen=True)
class TrainStarted:
    channel: str


@dataclass(frozen=True)
class TrainProgress:
    channel: str
    epoch: int
    loss: float
    val_loss: float


@dataclass(frozen=True)
class TrainDone:
    channel: str
    result: TrainResult


@dataclass(frozen=True)
class TrainFailed:
    channel: str
    error: str = ""  # empty when cancelled
    cancelled: bool = False
    unexpected: bool = False
    message: Message | None = None  # a ForecastError's sentence as an id with parameters


@dataclass(frozen=True)
class TrainingFinished:
    pass


@dataclass(frozen=True)
class RetrainStarted:
    channels: tuple[str, ...]
    every: str  # "7d", as configured


ForecastEvent = (
    CycleDone
    | CycleFailed
    | TrainStarted
    | TrainProgress
    | TrainDone
    | TrainFailed
    | TrainingFinished
    | RetrainStarted
)


class ForecastService:
    """Forecasts and trains one file's channels on its own thread."""

    def __init__(
        self,
        store: ReadingStore,
        config: ForecastConfig,
        models_dir: Path,
        prediction_csv: Path | None,
        clock: Callable[[], float] = time.monotonic,
        schedule: bool = True,
        first_cycle_in: float = 0.0,
    ) -> None:
        """``prediction_csv``: where each cycle's forecasts go (None: only into the file).
        ``schedule``: run the cycle and the retraining check on their own (off: only on request);
        the first scheduled cycle (and retraining check) comes ``first_cycle_in`` seconds after
        :meth:`start`, then one every ``[forecast].cycle``."""
        from core.forecast.forecaster import Forecaster

        self.store = store
        self.prediction_csv = prediction_csv
        self.forecaster: Forecaster = Forecaster(models_dir, config)
        self.clock = clock
        self.schedule = schedule
        self.first_cycle_in = first_cycle_in
        self.cancel = threading.Event()  # read by training between batches
        self._closing = threading.Event()
        self._cond = threading.Condition()
        self._pending: list[ForecastRequest] = []
        self._listeners: list[Callable[[ForecastEvent], None]] = []
        self._thread: threading.Thread | None = None
        self._next_cycle = self._next_retrain = 0.0
        self.busy = False  # a request is being carried out (for status lines)

    @property
    def config(self) -> ForecastConfig:
        """The [forecast] settings in use (the forecaster's own)."""
        return self.forecaster.config

    # -- subscriptions ----------------------------------------------------------------------------
    def subscribe(self, fn: Callable[[ForecastEvent], None]) -> Callable[[], None]:
        """Call ``fn(event)`` on the service's thread for every event; returns an unsubscribe."""
        self._listeners.append(fn)
        return lambda: self._listeners.remove(fn) if fn in self._listeners else None

    def _tell(self, event: ForecastEvent) -> None:
        for fn in list(self._listeners):
            try:
                fn(event)
            except Exception:
                log.exception("forecast subscriber failed")

    # -- life ---------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the thread (and the schedule)."""
        import os

        # Training may use one core; the other stays free for the window and the recorder.
        for var in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        now = self.clock()
        self._next_cycle = self._next_retrain = now + self.first_cycle_in
        self._thread = threading.Thread(target=self._run, name="ForecastService", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Cancel what runs (a training child ends within about a second), start nothing else,
        and join the thread. Callable from any thread but the service's own."""
        self._closing.set()
        self.cancel.set()
        with self._cond:
            for request in self._pending:
                if request.reply is not None:
                    request.reply.cancel()
            self._pending.clear()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def wake(self) -> None:
        """Look at the schedule now (after an injected clock was moved)."""
        with self._cond:
            self._cond.notify_all()

    # -- commands -----------------------------------------------------------------------------------
    def submit(self, request: ForecastRequest) -> None:
        """Queue a request (from any thread); a pending forecast or retraining check is replaced."""
        with self._cond:
            if self._closing.is_set():
                if request.reply is not None:
                    request.reply.cancel()
                return
            if (
                request.command in (ForecastCommand.PREDICT, ForecastCommand.RETRAIN_DUE)
                and not request.out_csv
            ):
                kept = []
                for r in self._pending:
                    if r.command is request.command and not r.out_csv and r.channels == request.channels:
                        if r.reply is not None:  # an older caller gets the newer cycle's result
                            request = _merge_reply(request, r.reply)
                        continue
                    kept.append(r)
                self._pending = kept
            self._pending.append(request)
            self._cond.notify_all()

    def predict_now(self, channels: tuple[str, ...] = ()) -> None:
        self.submit(ForecastRequest(ForecastCommand.PREDICT, tuple(channels)))

    def predict(
        self, channels: tuple[str, ...] = (), out_csv: Path | None = None, timeout: float | None = None
    ) -> CycleResult:
        """A forecast cycle now, waiting for its result (raises ForecastError as the cycle would)."""
        reply: Future = Future()
        self.submit(ForecastRequest(ForecastCommand.PREDICT, tuple(channels), out_csv=out_csv, reply=reply))
        return reply.result(timeout)

    def train(self, channels: list[str] | tuple[str, ...], settings: ForecastSettings | None = None) -> None:
        self.submit(ForecastRequest(ForecastCommand.TRAIN, tuple(channels), settings))

    def retrain_due(self) -> None:
        self.submit(ForecastRequest(ForecastCommand.RETRAIN_DUE))

    def cancel_training(self) -> None:
        self.cancel.set()

    # -- the thread ---------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                request = self._next_request()
                while request is None and not self._closing.is_set():
                    self._cond.wait(self._wait_s())
                    request = self._next_request()
                if self._closing.is_set():
                    return
                self.busy = True
            try:
                self._carry_out(request)
            except Exception:  # never let one request end the service
                log.exception("forecast request %s failed", request.command.value)
            finally:
                self.busy = False

    def _wait_s(self) -> float | None:
        if not self.schedule:
            return None
        due = [self._next_cycle]
        if self.config.retrain:
            due.append(self._next_retrain)
        return max(0.0, min(due) - self.clock())

    def _next_request(self) -> ForecastRequest | None:
        """The first queued request, after queueing what the schedule says is due (under the lock)."""
        if self.schedule:
            now = self.clock()
            if now >= self._next_cycle:
                self._next_cycle = now + self.config.cycle_seconds
                if not any(r.command is ForecastCommand.PREDICT and not r.out_csv for r in self._pending):
                    self._pending.append(ForecastRequest(ForecastCommand.PREDICT))
            if self.config.retrain and now >= self._next_retrain:
                self._next_retrain = now + RETRAIN_CHECK_S
                if not any(r.command is ForecastCommand.RETRAIN_DUE for r in self._pending):
                    self._pending.append(ForecastRequest(ForecastCommand.RETRAIN_DUE))
        return self._pending.pop(0) if self._pending else None

    def _carry_out(self, request: ForecastRequest) -> None:
        if request.command is ForecastCommand.TRAIN:
            self._train(request)
        elif request.command is ForecastCommand.RETRAIN_DUE:
            self._retrain_due()
        else:
            self._predict(request)

    def _channels(self, request: ForecastRequest) -> list[str] | None:
        """The request's channels, the config's, or every recorded channel with a model file (so a
        damaged file is reported under its channel's name)."""
        from core.forecast.artifacts import model_path

        if request.channels or self.config.channels:
            return list(request.channels) or None
        names = self.store.channels()["name"].tolist()
        with_model = [n for n in names if model_path(self.forecaster.models_dir, n).exists()]
        return with_model or None

    def _predict(self, request: ForecastRequest) -> None:
        out = request.out_csv or self.prediction_csv
        try:
            result = self.forecaster.predict_cycle(self.store, self._channels(request), out)
        except ForecastError as exc:
            _fail(request.reply, exc)
            self._tell(CycleFailed(str(exc), message=exc.message))
            return
        except Exception as exc:  # a damaged file or a library error: an event, never a crash
            log.exception("forecast cycle failed")
            _fail(request.reply, ForecastError(f"The forecast cycle failed: {_first_line(exc)}"))
            self._tell(CycleFailed(_first_line(exc), unexpected=True))
            return
        if request.reply is not None and not request.reply.done():
            request.reply.set_result(result)
        self._tell(CycleDone(result))

    def _retrain_due(self) -> None:
        """Retrain, one by one, the models older than the configured age, each in its own shape."""
        from core.forecast.retrain import due_for_retraining, read_infos, retrain_settings

        every = self.config.retrain_seconds
        if not every:
            return
        infos = read_infos(self.forecaster.model_channels())
        due = due_for_retraining(infos, every)
        if not due:
            return
        per_channel = {ch: retrain_settings(infos[ch], self.forecaster.settings_for(ch)) for ch in due}
        self._tell(RetrainStarted(tuple(due), self.config.retrain))
        self._train(ForecastRequest(ForecastCommand.TRAIN, tuple(due), per_channel=per_channel))

    def _train(self, request: ForecastRequest) -> None:
        from core.forecast.subprocess_train import train_in_subprocess

        self.cancel.clear()
        if self._closing.is_set():  # checked after clearing: close() sets closing before cancel
            return
        trained = False
        for channel in request.channels:
            if self.cancel.is_set():
                break
            self._tell(TrainStarted(channel))

            def progress(epoch: int, loss: float, val: float, channel: str = channel) -> None:
                self._tell(TrainProgress(channel, epoch, loss, val))

            settings = (
                request.per_channel.get(channel) or request.settings or self.forecaster.settings_for(channel)
            )
            try:
                result = train_in_subprocess(
                    self.store, self.forecaster.models_dir, channel, settings, progress, self.cancel
                )
            except TrainingCancelled:
                self._tell(TrainFailed(channel, cancelled=True))
                break
            except ForecastError as exc:
                self._tell(TrainFailed(channel, str(exc), message=exc.message))
                continue
            except Exception as exc:
                log.exception("training failed")
                self._tell(TrainFailed(channel, _first_line(exc), unexpected=True))
                continue
            trained = True
            self._tell(TrainDone(channel, result))
        self._tell(TrainingFinished())
        if trained and not self._closing.is_set():
            self.predict_now()  # the new model's first forecast, for the plot and the alarms


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _fail(reply: Future | None, exc: BaseException) -> None:
    if reply is not None and not reply.done():
        reply.set_exception(exc)


def _merge_reply(request: ForecastRequest, older: Future) -> ForecastRequest:
    """``request``, answering ``older`` too once it has a result."""
    from dataclasses import replace

    mine = request.reply or Future()

    def chain(done: Future) -> None:
        if done.cancelled():
            older.cancel()
        elif done.exception() is not None:
            _fail(older, done.exception())
        elif not older.done():
            older.set_result(done.result())

    mine.add_done_callback(chain)
    return replace(request, reply=mine)
