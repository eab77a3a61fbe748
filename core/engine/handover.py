"""Hand-over between the background recorder and the window, so recording survives either closing.

A plant runs ``watchkeeper record`` at logon (Task Scheduler) so recording never depends on the
window. When the operator opens the window on that file, the window takes the recording over: the
recorder is asked to stop (it commits every reading it has), the window opens the file and records
the same port, and when the window closes it starts the recorder again exactly as it was started.
The gap is the few seconds the hand-over takes; a serial port's driver buffers what arrives meanwhile.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.config import PortConfig
from core.engine.ipc import OwnerKind, RemoteError, Request, call, find_owner
from core.messages import Message, MessageId
from core.storage.owners import pid_alive

log = logging.getLogger(__name__)
CLI = "import sys; from core.cli import run; sys.exit(run(sys.argv[1:]))"


@dataclass(frozen=True)
class Handover:
    """What a recorder that stopped for the window tells it: the port it recorded and how to start
    it again afterwards."""

    port: PortConfig
    command: tuple[str, ...]
    cwd: str
    pid: int


def relaunch_command(argv: Sequence[str]) -> tuple[str, ...]:
    """The command line that runs ``watchkeeper <argv>`` again: the same executable when frozen
    (Watchkeeper.exe runs without a console, watchkeeper-cli.exe with one), else this Python."""
    if getattr(sys, "frozen", False):
        return (sys.executable, *argv)
    return (sys.executable, "-c", CLI, *argv)


def take_over(db: Path, timeout: float = 30.0, idle: Callable[[], None] | None = None) -> Handover | None:
    """Ask the headless recorder of ``db`` to hand the file over and wait until it has let it go.

    None when no headless recorder holds the file (nobody, or a window). ``idle()`` is called while
    waiting (the window keeps painting). Raises RemoteError when the recorder does not answer or
    does not end within ``timeout``."""
    owner = find_owner(db)
    if owner is None or owner.kind is not OwnerKind.RECORD:
        return None
    handover = call(owner, Request.STOP, timeout=timeout)
    deadline = time.monotonic() + timeout
    while pid_alive(owner.pid):  # it holds the file until it has committed everything and ended
        if time.monotonic() > deadline:
            raise RemoteError(Message.of(MessageId.RECORDER_KEPT_FILE, pid=str(owner.pid), path=str(db)))
        if idle is not None:
            idle()
        time.sleep(0.05)
    log.info("took %s over from 'watchkeeper record' (process %d)", db, owner.pid)
    return handover


def hand_back(handover: Handover) -> int:
    """Start the recorder again as it was started (detached: it outlives the window); its pid."""
    options: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    cwd = handover.cwd if os.path.isdir(handover.cwd) else None
    proc = subprocess.Popen(list(handover.command), cwd=cwd, **options)
    log.info("recording handed back to 'watchkeeper record' (process %d)", proc.pid)
    return proc.pid
