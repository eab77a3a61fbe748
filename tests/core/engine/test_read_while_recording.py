"""Commands on a file another process records: answered by that process, printed as always.

A spawned child opens the file, records through a StoreWriter and serves it (tests/core/engine/
holder.py); the commands run here, where DuckDB refuses to open the file.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from core.cli.main import run
from core.engine.ipc import Request, call, find_owner, owner_record_path
from core.storage.store import ReadingStore
from tests.conftest import wait_until
from tests.core.engine.holder import LIVE, hold
from tests.core.forecast.conftest import MINUTE_US, T0_US, TINY, fill_store, sine
from tests.core.test_alarm_cli import make_journal

ROOT = Path(__file__).resolve().parents[3]
RANGE = ["--from", "2026-01-01", "--to", "2026-01-01T01:00"]


class Holder:
    """The child process recording ``db``."""

    def __init__(self, db: Path, kind: str = "record", models: Path | None = None) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.ready, self.stop = ctx.Event(), ctx.Event()
        self.process = ctx.Process(
            target=hold, args=(str(db), kind, str(models) if models else None, self.ready, self.stop)
        )
        self.db = db

    def __enter__(self) -> Holder:
        self.process.start()
        assert self.ready.wait(120), "the holder did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.process.join(60)
        assert self.process.exitcode == 0
        assert not owner_record_path(self.db).exists()


@pytest.fixture
def db(tmp_path):
    """A file with an alarm journal and an hour of 'temp' readings, before anyone records it."""
    path = tmp_path / "plant.duckdb"
    make_journal(path)
    with ReadingStore(path) as store:
        fill_store(store, "temp", sine(60))
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = run(list(argv))
    got = capsys.readouterr()
    return rc, got.out, got.err


def test_info_while_recording_lists_the_live_channel(db, capsys):
    """info names both channels, the one being recorded included, and says whom it asked."""
    with Holder(db) as holder:
        assert wait_until(lambda: _recorded(db), timeout=60)
        rc, out, err = _run(capsys, "info", "--db", str(db))
    assert rc == 0, err
    assert out.startswith(f"{db}: ") and "schema version" in out
    assert any(line.startswith("temp ") for line in out.splitlines())
    assert any(line.startswith(f"{LIVE} ") for line in out.splitlines())
    assert err == (
        f"watchkeeper: {db} is being recorded by 'watchkeeper record', process {holder.process.pid}; "
        "asking that process.\n"
    )


def _recorded(db: Path) -> bool:
    """Whether the holder has committed a reading of its live channel."""
    owner = find_owner(db)
    return owner is not None and LIVE in set(call(owner, Request.INFO).channels["name"])


def test_alarms_while_recording_prints_exactly_what_it_prints_on_a_closed_file(db, tmp_path, capsys):
    """The alarm report through the holder is the same text as the report read directly."""
    events = tmp_path / "events.csv"
    with Holder(db):
        rc, through, err = _run(capsys, "alarms", "--db", str(db), *RANGE, "--export", str(events))
    assert rc == 0, err
    exported = pd.read_csv(events)
    events.unlink()
    rc, direct, _ = _run(capsys, "alarms", "--db", str(db), *RANGE, "--export", str(events))
    assert rc == 0 and through == direct
    assert "alarms raised                     3" in through
    assert f"Wrote {len(exported)} alarm events" in through
    assert pd.read_csv(events).equals(exported)


def test_export_while_recording_writes_the_file_at_the_callers_path(db, tmp_path, capsys, monkeypatch):
    """A relative --out is the caller's: the holder writes it there, and the message names it as given."""
    monkeypatch.chdir(tmp_path)
    with Holder(db):
        rc, out, err = _run(capsys, "export", "--db", str(db), "--out", "temp.csv", "--channel", "temp")
        assert rc == 0, err
        assert out == "Wrote 180 rows to temp.csv.\n"
        assert len(pd.read_csv(tmp_path / "temp.csv")) == 180
        rc, out, err = _run(capsys, "export", "--db", str(db), "--out", "x.csv", "--channel", "nope")
    assert rc == 1 and err.splitlines()[-1].startswith("watchkeeper: no channel named nope (known: ")


