"""TrainDialog: choose channels and model shape, watch training progress, cancel."""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6 import QtCore, QtWidgets

from core.forecast import ForecastSettings

log = logging.getLogger(__name__)

INTERVALS = ["1min", "5min", "15min", "1h"]


class TrainDialog(QtWidgets.QDialog):
    start_requested = QtCore.Signal(list, object)  # channels, ForecastSettings
    cancel_requested = QtCore.Signal()

    def __init__(self, channels: list[str], base: ForecastSettings, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Watchkeeper – Train forecast models"))
        self.resize(560, 480)
        self.base = base
        self.channel_list = QtWidgets.QListWidget()
        for name in channels:
            item = QtWidgets.QListWidgetItem(name)
            item.setFlags(item.flags() | QtCore.Qt.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.Checked)
            self.channel_list.addItem(item)
        self.interval = QtWidgets.QComboBox()
        self.interval.addItems(INTERVALS)
        self.interval.setCurrentText(base.interval if base.interval in INTERVALS else "1min")
        self.lookback = QtWidgets.QSpinBox(minimum=2, maximum=5000, value=base.lookback)
        self.horizon = QtWidgets.QSpinBox(minimum=1, maximum=2000, value=base.horizon)
        self.epochs = QtWidgets.QSpinBox(minimum=1, maximum=500, value=base.epochs)
        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("Interval (one step):"), self.interval)
        form.addRow(self.tr("Lookback (steps the model sees):"), self.lookback)
        form.addRow(self.tr("Horizon (steps forecast):"), self.horizon)
        form.addRow(self.tr("Epochs at most:"), self.epochs)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, base.epochs)
        self.progress.setFormat(self.tr("%v of %m epochs"))
        self._queue: list[str] = []  # the channels of the training that runs, in order
        self._ended_with_message = False
        self.status = QtWidgets.QLabel(self.tr("Choose the channels and press Train."))
        self.status.setWordWrap(True)
        self.log = QtWidgets.QPlainTextEdit()
        self.log.setReadOnly(True)
        self.train_button = QtWidgets.QPushButton(self.tr("Train"))
        self.cancel_button = QtWidgets.QPushButton(self.tr("Cancel training"))
        self.cancel_button.setEnabled(False)
        close = QtWidgets.QPushButton(self.tr("Close"))
        self.train_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self.cancel_requested)
        close.clicked.connect(self.close)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(QtWidgets.QLabel(self.tr("Channels:")))
        layout.addWidget(self.channel_list, 1)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.log, 1)
        layout.addLayout(buttons)

    def chosen(self) -> list[str]:
        return [
            self.channel_list.item(i).text()
            for i in range(self.channel_list.count())
            if self.channel_list.item(i).checkState() == QtCore.Qt.Checked
        ]

    def settings(self) -> ForecastSettings:
        lookback = self.lookback.value()
        return replace(
            self.base,
            interval=self.interval.currentText(),
            lookback=lookback,
            horizon=self.horizon.value(),
            epochs=self.epochs.value(),
            patch=self.base.patch if self.base.patch <= lookback else 0,  # 0: chosen for the lookback
        )

    def _start(self) -> None:
        channels = self.chosen()
        if not channels:
            self.status.setText(self.tr("Choose at least one channel."))
            return
        try:
            settings = self.settings()
        except ValueError as exc:  # a configured setting the dialog's choices do not fit
            log.warning("training settings refused: %s", exc)
            self.status.setText(
                self.tr(
                    "These settings cannot be used with the [forecast] configuration; "
                    "the log has the details."
                )
            )
            return
        self.set_running(True, channels, settings.epochs)
        self.start_requested.emit(channels, settings)

    def set_running(
        self, running: bool, channels: list[str] | None = None, epochs: int | None = None
    ) -> None:
        self.train_button.setEnabled(not running)
        if running:
            self._ended_with_message = False  # a failure or a cancel keeps its sentence at the end
        self.cancel_button.setEnabled(running)
        if running:
            self._queue = list(channels or self._queue)
            self._epochs = epochs or self.base.epochs

    def place_beside(self, window: QtWidgets.QWidget) -> None:
        """Stand beside the window (right, else left) so the plots stay in view; with no room on
        the screen, in the window's bottom-right corner, over the alarm list rather than the plots."""
        self.adjustSize()
        size = self.frameGeometry().size()
        frame = window.frameGeometry()
        screen = (window.screen() or QtWidgets.QApplication.primaryScreen()).availableGeometry()
        top = max(screen.top(), min(frame.top(), screen.bottom() - size.height()))
        if frame.right() + size.width() <= screen.right():
            self.move(frame.right() + 1, top)
        elif frame.left() - size.width() >= screen.left():
            self.move(frame.left() - size.width(), top)
        else:
            self.move(frame.right() - size.width(), frame.bottom() - size.height())

    def _channel_words(self, channel: str) -> str:
        if channel in self._queue and len(self._queue) > 1:
            return self.tr("'{channel}' (channel {n} of {count})").format(
                channel=channel, n=self._queue.index(channel) + 1, count=len(self._queue)
            )
        return f"'{channel}'"

    # -- progress from the worker -------------------------------------------------------------
    def on_started(self, channel: str) -> None:
        # TensorFlow loads in the training process before the first epoch (up to a minute on a
        # busy PC): a moving bar says so, rather than a 0 % that looks stuck.
        self.progress.setRange(0, 0)
        self.progress.setValue(0)
        self.status.setText(
            self.tr("Training {channel}: loading TensorFlow…").format(channel=self._channel_words(channel))
        )

    def on_progress(self, channel: str, epoch: int, loss: float, val: float) -> None:
        if self.progress.maximum() == 0:
            self.progress.setRange(0, getattr(self, "_epochs", self.base.epochs))
        self.progress.setValue(epoch)
        self.status.setText(
            self.tr("Training {channel}: epoch {epoch}, loss {loss}, validation loss {val}").format(
                channel=self._channel_words(channel), epoch=epoch, loss=f"{loss:.4f}", val=f"{val:.4f}"
            )
        )

    def on_done(self, channel: str, result) -> None:
        self.log.appendPlainText("\n".join(self.summary(result)) + "\n")

    def summary(self, result) -> list[str]:
        """What was trained and how it scores against the naive forecasts, in the window's words
        (the command line prints core's English lines, TrainResult.summary)."""
        i, t, m = result.info, result.info.training, result.info.metrics
        lines = [
            self.tr(
                "Trained '{channel}' ({interval}, lookback {lookback}, horizon {horizon}) on {start} to "
                "{end} UTC ({steps} steps) in {seconds} s, {epochs} epochs (best {best})."
            ).format(
                channel=result.channel,
                interval=i.interval,
                lookback=i.lookback,
                horizon=i.horizon,
                start=t["start"][:16],
                end=t["end"][:16],
                steps=t["steps"],
                seconds=f"{t['seconds']:.1f}",
                epochs=t["epochs"],
                best=t["best_epoch"],
            ),
            self.tr("Validation on {n} windows (MAE / RMSE):").format(n=t["validation_windows"]),
        ]
        rows = (
            (self.tr("model"), m["validation"]),
            (self.tr("repeating the last value"), m["persistence"]),
            (self.tr("the same time one season before"), m["seasonal_naive"]),
        )
        lines += [f"  {name}: {s['mae']:.4g} / {s['mse'] ** 0.5:.4g}" for name, s in rows]
        lines.append(
            self.tr("Skill against repeating the last value: {skill} (above 0 is better).").format(
                skill=f"{m['skill']:+.3f}"
            )
        )
        lines.append(self.tr("Saved to {path}").format(path=result.path))
        return lines

    def on_failed(self, channel: str, message: str) -> None:
        self.log.appendPlainText(message + "\n")
        self.status.setText(message)
        self._ended_with_message = True

    def on_finished(self) -> None:
        self.set_running(False)
        if self.progress.maximum() == 0:  # ended before the first epoch (cancelled, failed)
            self.progress.setRange(0, getattr(self, "_epochs", self.base.epochs))
        if not self._ended_with_message:
            self.status.setText(self.tr("Done."))
