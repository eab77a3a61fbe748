"""The vectorised CSV path is a shortcut, never a second opinion: on any burst it gives the very
readings, names, counts and rejects the per-line path gives, and its decimal reading is the
double ``float()`` reads."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.acquisition.decimals import parse_fixed_layout
from core.acquisition.parsing import ChannelSpec, LineParser

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Plain decimals as devices print them, and the near misses the shortcut must leave alone.
_decimal = st.builds(
    lambda sign, whole, frac: f"{sign}{whole}{frac}",
    st.sampled_from(["", "", "-"]),
    st.from_regex(r"[0-9]{0,9}", fullmatch=True),
    st.one_of(st.just(""), st.from_regex(r"\.[0-9]{0,9}", fullmatch=True)),
)
_odd_field = st.sampled_from(
    ["1e3", "-2.5E-1", "+4", " 5", "6 ", "nan", "inf", "-", ".", "", "1.2.3", "--1", "0x1F", "1_000", "7-"]
)
# 16 digits and more, and a full-width digit (a digit to Python, not to the byte matrix)
_long_field = st.sampled_from(["1234567890123456", "0.0000000000000001", "9" * 17, "１"])
_field = st.one_of(_decimal, _decimal, _decimal, _odd_field, _long_field, st.floats(allow_nan=True).map(repr))


def _layout_lines(draw, n: int) -> list[bytes]:
    """``n`` lines of one printf layout, e.g. ``%5.2f,%+d``: what the shortcut is for."""
    k = draw(st.integers(1, 6))
    fmts = draw(st.lists(st.sampled_from(["%.2f", "%06.1f", "%d", "%.3f", "%04d"]), min_size=k, max_size=k))
    negative = draw(st.lists(st.booleans(), min_size=k, max_size=k))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    lines = []
    for _ in range(n):
        cells = []
        for fmt, neg in zip(fmts, negative, strict=True):
            v = rng.integers(0, 10) + rng.integers(0, 1000) / 1000
            cells.append(fmt % (-v if neg else v) if "d" not in fmt else fmt % (-int(v) if neg else int(v)))
        lines.append(",".join(cells).encode())
    return lines


@st.composite
def bursts(draw) -> list[bytes]:
    """Mostly one layout, with headers, garbage, other widths and formats mixed in anywhere."""
    lines = _layout_lines(draw, draw(st.integers(0, 60)))
    k = (lines[0].count(b",") + 1) if lines else draw(st.integers(1, 4))
    extras = st.one_of(
        st.lists(_field, min_size=k, max_size=k).map(lambda f: ",".join(f).encode()),
        st.lists(_field, min_size=1, max_size=6).map(lambda f: ",".join(f).encode()),
        st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), min_size=k, max_size=k).map(
            lambda names: ",".join(names).encode()  # a header naming the lines after it
        ),
        st.sampled_from([b"", b"\xff\xfe", b"t=1.5 h=2", b'{"a": 1}', b"1;2;3", b"\xef\xbb\xbf1,2"]),
        st.just(b"1 2,3"),
        st.binary(max_size=12),
    )
    for _ in range(draw(st.integers(0, 12))):
        lines.insert(draw(st.integers(0, len(lines))), draw(extras))
    return lines


def _outcome(parser: LineParser, lines: list[bytes], fast: bool):
    ts = np.arange(len(lines), dtype=np.int64) * 1000
    batch = parser.parse(lines, ts) if fast else parser._parse_each(lines, ts)
    records = [(t, name, math.copysign(1.0, v), v) for t, name, v in batch.records()]
    return records, dict(parser.rejected), parser.lines_ok, parser.headers_seen, parser.channel_count


@PROPERTY
@given(bursts(), st.integers(1, 8))
def test_a_burst_reads_the_same_by_the_fast_path_and_line_by_line(lines, max_channels):
    """Same readings in the same order (signs of zero too), same names, same counted rejects."""
    specs = [ChannelSpec(field=2, name="pressure", scale=0.1, offset=-3.0)]
    fast = _outcome(LineParser(specs, max_channels=max_channels), lines, fast=True)
    slow = _outcome(LineParser(specs, max_channels=max_channels), lines, fast=False)
    assert fast == slow


@PROPERTY
@given(st.lists(bursts(), min_size=1, max_size=4))
def test_a_stream_of_bursts_reads_the_same_by_the_fast_path_and_line_by_line(stream):
    """A header in one burst names the lines of later bursts on both paths alike."""
    fast_parser, slow_parser = LineParser(), LineParser()
    for lines in stream:
        assert _outcome(fast_parser, lines, fast=True) == _outcome(slow_parser, lines, fast=False)


@PROPERTY
@given(st.lists(_field, min_size=1, max_size=5), st.integers(2, 20))
def test_fixed_layout_values_are_what_float_reads(fields, n):
    """Every field the shortcut takes is the double float() gives; what it cannot take, it leaves."""
    line = ",".join(fields).encode()
    result = parse_fixed_layout([line] * n, max_fields=8)
    plain = all(_is_plain(f) for f in fields)
    if not plain:
        assert result is None
        return
    values, fits = result
    assert fits.all() and values.shape == (n, len(fields))
    for got, text in zip(values[0].tolist(), fields, strict=True):
        want = float(text)
        assert got == want and math.copysign(1.0, got) == math.copysign(1.0, want), text


def _is_plain(text: str) -> bool:
    body = text[1:] if text.startswith("-") else text
    digits = body.replace(".", "", 1)
    return body.count(".") <= 1 and digits.isascii() and digits.isdigit() and len(digits) <= 15


def test_lines_of_another_width_or_layout_are_left_to_the_caller():
    """Only lines with the first line's bytes wherever it has no digit share its layout."""
    lines = [b"12.50,-3.1"] * 5 + [b"12.5,-3.10", b"-2.50,13.1", b"12.50,-3.1x", b"99.99,-0.0"]
    values, fits = parse_fixed_layout(lines, max_fields=8)
    assert fits.tolist() == [True] * 5 + [False, False, False, True]
    assert values.tolist() == [[12.5, -3.1]] * 5 + [[99.99, -0.0]]


