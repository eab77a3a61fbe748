"""SerialReader over real virtual cables (socat pty pairs), TCP gateways and pyserial URLs."""

import itertools
import random
import socket
import threading
import time

import pytest

from core.acquisition.parsing import LineParser
from core.acquisition.ports import PortError, SerialSettings
from core.acquisition.reader import PortState, SerialReader
from core.readings import concat_batches
from tests.conftest import wait_until


class Collector:
    def __init__(self):
        self.batches = []
        self.events = []
        self.lock = threading.Lock()

    def on_batch(self, b):
        with self.lock:
            self.batches.append(b)

    def on_event(self, e):
        self.events.append(e)

    def records(self):
        with self.lock:
            return concat_batches(list(self.batches)).records()

    def states(self):
        return [e.state for e in self.events]


def make_reader(port, col, **kw):
    return SerialReader(port, SerialSettings(115200), LineParser(), col.on_batch, col.on_event, **kw)


def test_every_valid_line_mixed_with_garbage_arrives_exactly_once(cable):
    """Valid lines interleaved with corrupt frames are each stored once; garbage is counted."""
    col = Collector()
    reader = make_reader(cable.a, col)
    reader.start()
    rng = random.Random(7)
    expected = []
    chunks = []
    for i in range(3000):
        expected.append(float(i))
        chunks.append(b"seq=%d\r\n" % i)
        if i % 7 == 0:
            chunks.append(
                b"\xff" + bytes(rng.randrange(128, 256) for _ in range(rng.randrange(0, 40))) + b"\n"
            )
        if i % 11 == 0:
            chunks.append(b"seq=oops\n")
    stream = b"".join(chunks)
    pos = 0
    while pos < len(stream):  # write in odd-sized pieces so lines straddle reads
        step = rng.randrange(1, 4000)
        cable.write_b(stream[pos : pos + step])
        pos += step
    assert wait_until(lambda: len(col.records()) >= 3000, timeout=10)
    time.sleep(0.2)
    reader.stop()
    values = [v for _, ch, v in col.records() if ch == "seq"]
    assert values == expected
    stats = reader.stats()
    assert stats.rejected["non_numeric"] == len(range(0, 3000, 11))
    assert stats.rejected["not_utf8"] == len(range(0, 3000, 7))
    assert stats.state is PortState.STOPPED


def test_timestamps_are_utc_now_and_strictly_increasing(cable):
    """Receive stamps are host UTC time, unique and in arrival order."""
    col = Collector()
    reader = make_reader(cable.a, col)
    reader.start()
    before = time.time()
    cable.write_b(b"".join(b"v=%d\n" % i for i in range(500)))
    assert wait_until(lambda: len(col.records()) == 500)
    reader.stop()
    ts = [t for t, _, _ in col.records()]
    assert all(b > a for a, b in itertools.pairwise(ts))
    assert before - 1 < ts[0] / 1e6 <= ts[-1] / 1e6 < time.time() + 1


def test_reconnects_after_the_cable_is_destroyed_and_recreated(cable):
    """Pulling the virtual cable reports the loss; re-plugging resumes on the same path."""
    col = Collector()
    reader = make_reader(cable.a, col, retry_interval=0.2)
    reader.start()
    cable.write_b(b"x=1\n")
    assert wait_until(lambda: len(col.records()) == 1)
    cable.unplug()
    assert wait_until(lambda: PortState.RECONNECTING in col.states(), timeout=5)
    time.sleep(0.5)  # a few failed attempts while nothing is there
    cable.plug()
    assert wait_until(lambda: col.states().count(PortState.CONNECTED) == 2, timeout=5)
    cable.write_b(b"x=2\n")
    assert wait_until(lambda: len(col.records()) == 2)
    reader.stop()
    assert [v for _, _, v in col.records()] == [1.0, 2.0]
    assert col.states() == [
        PortState.CONNECTED,
        PortState.LOST,
        PortState.RECONNECTING,
        PortState.CONNECTED,
        PortState.STOPPED,
    ]
    assert reader.stats().reconnects == 1
    assert all(e.at.tzinfo is not None for e in col.events)


def test_bad_port_raises_one_clear_sentence(tmp_path):
    """Opening a port that does not exist fails at start with a sentence naming it."""
    reader = make_reader(str(tmp_path / "nope"), Collector())
    with pytest.raises(PortError, match="was not found"):
        reader.start()


def _gateway_server(lines: bytes, stop: threading.Event):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(0.1)

    def serve():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            conn.sendall(lines)
            time.sleep(0.2)
            conn.close()  # the gateway drops the connection
        srv.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1]


def test_socket_url_reads_a_tcp_gateway_and_reconnects_when_it_drops():
    """socket://host:port works like a COM port, including reconnect after the gateway drops."""
    stop = threading.Event()
    port = _gateway_server(b"temp=1.5\r\nhum=40\r\n", stop)
    col = Collector()
    reader = make_reader(f"socket://127.0.0.1:{port}", col, retry_interval=0.1)
    reader.start()
    try:
        assert wait_until(lambda: len(col.records()) >= 4, timeout=10)
        assert PortState.LOST in col.states()
    finally:
        reader.stop()
        stop.set()
    assert {(c, v) for _, c, v in col.records()} == {("temp", 1.5), ("hum", 40.0)}


def test_loop_url_reads_back_what_is_written():
    """pyserial's loop:// opens through the same call."""
    col = Collector()
    reader = make_reader("loop://", col)
    reader.start()
    reader._serial.write(b"a=1\nb=2\n")
    assert wait_until(lambda: len(col.records()) == 2)
    reader.stop()


def test_usb_adapter_is_found_again_under_a_new_port_name(cable, tmp_path, monkeypatch):
    """When the adapter returns under another name (a new COM number), it is found by VID/PID/serial."""
    from core.acquisition import reader as reader_mod
    from core.acquisition.ports import PortInfo, UsbIdentity
    from tests.conftest import VirtualCable

    col = Collector()
    identity = UsbIdentity(0x0403, 0x6001, "A10K")
    reader = make_reader(cable.a, col, usb_identity=identity, retry_interval=0.1)
    moved = VirtualCable(str(tmp_path / "ttyC"), str(tmp_path / "ttyD"))
    seen = []

    def fake_find(ident):
        seen.append(ident)
        return PortInfo(moved.a, vid=0x0403, pid=0x6001, serial_number="A10K") if moved.proc else None

    monkeypatch.setattr(reader_mod, "find_usb_port", fake_find)
    reader.start()
    cable.unplug()
    assert wait_until(lambda: PortState.RECONNECTING in col.states())
    moved.plug()
    try:
        assert wait_until(lambda: reader.port == moved.a and reader.state is PortState.CONNECTED)
        moved.write_b(b"x=5\n")
        assert wait_until(lambda: len(col.records()) == 1)
    finally:
        reader.stop()
        moved.unplug()
    assert seen and seen[0] == identity
    assert col.events[-2].message == f"reconnected to {moved.a}"