def test_import_while_recording_stores_the_rows_beside_the_recording(db, tmp_path, capsys, monkeypatch):
    """A CSV imported through the holder is stored; the recording goes on; the report names the
    file as the user typed it."""
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"2026-01-01 00:{m:02d}:00,{m / 10}\n" for m in range(30))
    (tmp_path / "flow.csv").write_text("timestamp,flow\n" + rows, encoding="utf-8")
    with Holder(db):
        rc, out, err = _run(capsys, "import", "flow.csv", "--db", str(db))
        assert rc == 0, err
        assert out.startswith(f"Imported flow.csv (wide, timestamps from 'timestamp') into {db}:")
        assert "readings stored  30" in out
        rc, out, err = _run(capsys, "import", "none.csv", "--db", str(db))
        assert rc == 1 and err.splitlines()[-1] == "watchkeeper: none.csv does not exist"
    with ReadingStore(db, read_only=True) as store:
        assert store.count("flow") == 30 and store.count(LIVE) > 0


def test_record_on_a_recorded_file_names_the_process_and_its_kind(db, capsys):
    """A second recorder is refused with a sentence naming the window that records the file."""
    with Holder(db, kind="window") as holder:
        rc, _, err = _run(capsys, "record", "--port", "sim://?channels=1", "--db", str(db), "--duration", "1")
    assert rc == 1
    assert (
        f"The database {db} is being recorded by the Watchkeeper window, process {holder.process.pid}; "
        "close it or record to another file with --db." in err
    )


def test_a_holder_that_does_not_serve_is_named_without_talk_of_recording(db, capsys):
    """A plain program holding the file (no owner record): read commands say who uses it."""
    code = textwrap.dedent(f"""
        import sys
        from core.storage.store import ReadingStore
        store = ReadingStore({str(db)!r})
        print("open", flush=True)
        sys.stdin.readline()
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "open"
        for argv in (["info"], ["alarms"], ["export", "--out", os.devnull + ".csv"]):
            rc, out, err = _run(capsys, *argv, "--db", str(db))
            assert rc == 1 and out == ""
            assert f"The database {db} is being used by another Watchkeeper" in err
            assert f"(process {child.pid}); stop it first" in err and "only one program" not in err
    finally:
        child.communicate("\n", timeout=60)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """A tiny saved model of 'temp' (trained once for this module)."""
    from core.forecast.artifacts import save_model
    from core.forecast.pipeline import train_series
    from core.forecast.transform import RegularSeries

    folder = tmp_path_factory.mktemp("models")
    model = train_series(RegularSeries(T0_US, MINUTE_US, sine(900, noise=0.2)), "temp", TINY)
    save_model(folder, model.info, model.weights)
    return folder


def test_predict_while_recording_is_forecast_by_the_holder(tmp_path, models, capsys):
    """predict asks the holder, which forecasts with its models and writes the Prediction.csv."""
    db = tmp_path / "plant.duckdb"
    with ReadingStore(db) as store:
        fill_store(store, "temp", sine(900, noise=0.2))
    out = tmp_path / "Prediction.csv"
    with Holder(db, models=models):
        rc, text, err = _run(capsys, "predict", "--db", str(db), "--channel", "temp", "--out", str(out))
        assert rc == 0, err
        assert text.splitlines()[0].startswith("temp: 6 steps from 2026-01-01 15:00")
        assert f"Stored 6 forecast rows in {db} and {out} in " in text
        assert len(pd.read_csv(out)) == 6
        rc, _, err = _run(capsys, "predict", "--db", str(db), "--channel", "temp", "--models", str(models))
    assert rc == 1 and "leave out --models and --now" in err
