"""Live commits are folded into the rollups every few seconds, not on every commit, and a kill in
between loses nothing: the next open recomputes what was left unfolded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np

from core.readings import ReadingBatch
from core.storage.rollups import ROLLUP_INTERVAL_S, DeferredRollups
from core.storage.store import ReadingStore

T0 = 1_700_000_000_000_000  # µs
NAMES = ("a", "b")


def batch(i: int, n: int = 40) -> ReadingBatch:
    """Commit ``i`` of a live stream: 0.5 s of two channels at 40 Hz, in time order."""
    ts = T0 + i * 500_000 + np.arange(n, dtype=np.int64) * 12_500
    return ReadingBatch(ts, (np.arange(n) % 2).astype(np.int32), np.sin(ts / 1e7) + i, NAMES)


def rollups(store: ReadingStore, table: str = "rollup_1m") -> list[tuple]:
    return (
        store.cursor()
        .execute(
            f"SELECT channel_id, epoch_us(bucket), n, vmin, vmax, round(vsum, 9) FROM {table} ORDER BY ALL"
        )
        .fetchall()
    )


def recomputed(store: ReadingStore, seconds: int) -> list[tuple]:
    step = seconds * 1_000_000
    return (
        store.cursor()
        .execute(
            f"SELECT channel_id, epoch_us(ts) // {step} * {step} AS b, count(*), min(value), max(value), "
            "round(sum(value), 9) FROM samples GROUP BY ALL ORDER BY ALL"
        )
        .fetchall()
    )


def exact(store: ReadingStore) -> bool:
    return rollups(store) == recomputed(store, 60) and rollups(store, "rollup_1h") == recomputed(store, 3600)


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_live_commits_are_folded_together_once_the_interval_has_passed(tmp_path):
    store = ReadingStore(tmp_path / "x.duckdb")
    clock = Clock()
    store._rollups = DeferredRollups(clock=clock)
    for i in range(10):
        store.append(batch(i), defer_rollups=True)
        clock.t += 0.5
    assert rollups(store) == [] and store._rollups.pending == 400  # waiting, and said so in the file
    assert store.cursor().execute("SELECT count(*) FROM rollup_pending").fetchall()[0][0] == 1
    clock.t += ROLLUP_INTERVAL_S
    store.append(batch(10), defer_rollups=True)  # the interval has passed: all eleven fold at once
    assert store._rollups.pending == 0 and exact(store)
    assert store.cursor().execute("SELECT count(*) FROM rollup_pending").fetchall()[0][0] == 0
    store.close()


def test_close_folds_what_is_pending(tmp_path):
    path = tmp_path / "x.duckdb"
    store = ReadingStore(path)
    for i in range(5):
        store.append(batch(i), defer_rollups=True)
    store.close()
    with ReadingStore(path, read_only=True) as again:
        assert exact(again) and rollups(again)


def test_older_readings_are_folded_at_once(tmp_path):
    """A backfill of history (older than what waits) never waits, so a repair never needs it."""
    store = ReadingStore(tmp_path / "x.duckdb")
    for i in range(100, 104):
        store.append(batch(i), defer_rollups=True)
    store.append(batch(3), defer_rollups=True)  # older than the pending ones: folds them all
    assert store._rollups.pending == 0 and exact(store)
    store.close()


_RECORDER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from tests.core.test_rollups_deferred import batch
    from core.storage.store import ReadingStore
    store = ReadingStore({path!r})
    for i in range(30):
        store.append(batch(i), defer_rollups=True)
    for i in range(30, 34):  # older than the pending ones would fold; these are newer: they wait
        store.append(batch(i), defer_rollups=True)
    print("pending", store._rollups.pending, flush=True)
    sys.stdin.read()  # killed here, with readings committed but not folded
    """
)


def test_a_kill_between_folds_is_repaired_on_the_next_open(tmp_path):
    path = tmp_path / "x.duckdb"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    child = subprocess.Popen(
        [sys.executable, "-c", _RECORDER.format(root=root, path=str(path))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("pending") and int(line.split()[1]) > 0, line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    store = ReadingStore(path)  # the WAL replays the committed readings; the rollups are recomputed
    try:
        assert store.count() == 34 * 40
        assert exact(store)
        assert store.cursor().execute("SELECT count(*) FROM rollup_pending").fetchall()[0][0] == 0
    finally:
        store.close()
