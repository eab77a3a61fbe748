"""Property-based fuzzing of framing + parsing: arbitrary bytes cut at arbitrary places and
hostile JSON never raise, valid lines between the garbage are each kept exactly once, and the
state both keep stays bounded."""

import itertools
import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.acquisition.framing import MAX_LINE_BYTES, LineFramer
from core.acquisition.parsing import LineParser

FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def _run(chunks: list[bytes], framer: LineFramer, parser: LineParser):
    """Feed every chunk through framing and parsing as the reader does; return all records."""
    records, t = [], 0
    for chunk in chunks:
        lines = framer.feed(chunk)
        batch = parser.parse(lines, np.arange(t, t + len(lines), dtype=np.int64))
        t += len(lines)
        records.extend(batch.records())
    return records, t


def _json_value(depth: int = 3):
    leaves = st.one_of(
        st.integers(min_value=-(10**450), max_value=10**450),  # far beyond any double
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.text(max_size=20),
    )
    return st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=300), children, max_size=4)
        ),
        max_leaves=12,
    )


def _hostile_json_line():
    """JSON objects as hostile devices send them: huge integers, NaN/Infinity tokens, long and
    duplicate keys, and nesting far deeper than the interpreter's recursion limit."""
    plain = st.dictionaries(st.text(max_size=300), _json_value(), max_size=6).map(
        lambda d: json.dumps(d, allow_nan=True).encode()
    )
    duplicated = st.tuples(st.text(max_size=10), st.integers(), st.integers()).map(
        lambda t: (
            b'{"%s": %d, "%s": %d}'
            % (json.dumps(t[0])[1:-1].encode(), t[1], json.dumps(t[0])[1:-1].encode(), t[2])
        )
    )
    deep = st.integers(min_value=1, max_value=3000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n)
    tokens = st.sampled_from(
        [b'{"x": NaN}', b'{"x": Infinity}', b'{"x": -Infinity}', b'{"x": 1' + b"0" * 400 + b"}"]
    )
    return st.one_of(plain, duplicated, deep, tokens)


garbage_line = st.one_of(
    st.binary(max_size=200).map(lambda b: b.replace(b"\n", b"")),
    _hostile_json_line(),
    st.binary(min_size=MAX_LINE_BYTES - 10, max_size=MAX_LINE_BYTES + 50).map(
        lambda b: b.replace(b"\n", b"")
    ),
).filter(lambda b: b"seq" not in b.lower())


@FUZZ
@given(st.binary(max_size=6000), st.lists(st.integers(min_value=0), max_size=40))
def test_arbitrary_bytes_at_arbitrary_boundaries_never_raise(data, cuts):
    """Any bytes, cut anywhere: framing and parsing account for every line and raise nothing."""
    framer, parser = LineFramer(), LineParser()
    _, lines = _run(_chunks(data, cuts), framer, parser)
    assert parser.lines_ok + parser.rejected_total + parser.headers_seen == lines
    assert len(framer._pending) <= framer.max_line


@FUZZ
@given(st.lists(_hostile_json_line(), min_size=1, max_size=20))
def test_hostile_json_is_counted_never_raised(lines):
    """Huge integers, NaN/Infinity, duplicate and long keys, deep nesting: each line is either
    readings or one counted reject."""
    parser = LineParser()
    batch = parser.parse(lines, np.arange(len(lines), dtype=np.int64))
    assert parser.lines_ok + parser.rejected_total == len(lines)
    assert np.isfinite(batch.values).all()


@FUZZ
@given(
    st.lists(st.tuples(st.lists(garbage_line, max_size=3), st.booleans()), min_size=1, max_size=60),
    st.lists(st.integers(min_value=0), max_size=40),
)
def test_valid_lines_between_garbage_are_all_kept_exactly_once(groups, cuts):
    """Valid lines (some with a BOM, some with CRLF) between garbage lines, the stream cut at
    arbitrary places: every valid reading comes out once, in order."""
    parts, expected = [], []
    for i, (garbage, crlf) in enumerate(groups):
        valid = (b"\xef\xbb\xbf" if i % 5 == 0 else b"") + b"seq=%d" % i
        parts.append(valid + (b"\r\n" if crlf else b"\n"))
        expected.append(float(i))
        parts.extend(g + b"\n" for g in garbage)
    framer, parser = LineFramer(), LineParser()
    records, _ = _run(_chunks(b"".join(parts), cuts), framer, parser)
    assert [v for _, ch, v in records if ch == "seq"] == expected


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(garbage_line, min_size=5, max_size=40), st.integers(min_value=1, max_value=800))
def test_parser_and_framer_state_stays_bounded(garbage, widths):
    """Whatever arrives, the state kept between reads is bounded: the unfinished line, the
    channels let through, and the remembered column layouts."""
    framer, parser = LineFramer(), LineParser(max_channels=256)
    names = [b"n%d=1" % i for i in range(1000)]
    csv = [b",".join([b"1"] * w) for w in range(1, widths)]
    stream = b"\n".join(garbage + names + csv) + b"\n" + b"x" * 100_000
    _run(_chunks(stream, list(range(0, len(stream), 997))), framer, parser)
    assert len(framer._pending) <= framer.max_line
    assert parser.channel_count <= 256
    assert len(parser._layouts) <= 64 and len(parser._headers) <= 64
