"""Shared fixtures: virtual serial cables (socat pty pairs) and temporary databases."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Training children run below normal priority in the product; under a loaded CI machine that starves
# them for minutes, so the suite trains at normal priority (tests/core/forecast/test_priority.py
# checks the product default).
os.environ.setdefault("WATCHKEEPER_TRAIN_PRIORITY", "normal")


def _require_socat() -> str:
    exe = shutil.which("socat")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("socat is missing: .ci/run must install it")
        pytest.skip("socat is not installed")
    return exe


@dataclass
class VirtualCable:
    """Two pty ends joined by socat: what is written to ``b`` is read from ``a`` and back."""

    a: str
    b: str
    proc: subprocess.Popen | None = None

    def plug(self, timeout: float = 5.0) -> None:
        self.proc = subprocess.Popen(
            [
                _require_socat(),
                "-d",
                "-d",
                f"pty,raw,echo=0,link={self.a}",
                f"pty,raw,echo=0,link={self.b}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not (os.path.exists(self.a) and os.path.exists(self.b)):
            if time.monotonic() > deadline:
                raise RuntimeError("socat did not create the pty pair")
            time.sleep(0.01)

    def unplug(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(5)
            self.proc = None
        deadline = time.monotonic() + 5
        while os.path.lexists(self.a) and time.monotonic() < deadline:
            time.sleep(0.01)

    def write_b(self, data: bytes) -> None:
        fd = os.open(self.b, os.O_WRONLY | os.O_NOCTTY)
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
        finally:
            os.close(fd)


@pytest.fixture
def cable(tmp_path: Path) -> Iterator[VirtualCable]:
    c = VirtualCable(str(tmp_path / "ttyA"), str(tmp_path / "ttyB"))
    c.plug()
    yield c
    c.unplug()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


def wait_until(predicate, timeout: float = 5.0, interval: float = 0.01) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` passes; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return bool(predicate())
        time.sleep(interval)
