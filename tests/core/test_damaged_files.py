"""Damaged, foreign and impossible database files: one sentence each, the file left as it was."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import duckdb
import numpy as np
import pytest

from core.cli.main import run
from core.readings import ReadingBatch
from core.storage.errors import Problem, StoreLockedError, classify, open_error
from core.storage.schema import migrate, transaction
from core.storage.store import NotADatabaseError, ReadingStore, StoreDamagedError

T0 = 1_767_225_600_000_000


def _real_file(path, n=200_000):
    """A Watchkeeper file with four channels of readings, checkpointed."""
    with ReadingStore(path) as store:
        ts = T0 + np.arange(n, dtype=np.int64) * 100_000
        store.append(ReadingBatch(ts, (np.arange(n) % 4).astype(np.int32), np.random.rand(n), tuple("abcd")))
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return _real_file(tmp_path_factory.mktemp("good") / "good.duckdb")


def _one_sentence(text, path):
    """One sentence naming ``path``, with no library text in it."""
    assert str(path) in text, text
    text = text.replace(str(path), "FILE")
    assert text.count(". ") == 0 and text.endswith(".") and "\n" not in text, text
    assert "Error" not in text and "duckdb" not in text.lower(), text


# -- classification -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "problem", "pid"),
    [
        (
            'IO Error: Could not set lock on file "/d/x.duckdb": Conflicting lock is held in '
            "/usr/bin/python3.12 (PID 4242) by user op. See also https://duckdb.org/docs/connect/concurrency",
            Problem.LOCKED,
            4242,
        ),
        (
            "IO Error: File is already open in \nC:\\Program Files\\Watchkeeper\\watchkeeper.exe (PID 912)",
            Problem.LOCKED,
            912,
        ),
        (
            "Corrupt database file: computed checksum 1469 does not match stored checksum 1333 "
            "in block at location 4096",
            Problem.DAMAGED,
            None,
        ),
        (
            'IO Error: Could not read enough bytes from file "x.duckdb": attempted to read 6144 bytes',
            Problem.DAMAGED,
            None,
        ),
        (
            'IO Error: The file "x.duckdb" exists, but it is not a valid DuckDB database file!',
            Problem.NOT_A_DATABASE,
            None,
        ),
        ('IO Error: Cannot open file "x.duckdb": Permission denied', Problem.NO_PERMISSION, None),
        ('IO Error: Could not write file "x.duckdb": No space left on device', Problem.NO_SPACE, None),
        ("TransactionContext Error: Conflict on update!", Problem.CONFLICT, None),
    ],
)
def test_duckdb_error_texts_are_classified_by_whole_phrases(text, problem, pid, tmp_path):
    """Each DuckDB text maps to its kind; "lock" inside "block" is not a lock, and a lock names its PID."""
    exc = duckdb.IOException(text)
    assert classify(exc) is problem
    error = open_error(tmp_path / "x.duckdb", exc)
    assert isinstance(error, StoreLockedError) == (problem is Problem.LOCKED)
    if pid is not None:
        assert f"(process {pid})" in str(error)
    _one_sentence(str(error), tmp_path / "x.duckdb")


# -- damaged files ------------------------------------------------------------------------------
@pytest.mark.parametrize("fraction", [0.5, 0.75, 0.9])
def test_a_truncated_file_is_refused_with_one_sentence_and_left_untouched(good, tmp_path, fraction):
    """A file cut short is refused on open (even where DuckDB itself would open it) and not written."""
    data = good.read_bytes()
    bad = tmp_path / "cut.duckdb"
    bad.write_bytes(data[: int(len(data) * fraction)])
    before = _digest(bad)
    with pytest.raises(StoreDamagedError) as info:
        ReadingStore(bad)
    assert "damaged" in str(info.value) and str(bad) in str(info.value)
    _one_sentence(str(info.value), bad)
    assert _digest(bad) == before and not (tmp_path / "cut.duckdb.wal").exists()


@pytest.mark.parametrize("where", ["first block", "middle"])
def test_a_block_of_garbage_is_refused(good, tmp_path, where):
    """Random bytes over a block are found by the checksums when the file is opened, also in a
    data block that DuckDB itself only reads when a query needs it."""
    data = bytearray(good.read_bytes())
    start = 3 * 4096 if where == "first block" else len(data) // 2
    data[start : start + 8192] = os.urandom(8192)
    bad = tmp_path / "garbage.duckdb"
    bad.write_bytes(bytes(data))
    before = _digest(bad)
    with pytest.raises(StoreDamagedError) as info:
        ReadingStore(bad)
    _one_sentence(str(info.value), bad)
    assert _digest(bad) == before


def test_info_and_export_of_a_damaged_file_say_one_sentence(good, tmp_path, capsys):
    """No traceback from info or export: exit 1 and one line naming the file."""
    data = good.read_bytes()
    bad = tmp_path / "cut.duckdb"
    bad.write_bytes(data[: len(data) * 3 // 4])
    assert run(["info", "--db", str(bad)]) == 1
    assert run(["export", "--db", str(bad), "--out", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(str(bad) in line and "damaged" in line for line in err)
    assert not (tmp_path / "x.csv").exists()


# -- foreign files ------------------------------------------------------------------------------
def _sqlite(path):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()


def _csv(path):
    path.write_text("timestamp,v\n2026-01-01T00:00:00,1\n")


def _parquet(path):
    duckdb.connect().execute(f"COPY (SELECT 1 AS a) TO '{path}' (FORMAT parquet)")


def _foreign_duckdb(path):
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (n INTEGER)")
    con.close()


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("plant.db", _sqlite, "SQLite database"),
        ("plant.sqlite", _sqlite, "SQLite database"),
        ("export.csv", _csv, "CSV file"),
        ("export.parquet", _parquet, "Parquet file"),
        ("other.duckdb", _foreign_duckdb, "another program"),
        ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
    ],
)
def test_a_file_that_is_not_a_watchkeeper_database_is_refused(tmp_path, name, make, kind):
    """DuckDB would open a CSV or Parquet path as an empty in-memory database (every reading lost)
    and would try to download an extension for SQLite: refused first, the file untouched."""
    path = tmp_path / name
    make(path)
    before = _digest(path)
    started = time.monotonic()
    with pytest.raises(NotADatabaseError) as info:
        ReadingStore(path)
    assert time.monotonic() - started < 2  # no extension download was tried
    assert kind in str(info.value) and str(path) in str(info.value)
    _one_sentence(str(info.value), path)
    assert _digest(path) == before and not path.with_name(name + ".wal").exists()


def test_record_into_a_csv_file_is_refused_and_stores_nothing(tmp_path, capsys):
    """`record --db export.csv` exits 1 with one sentence; the CSV is as it was."""
    path = tmp_path / "export.csv"
    _csv(path)
    before = _digest(path)
    assert run(["record", "--port", "sim://?channels=2&rate=10", "--db", str(path), "--duration", "1"]) == 1
    err = capsys.readouterr().err
    assert "not a Watchkeeper database" in err and err.count("\n") == 1
    assert _digest(path) == before


def test_an_empty_leftover_database_file_becomes_a_new_database(tmp_path):
    """A 0-byte .duckdb (from a start that died) does not block every later start."""
    path = tmp_path / "plant.duckdb"
    path.write_bytes(b"")
    with ReadingStore(path) as store:
        store.append(ReadingBatch.from_records([(T0, "a", 1.0)]))
    with ReadingStore(path, read_only=True) as store:
        assert store.count() == 1


def test_a_folder_as_database_is_refused(tmp_path):
    with pytest.raises(NotADatabaseError, match="is a folder"):
        ReadingStore(tmp_path)


def test_another_process_holding_the_file_is_named_with_its_pid(tmp_path):
    """The lock message names the process that holds the file."""
    path = tmp_path / "held.duckdb"
    code = textwrap.dedent(f"""
        import sys, time
        from core.storage.store import ReadingStore
        store = ReadingStore({str(path)!r})
        print("open", flush=True)
        sys.stdin.readline()
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "open"
        with pytest.raises(StoreLockedError) as info:
            ReadingStore(path)
        assert f"(process {child.pid})" in str(info.value)
    finally:
        child.communicate("\n", timeout=30)


