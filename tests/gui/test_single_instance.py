"""One window per file: a second launch brings the first window to the front; other commands read
the file through the window that records it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.engine.ipc import OwnerKind, find_owner

pytestmark = pytest.mark.timeout(300)
CLI = "import sys; from core.cli import run; sys.exit(run(sys.argv[1:]))"


@pytest.fixture
def first_window(tmp_path):
    """A Watchkeeper window in its own process recording the simulated device into a file."""
    db = tmp_path / "plant.duckdb"
    config = tmp_path / "watchkeeper.toml"
    config.write_text('[port]\ndevice = "sim://?channels=2&rate=10"\n', encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "first-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "first-config"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gui.app", "--db", str(db), "--config", str(config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while (owner := find_owner(db)) is None or _readings(db, env) < 10:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the first window never served its file"
        time.sleep(0.5)
    yield db, owner, proc, tmp_path / "first-data" / "Watchkeeper" / "watchkeeper.log", env
    proc.send_signal(signal.SIGTERM)  # closes the window as its close button does
    assert proc.wait(60) == 0, proc.stderr.read()


def _readings(db: Path, env: dict) -> int:
    out = subprocess.run(
        [sys.executable, "-c", CLI, "info", "--db", str(db)], env=env, capture_output=True, text=True
    )
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "ch1":
            return int(parts[-3].replace(",", ""))  # the RAW column
    return 0


def test_a_second_launch_brings_the_first_window_to_the_front(first_window, make_app):
    db, owner, proc, log, _ = first_window
    assert owner.kind is OwnerKind.WINDOW and owner.pid == proc.pid
    wk = make_app(db=str(db), start=False)
    assert wk.start() is False
    assert wk.handed_over, wk.messages
    assert wk.messages == [], "no lock error is shown"
    deadline = time.monotonic() + 30
    while "brought to the front" not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the first window was not asked to come to the front"
        time.sleep(0.2)


def test_info_export_and_alarms_work_while_the_window_records(first_window, tmp_path):
    db, _, _, _, env = first_window
    assert _readings(db, env) >= 10
    out = tmp_path / "readings.csv"
    export = subprocess.run(
        [sys.executable, "-c", CLI, "export", "--db", str(db), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert export.returncode == 0, export.stderr
    assert out.read_text(encoding="utf-8").count("\n") > 10
    alarms = subprocess.run(
        [sys.executable, "-c", CLI, "alarms", "--db", str(db)], env=env, capture_output=True, text=True
    )
    assert alarms.returncode == 0, alarms.stderr
    assert "only one program" not in alarms.stderr + export.stderr
