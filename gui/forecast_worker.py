"""ForecastSignals: the engine's forecast service, told to the window as Qt signals.

The service (core.engine.forecasting) owns the models on its own thread and tells what happens as
event objects; this adapter turns each into a signal, which Qt queues to the window's thread, and
words the sentences in the operator's language.
"""

from __future__ import annotations

from PySide6 import QtCore

from core.engine.forecasting import (
    CycleDone,
    CycleFailed,
    ForecastEvent,
    ForecastService,
    RetrainStarted,
    TrainDone,
    TrainFailed,
    TrainingFinished,
    TrainProgress,
    TrainStarted,
)
from gui.messages import render_message


class ForecastSignals(QtCore.QObject):
    cycle_done = QtCore.Signal(object)  # CycleResult
    cycle_failed = QtCore.Signal(str)
    train_started = QtCore.Signal(str)  # channel
    train_progress = QtCore.Signal(str, int, float, float)  # channel, epoch, loss, validation loss
    train_done = QtCore.Signal(str, object)  # channel, TrainResult
    train_failed = QtCore.Signal(str, str)  # channel, sentence
    training_finished = QtCore.Signal()
    notice = QtCore.Signal(str)  # a sentence for the status bar

    def __init__(self, service: ForecastService, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._unsubscribe = service.subscribe(self._on_event)

    @property
    def forecaster(self):
        return self.service.forecaster

    def close(self) -> None:
        """Stop listening (before the window goes, so no signal reaches a deleted object)."""
        self._unsubscribe()

    def _on_event(self, event: ForecastEvent) -> None:  # on the service's thread
        if isinstance(event, CycleDone):
            self.cycle_done.emit(event.result)
        elif isinstance(event, CycleFailed):
            self.cycle_failed.emit(
                self.tr("The forecast cycle failed unexpectedly; the log file has the details.")
                if event.unexpected
                else render_message(event.message, event.error)
            )
        elif isinstance(event, TrainStarted):
            self.train_started.emit(event.channel)
        elif isinstance(event, TrainProgress):
            self.train_progress.emit(event.channel, event.epoch, event.loss, event.val_loss)
        elif isinstance(event, TrainDone):
            self.train_done.emit(event.channel, event.result)
        elif isinstance(event, TrainFailed):
            self.train_failed.emit(event.channel, self._train_failure(event))
        elif isinstance(event, TrainingFinished):
            self.training_finished.emit()
        elif isinstance(event, RetrainStarted):
            self.notice.emit(
                self.tr(
                    "Retraining the forecast model of {channels} on fresh history "
                    "(models are retrained every {every})."
                ).format(channels=", ".join(repr(c) for c in event.channels), every=event.every)
            )

    def _train_failure(self, event: TrainFailed) -> str:
        if event.cancelled:
            return self.tr(
                "Training of '{channel}' was cancelled; the previous model (if any) is kept."
            ).format(channel=event.channel)
        if event.unexpected:
            return self.tr(
                "Training of '{channel}' failed unexpectedly; the log file has the details."
            ).format(channel=event.channel)
        return render_message(event.message, event.error)
