"""The demo's week of history goes through the live recording's writer: no conflict, nothing missing."""

import threading
import time

import numpy as np

from core.readings import ReadingBatch
from core.simulation.demo import DEMO_CHANNELS, backfill_history, demo_device
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter

NAMES = demo_device().channel_names


def _live(writer: StoreWriter, start_s: float, stop: threading.Event) -> None:
    """What the demo's 10 Hz device does meanwhile: readings in the same minute and hour buckets."""
    t = start_s
    while not stop.is_set():
        ts = np.full(DEMO_CHANNELS, int(t * 1e6), np.int64)
        codes = np.arange(DEMO_CHANNELS, dtype=np.int32)
        writer.submit(ReadingBatch(ts, codes, np.ones(DEMO_CHANNELS), NAMES))
        t += 0.1
        time.sleep(0.002)


def _rollups_agree_with_samples(store: ReadingStore) -> None:
    cur = store.cursor()
    samples = cur.execute("SELECT count(*) FROM samples").fetchall()[0][0]
    for table in ("rollup_1m", "rollup_1h"):
        total, rows, distinct = cur.execute(
            f"SELECT sum(n), count(*), count(DISTINCT (channel_id, bucket)) FROM {table}"
        ).fetchall()[0]
        assert total == samples, f"{table} counts {total} readings, samples hold {samples}"
        assert rows == distinct, f"{table} has {rows - distinct} duplicated buckets"


def test_history_written_while_recording_is_all_there_and_no_error_is_reported(tmp_path):
    """With the live writer committing every 50 ms into the current minute and hour, the week of
    history arrives through that same writer: no conflict reaches the operator, every reading of the
    week is stored, and the rollups count each reading once."""
    for attempt in range(3):  # the old second writer conflicted 2 times in 3: try it thrice
        store = ReadingStore(tmp_path / f"demo{attempt}.duckdb")
        errors: list[str] = []
        say = errors.append
        writer = StoreWriter(store, commit_interval=0.05, on_error=lambda m, say=say: say(str(m)))
        writer.start()
        until = time.time()
        stop = threading.Event()
        live = threading.Thread(target=_live, args=(writer, until, stop))
        live.start()
        try:
            time.sleep(0.2)  # the live recording is committing before the history starts
            added = backfill_history(store, until, days=2, step_s=5.0)
        finally:
            stop.set()
            live.join()
            writer.stop()
        assert errors == []
        history = (
            store.cursor()
            .execute("SELECT count(*) FROM samples WHERE ts < make_timestamptz(?)", [int(until * 1e6)])
            .fetchall()[0][0]
        )
        assert added == history > 0.9 * 2 * 86_400 / 5 * DEMO_CHANNELS  # the device drops a few
        oldest = store.cursor().execute("SELECT epoch(min(ts)) FROM samples").fetchall()[0][0]
        assert oldest <= until - 2 * 86_400 + 10
        assert writer.stats().stored == store.count()  # the history was committed by the live writer
        _rollups_agree_with_samples(store)
        store.close()


def test_history_without_a_running_writer_is_appended_directly(tmp_path):
    """Before any recording starts, the history is stored straight away and is there on return."""
    with ReadingStore(tmp_path / "demo.duckdb") as store:
        until = time.time()
        added = backfill_history(store, until, days=1, step_s=60.0)
        assert added == store.count() > 0
        _rollups_agree_with_samples(store)
        assert backfill_history(store, until, days=1, step_s=60.0) == 0  # already there


def test_a_commit_conflict_is_retried_and_never_reported_as_a_disk_problem(tmp_path):
    """A transaction conflict on commit is tried again; the operator hears nothing about it."""
    import duckdb

    class ConflictingOnce:
        path = tmp_path / "x.duckdb"

        def __init__(self):
            self.calls = 0
            self.rows = 0

        def flush_rollups(self):
            pass

        def append(self, batch, defer_rollups=False):
            self.calls += 1
            if self.calls <= 3:
                raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")
            self.rows += len(batch)
            return len(batch)

    store = ConflictingOnce()
    errors: list[str] = []
    writer = StoreWriter(store, commit_interval=0.02, on_error=lambda m: errors.append(str(m)))
    writer.start()
    ticket = writer.submit(ReadingBatch.from_records([(1, "a", 1.0), (2, "a", 2.0)]))
    assert writer.wait_committed(ticket, timeout=5)
    writer.stop()
    assert store.rows == 2 and errors == []


def test_a_failed_commit_tells_the_operator_what_to_do_without_library_text(tmp_path, caplog):
    """The sentence (and every warning a console shows) names the file and the cause in words; the
    library's own text is only in the detailed log."""
    import logging

    import duckdb

    class FullDisk:
        path = tmp_path / "x.duckdb"

        def flush_rollups(self):
            pass

        def append(self, batch, defer_rollups=False):
            raise duckdb.IOException('IO Error: Could not write file "x.duckdb.wal": No space left on device')

    errors: list[str] = []
    writer = StoreWriter(FullDisk(), commit_interval=0.02, on_error=lambda m: errors.append(str(m)))
    with caplog.at_level(logging.INFO):
        writer.submit(ReadingBatch.from_records([(1, "a", 1.0)]))
        assert not writer.flush()
    reason = "No space left on device; free some space on that disk"
    assert errors == [f"Cannot write to {FullDisk.path}: {reason}"]
    shown = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert shown and not any("IO Error" in m for m in shown)
    assert any("IO Error" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)
