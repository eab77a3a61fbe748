"""The training child stops when the window that started it dies, and finished children are joined."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from core.forecast.errors import TrainingCancelled
from core.forecast.subprocess_train import train_in_subprocess
from core.storage.store import ReadingStore
from tests.core.forecast.conftest import TINY, fill_store, sine
from tests.installer.procs import children, running

ROOT = Path(__file__).resolve().parents[2]

# A stand-in for the window: it starts the real training child (spawn, as the window does) with
# settings that train for hours, says the child's pid, and then just waits to be killed.
PARENT = textwrap.dedent("""
    import multiprocessing as mp, sys, time
    from dataclasses import replace
    from core.forecast.subprocess_train import _child
    from core.forecast.transform import RegularSeries
    from tests.core.forecast.conftest import MINUTE_US, T0_US, TINY, sine

    if __name__ == "__main__":
        ctx = mp.get_context("spawn")
        out, stop = ctx.Queue(), ctx.Event()
        settings = replace(TINY, epochs=100_000, patience=100_000)
        series = RegularSeries(T0_US, MINUTE_US, sine(900, noise=0.2))
        child = ctx.Process(target=_child, args=(series, "temp", settings, sys.argv[1], "test", out, stop))
        child.start()
        print(child.pid, flush=True)
        if sys.argv[2] == "training":
            while out.get(timeout=600)[0] != "progress":
                pass
            print("training", flush=True)
        time.sleep(3600)
""")


def _gone(pid: int) -> bool:
    return not running(pid)


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.2)
    return _gone(pid)


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
@pytest.mark.parametrize("when", ["training", "starting"])
def test_training_child_stops_when_its_parent_is_killed(tmp_path, when):
    """Killing the window (Task Manager, kill -9) ends its training child, whether it is in the
    middle of training or still importing TensorFlow."""
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "models"), when],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    child_pid = None
    try:
        child_pid = int(parent.stdout.readline())
        if when == "training":
            assert parent.stdout.readline().strip() == "training"
        assert not _gone(child_pid)
        parent.kill()
        parent.wait()
        assert _wait_gone(child_pid, 120), "the training child outlived its parent"
    finally:
        parent.kill()
        parent.wait()
        if child_pid is not None and not _gone(child_pid):
            os.kill(child_pid, 9)


def _zombies() -> list[int]:
    """This process's children that have exited but were never joined."""
    return [pid for pid, (state, _) in children(os.getpid()).items() if state == "Z"]


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_finished_and_cancelled_training_children_are_joined(tmp_path):
    """After a training that finishes and one that is cancelled, no child is left as a zombie."""
    db = tmp_path / "plant.duckdb"
    with ReadingStore(db) as store:
        fill_store(store, "temp", sine(900, noise=0.2))
        result = train_in_subprocess(store, tmp_path / "models", "temp", TINY)
        assert result.path.exists()
        assert _zombies() == []
        cancel = threading.Event()
        slow = replace(TINY, epochs=100_000, patience=100_000)
        with pytest.raises(TrainingCancelled):
            train_in_subprocess(store, tmp_path / "models", "temp", slow, lambda *a: cancel.set(), cancel)
        assert _zombies() == []