def test_a_burst_of_one_layout_with_a_stray_line_keeps_every_reading_once():
    """Garbage in the middle costs only itself; the lines around it keep their order and stamps."""
    lines = [b"%05.2f,%05.2f" % (i / 10, i / 20) for i in range(30)]
    lines[12:12] = [b"\xff garbage", b"a,b"]  # a rejected line and a header for two columns
    p = LineParser()
    batch = p.parse(lines, np.arange(len(lines), dtype=np.int64))
    recs = batch.records()
    assert len(recs) == 60 and dict(p.rejected) == {"not_utf8": 1} and p.headers_seen == 1
    assert [r[1] for r in recs[:2]] == ["ch1", "ch2"] and [r[1] for r in recs[-2:]] == ["a", "b"]
    assert [r[0] for r in recs[::2]] == [t for t in range(len(lines)) if t not in (12, 13)]


def test_wide_lines_are_read_exactly_and_more_fields_than_allowed_are_left():
    """A 200-column line takes the sparse weights (bounded memory) and reads what float() reads."""
    rng = np.random.default_rng(7)
    cells = rng.integers(10_000, 99_999, (20, 200)) * np.where(np.arange(200) % 3, 1, -1)  # signed columns
    lines = [",".join(f"{c / 1000:.3f}" for c in row).encode() for row in cells]
    values, fits = parse_fixed_layout(lines, max_fields=256)
    assert fits.all()
    assert values.tolist() == [[float(t) for t in ln.split(b",")] for ln in lines]
    assert parse_fixed_layout(lines, max_fields=199) is None
    fast = _outcome(LineParser(), lines, fast=True)
    assert fast == _outcome(LineParser(), lines, fast=False) and len(fast[0]) == 200 * len(lines)
