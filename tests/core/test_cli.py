"""The watchkeeper command line: ports, record, simulate, and errors as one sentence.

In-process tests call core.cli.run (what gui.app.main hands every subcommand to), so these run
without PySide6; the subprocess tests run the installed `watchkeeper` entry point, whose
subcommands never load Qt. The window's entry point is tested in tests/gui/test_entry_point.py.
"""

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from core.cli import run

WATCHKEEPER = Path(sys.executable).parent / "watchkeeper"


def test_ports_lists_a_header(capsys):
    """'watchkeeper ports' prints the port table (or says none were found)."""
    assert run(["ports"]) == 0
    out = capsys.readouterr().out
    assert "DEVICE" in out or "No serial ports found" in out


def test_record_stores_lines_from_a_virtual_cable_and_summarises(cable, db_path, capsys):
    """record --duration stores what arrives and prints status lines and a summary."""

    def feed():
        time.sleep(0.5)
        cable.write_b(b"temp,hum\n" + b"".join(b"%d,%d\n" % (i, 2 * i) for i in range(100)) + b"bad\xff\n")

    threading.Thread(target=feed, daemon=True).start()
    rc = run(
        [
            "record",
            "--port",
            cable.a,
            "--baud",
            "57600",
            "--db",
            str(db_path),
            "--duration",
            "1.5",
            "--status-interval",
            "0.5",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "readings stored  200" in out
    assert "rejected lines   1 (not_utf8 1)" in out
    assert out.count("lines ") >= 2  # status lines
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT channel, count(*) FROM readings GROUP BY 1 ORDER BY 1").fetchall() == [
        ("hum", 100),
        ("temp", 100),
    ]


def test_record_applies_the_config_channels(cable, db_path, tmp_path, capsys):
    """The config's port and channel mapping are used when recording."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        f'[port]\ndevice = "{cable.a}"\nbaudrate = 19200\n'
        '[[channels]]\nfield = 1\nname = "boiler"\nunit = "°C"\nscale = 0.1\n',
        encoding="utf-8",
    )
    threading.Timer(0.5, cable.write_b, [b"250,7\n"]).start()
    assert run(["record", "--config", str(cfg), "--db", str(db_path), "--duration", "1.2"]) == 0
    assert "19200 8N1" in capsys.readouterr().out
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT channel, value FROM readings ORDER BY 1").fetchall() == [
        ("boiler", 25.0),
        ("ch2", 7.0),
    ]
    assert con.execute("SELECT unit FROM channels WHERE name = 'boiler'").fetchone()[0] == "°C"


def run_cli(*args):
    return subprocess.run([str(WATCHKEEPER), *args], capture_output=True, text=True, timeout=60)


def test_bad_port_is_one_sentence_and_nonzero_exit(tmp_path):
    """A port that does not exist: one sentence on stderr, exit status 1, no traceback."""
    out = run_cli("record", "--port", str(tmp_path / "ttyNOPE"), "--db", str(tmp_path / "x.duckdb"))
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0
    assert "was not found" in out.stderr and "Traceback" not in out.stderr


def test_bad_config_names_the_key(tmp_path):
    """An invalid config names the key, exits 1, no traceback."""
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[port]\ndevice = 'COM1'\nparity = 'Q'\n", encoding="utf-8")
    out = run_cli("record", "--config", str(cfg), "--db", str(tmp_path / "x.duckdb"))
    assert out.returncode == 1
    assert "port.parity must be one of N, E, O, M, S" in out.stderr
    assert "Traceback" not in out.stderr


def test_record_without_port_explains_how_to_give_one(tmp_path):
    """No --port and no config: say how to choose a port."""
    out = run_cli("record", "--db", str(tmp_path / "x.duckdb"))
    assert out.returncode == 1 and "no port given" in out.stderr


def test_simulate_feeds_record_over_a_virtual_cable(cable, db_path):
    """'watchkeeper simulate' on one end is recorded by 'watchkeeper record' on the other."""
    sim = subprocess.Popen(
        [
            str(WATCHKEEPER),
            "simulate",
            "--port",
            cable.b,
            "--rate",
            "20",
            "--channels",
            "3",
            "--duration",
            "4",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        rec = run_cli("record", "--port", cable.a, "--db", str(db_path), "--duration", "2.5")
    finally:
        sim.wait(10)
    assert rec.returncode == 0, rec.stderr
    con = duckdb.connect(str(db_path), read_only=True)
    rows = dict(con.execute("SELECT channel, count(*) FROM readings GROUP BY 1").fetchall())
    assert len(rows) == 3 and min(rows.values()) >= 20


def test_help_lists_the_commands(capsys):
    """'watchkeeper --help' shows every command and the window's options."""
    import pytest

    with pytest.raises(SystemExit) as info:
        run(["--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    for word in ("ports", "record", "simulate", "import", "export", "info", "--demo", "--db", "--config"):
        assert word in out
