"""The window takes a file over from the background recorder and gives it back when it closes, so
recording goes on whether or not the window is open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from core.engine.ipc import OwnerKind, find_owner
from core.storage.owners import pid_alive
from core.storage.store import ReadingStore

pytestmark = pytest.mark.timeout(300)
CLI = "import sys; from core.cli import run; sys.exit(run(sys.argv[1:]))"


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _ended(pid: int) -> bool:
    """The window started the recorder again from this process: reap it like its parent would."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return not pid_alive(pid)
    return done == pid


def test_the_window_takes_the_recording_over_and_hands_it_back(make_app, qtbot, tmp_path):
    db = tmp_path / "plant.duckdb"
    log = tmp_path / "recorder.log"
    command = ["record", "--port", "sim://?channels=2&rate=10", "--db", str(db), "--log", str(log)]
    recorder = subprocess.Popen([sys.executable, "-c", CLI, *command], env={**os.environ}, cwd=tmp_path)
    # Reaped as it ends, as a recorder started by Task Scheduler would be (a child of the test left
    # unreaped would look alive to the window that waits for it to let go of the file).
    reaper = threading.Thread(target=recorder.wait, daemon=True)
    reaper.start()
    try:
        _wait(lambda: (o := find_owner(db)) is not None and o.kind is OwnerKind.RECORD, 120, "no recorder")
        first = find_owner(db).pid
        time.sleep(2.0)  # the background recorder stores some readings first
        took_over_at = pd.Timestamp.now(tz="UTC")
        wk = make_app(db=str(db), start=False)
        assert wk.start() is True, wk.messages
        reaper.join(60)
        assert recorder.returncode == 0, log.read_text(encoding="utf-8")
        assert "takes this recording over" in log.read_text(encoding="utf-8")
        qtbot.waitUntil(lambda: wk.recorder.is_recording, timeout=30_000)
        assert wk.recorder.port.device == "sim://?channels=2&rate=10"
        assert find_owner(db).kind is OwnerKind.WINDOW
        before = wk.recorder.stats().writer.stored
        qtbot.waitUntil(lambda: wk.recorder.stats().writer.stored > before + 20, timeout=30_000)
        by_window = wk.recorder.stats().writer.stored
        wk.window.close()  # the recorder starts again, as it was started
        handed_back_at = pd.Timestamp.now(tz="UTC")
        _wait(
            lambda: (o := find_owner(db)) is not None and o.kind is OwnerKind.RECORD, 120, "not handed back"
        )
        again = find_owner(db).pid
        assert again != first
        time.sleep(2.0)  # and it records
        _wait(
            lambda: log.read_text(encoding="utf-8").count("watchkeeper record started") == 2, 30, "no restart"
        )
    finally:
        owner = find_owner(db)
        if owner is not None and owner.kind is OwnerKind.RECORD:
            os.kill(owner.pid, signal.SIGTERM)
            _wait(lambda: _ended(owner.pid), 60, "the restarted recorder did not stop")
        if recorder.poll() is None:
            recorder.kill()
    with ReadingStore(db) as store:
        stamps = store.readings()["ts"]
    assert (stamps < took_over_at).sum() > 0, "the first recorder's readings are kept"
    assert (stamps > handed_back_at).sum() > 0, "the recorder records again after the window"
    assert len(stamps) >= by_window + 2
