"""LineFramer: bursts in, whole lines out, memory bounded."""

from core.acquisition.framing import LineFramer


def test_lines_split_across_bursts_are_joined():
    """A line cut between two reads comes out once, whole."""
    f = LineFramer()
    assert f.feed(b"1,2\n3,") == [b"1,2"]
    assert f.feed(b"4\n") == [b"3,4"]


def test_crlf_and_lf_both_end_lines():
    """\\r\\n and \\n terminators both work, and the \\r is removed."""
    assert LineFramer().feed(b"a\r\nb\nc\r\n") == [b"a", b"b", b"c"]


def test_cr_split_from_its_lf_is_still_removed():
    """A \\r at the end of one burst and its \\n in the next still ends the line cleanly."""
    f = LineFramer()
    assert f.feed(b"abc\r") == []
    assert f.feed(b"\nd\n") == [b"abc", b"d"]


def test_empty_lines_are_returned_for_counting():
    """Empty lines reach the parser so they can be counted as rejects."""
    assert LineFramer().feed(b"\n\r\nx\n") == [b"", b"", b"x"]


def test_overlong_complete_line_is_dropped_and_counted():
    """A complete line over the limit is discarded; its neighbours survive."""
    f = LineFramer(max_line=10)
    assert f.feed(b"ok\n" + b"x" * 11 + b"\nfine\n") == [b"ok", b"fine"]
    assert f.overlong == 1


def test_overlong_partial_line_is_discarded_until_next_newline():
    """An endless line does not grow memory: it is dropped up to the next newline, then resync."""
    f = LineFramer(max_line=16)
    for _ in range(100):
        assert f.feed(b"y" * 10) == []
        assert len(f._pending) <= 16
    assert f.feed(b"yyy\nnext\n") == [b"next"]
    assert f.overlong == 1


def test_reset_forgets_unfinished_line():
    """After a reconnect the half line from before is not glued to new data."""
    f = LineFramer()
    f.feed(b"12,3")
    f.reset()
    assert f.feed(b"4,5\n") == [b"4,5"]


def test_line_at_limit_is_kept():
    """Exactly max_line bytes is still a valid line."""
    f = LineFramer(max_line=8)
    assert f.feed(b"12345678\n") == [b"12345678"]
    assert f.overlong == 0
