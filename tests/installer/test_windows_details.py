"""Windows details that can be proven on any PC: DuckDB's Windows lock text, files from Korean
Excel, exports Excel opens, printing in a legacy code page, COM port order, console stop events."""

from __future__ import annotations

import codecs
import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core.acquisition.ports import port_sort_key, same_device
from core.cli import run
from core.cli.output import SafeStream
from core.cli.stops import CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, StopRequests
from core.storage.csv_import import CsvImportError, import_csv
from core.storage.errors import StoreLockedError, locking_program, open_error
from core.storage.export import export
from core.storage.store import ReadingStore

ROOT = Path(__file__).resolve().parents[2]
KOREAN = "timestamp,온도,습도\n2026-01-01 09:00:00,21.5,40\n2026-01-01 09:01:00,21.7,41\n"


# -- a second instance: the lock message ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "program", "said"),
    [
        (
            "IO Error: File is already open in \nC:\\Program Files\\Watchkeeper\\Watchkeeper.exe (PID 912)",
            "Watchkeeper.exe",
            "another Watchkeeper, Watchkeeper.exe (process 912);",
        ),
        (
            "IO Error: File is already open in \nC:\\Users\\op\\DBeaver\\dbeaver.exe (PID 77)",
            "dbeaver.exe",
            "another program, dbeaver.exe (process 77);",
        ),
        (
            'IO Error: Could not set lock on file "/d/x.duckdb": Conflicting lock is held in '
            "/usr/bin/python3.12 (PID 4242) by user op. See also https://duckdb.org/docs/connect/concurrency",
            "python3.12",
            "another Watchkeeper, python3.12 (process 4242);",
        ),
        ("IO Error: File is already open in ", None, "another Watchkeeper;"),
    ],
)
def test_lock_messages_name_the_program_in_one_sentence(text, program, said, tmp_path):
    """Linux's and Windows' lock texts become one sentence naming the program and its process."""
    exc = duckdb.IOException(text)
    assert locking_program(exc) == program
    error = open_error(tmp_path / "x.duckdb", exc)
    assert isinstance(error, StoreLockedError)
    message = str(error).replace(str(tmp_path / "x.duckdb"), "FILE")
    assert said in message
    assert "\n" not in message and "Error" not in message and ". " not in message and message.endswith(".")


