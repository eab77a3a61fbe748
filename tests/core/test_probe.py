"""The port test: raw lines, parsed values and a verdict in plain words."""

import threading

import pytest

from core.acquisition.ports import PortError, SerialSettings
from core.acquisition.probe import probe_port


def test_probe_shows_raw_lines_values_and_a_good_verdict(cable):
    """Valid lines during the test give their channels, values and a 'looks right' verdict."""
    threading.Timer(0.3, cable.write_b, [b"temp=21.5 hum=40\r\n" * 5]).start()
    updates = []
    report = probe_port(cable.a, SerialSettings(9600), seconds=1.0, on_update=updates.append)
    assert report.ok and report.verdict.startswith("Looks right: 5 of 5 lines")
    assert report.values == {"temp": 21.5, "hum": 40.0}
    assert report.raw[-1] == "temp=21.5 hum=40"
    assert updates and updates[-1].finished


def test_probe_says_no_data_in_plain_words(cable):
    """A silent port: the operator is told to check wiring, power and port."""
    report = probe_port(cable.a, SerialSettings(), seconds=0.3)
    assert not report.ok and report.verdict.startswith("No data arrived in 0.3 s")


def test_probe_recognises_garbage_as_a_probable_baud_mismatch(cable):
    """Bytes that are not text suggest the wrong baud rate."""
    threading.Timer(0.2, cable.write_b, [b"\xf0\x8f\xff\x13\n" * 20]).start()
    report = probe_port(cable.a, SerialSettings(), seconds=0.8)
    assert not report.ok and "probably the wrong baud rate" in report.verdict
    assert report.raw and ("·" in report.raw[0] or "\ufffd" in report.raw[0])


def test_probe_of_a_missing_port_raises_a_clear_error(tmp_path):
    """A port that is not there fails before listening, with a sentence."""
    with pytest.raises(PortError, match="was not found"):
        probe_port(str(tmp_path / "nope"), SerialSettings(), seconds=0.2)


def test_cable_pulled_during_the_test_is_one_sentence(cable):
    """Unplugging the cable while the Test button listens ends the probe with a PortError
    sentence naming the port, never with pyserial's own exception."""
    import time

    outcome = []

    def run():
        try:
            probe_port(cable.a, SerialSettings(115200), seconds=5.0)
            outcome.append(None)
        except Exception as exc:
            outcome.append(exc)

    t = threading.Thread(target=run)
    t.start()
    cable.write_b(b"a=1\n")
    time.sleep(0.3)
    cable.unplug()
    t.join(10)
    assert isinstance(outcome[0], PortError) and cable.a in str(outcome[0])
