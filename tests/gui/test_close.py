"""Closing the window at any moment: exit code 0, every reading received is in the file, and the
close takes a few seconds at most (a training child is ended, not waited for).

Each case runs the real window in its own process, as ``watchkeeper --demo`` does, because what
goes wrong here (Qt destroying a running thread) aborts the process at exit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from tests.gui.conftest import window_env

ROOT = Path(__file__).resolve().parents[2]
CLOSE_TAKES_AT_MOST_S = 8.0  # "a few seconds", with room for a machine whose cores are both busy
BENIGN = ("propagateSizeHints",)  # the offscreen platform's note, not a fault of ours

SCRIPT = textwrap.dedent("""
    import argparse, json, multiprocessing, os, sys, time
    from PySide6 import QtCore, QtWidgets
    from gui.app import Application

    db, when = sys.argv[1], sys.argv[2]
    app = QtWidgets.QApplication([])
    wk = Application(argparse.Namespace(demo=True, db=db, config=None, verbose=False))
    marks = {}
    wk.window.closing.connect(lambda: marks.setdefault("close", time.monotonic()))
    wk.window.show()

    def close():
        marks["training"] = bool(multiprocessing.active_children())
        wk.window.close()

    if when == "before start-up":  # queued ahead of start-up, as a click in the first instant is
        QtCore.QTimer.singleShot(0, close)
    QtCore.QTimer.singleShot(0, wk.start)

    if when == "before start-up":
        pass
    elif when == "training":  # as soon as the first model's training child runs
        poll = QtCore.QTimer()
        poll.timeout.connect(lambda: multiprocessing.active_children() and close())
        poll.start(50)
        QtCore.QTimer.singleShot(120_000, close)  # never hang the test
    else:
        QtCore.QTimer.singleShot(int(float(when) * 1000), close)
    rc = app.exec()
    done = time.monotonic()
    firsts = [wk.live.series(n)[0] for n in wk.live.channels()] if wk.live is not None else []
    print(json.dumps({
        "received": 0 if wk.live is None else wk.live.total,
        "first_live_us": min((int(ts[0]) for ts in firsts if len(ts)), default=None),
        "close_s": done - marks["close"],
        "training": marks.get("training", False),
        "children": len(multiprocessing.active_children()),
    }))
    sys.exit(rc)
""")


def _run(tmp_path: Path, when: str) -> tuple[dict, Path]:
    db = tmp_path / "demo.duckdb"
    env = window_env(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), when],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    qt_warnings = [
        line
        for line in out.stderr.splitlines()
        if line.startswith(("QThread", "QObject", "QBasicTimer", "QSocketNotifier", "QWidget", "QPainter"))
        and not any(b in line for b in BENIGN)
    ]
    assert qt_warnings == [], qt_warnings
    return json.loads(out.stdout.strip().splitlines()[-1]), db


def _live_readings_in_file(db: Path, first_live_us: int) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        sql = "SELECT count(*) FROM readings WHERE epoch_us(ts) >= ?"
        return con.execute(sql, [first_live_us]).fetchone()[0]
    finally:
        con.close()


def test_closing_before_the_file_opens_exits_cleanly(tmp_path):
    """Closed at once (start-up has not opened the database yet): exit 0, quickly, nothing left open."""
    result, db = _run(tmp_path, "before start-up")
    assert result["received"] == 0
    assert not db.exists()
    assert result["close_s"] < CLOSE_TAKES_AT_MOST_S
    assert result["children"] == 0


@pytest.mark.parametrize("seconds", ["0.3", "1.5", "3"])
def test_closing_in_the_first_seconds_writes_every_reading(tmp_path, seconds):
    """Closed while the demo's history is being written and the first plots are drawn: exit 0 and
    every reading the window received is in the file."""
    result, db = _run(tmp_path, seconds)
    assert result["close_s"] < CLOSE_TAKES_AT_MOST_S, result
    if result["received"]:
        assert _live_readings_in_file(db, result["first_live_us"]) == result["received"]


def test_closing_while_the_first_model_trains_ends_the_training_at_once(tmp_path):
    """Closed while the training child runs (TensorFlow still loading): the child is ended, the
    window closes within seconds, exit 0, and every reading received is in the file."""
    result, db = _run(tmp_path, "training")
    assert result["training"], "the demo never started training its first model"
    assert result["close_s"] < CLOSE_TAKES_AT_MOST_S, result
    assert result["children"] == 0
    assert result["received"] > 0
    assert _live_readings_in_file(db, result["first_live_us"]) == result["received"]


def test_nothing_reads_the_journal_after_the_window_closed(make_app, qtbot, caplog):
    """A journal read queued just before closing never runs on the closed file."""
    import logging

    wk = make_app()
    qtbot.waitUntil(lambda: getattr(wk, "port_dialog", None) is not None, timeout=10_000)
    wk.port_dialog.reject()
    wk.alarms.refresh_journal()
    wk.alarms.refresh_journal()  # busy: a second read is queued on the debounce timer
    wk.window.close()
    with caplog.at_level(logging.WARNING):
        qtbot.wait(1500)
    assert "journal could not be read" not in caplog.text