_ID_TYPES = (
    "SELECT DISTINCT data_type FROM duckdb_columns() WHERE (table_name, column_name) IN "
    "(('channels', 'id'), ('samples', 'channel_id'), ('rollup_1m', 'channel_id'), "
    "('rollup_1h', 'channel_id'))"
)


# -- old files ----------------------------------------------------------------------------------
def test_a_file_of_the_16_bit_schema_is_migrated_and_keeps_its_readings(tmp_path):
    """A version-4 file (16-bit channel ids) opens, keeps every reading and id, and then takes
    channel ids beyond 65,535."""
    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    migrate(con, target=4)
    assert con.execute(_ID_TYPES).fetchall() == [("USMALLINT",)]
    con.execute("INSERT INTO channels (id, name, unit) VALUES (1, 'old', 'bar'), (65535, 'last', '')")
    con.execute("INSERT INTO samples SELECT 1, to_timestamp(1767225600 + i), i FROM range(120) t(i)")
    con.execute("INSERT INTO samples SELECT 65535, to_timestamp(1767225600 + i), -i FROM range(60) t(i)")
    con.close()
    with ReadingStore(path) as store:
        assert store.count("old") == 120 and store.count("last") == 60
        assert store.channels().set_index("name").loc["old", "unit"] == "bar"
        store.append(ReadingBatch.from_records([(T0 + 10**9, "new", 1.0)]))
        cur = store.cursor()
        assert cur.execute("SELECT id FROM channels WHERE name = 'new'").fetchone()[0] == 65536
        assert cur.execute(_ID_TYPES).fetchall() == [("UINTEGER",)]
        assert store.count("new") == 1


