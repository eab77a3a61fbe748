"""The frozen program works: the project's PyInstaller spec is built (a Linux one-folder build,
the same spec the Windows build uses) and its binaries are run as an operator would.

The build takes about five minutes on two cores and the checks a few more; it runs once per test
session. ``WATCHKEEPER_FROZEN_DIST=DIR`` reuses a build already made into DIR (``installer/smoke.sh
--keep`` leaves one), ``WATCHKEEPER_SKIP_FROZEN=1`` skips these tests.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.installer.procs import children, running

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 1800

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(BUILD_TIMEOUT_S + 600),
    pytest.mark.skipif(os.environ.get("WATCHKEEPER_SKIP_FROZEN") == "1", reason="WATCHKEEPER_SKIP_FROZEN=1"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the smoke build runs on Linux"),
]


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Iterator[Path]:
    """The Watchkeeper folder PyInstaller makes from installer/watchkeeper.spec."""
    reuse = os.environ.get("WATCHKEEPER_FROZEN_DIST")
    if reuse:
        yield Path(reuse) / "Watchkeeper"
        return
    work = tmp_path_factory.mktemp("frozen")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "installer" / "watchkeeper.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert build.returncode == 0, build.stderr[-4000:]
    yield work / "dist" / "Watchkeeper"
    shutil.rmtree(work, ignore_errors=True)  # 4 GB of build and bundle: not kept by pytest's tmp dirs


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """A private data and settings folder for the frozen program, and no display."""
    return {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "WATCHKEEPER_TRAIN_PRIORITY": "normal",
    }


def cli(bundle: Path, env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(bundle / "watchkeeper-cli"), *args], capture_output=True, text=True, timeout=timeout, env=env
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def test_the_bundle_is_lean(bundle):
    """No TensorFlow C++ headers, no pyqtgraph examples: some 1,400 files, not 23,000 or more."""
    files = [p for p in bundle.rglob("*") if p.is_file()]
    assert len(files) < 3000, len(files)
    internal = bundle / "_internal"
    assert not (internal / "tensorflow" / "include").exists()
    assert not (internal / "pyqtgraph" / "examples").exists()
    assert (internal / "resources" / "icons" / "watchkeeper.png").exists()
    longest = max(len(str(p.relative_to(bundle))) for p in files)
    assert longest < 160, longest  # room under Windows' 260-character MAX_PATH for the install folder


def test_help_and_version(bundle, env):
    done = cli(bundle, env, "--help")
    assert done.returncode == 0 and "record" in done.stdout and "autostart" in done.stdout
    assert cli(bundle, env, "--version").stdout.startswith("watchkeeper ")


def test_record_the_simulated_device_with_scoring(bundle, env, tmp_path):
    """sim:// (our own pyserial handler) records, and each reading is scored in the scoring child."""
    done = cli(
        bundle,
        env,
        "record",
        "--port",
        "sim://?channels=2&rate=50",
        "--db",
        str(tmp_path / "sim.duckdb"),
        "--duration",
        "4",
        "--status-interval",
        "1",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    stored = _summary_count(done.stdout, "readings stored")
    assert stored > 100 and _summary_count(done.stdout, "readings scored") > 0


def test_record_a_tcp_gateway(bundle, env, tmp_path):
    """socket:// (pyserial's URL handler, missing from the first frozen builds) reads a TCP server."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            for i in range(300):
                conn.sendall(b"temp=%d.5,hum=%d\n" % (20 + i % 5, 40 + i % 7))
                time.sleep(0.005)
            time.sleep(10)

    threading.Thread(target=serve, daemon=True).start()
    try:
        done = cli(
            bundle,
            env,
            "record",
            "--port",
            f"socket://127.0.0.1:{port}",
            "--db",
            str(tmp_path / "tcp.duckdb"),
            "--duration",
            "5",
            "--no-monitor",
        )
    finally:
        server.close()
    assert done.returncode == 0, done.stdout + done.stderr
    assert _summary_count(done.stdout, "readings stored") >= 500


def test_record_loop_and_rfc2217_urls_are_known(bundle, env, tmp_path):
    """loop:// opens; rfc2217:// to a closed port is "could not reach", not "protocol not known"."""
    done = cli(
        bundle, env, "record", "--port", "loop://", "--db", str(tmp_path / "l.duckdb"), "--duration", "2"
    )
    assert done.returncode == 0 and "opened loop://" in done.stdout, done.stdout + done.stderr
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    done = cli(
        bundle,
        env,
        "record",
        "--port",
        f"rfc2217://127.0.0.1:{port}",
        "--db",
        str(tmp_path / "r.duckdb"),
        "--duration",
        "2",
        "--no-monitor",
    )
    assert "not known" not in done.stdout + done.stderr


def test_train_with_tensorflow_inside_the_bundle(bundle, env, tmp_path):
    """import a CSV, then train a model: TensorFlow and Keras load from the bundle."""
    csv = tmp_path / "history.csv"
    rows = [
        f"2026-01-01 {i // 60:02d}:{i % 60:02d}:00,{20 + 5 * math.sin(2 * math.pi * i / 60):.3f}"
        for i in range(900)
    ]
    csv.write_text("timestamp,temp\n" + "\n".join(rows) + "\n", encoding="utf-8")
    db = str(tmp_path / "t.duckdb")
    assert cli(bundle, env, "import", str(csv), "--db", db).returncode == 0
    models = tmp_path / "models"
    done = cli(
        bundle,
        env,
        "train",
        "--db",
        db,
        "--channel",
        "temp",
        "--models",
        str(models),
        "--lookback",
        "24",
        "--horizon",
        "6",
        "--epochs",
        "3",
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Saved to" in done.stdout and list(models.glob("temp-*.npz"))


def test_the_demo_window_runs_a_minute_with_its_children_and_stops_cleanly(bundle, env, tmp_path):
    """Watchkeeper --demo, offscreen: it keeps running with its scoring and training children for
    60 s, records and trains, and SIGTERM closes it with every child gone."""
    window = subprocess.Popen(
        [str(bundle / "Watchkeeper"), "--demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: dict[int, str] = {}
    try:
        started = time.monotonic()
        while time.monotonic() - started < 60 or _workers(seen) < 2:
            assert window.poll() is None, window.communicate()[1][-3000:]
            for pid, (_, command) in children(window.pid).items():
                seen.setdefault(pid, command)
            assert time.monotonic() - started < 600, f"no scoring and training children: {seen}"
            time.sleep(0.5)
        window.send_signal(signal.SIGTERM)
        _, err = window.communicate(timeout=180)
    finally:
        if window.poll() is None:
            window.kill()
            window.wait()
    assert window.returncode == 0, err[-3000:]
    assert _workers(seen) >= 2, seen  # the scoring child and at least one training child
    deadline = time.monotonic() + 30
    while any(running(pid) for pid in seen) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not [pid for pid in seen if running(pid)], seen
    data = Path(env["XDG_DATA_HOME"])
    log = next(data.rglob("watchkeeper.log")).read_text(encoding="utf-8")
    assert "unexpected error" not in log, log[-3000:]
    assert next(data.rglob("demo.duckdb")).stat().st_size > 0


def _summary_count(out: str, label: str) -> int:
    line = next(line for line in out.splitlines() if line.strip().startswith(label))
    return int(line.split()[len(label.split())])


def _workers(seen: dict[int, str]) -> int:
    """Child processes started by multiprocessing's spawn (not its resource tracker): a frozen
    program starts itself with --multiprocessing-fork, Python runs spawn_main."""
    return sum("--multiprocessing-fork" in command or "spawn_main" in command for command in seen.values())
