"""The recorder's per-line and per-commit shortcuts give exactly what the general paths give."""

from __future__ import annotations

import numpy as np

from core.acquisition.reader import SerialReader, stamp_lines
from core.readings import ReadingBatch
from core.storage.store import ReadingStore


def _general_stamp(n, n_bytes, now_us, last_read_us, last_ts_us, opened_us, baudrate):
    wire_us = n_bytes * 10 * 1_000_000 / baudrate
    spread = min(max(now_us - max(last_read_us, opened_us), 0), wire_us)
    steps = np.arange(n, dtype=np.int64)
    ts = now_us - ((n - 1 - steps) * (spread / n)).astype(np.int64)
    floor = max(last_ts_us + 1, opened_us)
    return np.maximum.accumulate(np.maximum(ts - steps, floor)) + steps


def test_a_single_line_is_stamped_as_the_general_formula_stamps_it():
    now = 1_767_225_600_000_000
    for last_ts in (now - 100_000, now, now + 5):
        for opened in (0, now - 10, now + 10):
            got = stamp_lines(1, 30, now, now - 100_000, last_ts, opened, 9600)
            want = _general_stamp(1, 30, now, now - 100_000, last_ts, opened, 9600)
            assert got.dtype == np.int64 and got.tolist() == want.tolist()


class _Port:
    """Bytes waiting in a buffer; read(1) on an empty buffer delivers the next burst."""

    def __init__(self, bursts):
        self.bursts, self.buffer = list(bursts), b""

    @property
    def in_waiting(self):
        return len(self.buffer)

    def read(self, size):
        if not self.buffer and self.bursts:
            self.buffer = self.bursts.pop(0)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def test_a_read_woken_by_the_first_byte_takes_the_whole_line():
    port = _Port([b"1.5,2.5\r\n", b"3.5,4.5\r\n"])
    assert SerialReader._read(port) == b"1.5,2.5\r\n"
    assert SerialReader._read(port) == b"3.5,4.5\r\n"
    assert SerialReader._read(port) == b""


def test_the_empty_batch_is_shared_and_cannot_be_changed():
    empty = ReadingBatch.empty()
    assert empty is ReadingBatch.empty() and not len(empty)
    assert not empty.values.flags.writeable


def test_live_commits_that_join_pending_readings_store_and_fold_exactly(tmp_path):
    store = ReadingStore(tmp_path / "r.duckdb")
    t0 = 1_767_225_600_000_000
    names = ("a", "b")
    all_values = []
    for i in range(12):  # the first commit writes rollup_pending; the others only INSERT
        ts = np.repeat(t0 + i * 1_000_000 + np.arange(5) * 200_000, 2).astype(np.int64)
        values = np.arange(10, dtype=np.float64) + i
        all_values.append(values)
        store.append(ReadingBatch(ts, np.tile(np.arange(2, dtype=np.int32), 5), values, names), True)
    cur = store.cursor()
    assert cur.execute("SELECT count(*) FROM rollup_pending").fetchall()[0][0] == 1
    store.flush_rollups()
    assert cur.execute("SELECT count(*) FROM rollup_pending").fetchall()[0][0] == 0
    assert store.count() == 120
    n, total = cur.execute("SELECT sum(n), sum(vsum) FROM rollup_1m").fetchall()[0]
    assert n == 120 and total == float(np.concatenate(all_values).sum())
    store.close()
