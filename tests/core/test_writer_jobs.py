"""One writer per file: every write goes through the StoreWriter's thread while it runs, and a
transaction conflict is retried instead of being reported as a disk problem."""

from __future__ import annotations

import threading
import time

import duckdb
import numpy as np
import pandas as pd
import pytest

from core.alarms.journal import AlarmJournal
from core.alarms.model import AlarmEvent, AlarmKind, AlarmState, Priority
from core.forecast.cycle import store_forecasts
from core.readings import ReadingBatch
from core.storage.conflicts import retry_conflicts
from core.storage.csv_import import import_csv
from core.storage.errors import Problem, classify, write_problem
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter
from tests.conftest import wait_until


def _batch(t0_us: int, n: int, channels: int = 4) -> ReadingBatch:
    ts = np.repeat(t0_us + np.arange(n, dtype=np.int64) * 1000, channels)
    codes = np.tile(np.arange(channels, dtype=np.int32), n)
    return ReadingBatch(ts, codes, np.ones(n * channels), tuple(f"c{i}" for i in range(channels)))


def _cycle(generated_s: float, channel: str = "c0", steps: int = 30) -> pd.DataFrame:
    targets = pd.to_datetime([generated_s + 60 * (k + 1) for k in range(steps)], unit="s", utc=True)
    values = np.linspace(1.0, 2.0, steps)
    return pd.DataFrame(
        {
            "timestamp": targets,
            "channel": channel,
            "forecast": values,
            "lower_80": values - 0.5,
            "upper_80": values + 0.5,
            "lower_95": values - 1.0,
            "upper_95": values + 1.0,
            "generated_at": pd.Timestamp(generated_s, unit="s", tz="UTC"),
        }
    )


def _event(ts_us: int, n: int) -> AlarmEvent:
    return AlarmEvent(
        ts_us,
        f"c0.H{n}",
        "c0",
        AlarmKind.H,
        Priority.HIGH,
        AlarmState.NORMAL,
        AlarmState.ACTIVE_UNACK,
        1.0,
        f"event {n}",
    )


def test_a_job_runs_on_the_writer_thread_and_sees_the_readings_submitted_before_it(tmp_path):
    """A job asked to follow the readings runs on the writer thread after every reading submitted
    before it is committed, and before the ones submitted after it; its result comes back."""
    with ReadingStore(tmp_path / "w.duckdb") as store:
        writer = StoreWriter(store, commit_interval=1.0)  # long: the job must not wait for it
        writer.start()
        try:
            assert store.writer is writer
            t0 = time.time_ns() // 1000
            writer.submit(_batch(t0, 100))

            def job() -> tuple[str, int]:
                return threading.current_thread().name, store.count()

            future = writer.call(job, after_readings=True)
            writer.submit(_batch(t0 + 1_000_000, 50))
            name, seen = future.result(timeout=30)
            assert name == "StoreWriter"
            assert seen == 400  # the 100 x 4 before it, none of the 50 x 4 after it
        finally:
            writer.stop()
        assert store.writer is None
        assert store.count() == 600


def test_jobs_run_in_the_order_they_were_handed_over_and_raise_at_their_caller(tmp_path):
    """Jobs from several threads run one after another in hand-over order; a job's exception is
    raised in the thread that asked for it and the writer goes on."""
    with ReadingStore(tmp_path / "w.duckdb") as store:
        writer = StoreWriter(store, commit_interval=0.05)
        writer.start()
        try:
            order: list[int] = []
            futures = [writer.call(lambda i=i: order.append(i)) for i in range(50)]
            for f in futures:
                f.result(timeout=30)
            assert order == list(range(50))

            def broken() -> None:
                raise ValueError("the job's own error")

            with pytest.raises(ValueError, match="the job's own error"):
                writer.run(broken)
            assert writer.run(lambda: 7) == 7
        finally:
            writer.stop()


def test_without_a_running_writer_a_write_runs_on_the_callers_thread(tmp_path):
    """Before a writer starts and after it stops, store.write runs at once on the caller's
    thread (a command on a closed file, tests), so nobody waits for a writer that is not there."""
    with ReadingStore(tmp_path / "w.duckdb") as store:
        here = threading.current_thread().name
        assert store.write(lambda cur: threading.current_thread().name) == here
        writer = StoreWriter(store, commit_interval=0.05)
        writer.start()
        assert store.write(lambda cur: threading.current_thread().name) == "StoreWriter"
        writer.stop()
        assert store.write(lambda cur: threading.current_thread().name) == here


