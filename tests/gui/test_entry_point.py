"""The console entry point gui.app.main: with no subcommand it opens the window, with one it hands
argv to the Qt-free command line (core.cli.run) and never loads Qt."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from core.cli import run
from gui.app import main
from tests.gui.conftest import window_env

WATCHKEEPER = Path(sys.executable).parent / "watchkeeper"


def test_help_through_the_entry_point_is_the_command_lines_help(capsys):
    """'watchkeeper --help' is answered by the command line: the same text as core.cli.run's."""
    with pytest.raises(SystemExit) as direct:
        run(["--help"])
    expected = capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == direct.value.code == 0
    assert capsys.readouterr().out == expected


def test_a_subcommand_through_the_entry_point_never_loads_qt(tmp_path):
    """'watchkeeper ports' runs the command line in a process that never imports PySide6."""
    script = (
        "import sys\n"
        "from gui.app import main\n"
        "rc = main(['ports'])\n"
        "print('qt loaded' if 'PySide6' in sys.modules else 'qt not loaded', rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "qt not loaded 0"


def test_demo_window_records_the_simulated_device_until_interrupted(tmp_path):
    """'watchkeeper --demo' opens the window recording the built-in device; Ctrl+C closes it cleanly."""
    db = tmp_path / "demo.duckdb"
    env = window_env(tmp_path)
    proc = subprocess.Popen(
        [str(WATCHKEEPER), "--demo", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # On a busy machine start-up takes longer than on an idle one: record for a few seconds once
    # the file is open (closing before that is tested in tests/gui/test_close.py).
    deadline = time.monotonic() + 90
    while not db.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    time.sleep(5)
    proc.send_signal(signal.SIGINT)
    interrupted = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "QThread" not in err, err
    assert time.monotonic() - interrupted < 10, "closing took more than a few seconds"
    con = duckdb.connect(str(db), read_only=True)
    live = con.execute("SELECT count(DISTINCT channel) FROM readings WHERE ts > now() - INTERVAL 1 MINUTE")
    assert live.fetchone()[0] == 4
