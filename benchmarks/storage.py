"""Storage benchmark: CSV import, history latency under a live writer, retention and file size.

Prints figures and ratios, never fails on them (as benchmarks/ingest.py), on generated data:
1 channel x 1 year at 1 Hz (31.5 M readings) and 8 channels x the last 30 days at 1 Hz (20.7 M).

1. import: both data sets as wide CSV files, through ``import_csv`` into a fresh ReadingStore,
   against DuckDB's own ``CREATE TABLE t AS SELECT * FROM read_csv(file)`` of the same files;
2. history: ``store.history`` of the 1-year channel over spans from 1 minute to 1 year while a
   StoreWriter commits a live 8-channel x 100 Hz stream, against a naive full-resolution query;
3. retention: ``apply_retention`` with the default policy on that file, then months of appending
   with retention after each, showing the file size levels off.

    uv run python benchmarks/storage.py [--quick] [--runs N] [--profile]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import duckdb
import numpy as np
import pandas as pd
from _rows import Row

from core.readings import ReadingBatch
from core.storage.csv_import import import_csv
from core.storage.retention import DAY_US, RetentionPolicy, apply_retention
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter

S_US = 1_000_000
END_US = 1_767_225_600_000_000  # 2026-01-01 00:00:00 UTC: the imported data ends just before
YEAR_CH = "year"
MONTH_CHS = tuple(f"m{i}" for i in range(1, 9))
LIVE_HZ = 100
TARGET_IMPORT = 1_000_000  # readings/s
TARGET_HISTORY_S = 0.050
SPANS = (("1 min", 60), ("1 h", 3600), ("1 d", 86_400), ("30 d", 30 * 86_400), ("1 y", 365 * 86_400))
MAX_POINTS = 2000
NAIVE = "SELECT ts, value FROM readings WHERE channel = ? AND ts >= ? AND ts < ? ORDER BY ts"


def dt(us: int) -> datetime:
    return datetime.fromtimestamp(us / 1e6, UTC)


def ratio(x: float) -> str:
    return f"{x:.1f}x" if x < 10 else f"{x:,.0f}x"


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def fresh(path: Path) -> Path:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
    return path


# -- data ------------------------------------------------------------------------------------
def write_wide_csv(path: Path, start_us: int, seconds: int, channels: tuple[str, ...]) -> int:
    """A 1 Hz wide CSV (``timestamp`` in ISO 8601 + one column per channel); returns its readings.

    DuckDB's COPY writes it (a 850 MB year in seconds); values are a daily wave plus hashed noise,
    two decimals, as a logger would write them.
    """
    cols = ", ".join(
        f"round({20 + 3 * k} + 5 * sin(i * {2 * np.pi / 86_400}) + (hash(i * 16 + {k}) % 1000) / 500.0, 2)"
        f" AS {name}"
        for k, name in enumerate(channels)
    )
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT strftime(make_timestamp({start_us} + i * {S_US}), '%Y-%m-%dT%H:%M:%SZ') "
            f"AS timestamp, {cols} FROM range({seconds}) r(i)) TO '{path}' (HEADER)"
        )
    finally:
        con.close()
    return seconds * len(channels)


# -- 1. import -------------------------------------------------------------------------------
def measure_import(
    store: ReadingStore, files: list[tuple[str, Path, int]], base_path: Path, profile: bool
) -> list[Row]:
    rows: list[Row] = []
    total = [0, 0.0, 0.0]  # readings, import s, baseline s
    for label, path, expected in files:
        statements: list[tuple[float, str]] = []
        target = _TimedStore(store, statements) if profile else store
        start = time.perf_counter()
        report = import_csv(target, path)  # type: ignore[arg-type]
        secs = time.perf_counter() - start
        con = duckdb.connect(str(base_path))
        try:
            start = time.perf_counter()
            con.execute(f"CREATE TABLE t_{len(rows)} AS SELECT * FROM read_csv(?)", [str(path)])
            base_secs = time.perf_counter() - start
        finally:
            con.close()
        check = "stored all" if report.stored == expected else f"STORED {report.stored:,} of {expected:,}"
        size = f"{path.stat().st_size / 1e6:,.0f} MB csv"
        imp = Row(label, "import_csv -> ReadingStore", report.stored, secs, note=f"{check}; {size}")
        base = Row(label, "baseline: DuckDB CTAS read_csv", expected, base_secs)
        imp.ratio = imp.rate / base.rate
        rows += [imp, base]
        total[0] += report.stored
        total[1] += secs
        total[2] += base_secs
        if profile:
            print_statements(f"import_csv({path.name}) by statement", statements, secs)
    both = Row("both files", "import_csv -> ReadingStore", total[0], total[1])
    base = Row("both files", "baseline: DuckDB CTAS read_csv", total[0], total[2])
    both.ratio = both.rate / base.rate
    verdict = "OK" if both.rate >= TARGET_IMPORT else "MISSED"
    both.note = f"target >= {TARGET_IMPORT:,} readings/s: {verdict}"
    for r in rows[::2]:
        r.note += "; target " + ("OK" if r.rate >= TARGET_IMPORT else "MISSED")
    return [*rows, both, base]


class _TimedCursor:
    """Times each statement of a DuckDB cursor (``--profile``); everything else passes through."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, log: list[tuple[float, str]]) -> None:
        self._cur, self._log = cur, log

    def _timed(self, method: str, sql: str, *args: object) -> _TimedCursor:
        start = time.perf_counter()
        getattr(self._cur, method)(sql, *args)
        self._log.append((time.perf_counter() - start, " ".join(sql.split())))
        return self

    def execute(self, sql: str, *args: object) -> _TimedCursor:
        return self._timed("execute", sql, *args)

    def executemany(self, sql: str, *args: object) -> _TimedCursor:
        return self._timed("executemany", sql, *args)

    def fetchall(self) -> list:
        start = time.perf_counter()
        out = self._cur.fetchall()
        secs, sql = self._log[-1]
        self._log[-1] = (secs + time.perf_counter() - start, sql)
        return out

    def __getattr__(self, name: str) -> object:
        return getattr(self._cur, name)


