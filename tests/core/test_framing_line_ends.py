"""Whatever mix of \\r\\n, bare \\n and stray \\r a device sends, cut wherever the reads fall, the
framer gives the lines of the whole stream split at every \\n with the \\r before it removed."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from core.acquisition.framing import LineFramer

_stream = st.lists(st.sampled_from([b"\r\n", b"\n", b"\r", b"1", b",", b"ab"]), max_size=60).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(_stream, st.lists(st.integers(0, 200), max_size=8))
def test_lines_are_the_stream_split_at_each_newline(data, cuts):
    """One read or many, \\r\\n and \\n end a line alike and a lone \\r stays in its line."""
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    framer, lines = LineFramer(), []
    for a, b in itertools.pairwise(points):
        lines += framer.feed(data[a:b])
    want = data.replace(b"\r\n", b"\n").split(b"\n")[:-1]
    assert lines == want
