"""A start that fails leaves nothing behind: no empty database, no file the next start trips on."""

import os
import stat

from core.cli.main import run
from core.storage.store import ReadingStore


def test_record_on_a_port_that_does_not_exist_creates_no_database(tmp_path, capsys):
    """`record --port <missing>` exits 1 with one sentence and leaves no .duckdb (nor .wal)."""
    db = tmp_path / "plant.duckdb"
    assert run(["record", "--port", str(tmp_path / "ttyNOPE"), "--db", str(db), "--duration", "1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "was not found" in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_record_on_a_bad_port_keeps_an_existing_database_as_it_was(tmp_path, capsys):
    """An existing file is never removed by a failed start, even when it holds no readings."""
    db = tmp_path / "plant.duckdb"
    ReadingStore(db).close()
    assert run(["record", "--port", str(tmp_path / "ttyNOPE"), "--db", str(db), "--duration", "1"]) == 1
    assert db.exists()
    with ReadingStore(db, read_only=True) as store:
        assert store.count() == 0


def test_a_new_database_is_created_with_the_normal_umask(tmp_path):
    """The database is readable by the group and others under umask 022, like any other file."""
    old = os.umask(0o022)
    try:
        db = tmp_path / "plant.duckdb"
        ReadingStore(db).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(db.stat().st_mode) == 0o644


def test_export_from_a_database_that_does_not_exist_creates_none(tmp_path, capsys):
    """A mistyped --db for export is one sentence and leaves no new empty database behind."""
    db = tmp_path / "typo.duckdb"
    assert run(["export", "--db", str(db), "--out", str(tmp_path / "x.csv")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []
