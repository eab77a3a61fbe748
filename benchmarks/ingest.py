"""Ingest benchmark: bytes -> LineFramer -> LineParser -> ReadingStore, against DuckDB's own insert.

Prints figures and ratios, never fails on them (see STYLE.md, "Speed lives in benchmarks"):

1. a homogeneous 8-channel CSV stream cut into read bursts: frame+parse, store, and the whole path;
2. the baseline, in the same process: DuckDB inserting the same readings from ready DataFrames;
3. a mixed key=value / JSON / garbage stream, which takes the per-line parser path;
4. a flood through a real socat pty pair into SerialReader -> StoreWriter, checked line by line.

    uv run python benchmarks/ingest.py [--readings N] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from _rows import Row

from core.acquisition.framing import LineFramer
from core.acquisition.parsing import LineParser
from core.acquisition.ports import SerialSettings
from core.acquisition.reader import SerialReader
from core.readings import ReadingBatch, concat_batches
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter

CHANNELS = 8
LINE_PERIOD_US = 125  # stamps 8,000 lines/s apart, as a fast RS485 bus might deliver them
T0_US = 1_767_225_600_000_000  # 2026-01-01 00:00:00 UTC
TARGET_RATE = 3_000_000  # issue 19: the whole path, readings/s on the homogeneous stream
TARGET_RATIO = 0.3  # ... and at least this fraction of DuckDB's own DataFrame append


# -- streams ---------------------------------------------------------------------------------
def csv_stream(n_lines: int, k: int, seed: int = 1) -> bytes:
    """``dd.dd,dd.dd,...\\r\\n`` lines, built as one byte array (fast even for millions of lines)."""
    cents = np.random.default_rng(seed).integers(1000, 10000, (n_lines, k))
    cells = np.empty((n_lines, k, 6), np.uint8)
    cells[:, :, 0] = 48 + cents // 1000
    cells[:, :, 1] = 48 + cents // 100 % 10
    cells[:, :, 2] = ord(".")
    cells[:, :, 3] = 48 + cents // 10 % 10
    cells[:, :, 4] = 48 + cents % 10
    cells[:, :, 5] = ord(",")
    rows = np.empty((n_lines, 6 * k + 1), np.uint8)
    rows[:, : 6 * k - 1] = cells.reshape(n_lines, 6 * k)[:, : 6 * k - 1]
    rows[:, -2:] = (13, 10)
    return rows.tobytes()


GARBAGE = (
    b"\xff\xfe\x80 line noise \x81",  # not UTF-8
    b"temp=oops hum=45.1",  # non-numeric
    b'{"temp": 23.5, "env": {"hum"',  # truncated JSON
    b"",  # empty
    b"press=nan",  # not finite
)


def mixed_stream(n_readings: int, seed: int = 2) -> tuple[bytes, int, int]:
    """key=value, key:value and JSON lines with ~5 % garbage; returns (bytes, readings, rejects)."""
    rng = np.random.default_rng(seed)
    kinds = rng.integers(0, 20, n_readings // 2).tolist()
    vals = (rng.integers(0, 100_000, (len(kinds), 3)) / 100).tolist()
    out, readings, rejects = [], 0, 0
    for i, (kind, (a, b, c)) in enumerate(zip(kinds, vals, strict=True)):
        if readings >= n_readings:
            break
        if kind == 0:
            out.append(GARBAGE[i % len(GARBAGE)])
            rejects += 1
        elif kind < 8:
            out.append(b"temp=%.2f hum=%.2f press=%.2f" % (a, b, c))
            readings += 3
        elif kind < 12:
            out.append(b"flow:%.2f;level:%.2f" % (a, b))
            readings += 2
        else:
            out.append(
                b'{"id":"s%d","temp":%.2f,"env":{"hum":%.2f,"press":%.2f},"ok":true}' % (i % 16, a, b, c)
            )
            readings += 3
    return b"\r\n".join(out) + b"\r\n", readings, rejects


def bursts_of(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


# -- the measured paths ----------------------------------------------------------------------
def frame_and_parse(bursts: list[bytes]) -> Iterator[ReadingBatch]:
    """What SerialReader does per read: frame, stamp every line, parse."""
    framer, parser = LineFramer(), LineParser()
    line_no = 0
    for data in bursts:
        lines = framer.feed(data)
        n = len(lines)
        ts = T0_US + LINE_PERIOD_US * np.arange(line_no, line_no + n, dtype=np.int64)
        line_no += n
        yield parser.parse(lines, ts)


def db_file(tmp: Path, name: str) -> Path:
    for p in (tmp / name, tmp / f"{name}.wal"):
        p.unlink(missing_ok=True)
    return tmp / name


def insert_frame(con: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> None:
    """One baseline commit; DuckDB finds ``df`` by its replacement scan of this frame's locals."""
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO t SELECT * FROM df")
    con.execute("COMMIT")


