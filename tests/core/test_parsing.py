"""LineParser: every supported format, channel mapping, and bad input counted by reason."""

import numpy as np
import pytest

from core.acquisition.parsing import ChannelSpec, LineFormat, LineParser


def parse(lines, parser=None):
    parser = parser or LineParser()
    batch = parser.parse(lines, np.arange(len(lines), dtype=np.int64) + 1000)
    return parser, sorted(batch.records())


def test_csv_without_header_names_channels_ch1_to_chn():
    """Plain numbers become ch1..chN."""
    _, recs = parse([b"23.5,45.1,1013.2"])
    assert recs == [(1000, "ch1", 23.5), (1000, "ch2", 45.1), (1000, "ch3", 1013.2)]


@pytest.mark.parametrize("line", [b"1 2", b"1\t2", b"1;2", b" 1 , 2 "])
def test_whitespace_and_semicolon_separated_numbers(line):
    """Whitespace, tabs and semicolons separate numbers too."""
    _, recs = parse([line])
    assert [r[1:] for r in recs] == [("ch1", 1.0), ("ch2", 2.0)]


def test_header_line_names_following_csv_lines():
    """A header of names names the columns of the lines after it and stores nothing itself."""
    p, recs = parse([b"temp,hum", b"20,50"])
    assert [r[1:] for r in recs] == [("hum", 50.0), ("temp", 20.0)]
    assert p.headers_seen == 1 and p.rejected_total == 0


@pytest.mark.parametrize(
    "line",
    [
        b"temp=23.5 hum=45.1",
        b"temp:23.5;hum:45.1",
        b"temp=23.5,hum=45.1",
        b"temp = 23.5, hum = 45.1",
    ],
)
def test_key_value_variants(line):
    """All key=value spellings from the field give the same readings."""
    _, recs = parse([line])
    assert [r[1:] for r in recs] == [("hum", 45.1), ("temp", 23.5)]


def test_json_nested_objects_are_flattened_with_dots():
    """Nested JSON keys become dotted channel names; text fields are ignored as metadata."""
    _, recs = parse([b'{"temp": 23.5, "motor": {"rpm": 1500, "amps": "3.2"}, "id": "A1", "ok": true}'])
    assert [r[1:] for r in recs] == [("motor.amps", 3.2), ("motor.rpm", 1500.0), ("temp", 23.5)]


def test_formats_are_detected_per_line():
    """A stream may switch formats from one line to the next."""
    p, recs = parse([b"1,2", b"a=3", b'{"b": 4}'])
    assert {r[1] for r in recs} == {"ch1", "ch2", "a", "b"}
    assert p.lines_ok == 3


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"", "empty"),
        (b"   ", "empty"),
        (b"\xff\xfe1,2", "not_utf8"),
        (b"1,abc,3", "non_numeric"),
        (b"1,nan,3", "not_finite"),
        (b"1,inf", "not_finite"),
        (b"temp=hot", "non_numeric"),
        (b"temp=NaN", "not_finite"),
        (b'{"temp": 1', "bad_json"),
        (b"[1, 2]", "non_numeric"),
        (b'{"temp": NaN}', "not_finite"),
        (b'{"id": "x"}', "non_numeric"),
        (b"temp=1 junk", "wrong_format"),
    ],
)
def test_bad_lines_are_counted_by_reason_and_store_nothing(line, reason):
    """Each kind of bad line is rejected whole, counted under its reason, and never raises."""
    p, recs = parse([line])
    assert recs == []
    assert dict(p.rejected) == {reason: 1}


def test_bad_line_in_a_burst_does_not_lose_the_good_ones():
    """The vectorised path falls back line by line so one bad line costs only itself."""
    lines = [b"1,2,3"] * 20 + [b"1,x,3"] + [b"4,5,6"] * 20
    p, recs = parse(lines)
    assert len(recs) == 40 * 3
    assert dict(p.rejected) == {"non_numeric": 1}


def test_uniform_burst_matches_per_line_parsing():
    """The vectorised path gives exactly what the per-line path gives."""
    lines = [f"{i}.25,{-i}.5,1e{i % 5}".encode() for i in range(50)]
    ts = np.arange(50, dtype=np.int64)
    fast = LineParser().parse(lines, ts)
    slow = LineParser()._parse_each(lines, ts)
    assert sorted(fast.records()) == sorted(slow.records())


def test_channel_specs_rename_scale_and_offset_by_key_and_column():
    """Config maps a key or a 1-based column to a channel with scale and offset."""
    specs = [
        ChannelSpec(field="t", name="boiler", unit="°C", scale=0.1, offset=-5),
        ChannelSpec(field=2, name="pressure", scale=2.0),
    ]
    p = LineParser(specs)
    _, kv = parse([b"t=300 x=1"], p)
    assert [r[1:] for r in kv] == [("boiler", 25.0), ("x", 1.0)]
    _, csv = parse([b"7,3"] * 10, p)  # vectorised path
    assert {r[1:] for r in csv} == {("ch1", 7.0), ("pressure", 6.0)}


def test_forced_format_rejects_other_formats():
    """With format json, a CSV line is a malformed JSON line."""
    p, recs = parse([b"1,2"], LineParser(fmt=LineFormat.JSON))
    assert recs == [] and dict(p.rejected) == {"bad_json": 1}


