"""Polled ASCII: escapes, reply parsing (regex with hex and scale, line formats), and a poller
that queries a responder on a pty, counting a device that stays silent."""

from __future__ import annotations

import threading

import pytest
import serial

from core.acquisition.polled_ascii import AsciiPoller, parse_ascii_poll, unescape
from core.acquisition.ports import SerialSettings
from core.config import ConfigError
from tests.core.modbus_fixtures import Collector, pty_pair

NX = {
    "devices": [
        {
            "name": "nx1",
            "query": r"\x0201DRS,02,0001\r\n",
            "pattern": r"01DRS,OK,(?P<pv>[0-9A-F]{4}),(?P<sv>[0-9A-F]{4})",
            "channels": [
                {"group": "pv", "name": "oven_pv", "hex": True, "signed": True, "scale": 0.1},
                {"group": "sv", "name": "oven_sv", "hex": True, "scale": 0.1},
            ],
        }
    ]
}


def test_escapes_in_the_query_become_bytes() -> None:
    assert unescape(r"\x0201DRS\r\n") == b"\x0201DRS\r\n"


def test_regex_reply_with_signed_hex_and_scale() -> None:
    """A PC-LINK style reply: hex words, the PV negative in two's complement."""
    (device,) = parse_ascii_poll(NX)
    assert device.parse(b"\x0201DRS,OK,FF9C,00FA") == [("oven_pv", pytest.approx(-10.0)), ("oven_sv", 25.0)]
    assert device.parse(b"\x0201DRS,NG,01") is None


def test_line_format_reply() -> None:
    (device,) = parse_ascii_poll({"devices": [{"name": "d", "query": "?\\r", "format": "kv"}]})
    assert device.parse(b"t=21.5 rh=40") == [("d.t", 21.5), ("d.rh", 40.0)]


def test_config_mistakes_name_the_key() -> None:
    bad = {"devices": [{**NX["devices"][0], "channels": [{"group": "nope"}]}]}
    with pytest.raises(ConfigError, match=r"channels\[1\]\.group"):
        parse_ascii_poll(bad)
    with pytest.raises(ConfigError, match="pattern is not a valid"):
        parse_ascii_poll({"devices": [{"query": "x", "pattern": "(?P<a"}]})


def test_poller_queries_each_device_and_counts_a_silent_one(tmp_path) -> None:
    """Device nx1 answers every query; nx2 never does: nx1's values are stored, nx2's time-outs counted."""
    proc, device_end, host_end = pty_pair(tmp_path)
    silent = {**NX["devices"][0], "name": "nx2", "query": r"\x0202DRS,02,0001\r\n", "timeout": 0.2}
    # nx1 answers every query; 2 s leaves its answer time on a machine loaded by other work.
    answering = {**NX["devices"][0], "timeout": 2.0}
    devices = parse_ascii_poll({"interval": 0.1, "devices": [answering, silent]})
    stop = threading.Event()

    def responder() -> None:
        with serial.serial_for_url(device_end, timeout=0.05) as link:
            buf = b""
            while not stop.is_set():
                buf += link.read(64)
                while b"\r\n" in buf:
                    line, buf = buf.split(b"\r\n", 1)
                    if line == b"\x0201DRS,02,0001":
                        link.write(b"\x0201DRS,OK,00D7,00FA\r\n")

    t = threading.Thread(target=responder)
    t.start()
    got = Collector()
    poller = AsciiPoller(host_end, SerialSettings(9600), devices, got, got.event)
    poller.start()
    try:
        assert got.wait(lambda c: c.count("oven_pv") >= 3 and poller.diagnostics()[1].timeouts >= 2)
    finally:
        poller.stop()
        stop.set()
        t.join()
        proc.kill()
        proc.wait()
    assert all(v == pytest.approx(21.5) for v in got.values["oven_pv"])
    nx1, nx2 = poller.diagnostics()
    assert nx1.good >= 3 and nx1.timeouts == 0
    assert nx2.good == 0 and "no reply from nx2" in nx2.last_error