# -- Korean Excel: cp949 in, utf-8-sig out --------------------------------------------------------
def test_a_csv_saved_by_korean_excel_is_imported(tmp_path, db_path):
    """A cp949 file (what Korean Excel saves as "CSV") imports with its Korean channel names."""
    path = tmp_path / "korean.csv"
    path.write_bytes(KOREAN.encode("cp949"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    with ReadingStore(db_path) as store:
        report = import_csv(store, path, timezone="Asia/Seoul")
        assert report.encoding == "cp949" and sorted(report.channels) == ["습도", "온도"]
        assert report.stored == 4
        assert sorted(store.channels()["name"]) == ["습도", "온도"]
    assert not list(tmp_path.glob("watchkeeper-import-*"))


def test_utf8_with_a_bom_still_reads_as_utf8(tmp_path, db_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + KOREAN.encode("utf-8"))
    with ReadingStore(db_path) as store:
        report = import_csv(store, path)
    assert report.encoding == "utf-8-sig" and report.timestamp_column == "timestamp"
    assert sorted(report.channels) == ["습도", "온도"]


def test_a_file_in_neither_encoding_is_refused_in_one_sentence(tmp_path, db_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"timestamp,temp\n" + bytes(range(128, 256)) * 4)
    with ReadingStore(db_path) as store, pytest.raises(CsvImportError, match="neither UTF-8 nor Korean"):
        import_csv(store, path)


def test_csv_export_is_what_excel_reads(tmp_path, db_path):
    """UTF-8 with a BOM, ISO 8601 UTC timestamps with Z, rounded values, and local-time columns."""
    src = tmp_path / "in.csv"
    src.write_text(
        "timestamp,온도\n2026-01-01 00:00:00.250,21.123456789\n2026-01-01 00:01:00,1e-7\n", encoding="utf-8"
    )
    with ReadingStore(db_path) as store:
        import_csv(store, src)
        assert export(store, tmp_path / "long.csv", decimals=3) == 2
        assert export(store, tmp_path / "wide.csv", wide=True, local_time="Asia/Seoul") == 2
        export(store, tmp_path / "hourly.csv", resolution="1h", local_time="")
    raw = (tmp_path / "long.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "ts,channel,value"
    assert lines[1] == "2026-01-01T00:00:00.250000Z,온도,21.123"
    assert lines[2] == "2026-01-01T00:01:00.000000Z,온도,0.0"
    wide = (tmp_path / "wide.csv").read_text(encoding="utf-8-sig").splitlines()
    assert wide[0] == "ts,local_time,온도"
    assert wide[1] == "2026-01-01T00:00:00.250000Z,2026-01-01 09:00:00.250,21.123457"
    hourly = pd.read_csv(tmp_path / "hourly.csv", encoding="utf-8-sig")
    assert list(hourly.columns) == ["ts", "local_time", "channel", "mean", "min", "max", "count"]
    assert hourly["count"].tolist() == [2]
    parsed = pd.to_datetime(pd.read_csv(tmp_path / "long.csv", encoding="utf-8-sig")["ts"], utc=True)
    assert parsed[0] == pd.Timestamp("2026-01-01 00:00:00.250", tz="UTC")


def test_export_refuses_an_unknown_time_zone(tmp_path, db_path):
    from core.storage.export import ExportError

    with ReadingStore(db_path) as store, pytest.raises(ExportError, match="unknown time zone 'Mars/Base'"):
        export(store, tmp_path / "x.csv", local_time="Mars/Base")


# -- printing in a legacy code page --------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["cp949", "ascii", "cp1252"])
def test_printing_to_a_narrow_code_page_never_raises(encoding):
    """Em dashes, Korean names and ellipses in a code page that lacks them become "?"."""
    buffer = io.BytesIO()
    stream = SafeStream(io.TextIOWrapper(buffer, encoding=encoding, errors="strict"))
    line = "09:00:01 alarm temp.hi (high) normal -> active: 온도 above 80 °C — check the pump…\n"
    stream.write(line)
    stream.flush()
    text = buffer.getvalue().decode(encoding)
    assert text.startswith("09:00:01 alarm temp.hi") and text.endswith("\n") and stream.dropped == 0


def test_a_closed_stream_drops_the_line_and_the_command_goes_on():
    stream = SafeStream(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    stream._stream.close()
    assert stream.write("lost\n") == 0
    stream.flush()
    assert stream.dropped == 2


@pytest.mark.parametrize("encoding", ["cp949", "ascii"])
def test_commands_redirected_in_a_legacy_code_page_finish(encoding, tmp_path):
    """import of Korean channel names, with stdout a file in a code page (as on Windows), exits 0."""
    path = tmp_path / "korean.csv"
    path.write_text(KOREAN, encoding="utf-8")
    out_file = tmp_path / "out.txt"
    argv = ["import", str(path), "--db", str(tmp_path / "k.duckdb")]
    code = f"import sys; from core.cli import run; sys.exit(run({argv!r}))"
    with out_file.open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.PIPE,
            env={**_env(), "PYTHONIOENCODING": f"{encoding}:strict"},
            timeout=120,
        )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    text = out_file.read_bytes().decode(encoding)
    assert "readings stored  4" in text and "channels" in text


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}


def test_run_restores_the_streams_it_wrapped(capsys):
    before = sys.stdout
    assert run(["ports"]) == 0
    assert sys.stdout is before
    out = capsys.readouterr().out
    assert "DEVICE" in out or "No serial ports found" in out


# -- COM ports ---------------------------------------------------------------------------------
def test_com_ports_sort_in_natural_order():
    """COM2 before COM10 (not text order), whatever the case of the name."""
    names = ["COM10", "COM2", "com4", "COM1", "/dev/ttyUSB10", "/dev/ttyUSB2", "COM3"]
    assert sorted(names, key=port_sort_key) == [
        "/dev/ttyUSB2",
        "/dev/ttyUSB10",
        "COM1",
        "COM2",
        "COM3",
        "com4",
        "COM10",
    ]


def test_device_names_compare_without_case_on_windows_only():
    assert same_device("com3", "COM3", platform="win32")
    assert not same_device("com3", "COM3", platform="linux")
    assert same_device("/dev/ttyUSB0", "/dev/ttyUSB0", platform="linux")
    assert not same_device("COM3", "COM30", platform="win32")


# -- stopping record: Ctrl+Break, closing the console ------------------------------------------
def test_closing_the_console_waits_for_the_flush():
    """The console-close handler returns (letting Windows end the process) only after the
    recording has flushed; Ctrl+Break and Ctrl+C return at once."""
    stops = StopRequests()
    returned = threading.Event()

    def windows_calls_the_handler() -> None:
        assert stops.on_console_event(CTRL_CLOSE_EVENT) is True
        returned.set()

    threading.Thread(target=windows_calls_the_handler, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        stops.wait(60)  # the record loop wakes at once
    time.sleep(0.3)
    assert not returned.is_set()  # still flushing: the process must not end yet
    stops.flushed()
    assert returned.wait(10)
    for event in (CTRL_C_EVENT, CTRL_BREAK_EVENT):
        again = StopRequests()
        assert again.on_console_event(event) is True
        with pytest.raises(KeyboardInterrupt):
            again.wait(60)
    assert StopRequests().on_console_event(99) is False


def test_sigterm_stops_record_with_a_summary(tmp_path):
    """SIGTERM during record ends the loop through the same path, with the summary printed."""
    import signal

    argv = ["record", "--port", "sim://?channels=2&rate=20", "--db", str(tmp_path / "r.duckdb")]
    argv += ["--no-monitor", "--status-interval", "30"]
    code = f"import sys; from core.cli import run; sys.exit(run({argv!r}))"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert "Recording sim://" in proc.stdout.readline() + proc.stdout.readline()
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "Recorded for" in out and "readings stored" in out