def store_whole_path(store: ReadingStore, bursts: list[bytes], per_commit: int) -> None:
    pending = []
    for batch in frame_and_parse(bursts):
        pending.append(batch)
        if len(pending) >= per_commit:  # the writer's commit: concat what arrived, append it
            store.append(concat_batches(pending))
            pending = []
    store.append(concat_batches(pending))


def one_run(bursts: list[bytes], per_commit: int, tmp: Path) -> tuple[dict[str, float], int]:
    """Seconds for frame+parse, storage, the whole path and the baseline; readings stored."""
    secs: dict[str, float] = {}
    start = time.perf_counter()
    batches = list(frame_and_parse(bursts))
    secs["parse"] = time.perf_counter() - start
    groups = [batches[i : i + per_commit] for i in range(0, len(batches), per_commit)]

    with ReadingStore(db_file(tmp, "store.duckdb")) as store:
        start = time.perf_counter()
        for group in groups:
            store.append(concat_batches(group))
        secs["store"] = time.perf_counter() - start

    with ReadingStore(db_file(tmp, "whole.duckdb")) as store:
        start = time.perf_counter()
        store_whole_path(store, bursts, per_commit)
        secs["whole"] = time.perf_counter() - start
        stored = store.count()

    # Baseline: DuckDB's own insert of the same readings, same commits, from ready frames.
    frames = []
    for group in groups:
        b = concat_batches(group)
        frames.append(
            pd.DataFrame(
                {
                    "channel_id": (b.codes + 1).astype(np.uint16),
                    "ts": pd.to_datetime(b.ts_us, unit="us", utc=True),
                    "value": b.values,
                }
            )
        )
    con = duckdb.connect(str(db_file(tmp, "base.duckdb")))
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("CREATE TABLE t (channel_id USMALLINT, ts TIMESTAMPTZ, value DOUBLE)")
        start = time.perf_counter()
        for df in frames:
            insert_frame(con, df)
        secs["base"] = time.perf_counter() - start
    finally:
        con.close()
    return secs, stored


def measure_stream(
    label: str, bursts: list[bytes], per_commit: int, repeat: int, tmp: Path, expected: int
) -> list[Row]:
    """Best-of-``repeat`` rows for frame+parse, storage, the whole path and the baseline."""
    one_run(bursts[:2], 1, tmp)  # warm-up: first queries, lazy imports, page cache
    runs = [one_run(bursts, per_commit, tmp) for _ in range(repeat)]
    best = {k: min(secs[k] for secs, _ in runs) for k in runs[0][0]}
    stored = runs[-1][1]
    base = expected / best["base"]
    check = "stored all" if stored == expected else f"STORED {stored:,} of {expected:,}"
    rows = [
        Row(label, "frame+parse", expected, best["parse"]),
        Row(label, "store (concat+append)", expected, best["store"]),
        Row(label, "whole path", expected, best["whole"], note=check),
        Row(label, "baseline: DuckDB df insert", expected, best["base"]),
    ]
    for r in rows[:3]:
        r.ratio = r.rate / base
    return rows