def test_timestamps_follow_their_lines():
    """Every reading carries the receive time of its own line."""
    p = LineParser()
    batch = p.parse([b"1", b"a=2"], np.array([5, 9], dtype=np.int64))
    assert sorted(batch.records()) == [(5, "ch1", 1.0), (9, "a", 2.0)]


def test_random_garbage_never_raises():
    """Arbitrary bytes are counted, never thrown out of the parser."""
    rng = np.random.default_rng(1)
    lines = [rng.integers(0, 256, rng.integers(0, 60)).astype(np.uint8).tobytes() for _ in range(2000)]
    p = LineParser()
    p.parse(lines, np.arange(2000, dtype=np.int64))
    assert p.lines_ok + p.rejected_total + p.headers_seen == 2000


def test_json_integer_too_large_for_a_double_rejects_that_line_only():
    """A 400-digit JSON integer is a rejected line (out_of_range); the burst's other readings stay."""
    huge = b'{"x": 1' + b"0" * 400 + b"}"
    lines = [b"a=1", b"a=2", huge, b'{"a": 3}', b"a=4", b"a=5"]
    p, recs = parse(lines)
    assert [r[2] for r in recs] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert dict(p.rejected) == {"out_of_range": 1}


def test_json_nested_deeper_than_the_interpreter_follows_is_bad_json():
    """Nesting deep enough to exhaust recursion is counted as bad_json, never raised."""
    deep = b'{"a":' * 5000 + b"1" + b"}" * 5000
    p, recs = parse([deep, b"ok=1"])
    assert [r[1:] for r in recs] == [("ok", 1.0)]
    assert dict(p.rejected) == {"bad_json": 1}


def test_unexpected_error_in_one_line_rejects_only_that_line(monkeypatch):
    """Whatever goes wrong inside parsing one line costs that line only, counted as parse_error."""
    from core.acquisition import parsing

    real = parsing.parse_key_values

    def flaky(text):
        if "boom" in text:
            raise ZeroDivisionError("a bug nobody foresaw")
        return real(text)

    monkeypatch.setattr(parsing, "parse_key_values", flaky)
    p, recs = parse([b"a=1", b"boom=2", b"a=3"])
    assert [r[2] for r in recs] == [1.0, 3.0]
    assert dict(p.rejected) == {"parse_error": 1}


@pytest.mark.parametrize(
    "line",
    [b"\xef\xbb\xbfbom=1.5", b'\xef\xbb\xbf{"bom": 1.5}', b"\xef\xbb\xbf  bom:1.5", b"\xef\xbb\xbf1.5"],
)
def test_line_starting_with_a_byte_order_mark_is_parsed_without_it(line):
    """A UTF-8 BOM at the start of a line is stripped, not made part of the channel name."""
    _, recs = parse([line])
    assert [r[2] for r in recs] == [1.5]
    assert recs[0][1] in ("bom", "ch1")


def test_header_after_a_byte_order_mark_names_the_columns():
    """A header line sent with a BOM (a Windows tool's first line) still names the columns."""
    _, recs = parse([b"\xef\xbb\xbftemp,hum", b"20,50"])
    assert [r[1:] for r in recs] == [("hum", 50.0), ("temp", 20.0)]


def test_lines_with_new_names_beyond_the_channel_bound_are_rejected():
    """Beyond max_channels, a line naming a new channel is rejected as too_many_channels;
    lines naming known channels keep flowing, and the limit is flagged once."""
    p = LineParser(max_channels=3)
    lines = [b"a=1", b"b=1", b"c=1", b"d=1", b"a=2 e=2", b"a=3 b=3", b"f=1"]
    _, recs = parse(lines, p)
    assert sorted(r[1:] for r in recs) == [("a", 1.0), ("a", 3.0), ("b", 1.0), ("b", 3.0), ("c", 1.0)]
    assert dict(p.rejected) == {"too_many_channels": 3}
    assert p.channel_limit_reached and p.channel_count == 3


def test_channel_bound_holds_on_the_vectorised_csv_path():
    """A uniform CSV burst wider than the room left is rejected whole; a narrower one passes."""
    p = LineParser(max_channels=4)
    _, recs = parse([b"1,2,3"] * 10, p)
    assert len(recs) == 30
    _, recs = parse([b"1,2,3,4,5"] * 10, p)
    assert recs == [] and dict(p.rejected) == {"too_many_channels": 10}
    _, recs = parse([b"1,2,3,4,5,6,7,8,9"] * 10, p)  # wider than the bound itself
    assert recs == [] and dict(p.rejected) == {"too_many_channels": 20}


def test_channel_name_flood_keeps_parser_memory_bounded():
    """3,000 random names and lines of ever new widths leave bounded state behind."""
    rng = np.random.default_rng(3)
    p = LineParser()
    flood = [b"k%d=1" % k for k in rng.choice(10**6, 3000, replace=False)]
    widths = [b",".join([b"1"] * w) for w in range(1, 600)]
    parse(flood + widths, p)
    assert p.channel_count == 256
    assert len(p._layouts) <= 64 and len(p._headers) <= 64
