"""Soak benchmark: 8 channels x 100 Hz through the real recording session for a long time.

Records the simulated device (``sim://``) or any port (a socat cable, a real adapter) into a fresh
file with scoring and alarms on, as the window does, and samples every few seconds:

- RSS of this process and of the scoring child process,
- DuckDB's memory (``duckdb_memory()``, and ``memory_usage`` of ``PRAGMA database_size``),
- the file size (with its WAL),
- commit latency: how old the oldest reading of each commit is once it is committed, and how
  long the commit itself took.

It prints the samples, the trend (first vs last quartile after warm-up) and three checks: RSS
grows at most 20 MB after warm-up, every reading received is stored, and the commit latency's
99th percentile is at most 1 s. The exit status is 1 if a check fails.

    uv run python benchmarks/soak.py                # 30 minutes
    uv run python benchmarks/soak.py --minutes 5
    uv run python benchmarks/soak.py --hours 24
    uv run python benchmarks/soak.py --port socket://gateway:4001 --minutes 60
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.anomaly.process import DetectorProcess
from core.engine.session import RecordingSession
from core.readings import ReadingBatch
from core.storage.store import MEMORY_LIMIT, ReadingStore

RSS_GROWTH_LIMIT_MB = 20.0
LATENCY_P99_LIMIT_S = 1.0
# Commit latencies go into a fixed histogram (1 ms .. 1000 s, log-spaced), so measuring costs the
# same memory after a day as after a minute and does not itself make RSS grow.
_BINS = np.logspace(-3, 3, 601)


class CommitTimer:
    """Fixed-size record of commit latencies (global histogram, plus the max since last asked)."""

    def __init__(self) -> None:
        self.age_hist = np.zeros(len(_BINS) + 1, np.int64)
        self.commits = 0
        self.max_age_s = 0.0
        self.max_commit_s = 0.0
        self.total_commit_s = 0.0

    def record(self, age_s: float, commit_s: float) -> None:
        self.age_hist[np.searchsorted(_BINS, age_s)] += 1
        self.commits += 1
        self.max_age_s = max(self.max_age_s, age_s)
        self.max_commit_s = max(self.max_commit_s, commit_s)
        self.total_commit_s += commit_s

    def take_max(self) -> tuple[float, float]:
        out = (self.max_age_s, self.max_commit_s)
        self.max_age_s = self.max_commit_s = 0.0
        return out

    def quantile(self, q: float) -> float:
        """Upper edge of the bin holding the q-quantile (conservative)."""
        if not self.commits:
            return float("nan")
        i = int(np.searchsorted(np.cumsum(self.age_hist), q * self.commits))
        return float(_BINS[min(i, len(_BINS) - 1)])


class TimedStore(ReadingStore):
    """The real store, with every append timed (the session's writer calls it once per commit)."""

    timer: CommitTimer

    def append(self, batch: ReadingBatch, defer_rollups: bool = False) -> int:
        t0 = time.perf_counter()
        n = super().append(batch, defer_rollups)
        done = time.perf_counter()
        if len(batch):
            age = time.time() - int(batch.ts_us.min()) / 1e6
            self.timer.record(age, done - t0)
        return n


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process in MB (Linux /proc; elsewhere this process's peak)."""
    path = Path(f"/proc/{pid or os.getpid()}/status")
    try:
        for line in path.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    if pid is None:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return float("nan")


def _parse_size(text: str) -> float:
    """'12.5 MiB' / '1.2 GB' / '0 bytes' -> MB."""
    value, _, unit = str(text).partition(" ")
    scale = {"bytes": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "KB": 1e3, "MB": 1e6, "GB": 1e9}
    try:
        return float(value) * scale.get(unit.strip(), 1) / 1e6
    except ValueError:
        return float("nan")


@dataclass
class Sample:
    t_s: float
    rss_mb: float
    child_rss_mb: float
    duckdb_mb: float  # sum of duckdb_memory()
    buffer_mb: float  # PRAGMA database_size memory_usage
    file_mb: float
    received: int
    stored: int
    max_age_s: float  # oldest reading's age at its commit, worst in this interval
    max_commit_s: float  # longest commit in this interval


def duckdb_memory_mb(store: ReadingStore) -> tuple[float, float]:
    cur = store.cursor()
    used = cur.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()").fetchall()[0][0]
    buffer = cur.execute("SELECT memory_usage FROM pragma_database_size()").fetchall()[0][0]
    return used / 1e6, _parse_size(buffer)


def file_mb(path: Path) -> float:
    total = 0
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(OSError):
            total += p.stat().st_size
    return total / 1e6


def take_sample(session: RecordingSession, store: TimedStore, started: float) -> Sample:
    stats = session.stats()
    used, buffer = duckdb_memory_mb(store)
    child = session.detector.pid if isinstance(session.detector, DetectorProcess) else None
    age, commit = store.timer.take_max()
    return Sample(
        time.monotonic() - started,
        rss_mb(),
        rss_mb(child) if child else float("nan"),
        used,
        buffer,
        file_mb(store.path),
        stats.reader.readings,
        stats.writer.stored,
        age,
        commit,
    )


def _quartiles(samples: list[Sample]) -> tuple[list[Sample], list[Sample]]:
    q = max(1, len(samples) // 4)
    return samples[:q], samples[-q:]


def _mean(samples: list[Sample], attr: str) -> float:
    return float(np.nanmean([getattr(s, attr) for s in samples])) if samples else float("nan")


def report(samples: list[Sample], warmup_s: float, timer: CommitTimer, counts: dict[str, int]) -> bool:
    print()
    print(
        f"{'t (s)':>8} {'RSS MB':>8} {'scorer':>8} {'duckdb':>8} {'buffer':>8} {'file MB':>8} "
        f"{'received':>10} {'stored':>10} {'age max':>8} {'commit':>8}"
    )
    for s in samples:
        print(
            f"{s.t_s:8.0f} {s.rss_mb:8.1f} {s.child_rss_mb:8.1f} {s.duckdb_mb:8.1f} {s.buffer_mb:8.1f} "
            f"{s.file_mb:8.1f} {s.received:10d} {s.stored:10d} {s.max_age_s:8.3f} {s.max_commit_s:8.3f}"
        )
    steady = [s for s in samples if s.t_s >= warmup_s] or samples
    first, last = _quartiles(steady)
    print(f"\nTrend after {warmup_s:.0f} s warm-up ({len(steady)} samples; first vs last quartile):")
    for attr, label in (
        ("rss_mb", "RSS (MB)"),
        ("child_rss_mb", "scorer RSS (MB)"),
        ("duckdb_mb", "duckdb_memory() (MB)"),
        ("buffer_mb", "DuckDB buffers (MB)"),
        ("max_age_s", "worst commit age (s)"),
        ("max_commit_s", "longest commit (s)"),
    ):
        a, b = _mean(first, attr), _mean(last, attr)
        print(f"  {label:<24} {a:10.3f} -> {b:10.3f}  ({b - a:+.3f})")
    span_h = (steady[-1].t_s - steady[0].t_s) / 3600 if len(steady) > 1 else 0
    growth = (steady[-1].file_mb - steady[0].file_mb) / span_h if span_h else float("nan")
    print(f"  {'file growth (MB/h)':<24} {growth:10.1f}")
    mean_ms = timer.total_commit_s / max(timer.commits, 1) * 1e3
    print(
        f"  commits {timer.commits}, mean commit {mean_ms:.1f} ms, "
        f"reading age at commit p50 {timer.quantile(0.5):.3f} s, p99 {timer.quantile(0.99):.3f} s, "
        f"max {max((s.max_age_s for s in samples), default=0):.3f} s"
    )
    rss_growth = max(s.rss_mb for s in steady) - steady[0].rss_mb
    # DuckDB keeps the file's blocks cached until memory_limit forces it to evict, so its share
    # of RSS grows with the file for hours; what grows besides it would be a leak of ours.
    own = [s.rss_mb - s.duckdb_mb for s in steady]
    own_growth = max(own) - own[0]
    duck_peak = max(s.duckdb_mb for s in samples)
    limit_mb = _parse_size(MEMORY_LIMIT.replace("MB", " MB").replace("GB", " GB"))
    p99 = timer.quantile(0.99)
    checks = [
        (
            f"RSS grows at most {RSS_GROWTH_LIMIT_MB:.0f} MB after warm-up: +{rss_growth:.1f} MB "
            f"(peak after warm-up vs the first sample after it)",
            rss_growth <= RSS_GROWTH_LIMIT_MB,
        ),
        (
            f"RSS without DuckDB's buffer memory grows at most {RSS_GROWTH_LIMIT_MB:.0f} MB after "
            f"warm-up: +{own_growth:.1f} MB",
            own_growth <= RSS_GROWTH_LIMIT_MB,
        ),
        (
            f"DuckDB memory stays within memory_limit {MEMORY_LIMIT}: peak {duck_peak:.1f} MB",
            duck_peak <= limit_mb,
        ),
        (
            f"every reading stored: received {counts['received']}, committed {counts['stored']}, "
            f"in the file {counts['in_file']}, rejected lines {counts['rejected']}, "
            f"not scored {counts['not_scored']}",
            counts["received"] == counts["stored"] == counts["in_file"] and counts["received"] > 0,
        ),
        (f"commit latency p99 <= {LATENCY_P99_LIMIT_S:g} s: {p99:.3f} s", p99 <= LATENCY_P99_LIMIT_S),
    ]
    print("\nChecks:")
    for text, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {text}")
    return all(ok for _, ok in checks)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0, help="run time (default 30)")
    ap.add_argument("--hours", type=float, help="run time in hours (e.g. 24); overrides --minutes")
    ap.add_argument("--channels", type=int, default=8)
    ap.add_argument("--rate", type=float, default=100.0, help="lines per second (default 100)")
    ap.add_argument("--port", help="record this port instead of the simulated device")
    ap.add_argument("--db", help="database file (default: a new file in a temporary folder)")
    ap.add_argument("--sample", type=float, help="seconds between samples (default: about 60 per run)")
    ap.add_argument("--warmup", type=float, help="seconds of warm-up (default: 10 %% of the run, 30-300 s)")
    ap.add_argument("--no-monitor", dest="monitor", action="store_false", help="no scoring, no alarms")
    args = ap.parse_args(argv)
    seconds = args.hours * 3600 if args.hours else args.minutes * 60
    interval = args.sample or min(max(seconds / 60, 2.0), 300.0)
    warmup = args.warmup if args.warmup is not None else min(max(seconds * 0.1, 30.0), 300.0)
    port = args.port or f"sim://?channels={args.channels}&rate={args.rate:g}&seed=1"
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "soak.duckdb"
        store = TimedStore(db)
        store.timer = CommitTimer()
        session = RecordingSession(port, db, store=store, monitoring=args.monitor)
        print(
            f"Soak: {port} into {db} for {seconds / 60:.1f} min, DuckDB memory_limit {MEMORY_LIMIT}, "
            f"sampling every {interval:g} s, warm-up {warmup:g} s, "
            f"monitoring {'on' if args.monitor else 'off'}",
            flush=True,
        )
        session.start()
        started = time.monotonic()
        samples: list[Sample] = []
        try:
            while (elapsed := time.monotonic() - started) < seconds:
                time.sleep(min(interval, seconds - elapsed))
                s = take_sample(session, store, started)
                samples.append(s)
                print(
                    f"  {s.t_s:7.0f} s  RSS {s.rss_mb:6.1f} MB  scorer {s.child_rss_mb:6.1f} MB  "
                    f"duckdb {s.duckdb_mb:6.1f} MB  file {s.file_mb:7.1f} MB  stored {s.stored}  "
                    f"worst age {s.max_age_s:.3f} s",
                    flush=True,
                )
        except KeyboardInterrupt:
            print("interrupted; stopping", flush=True)
        finally:
            session.stop()
        stats = session.stats()
        counts = {
            "received": stats.reader.readings,
            "stored": stats.writer.stored,
            "in_file": store.count(),
            "rejected": stats.reader.rejected_total,
            "not_scored": 0 if stats.monitor is None else stats.monitor.dropped,
        }
        store.close()
        ok = report(samples, warmup, store.timer, counts) if samples else False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
