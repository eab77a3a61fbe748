"""LiveBuffer: bounded rings per channel, pushed from one thread and pulled from another."""

import threading

import numpy as np

from core.live import LiveBuffer
from core.readings import ReadingBatch


def batch(ts, names, values):
    table = sorted(set(names))
    return ReadingBatch(
        np.array(ts, np.int64),
        np.array([table.index(n) for n in names], np.int32),
        np.array(values, float),
        tuple(table),
    )


def test_readings_are_split_by_channel_in_arrival_order():
    """Each channel's series holds its own readings, oldest first."""
    buf = LiveBuffer(capacity=10)
    buf.push(batch([1, 1, 2, 2], ["a", "b", "a", "b"], [1, 10, 2, 20]))
    buf.push(batch([3], ["a"], [3]))
    ts, v = buf.series("a")
    assert ts.tolist() == [1, 2, 3] and v.tolist() == [1, 2, 3]
    assert buf.series("b")[1].tolist() == [10, 20]
    assert buf.latest()["a"].value == 3 and buf.latest()["b"].ts_us == 2


def test_ring_keeps_the_newest_and_counts_evictions():
    """Past capacity the oldest readings fall out and are counted, across wrap-around and big pushes."""
    buf = LiveBuffer(capacity=5)
    for i in range(7):
        buf.push(batch([i], ["a"], [i]))
    assert buf.series("a")[1].tolist() == [2, 3, 4, 5, 6]
    buf.push(batch(list(range(10, 22)), ["a"] * 12, list(range(10, 22))))
    assert buf.series("a")[1].tolist() == [17, 18, 19, 20, 21]
    assert buf.evicted() == 19 - 5 + 0  # 19 pushed in total, 5 kept


def test_series_since_and_change_tracking():
    """A puller sees which channels changed since its last look and can ask from a time on."""
    buf = LiveBuffer()
    v0 = buf.version
    buf.push(batch([1, 2, 3], ["a", "a", "b"], [1, 2, 3]))
    assert buf.changed_since(v0) == ["a", "b"]
    v1 = buf.version
    buf.push(batch([4], ["b"], [4]))
    assert buf.changed_since(v1) == ["b"]
    assert buf.series("a", since_us=2)[0].tolist() == [2]
    assert buf.series("zz")[0].size == 0


def test_concurrent_push_and_pull_loses_nothing_within_capacity():
    """A reader thread pushing while another thread pulls keeps every reading in order."""
    buf = LiveBuffer(capacity=100_000)

    def producer():
        for i in range(0, 50_000, 100):
            buf.push(batch(list(range(i, i + 100)), ["a"] * 100, list(range(i, i + 100))))

    t = threading.Thread(target=producer)
    t.start()
    while t.is_alive():
        ts, _ = buf.series("a")
        assert np.all(np.diff(ts) == 1)
    t.join()
    assert buf.series("a")[0].tolist() == list(range(50_000))