def test_a_forecast_cycle_journal_and_import_while_readings_stream_lose_nothing(tmp_path):
    """While another thread streams readings at a high rate into the live minute, forecast cycles,
    alarm-journal appends and a CSV import land through the one writer: no error is reported,
    every reading, forecast row and journal row is in the file, and the rollups count each
    reading once."""
    store = ReadingStore(tmp_path / "busy.duckdb")
    errors: list[str] = []
    writer = StoreWriter(store, commit_interval=0.05, on_error=errors.append)
    writer.start()
    stop = threading.Event()
    streamed = [0]
    t0 = time.time_ns() // 1000

    def stream() -> None:
        t = t0
        while not stop.is_set():
            streamed[0] += len(batch := _batch(t, 50))
            writer.submit(batch)
            t += 50_000
            time.sleep(0.001)

    csv = tmp_path / "old.csv"
    # The import's readings fall into the live hour's rollup row too (half a millisecond off the
    # stream's grid, so none is a duplicate): its merge and the live folds touch the same rows.
    stamps = pd.to_datetime(t0 - 2_000_000_000 + 500 + np.arange(2000) * 1_000_000, unit="us", utc=True)
    pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "c0": np.arange(2000.0)}).to_csv(
        csv, index=False
    )
    live = threading.Thread(target=stream)
    live.start()
    failures: list[BaseException] = []

    def forecasts() -> None:
        try:
            for k in range(20):
                store_forecasts(store, _cycle(time.time() + k), {"c0": "m"})
        except BaseException as exc:
            failures.append(exc)

    def journal() -> None:
        try:
            j = AlarmJournal(store)
            for k in range(40):
                j.append([_event(t0 + k, 2 * k), _event(t0 + k, 2 * k + 1)])
        except BaseException as exc:
            failures.append(exc)

    workers = [threading.Thread(target=forecasts), threading.Thread(target=journal)]
    try:
        assert wait_until(lambda: writer.stats().commits >= 3, timeout=30)
        for w in workers:
            w.start()
        report = import_csv(store, csv)
        for w in workers:
            w.join(120)
    finally:
        stop.set()
        live.join()
        writer.stop()
    try:
        assert failures == [] and errors == []
        assert report.stored == 2000
        cur = store.cursor()
        assert store.count() == streamed[0] + 2000
        assert cur.execute("SELECT count(*) FROM forecasts").fetchall()[0][0] == 20 * 30
        assert len(AlarmJournal(store).frame()) == 80
        samples = store.count()
        for table in ("rollup_1m", "rollup_1h"):
            total, rows, distinct = cur.execute(
                f"SELECT sum(n), count(*), count(DISTINCT (channel_id, bucket)) FROM {table}"
            ).fetchall()[0]
            assert total == samples and rows == distinct, table
    finally:
        store.close()


def _conflict(store: ReadingStore) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]:
    """Two cursors of the same file, the first holding an uncommitted update of row 1."""
    store.cursor().execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER)")
    store.cursor().execute("INSERT INTO t VALUES (1, 0) ON CONFLICT DO NOTHING")
    holder, other = store.cursor().cursor(), store.cursor().cursor()
    holder.execute("BEGIN TRANSACTION")
    holder.execute("UPDATE t SET v = v + 1 WHERE id = 1")
    return holder, other


def test_a_real_duckdb_conflict_is_classified_as_a_conflict_not_a_disk_problem(tmp_path):
    """DuckDB's own refusal of a second update of one row is a conflict, and the sentence for
    it names no disk problem."""
    with ReadingStore(tmp_path / "c.duckdb") as store:
        holder, other = _conflict(store)
        with pytest.raises(duckdb.Error) as caught:
            other.execute("UPDATE t SET v = v + 10 WHERE id = 1")
        holder.execute("ROLLBACK")
        assert classify(caught.value) is Problem.CONFLICT
        assert "disk" not in write_problem(caught.value) and "log file" not in write_problem(caught.value)
        for text in (
            "TransactionContext Error: Conflict on update!",
            "TransactionContext Error: Conflict on tuple deletion!",
            "Transaction conflict: cannot update a table that has been altered!",
            'Catalog Error: Catalog write-write conflict on create with "x"',
        ):
            assert classify(duckdb.TransactionException(text)) is Problem.CONFLICT, text


def test_a_write_that_conflicts_is_retried_until_the_other_transaction_has_committed(tmp_path):
    """store.write hits a real conflict (another cursor holds an update of the same row); it is
    rolled back and tried again, and succeeds once the other transaction commits: both updates
    are in the file and nothing was raised."""
    with ReadingStore(tmp_path / "c.duckdb") as store:
        holder, _ = _conflict(store)
        tries: list[int] = []

        def update(cur: duckdb.DuckDBPyConnection) -> None:
            tries.append(1)
            if len(tries) == 2:
                holder.execute("COMMIT")  # the other transaction ends during the back-off
            cur.execute("UPDATE t SET v = v + 10 WHERE id = 1")

        # The first try runs while the holder's transaction is open, so it really conflicts.
        store.write(update)
        assert len(tries) >= 2
        assert store.cursor().execute("SELECT v FROM t WHERE id = 1").fetchall()[0][0] == 11


def test_a_conflict_that_never_ends_is_raised_after_a_few_tries_as_a_conflict(tmp_path):
    """If the other transaction never ends, the write gives up after a few short tries and the
    error it raises is classified as a conflict (the operator hears "another part of Watchkeeper",
    not a disk problem)."""
    with ReadingStore(tmp_path / "c.duckdb") as store:
        holder, other = _conflict(store)
        tries: list[float] = []
        pauses: list[float] = []

        def update() -> None:
            tries.append(time.monotonic())
            other.execute("BEGIN TRANSACTION")
            try:
                other.execute("UPDATE t SET v = v + 10 WHERE id = 1")
                other.execute("COMMIT")
            except BaseException:
                other.execute("ROLLBACK")
                raise

        with pytest.raises(duckdb.Error) as caught:
            retry_conflicts(update, "a test update", attempts=4, sleep=pauses.append)
        holder.execute("ROLLBACK")
        assert len(tries) == 4 and len(pauses) == 3 and pauses == sorted(pauses)
        assert classify(caught.value) is Problem.CONFLICT


def test_an_error_that_is_no_conflict_is_raised_at_once(tmp_path):
    """Only conflicts are retried: a disk problem is raised on the first try."""
    tries: list[int] = []

    def full_disk() -> None:
        tries.append(1)
        raise duckdb.IOException("IO Error: No space left on device")

    with pytest.raises(duckdb.IOException):
        retry_conflicts(full_disk, sleep=lambda s: None)
    assert tries == [1]