class _TimedStore:
    """Stands in for the store in import_csv: its private session, ``store.cursor().cursor()``, is timed."""

    def __init__(self, store: ReadingStore, log: list[tuple[float, str]]) -> None:
        self._store, self._log = store, log

    def cursor(self) -> SimpleNamespace:
        return SimpleNamespace(cursor=lambda: _TimedCursor(self._store.cursor().cursor(), self._log))

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def print_statements(title: str, log: list[tuple[float, str]], total: float) -> None:
    print(f"\n{title} (total {total:.2f}s; statements >= 10 ms):")
    for secs, sql in log:
        if secs >= 0.010:
            print(f"  {secs:6.2f}s {secs / total:4.0%}  {sql[:96]}")
    print()


# -- 2. history ------------------------------------------------------------------------------
class LiveStream:
    """Submits ``len(MONTH_CHS)`` channels x ``LIVE_HZ`` readings in real time, stamped from ``t0_us``."""

    def __init__(self, writer: StoreWriter, t0_us: int, tick: float = 0.02) -> None:
        self.writer, self.t0_us, self.tick = writer, t0_us, tick
        self.lines = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live stream", daemon=True)

    @property
    def submitted(self) -> int:
        return self.lines * len(MONTH_CHS)

    @property
    def last_us(self) -> int:
        return self.t0_us + self.lines * (S_US // LIVE_HZ)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        k = len(MONTH_CHS)
        start = time.monotonic()
        rng = np.random.default_rng(7)
        while not self._stop.wait(self.tick):
            due = int((time.monotonic() - start) * LIVE_HZ)
            if due <= self.lines:
                continue
            lines = np.arange(self.lines + 1, due + 1, dtype=np.int64)
            ts = np.repeat(self.t0_us + lines * (S_US // LIVE_HZ), k)
            codes = np.tile(np.arange(k, dtype=np.int32), len(lines))
            self.writer.submit(ReadingBatch(ts, codes, rng.normal(25, 2, len(ts)), MONTH_CHS))
            self.lines = due


def timed_runs(fn, runs: int, pause: float, budget: float | None = None) -> list[float]:
    """Seconds of each of ``runs`` calls (after one untimed warm-up); stops early past ``budget``."""
    fn()
    out: list[float] = []
    spent = time.perf_counter()
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
        if budget is not None and len(out) >= 3 and time.perf_counter() - spent > budget:
            break
        time.sleep(pause)
    return out


def measure_history(
    store: ReadingStore, end_us: int, runs: int, naive_budget: float
) -> tuple[list[str], str]:
    """History vs naive per span, while a writer commits a live stream; returns table lines, a note."""
    writer = StoreWriter(store, commit_interval=0.5)
    live = LiveStream(writer, end_us)
    writer.start()
    live.start()
    started = time.perf_counter()
    lines = [
        f"{'span':<6} {'resolution':<10} {'points':>6} {'median':>8} {'max':>8}   "
        f"{'naive rows':>10} {'median':>8} {'max':>8} {'vs naive':>9}  notes"
    ]
    worst = 0.0
    cur = store.cursor()
    try:
        time.sleep(1.0)  # the writer has committed before the first query
        for label, seconds in SPANS:
            start_us = end_us - seconds * S_US
            series = store.history([YEAR_CH], start_us, end_us, max_points=MAX_POINTS)[YEAR_CH]
            hist = timed_runs(
                lambda s=start_us: store.history([YEAR_CH], s, end_us, max_points=MAX_POINTS),
                runs,
                pause=0.03,
            )
            got: list[int] = []

            def naive(s: int = start_us, got: list[int] = got) -> None:
                cols = cur.execute(NAIVE, [YEAR_CH, dt(s), dt(end_us)]).fetchnumpy()
                got[:] = [len(cols["ts"])]

            base = timed_runs(naive, runs, pause=0.03, budget=naive_budget)
            h_med, h_max = statistics.median(hist), max(hist)
            n_med, n_max = statistics.median(base), max(base)
            worst = max(worst, h_max)
            slow = sum(x > TARGET_HISTORY_S for x in hist)
            note = f"{len(hist)}+{len(base)} runs; " + (
                "OK" if not slow else f"MISSED ({slow} of {len(hist)} over {TARGET_HISTORY_S * 1e3:.0f} ms)"
            )
            lines.append(
                f"{label:<6} {series.resolution:<10} {len(series):>6,} {h_med * 1e3:>6.1f}ms "
                f"{h_max * 1e3:>6.1f}ms   {got[0]:>10,} {n_med * 1e3:>6.0f}ms {n_max * 1e3:>6.0f}ms "
                f"{ratio(n_med / h_med):>9}  {note}"
            )
    finally:
        live.stop()
        writer.stop()
    secs = time.perf_counter() - started
    st = writer.stats()
    kept_up = st.stored == live.submitted and st.dropped == 0 and not st.failures
    note = (
        f"live writer meanwhile: {live.submitted:,} readings ({len(MONTH_CHS)} ch x {LIVE_HZ} Hz) "
        f"in {st.commits} commits over {secs:.0f}s, stored {st.stored:,}, dropped {st.dropped}, "
        f"failures {st.failures} ({'kept up' if kept_up else 'DID NOT KEEP UP'})\n"
        f"target <= {TARGET_HISTORY_S * 1e3:.0f} ms for every span (max of the runs): "
        + ("OK" if worst <= TARGET_HISTORY_S else f"MISSED (worst {worst * 1e3:.0f} ms)")
    )
    return lines, note


# -- 3. retention ----------------------------------------------------------------------------
def checkpointed_size(store: ReadingStore) -> tuple[int, int]:
    """File size after a CHECKPOINT, and the bytes of it in free (reusable) blocks."""
    cur = store.cursor()
    cur.execute("CHECKPOINT")
    free, block = cur.execute(
        "SELECT free_blocks, block_size FROM pragma_database_size() WHERE database_name = current_database()"
    ).fetchall()[0]
    return store.file_size(), int(free) * int(block)


def sized(size: tuple[int, int]) -> str:
    return f"{mb(size[0])} ({size[1] / 1e6:,.0f} free)"


def table_rows(store: ReadingStore) -> str:
    cur = store.cursor()
    n = [
        cur.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("samples", "rollup_1m", "rollup_1h")
    ]
    return f"{n[0]:,} raw / {n[1]:,} 1-min / {n[2]:,} hourly"


def append_span(store: ReadingStore, start_us: int, seconds: int, batch_s: int) -> tuple[int, float]:
    """Append the 1-year channel at 1 Hz for ``seconds`` from ``start_us`` in ``batch_s`` batches."""
    rng = np.random.default_rng(start_us % 2**32)
    n, spent = 0, 0.0
    for off in range(0, seconds, batch_s):
        k = min(batch_s, seconds - off)
        ts = start_us + (off + np.arange(k, dtype=np.int64)) * S_US
        batch = ReadingBatch(ts, np.zeros(k, np.int32), np.round(rng.normal(20, 3, k), 2), (YEAR_CH,))
        t = time.perf_counter()
        n += store.append(batch)
        spent += time.perf_counter() - t
    return n, spent


def measure_retention(
    store: ReadingStore, policy: RetentionPolicy, steps: int, step_days: int, batch_s: int
) -> list[str]:
    cur = store.cursor()
    now_us = int(cur.execute("SELECT epoch_us(max(ts)) FROM samples").fetchall()[0][0])
    before = checkpointed_size(store)
    rows_before = table_rows(store)
    res = apply_retention(store, policy, now_us)
    after = checkpointed_size(store)
    out = [
        f"policy: raw {policy.raw_days:g} d, 1-min {policy.minute_days:g} d, hourly {policy.hour_days:g} d; "
        f"now = end of data ({dt(now_us):%Y-%m-%d %H:%M:%S})",
        f"apply_retention: {res.seconds:.2f}s; deleted {res.raw_deleted:,} raw, "
        f"{res.minute_deleted:,} 1-min, {res.hour_deleted:,} hourly rows "
        f"({res.raw_deleted / res.seconds:,.0f} raw rows/s, CHECKPOINT included)",
        f"  before: {sized(before):>22}  {rows_before}",
        f"  after:  {sized(after):>22}  {table_rows(store)}  (after CHECKPOINT; file sizes with the MB "
        "of free blocks DuckDB reuses)",
        "",
        f"then {steps} x {step_days} d of '{YEAR_CH}' at 1 Hz appended in {batch_s // 3600} h batches, "
        "retention after each (now = end of the appended data):",
        f"{'step':<8} {'appended':>10} {'append':>8} {'rate':>14} {'size after append':>22} "
        f"{'retention':>9} {'deleted raw':>12} {'size after':>22} {'growth':>10}  rows kept",
    ]
    t_us, size = now_us, after
    for step in range(1, steps + 1):
        n, secs = append_span(store, t_us + S_US, step_days * 86_400, batch_s)
        t_us += step_days * DAY_US
        grown = checkpointed_size(store)
        res = apply_retention(store, policy, t_us)
        new_size = checkpointed_size(store)
        out.append(
            f"{'+' + str(step * step_days) + ' d':<8} {n:>10,} {secs:>7.1f}s {n / secs:>9,.0f} r/s "
            f"{sized(grown):>22} {res.seconds:>8.2f}s {res.raw_deleted:>12,} {sized(new_size):>22} "
            f"{(new_size[0] - size[0]) / 1e6:>+7.1f} MB  {table_rows(store)}"
        )
        size = new_size
    return out


# -- report ----------------------------------------------------------------------------------
def print_table(rows: list[Row]) -> None:
    print(f"{'data':<12} {'stage':<31} {'readings':>11} {'time':>7} {'rate':>22} {'vs base':>7}  notes")
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        rate = f"{r.rate:,.0f} {r.unit}/s"
        print(
            f"{r.stream:<12} {r.stage:<31} {r.count:>11,} {r.seconds:>6.2f}s {rate:>22} "
            f"{ratio:>7}  {r.note}".rstrip()
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick",
        action="store_true",
        help="1 channel x 7 days + 8 channels x 1 day, 2-day raw retention; about 20 s",
    )
    ap.add_argument("--runs", type=int, default=20, help="timed history calls per span (default 20)")
    ap.add_argument("--profile", action="store_true", help="time import_csv statement by statement")
    args = ap.parse_args(argv)
    year_days, month_days = (7, 1) if args.quick else (365, 30)
    policy = RetentionPolicy(raw_days=2) if args.quick else RetentionPolicy()
    step_days = int(policy.raw_days)
    batch_s = 6 * 3600 if args.quick else 86_400
    naive_budget = 1.0 if args.quick else 8.0

    print(
        f"Watchkeeper storage: '{YEAR_CH}' 1 ch x {year_days} d + {len(MONTH_CHS)} ch x {month_days} d "
        f"at 1 Hz, ending {dt(END_US):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs "
        f"(load {os.getloadavg()[0]:.1f}), "
        f"DuckDB {duckdb.__version__}, pandas {pd.__version__}\n"
    )
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        t = time.perf_counter()
        year_csv, month_csv = tmp / "year.csv", tmp / "month.csv"
        files = [
            (
                f"1 ch x {year_days} d",
                year_csv,
                write_wide_csv(year_csv, END_US - year_days * DAY_US, year_days * 86_400, (YEAR_CH,)),
            ),
            (
                f"8 ch x {month_days} d",
                month_csv,
                write_wide_csv(month_csv, END_US - month_days * DAY_US, month_days * 86_400, MONTH_CHS),
            ),
        ]
        print(f"generated {sum(f[2] for f in files):,} readings as CSV in {time.perf_counter() - t:.1f}s\n")

        print(
            "1. CSV import (wide, ISO timestamps), each file into the same fresh store; "
            "baseline into a separate fresh DuckDB file"
        )
        store = ReadingStore(fresh(tmp / "store.duckdb"))
        try:
            print_table(measure_import(store, files, fresh(tmp / "baseline.duckdb"), args.profile))
            for f in files:
                f[1].unlink()
            (tmp / "baseline.duckdb").unlink()

            print(
                f"\n2. history('{YEAR_CH}', span ending at its last reading, max_points={MAX_POINTS}) "
                f"vs naive SELECT ts, value FROM readings ... ORDER BY ts -> numpy; median/max of "
                f"{args.runs} runs after a warm-up (naive: fewer past {naive_budget:g} s)"
            )
            lines, note = measure_history(store, END_US, args.runs, naive_budget)
            print("\n".join(lines))
            print(note)

            print("\n3. retention on that file (writer stopped)")
            print("\n".join(measure_retention(store, policy, 3, step_days, batch_s)))
        finally:
            store.close()
    print(f"\ntotal {time.perf_counter() - t_all:.0f}s; temp files removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
