"""Shared helpers for the Modbus tests: a socat pty pair, a free TCP port, a reading collector."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

from core.readings import ReadingBatch


def pty_pair(tmp_path: Path):
    """Start socat joining two ptys; yield (server end, client end); stop socat."""
    if shutil.which("socat") is None:
        pytest.skip("socat is not installed")
    a, b = tmp_path / "bus-a", tmp_path / "bus-b"
    proc = subprocess.Popen(
        ["socat", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while not (a.exists() and b.exists()):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("socat did not create the pty pair")
        time.sleep(0.01)
    return proc, str(a), str(b)


def free_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """Readings by channel, with a condition to wait on instead of sleeping."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = defaultdict(list)
        self.times: dict[str, list[int]] = defaultdict(list)
        self._cond = threading.Condition()
        self.events: list = []

    def __call__(self, batch: ReadingBatch) -> None:
        with self._cond:
            for ts, ch, v in batch.records():
                self.values[ch].append(v)
                self.times[ch].append(ts)
            self._cond.notify_all()

    def event(self, event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait(self, predicate, timeout: float = 30.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    def count(self, channel: str) -> int:
        with self._cond:
            return len(self.values[channel])
