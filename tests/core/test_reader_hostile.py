"""SerialReader under hostile input over real virtual cables: one bad line costs that line only,
stamps never precede the port's opening, and byte-order marks are stripped after a reconnect."""

import threading
import time

import numpy as np

from core.acquisition.parsing import LineParser
from core.acquisition.ports import SerialSettings
from core.acquisition.reader import PortState, SerialReader
from tests.conftest import wait_until
from tests.core.test_reader import Collector, make_reader


def test_json_integer_too_large_for_a_double_loses_only_its_own_line(cable):
    """A 400-digit JSON integer is one out_of_range reject: the 5 readings of its burst and the
    2,000 lines after it are all stored and the port stays connected."""
    col = Collector()
    reader = make_reader(cable.a, col)
    reader.start()
    huge = b'{"x": 1' + b"0" * 400 + b"}\n"
    cable.write_b(b"".join(b"v=%d\n" % i for i in range(5)) + huge)
    cable.write_b(b"".join(b"v=%d\n" % i for i in range(5, 2005)))
    assert wait_until(lambda: len(col.records()) == 2005, timeout=10)
    assert reader.is_running and reader.state is PortState.CONNECTED
    reader.stop()
    assert [v for _, _, v in col.records()] == [float(i) for i in range(2005)]
    assert reader.stats().rejected == {"out_of_range": 1}


class _Fragile(LineParser):
    """A parser with a bug: any burst holding a line with ``boom`` raises."""

    def parse(self, lines, ts_us):
        if any(b"boom" in ln for ln in lines):
            raise KeyError("a bug nobody foresaw")
        return super().parse(lines, ts_us)


def test_parser_raising_on_a_burst_costs_only_the_offending_line(cable):
    """If parsing a burst raises, the burst is parsed line by line: only the line that raises is
    rejected (parse_error), every other reading of that burst is kept, the thread reads on."""
    col = Collector()
    reader = SerialReader(cable.a, SerialSettings(115200), _Fragile(), col.on_batch, col.on_event)
    reader.start()
    cable.write_b(b"a=1\na=2\nboom=3\na=4\n")
    cable.write_b(b"a=5\n")
    assert wait_until(lambda: len(col.records()) == 4)
    assert reader.is_running
    reader.stop()
    assert [v for _, _, v in col.records()] == [1.0, 2.0, 4.0, 5.0]
    assert reader.stats().rejected == {"parse_error": 1}


def test_no_reading_is_stamped_before_the_port_was_opened(cable):
    """A device already streaming when the port opens: the first burst's wire-time spread is
    clamped to the opening moment (at 9600 Bd a 4 KB burst would reach 4 s back)."""
    stop = threading.Event()
    line = b"temperature=21.5,pressure=1013.25,humidity=45.5\n"

    def stream():
        while not stop.is_set():
            cable.write_b(line * 80)
            time.sleep(0.002)

    writer = threading.Thread(target=stream, daemon=True)
    writer.start()
    try:
        for _ in range(3):
            col = Collector()
            reader = SerialReader(cable.a, SerialSettings(9600), LineParser(), col.on_batch, col.on_event)
            opened_us = time.time_ns() // 1000
            reader.start()
            assert wait_until(lambda c=col: len(c.records()) >= 3000, timeout=10)
            reader.stop()
            ts = np.array([t for t, _, _ in col.records()])
            assert ts.min() >= opened_us, f"stamped {(opened_us - ts.min()) / 1e6:.3f} s before opening"
    finally:
        stop.set()
        writer.join()


def test_stamps_after_a_reconnect_never_precede_the_reopening(cable):
    """After a reconnect the spread is bounded by the reopening, not by the last read before the loss."""
    col = Collector()
    reader = SerialReader(
        cable.a, SerialSettings(9600), LineParser(), col.on_batch, col.on_event, retry_interval=0.1
    )
    reader.start()
    cable.write_b(b"x=0\n")
    assert wait_until(lambda: len(col.records()) == 1)
    cable.unplug()
    assert wait_until(lambda: PortState.RECONNECTING in col.states())
    time.sleep(1.0)
    cable.plug()
    assert wait_until(lambda: col.states().count(PortState.CONNECTED) == 2, timeout=5)
    reopened_us = col.events[-1].at.timestamp() * 1e6
    cable.write_b(b"x=1\n" * 2000)
    assert wait_until(lambda: len(col.records()) == 2001, timeout=10)
    reader.stop()
    ts = [t for t, _, v in col.records() if v == 1.0]
    assert min(ts) >= reopened_us - 1000  # the event is stamped just after the reopening


def test_byte_order_mark_is_stripped_mid_stream_and_after_a_reconnect(cable):
    """A BOM at the start of a line, mid-stream or as a device's first bytes after a reconnect,
    does not become part of the channel name."""
    col = Collector()
    reader = make_reader(cable.a, col, retry_interval=0.1)
    reader.start()
    cable.write_b(b"\xef\xbb\xbfbom=1\nbom=2\n\xef\xbb\xbfbom=3\n")
    assert wait_until(lambda: len(col.records()) == 3)
    cable.unplug()
    assert wait_until(lambda: PortState.RECONNECTING in col.states())
    cable.plug()
    assert wait_until(lambda: col.states().count(PortState.CONNECTED) == 2, timeout=5)
    cable.write_b(b"\xef\xbb\xbfbom=4\n")
    assert wait_until(lambda: len(col.records()) == 4)
    reader.stop()
    assert [(c, v) for _, c, v in col.records()] == [("bom", float(i)) for i in range(1, 5)]
    assert reader.stats().rejected == {}


def test_stamp_spread_is_clamped_to_the_opening_and_stays_increasing():
    """A 4 KB burst at 9600 Bd spans 4.3 s of wire time, but the port opened 0.1 s ago (or was
    reopened 0.1 s ago after a read long before): no stamp precedes the opening, all increase."""
    from core.acquisition.reader import stamp_lines

    now = 1_767_225_600_000_000
    for last_read in (0, now - 60_000_000):
        ts = stamp_lines(100, 4096, now, last_read, last_read, now - 100_000, 9600)
        assert ts.min() >= now - 100_000
        assert (np.diff(ts) > 0).all() and ts[-1] >= now
    # Without an opening in the way, the spread follows the wire time as before.
    ts = stamp_lines(100, 4096, now, now - 10_000_000, 0, now - 10_000_000, 9600)
    assert 4.0e6 < now - ts[0] < 4.3e6
