"""Training in a child process, so the GIL-hungry Keras loop never stalls the window.

The parent reads the channel's history (the database file belongs to it) and hands the regular
series to a spawned process, which trains, saves the model and reports progress through a queue;
cancelling sets an event the child's training loop checks every batch.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from core.forecast.errors import ForecastError, TrainingCancelled
from core.forecast.forecaster import TrainResult
from core.forecast.settings import ForecastSettings
from core.forecast.source import channel_history
from core.forecast.train import Progress
from core.messages import Message, MessageId

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

CANCEL_GRACE_S = 1.0  # how long a cancelled child may take to stop by itself before it is ended
PARENT_GONE_GRACE_S = 2.0  # how long an orphaned child may take to stop by itself before it exits
PARENT_GONE_EXIT = 3  # the exit status of a child whose parent died

log = logging.getLogger(__name__)


PRIORITY_ENV = "WATCHKEEPER_TRAIN_PRIORITY"  # "normal" keeps training at normal priority


def lower_priority() -> None:
    """Run this process below normal priority: training is background work, and the operator's
    window and the recording must win every contest for a core.

    ``WATCHKEEPER_TRAIN_PRIORITY=normal`` keeps the normal priority, for a PC whose other work
    would otherwise starve training for good (and for the test suite on a loaded machine)."""
    if os.environ.get(PRIORITY_ENV, "").strip().lower() == "normal":
        return
    try:
        if sys.platform == "win32":
            import ctypes

            below_normal = 0x4000  # BELOW_NORMAL_PRIORITY_CLASS
            kernel32 = ctypes.windll.kernel32
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
        else:
            os.nice(19)  # the lowest: training takes what the app leaves
    except OSError:  # not allowed here: train at normal priority
        pass


def _silence_native_stderr() -> None:
    """TensorFlow's C++ start-up chatter would land in the operator's console; this process reports
    everything it has to say through the queue, so its native stderr goes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def watch_parent(stop, grace_s: float = PARENT_GONE_GRACE_S) -> threading.Thread | None:
    """End this child when the process that started it dies (the window killed from the Task
    Manager, a crash): training stops at its next batch, and if it is still importing
    TensorFlow or saving after ``grace_s`` the process exits. The model file is written to a
    temporary name and renamed, so an exit here never leaves half a file."""
    parent = mp.parent_process()
    if parent is None:  # not started by multiprocessing
        return None

    def watch() -> None:
        parent.join()  # returns when the parent's sentinel fires: it has exited
        stop.set()
        time.sleep(grace_s)
        os._exit(PARENT_GONE_EXIT)

    thread = threading.Thread(target=watch, name="watch parent", daemon=True)
    thread.start()
    return thread


def _child(series, channel: str, settings: ForecastSettings, models_dir: str, source: str, out, stop) -> None:
    watch_parent(stop)
    lower_priority()
    _silence_native_stderr()
    from core.forecast.artifacts import save_model
    from core.forecast.pipeline import train_series

    try:
        model = train_series(
            series, channel, settings, lambda e, loss, val: out.put(("progress", e, loss, val)), stop, source
        )
        path = save_model(models_dir, model.info, model.weights)
        out.put(("done", str(path), model.info))
    except ForecastError as exc:
        out.put(("error", type(exc), exc.message.to_json()))
    except Exception as exc:  # the parent logs what happened and says one sentence
        out.put(("failed", f"{type(exc).__name__}: {exc}"))


def train_in_subprocess(
    store: ReadingStore,
    models_dir: str | Path,
    channel: str,
    settings: ForecastSettings,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> TrainResult:
    """Like :meth:`Forecaster.train_channel`, with the training itself in another process."""
    series = channel_history(
        store,
        channel,
        settings.step_us,
        settings.max_gap_steps,
        settings.max_history_steps,
        time.time_ns() // 1000,
    )
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(
        target=_child,
        args=(series, channel, settings, str(models_dir), f"database {store.path}", out, stop),
        name=f"train {channel}",
        daemon=True,
    )
    child.start()
    try:
        while True:
            if cancel is not None and cancel.is_set():
                stop.set()
                _end_child(child)
                raise TrainingCancelled(Message.of(MessageId.TRAINING_CANCELLED, channel=channel))
            try:
                message = out.get(timeout=0.1)
            except queue.Empty:
                if not child.is_alive():
                    raise ForecastError(
                        Message.of(MessageId.TRAINING_STOPPED, channel=channel, code=str(child.exitcode))
                    ) from None
                continue
            if message[0] == "progress" and progress is not None:
                progress(*message[1:])
            elif message[0] == "done":
                return TrainResult(channel, Path(message[1]), message[2])
            elif message[0] == "error":
                raise message[1](Message.from_json(message[2]))
            elif message[0] == "failed":
                log.error("training of %r failed in its process: %s", channel, message[1])
                raise ForecastError(Message.of(MessageId.TRAINING_FAILED, channel=channel))
    finally:
        _end_child(child)
        # The child is joined (no zombie); the queue's feeder thread and pipe go with it.
        out.close()
        out.join_thread()
        child.close()


def _end_child(child, grace_s: float = CANCEL_GRACE_S) -> None:
    """End the training child within about ``grace_s``: it stops at its next batch when asked, but
    while it imports TensorFlow (a minute on a busy PC) nothing is checked, so it is then
    terminated. Each model file is written to a temporary name and renamed, so a killed child
    never leaves half a file."""
    child.join(grace_s)
    if child.is_alive():
        child.terminate()
        child.join(2.0)
    if child.is_alive():
        child.kill()
        child.join()
