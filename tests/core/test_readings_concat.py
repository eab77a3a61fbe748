"""concat_batches joins batches reading for reading, whether they share one name table or not."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.readings import ReadingBatch, concat_batches

NAMES = ("a", "b", "c", "d")
_records = st.lists(
    st.tuples(st.integers(0, 10**15), st.sampled_from(NAMES), st.floats(allow_nan=False)), max_size=12
)


def _batch(records: list[tuple[int, str, float]], shared: bool) -> ReadingBatch:
    if not shared:  # names numbered in order of appearance: every batch its own table
        return ReadingBatch.from_records(records)
    ts, values = [r[0] for r in records], [r[2] for r in records]
    codes = [NAMES.index(r[1]) for r in records]  # one device's bursts: one table for all
    return ReadingBatch(np.array(ts, np.int64), np.array(codes, np.int32), np.array(values), NAMES)


@settings(max_examples=200, deadline=None)
@given(st.lists(_records, max_size=6), st.booleans())
def test_joined_batches_hold_every_reading_in_order(parts, shared):
    """Each reading keeps its stamp, channel name and value, in the order of the batches."""
    joined = concat_batches([_batch(p, shared) for p in parts])
    assert joined.records() == [r for p in parts for r in p]
    assert joined.codes.dtype == np.int32 and len(set(joined.names)) == len(joined.names)