# -- pty flood -------------------------------------------------------------------------------
@contextlib.contextmanager
def pty_pair(tmp: Path) -> Iterator[tuple[str, str]]:
    """Two pty ends joined by socat (as tests/conftest.py's VirtualCable)."""
    a, b = str(tmp / "ttyA"), str(tmp / "ttyB")
    proc = subprocess.Popen(
        [
            shutil.which("socat") or "socat",
            "-d",
            "-d",
            f"pty,raw,echo=0,link={a}",
            f"pty,raw,echo=0,link={b}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 5
        while not (os.path.exists(a) and os.path.exists(b)):
            if time.monotonic() > deadline:
                raise RuntimeError("socat did not create the pty pair")
            time.sleep(0.01)
        yield a, b
    finally:
        proc.terminate()
        proc.wait(5)


def flood_stream(n_lines: int) -> bytes:
    """``seq,a,b,c`` lines where a, b, c follow from seq, so a damaged line is detectable."""
    return b"".join(
        b"%d,%.2f,%.2f,%.2f\r\n" % (i, i % 10000 / 100, i * 7 % 10000 / 100, i * 13 % 10000 / 100)
        for i in range(n_lines)
    )


def pty_flood(n_lines: int, tmp: Path) -> list[Row]:
    data = flood_stream(n_lines)
    with pty_pair(tmp) as (end_a, end_b), ReadingStore(db_file(tmp, "flood.duckdb")) as store:
        writer = StoreWriter(store, commit_interval=0.5)
        reader = SerialReader(end_a, SerialSettings(921600), LineParser(), writer.submit)
        writer.start()
        reader.start()
        fd = os.open(end_b, os.O_WRONLY | os.O_NOCTTY)
        errors: list[BaseException] = []

        def write_all() -> None:
            view = memoryview(data)
            try:
                while view:
                    view = view[os.write(fd, view[:65536]) :]
            except OSError as exc:
                errors.append(exc)

        sender = threading.Thread(target=write_all, name="flood sender", daemon=True)
        start = time.perf_counter()
        sender.start()
        # B stays open until the reader has every line: closing a pty end early can drop its tail.
        seen, last_change = 0, time.monotonic()
        while reader.lines < n_lines and time.monotonic() - last_change < 5:
            if reader.lines != seen:
                seen, last_change = reader.lines, time.monotonic()
            time.sleep(0.002)
        read_s = time.perf_counter() - start
        sender.join(5)
        reader.stop()
        writer.stop()
        stored_s = time.perf_counter() - start
        os.close(fd)

        cur = store.cursor()
        ids = dict(cur.execute("SELECT name, id FROM channels").fetchall())
        seq_id, a_id = ids.get("ch1", -1), ids.get("ch2", -1)
        rows, distinct, in_range = cur.execute(
            "SELECT count(*), count(DISTINCT value), "
            "count(DISTINCT value) FILTER (value >= 0 AND value < ? AND value = floor(value)) "
            "FROM samples WHERE channel_id = ?",
            [n_lines, seq_id],
        ).fetchone()
        damaged = cur.execute(
            "SELECT count(*) FROM samples s JOIN samples v USING (ts) WHERE s.channel_id = ? "
            "AND v.channel_id = ? AND v.value <> (s.value % 10000) / 100",
            [seq_id, a_id],
        ).fetchone()[0]
        stats, wstats = reader.stats(), writer.stats()

    loss, dups = n_lines - in_range, rows - distinct
    ok = loss == 0 and dups == 0 and damaged == 0 and not errors
    note = (
        f"loss: {loss}  duplicates: {dups}  damaged: {damaged}  "
        f"rejected: {stats.rejected_total}  writer dropped: {wstats.dropped}  "
        f"commits: {wstats.commits}" + (f"  send error: {errors[0]}" if errors else "")
    )
    return [
        Row("pty flood", "socat -> SerialReader", n_lines, read_s, "lines", note=note),
        Row(
            "pty flood",
            "... -> StoreWriter, committed",
            n_lines,
            stored_s,
            "lines",
            note="target: no loss at a pty flood: " + ("OK" if ok else "MISSED"),
        ),
    ]


# -- report ----------------------------------------------------------------------------------
def print_table(rows: list[Row]) -> None:
    print(f"{'stream':<12} {'stage':<30} {'count':>10} {'time':>7} {'rate':>22} {'vs base':>7}  notes")
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        rate = f"{r.rate:,.0f} {r.unit}/s"
        print(
            f"{r.stream:<12} {r.stage:<30} {r.count:>10,} {r.seconds:>6.2f}s {rate:>22} "
            f"{ratio:>7}  {r.note}".rstrip()
        )


def profile_whole_path(bursts: list[bytes], per_commit: int, tmp: Path) -> None:
    with ReadingStore(db_file(tmp, "profile.duckdb")) as store:
        prof = cProfile.Profile()
        prof.runcall(store_whole_path, store, bursts, per_commit)
    print("\nprofile of the whole path (csv stream), by own time:")
    pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(12)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--readings", type=int, help="readings in the CSV stream (default 4,000,000)")
    ap.add_argument("--quick", action="store_true", help="small sizes, about 10 s in all")
    ap.add_argument(
        "--flood-lines", type=int, help="lines in the pty flood (default 1,000,000: several writer commits)"
    )
    ap.add_argument("--burst", type=int, default=65536, help="bytes per read burst")
    ap.add_argument(
        "--commit-readings",
        type=int,
        default=500_000,
        help="readings per commit (about what the writer commits per 0.5 s)",
    )
    ap.add_argument("--repeat", type=int, help="best of N runs (default 3, quick 1)")
    ap.add_argument("--profile", action="store_true", help="cProfile the whole CSV path")
    args = ap.parse_args(argv)
    readings = args.readings or (800_000 if args.quick else 4_000_000)
    flood_lines = args.flood_lines or (50_000 if args.quick else 1_000_000)
    repeat = args.repeat or (1 if args.quick else 3)

    n_lines = max(8, readings // CHANNELS)
    readings = n_lines * CHANNELS
    csv_bursts = bursts_of(csv_stream(n_lines, CHANNELS), args.burst)
    per_burst = readings / len(csv_bursts)
    per_commit = max(1, round(args.commit_readings / per_burst))
    mixed_bytes, mixed_readings, mixed_rejects = mixed_stream(max(1000, readings // 10))
    mixed_bursts = bursts_of(mixed_bytes, args.burst)

    print(
        f"Watchkeeper ingest: {readings:,} readings as {CHANNELS}-channel CSV lines in "
        f"{len(csv_bursts):,} bursts of {args.burst // 1024} KiB; a commit every {per_commit} "
        f"bursts (~{per_commit * per_burst:,.0f} readings); best of {repeat}; "
        f"{os.cpu_count()} CPUs, DuckDB {duckdb.__version__}, pandas {pd.__version__}\n"
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        rows += measure_stream("csv 8-ch", csv_bursts, per_commit, repeat, tmp, readings)
        whole = rows[2]
        met = whole.rate >= TARGET_RATE and whole.ratio >= TARGET_RATIO
        whole.note += f"; target >= {TARGET_RATE:,} readings/s and >= {TARGET_RATIO}x base: " + (
            "OK" if met else "MISSED"
        )
        mixed_per_commit = max(1, round(per_commit * len(mixed_bursts) / len(csv_bursts)))
        mixed = measure_stream("mixed kv/js", mixed_bursts, mixed_per_commit, repeat, tmp, mixed_readings)
        mixed[0].note = f"{mixed_rejects:,} garbage lines; per-line path, no target"
        rows += mixed
        if shutil.which("socat") is None:
            print("pty flood skipped: socat is not installed (apt-get install socat)\n")
        else:
            rows += pty_flood(flood_lines, tmp)
        print_table(rows)
        if args.profile:
            profile_whole_path(csv_bursts, per_commit, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