def test_a_burst_of_3000_new_channels_commits_in_well_under_a_second(tmp_path):
    """New channel names are created in one statement per batch, not one per channel."""
    with ReadingStore(tmp_path / "flood.duckdb") as store:
        store.append(ReadingBatch.from_records([(T0, "warm", 1.0)]))
        records = [(T0 + i, f"k{i:04d}", 1.0) for i in range(3000)]
        started = time.perf_counter()
        store.append(ReadingBatch.from_records(records))
        assert time.perf_counter() - started < 1.0
        assert store.count() == 3001 and len(store.channels()) == 3001


# -- transactions -------------------------------------------------------------------------------
def test_a_failed_transaction_raises_its_own_error_not_the_rollbacks(tmp_path):
    """When DuckDB has already ended the transaction, ROLLBACK's complaint does not hide the cause."""
    con = duckdb.connect()

    class Cause(Exception):
        pass

    with pytest.raises(Cause), transaction(con):
        con.execute("COMMIT")  # the transaction is gone, as after a failed write
        raise Cause("the real reason")


def test_a_channel_flood_through_the_writer_is_committed_within_a_second(tmp_path):
    """3,000 new names arriving at once are stored within a second of being submitted."""
    from core.storage.writer import StoreWriter

    with ReadingStore(tmp_path / "flood.duckdb") as store:
        writer = StoreWriter(store, commit_interval=0.5)
        writer.start()
        started = time.monotonic()
        ticket = writer.submit(ReadingBatch.from_records([(T0 + i, f"k{i:04d}", 1.0) for i in range(3000)]))
        assert writer.wait_committed(ticket, timeout=10)
        assert time.monotonic() - started < 1.0
        writer.stop()
        assert store.count() == 3000
