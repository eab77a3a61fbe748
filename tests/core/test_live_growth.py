"""LiveBuffer rings start small and grow: a flood of one-off channel names costs little memory,
and growing never changes what a channel's series holds."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.live import LiveBuffer
from core.readings import ReadingBatch


def _batch(channel: str, start: int, n: int) -> ReadingBatch:
    ts = np.arange(start, start + n, dtype=np.int64)
    return ReadingBatch(ts, np.zeros(n, np.int32), ts.astype(np.float64), (channel,))


def test_a_channel_seen_once_does_not_reserve_a_full_ring():
    """256 channels seen once each hold kilobytes, not 256 rings of 100,000 readings."""
    buf = LiveBuffer(capacity=100_000)
    for i in range(256):
        buf.push(_batch(f"k{i}", i, 1))
    held = sum(r.ts.nbytes + r.values.nbytes for r in buf._rings.values())
    assert held <= 256 * 1024 * 16
    assert buf.series("k7")[1].tolist() == [7.0]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=3000), min_size=1, max_size=30), st.integers(10, 5000))
def test_growing_ring_keeps_exactly_the_newest_readings(sizes, capacity):
    """Whatever the push sizes, the series is the newest ``capacity`` readings in order, and
    everything older is counted as evicted."""
    buf = LiveBuffer(capacity=capacity)
    t = 0
    for n in sizes:
        buf.push(_batch("a", t, n))
        t += n
    ts, values = buf.series("a")
    assert ts.tolist() == list(range(max(0, t - capacity), t))
    assert values.tolist() == [float(x) for x in ts]
    assert buf.evicted() == max(0, t - capacity)
    assert buf.latest()["a"].ts_us == t - 1
