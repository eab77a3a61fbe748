"""A committed batch survives SIGKILL: the file reopens with every batch the writer reported."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.storage.store import ReadingStore

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys, time
    import numpy as np
    from core.readings import ReadingBatch
    from core.storage.store import ReadingStore
    from core.storage.writer import StoreWriter

    store = ReadingStore(sys.argv[1])
    def committed(batch):
        print(int(batch.ts_us.max()), len(batch), flush=True)
    writer = StoreWriter(store, commit_interval=0.1, on_commit=committed)
    writer.start()
    t = 1_767_225_600_000_000
    while True:  # keep writing until killed
        n = 500
        ts = t + np.arange(n, dtype=np.int64)
        writer.submit(ReadingBatch(ts, np.zeros(n, np.int32), np.ones(n), ("a",)))
        t += n
        time.sleep(0.01)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_write_leaves_a_file_with_every_committed_batch(db_path):
    """Kill -9 while the writer is busy: reopening works and holds everything reported committed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    reported_newest, reported_total = 0, 0
    deadline = time.monotonic() + 60
    while reported_total < 20_000 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        newest, n = map(int, line.split())
        reported_newest, reported_total = max(reported_newest, newest), reported_total + n
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert reported_total >= 20_000, "the child did not commit in time"
    with ReadingStore(db_path) as store:
        cur = store.cursor()
        total, newest = cur.execute("SELECT count(*), max(epoch_us(ts)) FROM samples").fetchall()[0]
        rollup_total = cur.execute("SELECT sum(n) FROM rollup_1m").fetchall()[0][0]
    assert total >= reported_total and newest >= reported_newest
    assert rollup_total == total  # rollups committed in the same transactions as the samples
