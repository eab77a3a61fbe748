"""ReadingStore and StoreWriter: schema, batched commits, one writer per file, failures."""

import subprocess
import sys
import textwrap

import duckdb
import pytest

from core.readings import ReadingBatch
from core.storage.schema import SCHEMA_VERSION
from core.storage.store import ReadingStore, StoreError
from core.storage.writer import StoreWriter
from tests.conftest import wait_until

T0 = 1_700_000_000_000_000


def batch(n, channel="temp", start=0):
    return ReadingBatch.from_records([(T0 + (start + i) * 1000, channel, float(i)) for i in range(n)])


def test_readings_view_has_the_documented_columns(db_path):
    """readings(ts TIMESTAMPTZ, channel VARCHAR, value DOUBLE) is queryable by anyone."""
    with ReadingStore(db_path) as store:
        store.append(batch(3))
    con = duckdb.connect(str(db_path), read_only=True)
    cols = con.execute("DESCRIBE readings").fetchall()
    assert [(c[0], c[1]) for c in cols] == [
        ("ts", "TIMESTAMP WITH TIME ZONE"),
        ("channel", "VARCHAR"),
        ("value", "DOUBLE"),
    ]
    assert con.execute("SELECT count(*) FROM readings WHERE channel = 'temp'").fetchone()[0] == 3
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_append_keeps_every_reading_and_its_time(db_path):
    """Timestamps survive to the microsecond and channels get stable ids across reopen."""
    with ReadingStore(db_path) as store:
        store.append(ReadingBatch.from_records([(T0 + 1, "a", 1.5), (T0 + 2, "b", 2.5)]))
    with ReadingStore(db_path) as store:
        store.append(ReadingBatch.from_records([(T0 + 3, "a", 3.5)]))
        df = store.readings()
    assert [(int(t.value // 1000), c, v) for t, c, v in df.itertuples(index=False)] == [
        (T0 + 1, "a", 1.5),
        (T0 + 2, "b", 2.5),
        (T0 + 3, "a", 3.5),
    ]


def test_units_are_recorded(db_path):
    """Channel units from the config are kept in the channels table."""
    with ReadingStore(db_path) as store:
        store.set_units({"temp": "°C"})
        assert store.channels().set_index("name").loc["temp", "unit"] == "°C"


def test_second_writer_process_gets_one_clear_sentence(db_path):
    """Another process opening the same file is refused with a sentence, not a traceback."""
    with ReadingStore(db_path):
        code = textwrap.dedent(f"""
            from core.storage.store import ReadingStore, StoreLockedError
            try:
                ReadingStore({str(db_path)!r})
            except StoreLockedError as exc:
                print(exc)
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "already open in another Watchkeeper" in out.stdout
    assert out.stderr == ""


def test_not_a_database_is_a_clear_error(tmp_path):
    """A random file given as the database is named as such."""
    bad = tmp_path / "notes.duckdb"
    bad.write_bytes(b"hello, this is not a database" * 100)
    with pytest.raises(StoreError, match=r"not a Watchkeeper database|Could not open"):
        ReadingStore(bad)


def test_writer_commits_within_the_interval(db_path):
    """A submitted batch is visible to readers within the commit interval."""
    with ReadingStore(db_path) as store:
        writer = StoreWriter(store, commit_interval=0.2)
        writer.start()
        writer.submit(batch(5))
        assert wait_until(lambda: store.count() == 5, timeout=2)
        writer.stop()


def test_writer_stop_flushes_everything(db_path):
    """Stopping commits what is still pending: a normal shutdown loses nothing."""
    store = ReadingStore(db_path)
    writer = StoreWriter(store, commit_interval=1.0)
    writer.start()
    for i in range(50):
        writer.submit(batch(100, start=i * 100))
    writer.stop()
    store.close()
    with ReadingStore(db_path, read_only=True) as again:
        assert again.count() == 5000


class FlakyStore:
    """A store whose disk is 'full' until ``healthy`` is set."""

    def __init__(self):
        self.path = "flaky.duckdb"
        self.healthy = False
        self.rows = 0

    def flush_rollups(self):
        pass

    def append(self, b, defer_rollups=False):
        if not self.healthy:
            raise duckdb.IOException("No space left on device")
        self.rows += len(b)
        return len(b)


def test_writer_keeps_readings_while_the_disk_is_full_and_writes_them_later():
    """A failing commit keeps readings in memory, reports once, and writes them when possible."""
    store = FlakyStore()
    errors = []
    writer = StoreWriter(store, commit_interval=0.05, on_error=lambda m: errors.append(str(m)))
    writer.start()
    writer.submit(batch(10))
    assert wait_until(lambda: writer.stats().failures >= 2)
    writer.submit(batch(5, start=10))
    assert store.rows == 0 and writer.stats().pending == 15
    store.healthy = True
    assert wait_until(lambda: store.rows == 15)
    writer.stop()
    assert errors[0].startswith("Cannot write to flaky.duckdb: No space left")
    assert errors[-1] == ""  # recovery is announced
    assert len(errors) == 2


def test_writer_memory_buffer_is_bounded_and_counts_drops():
    """When the disk stays full, the oldest readings are dropped and counted, never unbounded."""
    store = FlakyStore()
    writer = StoreWriter(store, commit_interval=1.0, max_pending=100)
    for i in range(10):
        writer.submit(batch(30, start=i * 30))
    stats = writer.stats()
    assert stats.pending <= 100 and stats.pending + stats.dropped == 300
