"""LiveBuffer: bounded rings per channel, pushed from one thread and pulled from another."""

import threading

import numpy as np
import pytest

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


def test_newer_gives_only_what_came_since_a_number_across_wrap_around_and_growth():
    """A view that drew readings up to a number pulls the rest, and only the rest, whether the ring
    grew, wrapped or lost some of them to newer ones; readings stamped alike are told apart."""
    buf = LiveBuffer(capacity=2000)
    got, number = [], 0
    for i in range(0, 3000, 7):  # grows past its first room, then wraps
        buf.push(batch([i // 2] * 7, ["a"] * 7, list(range(i, i + 7))))
        if i % 3:
            continue
        ts, v, number = buf.newer("a", number)
        got.extend(v.tolist())
    ts, v, number = buf.newer("a", number)
    got.extend(v.tolist())
    assert got == list(range(3003)) and number == 3003
    assert buf.newer("a", number)[0].tolist() == [] and buf.newer("b", 5)[2] == 5
    ts, v, scores, nxt = buf.numbered_series("a", since_us=1400)
    assert nxt == 3003 and ts[0] == 1400 and v[-1] == 3002 and len(scores) == len(v)
    buf.push(batch(list(range(3000)), ["a"] * 3000, list(range(3000))))
    ts, v, number = buf.newer("a", number)
    assert len(v) == 2000 and v[-1] == 2999 and number == 6003  # the ones that left are not there


def test_subscribers_hear_of_every_push_and_every_round_of_scores_until_they_unsubscribe():
    """A view waits to be told instead of asking on a timer: told once per push and once per
    round of scores placed, on the thread that pushed or scored, and no more once it leaves."""
    buf = LiveBuffer()
    heard: list[str] = []
    tell = lambda: heard.append(threading.current_thread().name)  # noqa: E731
    buf.subscribe(tell)
    pushed = batch([1, 1, 2], ["a", "b", "a"], [1.0, 2.0, 3.0])
    worker = threading.Thread(target=buf.push, args=(pushed,), name="reader")
    worker.start()
    worker.join()
    assert heard == ["reader"]
    buf.set_scores(pushed, np.array([0.1, 0.2, 0.3]))
    assert len(heard) == 2
    assert buf.scored_series("a")[2].tolist() == pytest.approx([0.1, 0.3])
    buf.unsubscribe(tell)
    buf.push(batch([3], ["a"], [4.0]))
    assert len(heard) == 2


def test_a_failing_subscriber_loses_no_reading():
    """A listener that raises is logged; the push it was told of stands."""
    buf = LiveBuffer()

    def broken() -> None:
        raise RuntimeError("window gone")

    buf.subscribe(broken)
    buf.push(batch([1], ["a"], [5.0]))
    assert buf.series("a")[1].tolist() == [5.0]
