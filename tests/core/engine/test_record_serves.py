"""While `watchkeeper record` records a file, the other commands work on it through the recorder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from core.engine.ipc import OwnerKind, find_owner

pytestmark = pytest.mark.timeout(300)
CLI = "import sys; from core.cli import run; sys.exit(run(sys.argv[1:]))"


def _cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=240
    )


def test_info_alarms_export_and_a_second_recorder_while_record_runs(tmp_path):
    db = tmp_path / "plant.duckdb"
    recorder = subprocess.Popen(
        [sys.executable, "-c", CLI, "record", "--port", "sim://?channels=2&rate=20", "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while (owner := find_owner(db)) is None:
            assert recorder.poll() is None, recorder.stderr.read()
            assert time.monotonic() < deadline, "the recorder never served its file"
            time.sleep(0.2)
        assert owner.kind is OwnerKind.RECORD and owner.pid == recorder.pid
        time.sleep(1.0)  # some readings committed

        info = _cli("info", "--db", str(db))
        assert info.returncode == 0, info.stderr
        assert "ch1" in info.stdout and f"process {recorder.pid}" in info.stderr

        alarms = _cli("alarms", "--db", str(db))
        assert alarms.returncode == 0, alarms.stderr

        export = _cli("export", "--db", str(db), "--out", "readings.csv", cwd=tmp_path)
        assert export.returncode == 0, export.stderr
        assert (tmp_path / "readings.csv").read_text(encoding="utf-8-sig").count("\n") > 10

        second = _cli("record", "--port", "sim://?channels=1", "--db", str(db), "--duration", "1")
        assert second.returncode == 1
        assert f"process {recorder.pid}" in second.stderr and "record" in second.stderr
        for out in (info, alarms, export, second):
            assert "only one program can record" not in out.stderr
    finally:
        recorder.send_signal(signal.SIGTERM)
        assert recorder.wait(60) == 0, recorder.stderr.read()
    assert find_owner(db) is None and not os.path.exists(f"{db}.owner")
