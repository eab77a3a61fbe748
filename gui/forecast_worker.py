"""ForecastWorker: the one thread that owns the forecast models (TensorFlow is imported there).

Requests arrive as queued calls; while a forecast cycle is pending a newer request replaces it
(the newest wins, stale ones are dropped). Training runs channel by channel and stops at the next
batch when ``cancel`` is set from the window's thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from PySide6 import QtCore

from core.forecast import ForecastConfig, Forecaster, ForecastError, ForecastSettings, TrainingCancelled
from core.forecast.artifacts import model_path
from core.forecast.retrain import due_for_retraining, read_infos, retrain_settings
from core.forecast.subprocess_train import train_in_subprocess
from core.storage.store import ReadingStore

log = logging.getLogger(__name__)


class ForecastCommand(Enum):
    PREDICT = "predict"
    TRAIN = "train"
    RETRAIN_DUE = "retrain due"  # retrain the models older than [forecast].retrain


@dataclass(frozen=True)
class ForecastRequest:
    command: ForecastCommand
    channels: tuple[str, ...] = ()
    settings: ForecastSettings | None = None
    extra: dict = field(default_factory=dict)


class ForecastWorker(QtCore.QObject):
    cycle_done = QtCore.Signal(object)  # CycleResult
    cycle_failed = QtCore.Signal(str)
    train_started = QtCore.Signal(str)  # channel
    train_progress = QtCore.Signal(str, int, float, float)  # channel, epoch, loss, validation loss
    train_done = QtCore.Signal(str, object)  # channel, TrainResult
    train_failed = QtCore.Signal(str, str)  # channel, sentence
    training_finished = QtCore.Signal()
    notice = QtCore.Signal(str)  # a sentence for the status bar
    _kick = QtCore.Signal()

    def __init__(self, store: ReadingStore, config: ForecastConfig, models_dir: Path, prediction_csv: Path):
        super().__init__()
        self.store = store
        self.prediction_csv = prediction_csv
        self.forecaster = Forecaster(models_dir, config)
        self.cancel = threading.Event()
        self.closing = threading.Event()  # set once, on close: nothing new starts
        self._pending: list[ForecastRequest] = []
        self._lock = threading.Lock()
        self._kick.connect(self._run, QtCore.Qt.QueuedConnection)

    def submit(self, request: ForecastRequest) -> None:
        """Queue a request (callable from any thread); a pending forecast is replaced by a newer one."""
        with self._lock:
            if request.command in (ForecastCommand.PREDICT, ForecastCommand.RETRAIN_DUE):
                self._pending = [r for r in self._pending if r.command is not request.command]
            self._pending.append(request)
        self._kick.emit()

    def close(self) -> None:
        """Callable from the window's thread: cancel what runs (a training child is ended within
        about a second) and start nothing else, so the thread's event loop can quit."""
        self.closing.set()
        self.cancel.set()

    @QtCore.Slot()
    def _run(self) -> None:
        with self._lock:
            if not self._pending or self.closing.is_set():
                return
            request = self._pending.pop(0)
        if request.command is ForecastCommand.TRAIN:
            self._train(request)
        elif request.command is ForecastCommand.RETRAIN_DUE:
            self._retrain_due()
        else:
            self._predict(request)

    def _channels(self, request: ForecastRequest) -> list[str] | None:
        """The request's channels, the config's, or every recorded channel with a model file (so a
        damaged file is reported under its channel's name)."""
        if request.channels or self.forecaster.config.channels:
            return list(request.channels) or None
        names = self.store.channels()["name"].tolist()
        with_model = [n for n in names if model_path(self.forecaster.models_dir, n).exists()]
        return with_model or None

    def _predict(self, request: ForecastRequest) -> None:
        try:
            result = self.forecaster.predict_cycle(self.store, self._channels(request), self.prediction_csv)
        except ForecastError as exc:
            self.cycle_failed.emit(str(exc))
            return
        except Exception as exc:  # a damaged file or a library error: a message, never a crash
            log.exception("forecast cycle failed")
            self.cycle_failed.emit(
                self.tr("The forecast cycle failed: {error}").format(error=str(exc).splitlines()[0])
            )
            return
        self.cycle_done.emit(result)

    def _retrain_due(self) -> None:
        """Retrain, one by one, the models older than the configured age, each in its own shape."""
        every = self.forecaster.config.retrain_seconds
        if not every:
            return
        infos = read_infos(self.forecaster.model_channels())
        due = due_for_retraining(infos, every)
        if not due:
            return
        settings = {ch: retrain_settings(infos[ch], self.forecaster.settings_for(ch)) for ch in due}
        self.notice.emit(
            self.tr(
                "Retraining the forecast model of {channels} on fresh history "
                "(models are retrained every {every})."
            ).format(channels=", ".join(repr(c) for c in due), every=self.forecaster.config.retrain)
        )
        self._train(ForecastRequest(ForecastCommand.TRAIN, tuple(due), extra={"settings": settings}))

    def _train(self, request: ForecastRequest) -> None:
        self.cancel.clear()
        if self.closing.is_set():  # checked after clearing: close() sets closing before cancel
            return
        for channel in request.channels:
            if self.cancel.is_set():
                break
            self.train_started.emit(channel)

            def progress(epoch: int, loss: float, val: float, channel: str = channel) -> None:
                self.train_progress.emit(channel, epoch, loss, val)

            try:
                result = train_in_subprocess(
                    self.store,
                    self.forecaster.models_dir,
                    channel,
                    request.extra.get("settings", {}).get(channel)
                    or request.settings
                    or self.forecaster.settings_for(channel),
                    progress,
                    self.cancel,
                )
            except TrainingCancelled:
                self.train_failed.emit(
                    channel,
                    self.tr(
                        "Training of '{channel}' was cancelled; the previous model (if any) is kept."
                    ).format(channel=channel),
                )
                break
            except ForecastError as exc:
                self.train_failed.emit(channel, str(exc))
                continue
            except Exception as exc:
                log.exception("training failed")
                self.train_failed.emit(
                    channel,
                    self.tr("Training of '{channel}' failed: {error}").format(
                        channel=channel, error=str(exc).splitlines()[0]
                    ),
                )
                continue
            self.train_done.emit(channel, result)
        self.training_finished.emit()
