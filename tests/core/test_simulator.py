"""The simulated sensor: deterministic lines, realistic rate and faults, sim:// and a real pty."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import serial

from core.acquisition.framing import LineFramer
from core.acquisition.parsing import LineParser
from core.acquisition.ports import PortError, SerialSettings, open_port
from core.simulation.simulator import AnomalyKind, SimulatedDevice, run_simulator

T0 = 1_750_000_000.0  # 2025-06-15 15:06:40 UTC


def _parse(parser: LineParser, data: bytes):
    lines = LineFramer().feed(data)
    return parser.parse(lines, np.zeros(len(lines), np.int64)), lines


def _first(device: SimulatedDevice, kind: AnomalyKind):
    return next(a for a in device.anomalies_between(T0, T0 + 6 * 3600) if a.kind is kind)


def test_same_seed_and_times_give_same_bytes():
    """Two devices with one seed send identical bytes, however the span is cut; seeds differ."""
    a, b = SimulatedDevice(6, 20.0, seed=3), SimulatedDevice(6, 20.0, seed=3)
    whole = a.lines_between(T0, T0 + 30)
    assert whole == b.lines_between(T0, T0 + 30)
    assert whole == b.lines_between(T0, T0 + 12.345) + b.lines_between(T0 + 12.345, T0 + 30)
    assert whole != SimulatedDevice(6, 20.0, seed=4).lines_between(T0, T0 + 30)


def test_ten_seconds_at_5_hz_are_50_samples_minus_dropouts():
    """Samples lie on multiples of 1/rate in (t0, t1]; only dropout windows remove lines."""
    device = SimulatedDevice(4, 5.0, seed=1)
    gap = _first(device, AnomalyKind.DROPOUT)
    t0 = float(np.floor(gap.start)) - 1.0
    times, _ = device.samples_between(t0, t0 + 10)
    expected = [k / 5 for k in range(round(t0 * 5) + 1, round(t0 * 5) + 51)]
    expected = [t for t in expected if not gap.covers(t)]
    assert 0 < len(times) < 50
    assert np.allclose(times, expected, rtol=0, atol=1e-6)
    assert len(SimulatedDevice(4, 5.0, seed=1, anomalies=False).lines_between(t0, t0 + 10)) == 50


@pytest.mark.parametrize("fmt", ["csv", "kv", "json"])
def test_every_format_parses_into_channel_names(fmt):
    """Each format parses with LineParser into exactly the device's channel names, no rejects."""
    device = SimulatedDevice(10, 10.0, fmt, seed=2)
    batch, lines = _parse(LineParser(), b"".join(device.lines_between(T0, T0 + 5, header=True)))
    assert set(batch.names) == set(device.channel_names)
    assert len(batch) == 10 * (len(lines) - (fmt == "csv"))
    assert "temperature_2" in device.channel_names and device.units["pressure"] == "bar"


def test_headerless_csv_maps_columns_with_channel_specs():
    """Without a header, the device's channel specs name the CSV columns."""
    device = SimulatedDevice(5, 10.0, seed=2)
    parser = LineParser(device.channel_specs())
    batch, _ = _parse(parser, b"".join(device.lines_between(T0, T0 + 3)))
    assert set(batch.names) == set(device.channel_names) and parser.rejected_total == 0


def test_spike_is_far_from_its_neighbours():
    """The sample at a scheduled spike differs from the surrounding median by most of its height."""
    device = SimulatedDevice(8, 10.0, seed=5)
    spike = _first(device, AnomalyKind.SPIKE)
    times, values = device.samples_between(spike.start - 5, spike.start + 5)
    column = values[:, device.channel_names.index(spike.channel)]
    at = int(np.argmin(np.abs(times - spike.start)))
    assert times[at] == spike.start and device.anomaly_at(spike.start) == spike
    jump = abs(column[at] - np.median(np.delete(column, at)))
    assert jump > 0.5 * abs(spike.magnitude) > 0


def test_step_shifts_the_level_for_its_window():
    """During a step the channel's mean moves by about the step size, then returns."""
    device = SimulatedDevice(8, 10.0, seed=5, drift_per_hour=0.0)
    step = _first(device, AnomalyKind.STEP)
    ch = device.channel_names.index(step.channel)
    before = device.samples_between(step.start - 10, step.start - 0.1)[1][:, ch].mean()
    during = device.samples_between(step.start, step.start + 10)[1][:, ch].mean()
    assert abs(during - before - step.magnitude) < 0.3 * abs(step.magnitude)
    assert 60 <= step.end - step.start <= 121


def test_stuck_window_repeats_one_value():
    """Inside a stuck window the channel sends one value, byte for byte; outside it varies."""
    device = SimulatedDevice(8, 10.0, "kv", seed=5)
    stuck = _first(device, AnomalyKind.STUCK)
    field = f"{stuck.channel}="

    def cells(t0, t1):
        return {ln.split(field.encode())[1].split()[0] for ln in device.lines_between(t0, t1)}

    assert len(cells(stuck.start - 0.05, stuck.end - 0.1)) == 1
    assert len(cells(stuck.end, stuck.end + 5)) > 1


def test_anomalies_come_every_few_minutes_and_can_be_disabled():
    """The schedule holds roughly one anomaly per few minutes, all kinds; none when disabled."""
    device = SimulatedDevice(4, 1.0, seed=9)
    found = device.anomalies_between(T0, T0 + 3 * 3600)
    assert 40 <= len(found) <= 62
    assert {a.kind for a in found} == set(AnomalyKind)
    assert SimulatedDevice(4, 1.0, seed=9, anomalies=False).anomalies_between(T0, T0 + 3600) == []


def test_8_channels_at_1000_hz_have_headroom():
    """Ten seconds of 8 channels at 1000 Hz take well under a second of CPU to generate (CPU time,
    not wall time: a loaded machine must not decide this)."""
    device = SimulatedDevice(8, 1000.0, seed=0)
    started = time.process_time()
    lines = device.lines_between(T0, T0 + 10)
    assert time.process_time() - started < 1.0 and len(lines) > 9000


def test_sim_url_yields_parseable_lines_quickly():
    """open_port("sim://?channels=3&rate=50") gives lines LineParser accepts within 0.5 s.

    Anomalies are off: a dropout scheduled at the wall-clock moment of the test would starve it.
    """
    port = open_port("sim://?channels=3&rate=50&anomalies=0", SerialSettings())
    parser, framer, lines = LineParser(), LineFramer(), []
    deadline = time.monotonic() + 0.5
    try:
        while time.monotonic() < deadline and len(lines) < 5:
            lines += framer.feed(port.read(4096))
    finally:
        port.close()
    parser.parse(lines, np.zeros(len(lines), np.int64))
    assert len(lines) >= 5 and parser.rejected_total == 0 and parser.lines_ok == len(lines)


def test_sim_port_sends_every_line_once_across_its_look_ahead():
    """The port computes a second of lines at a time: over 2.5 s the bytes read are exactly the
    device's own lines for that stretch, none repeated or skipped at a second's boundary."""
    before = time.time()
    port = open_port("sim://?channels=3&rate=50&anomalies=0", SerialSettings())
    data = b""
    try:
        while time.time() < before + 2.5:
            data += port.read(4096)
    finally:
        port.close()
    after = time.time()
    expected = b"".join(SimulatedDevice(3, 50.0, anomalies=False).lines_between(before - 1, after + 1))
    start = expected.find(data[: data.index(b"\n") + 1])
    assert start >= 0 and expected[start : start + len(data)] == data
    assert abs(data.count(b"\n") - 50 * (after - before)) <= 5


@pytest.mark.parametrize("query", ["rate=abc", "channels=0", "format=xml", "colour=red"])
def test_bad_sim_option_raises_clear_error(query):
    """A bad sim:// option is a SerialException naming the option, a PortError via open_port."""
    option = query.split("=")[0]
    with pytest.raises(serial.SerialException, match=option if option != "channels" else "channel"):
        serial.serial_for_url(f"sim://?{query}")
    with pytest.raises(PortError, match="sim://"):
        open_port(f"sim://?{query}", SerialSettings())


@pytest.mark.skipif(shutil.which("socat") is None, reason="socat is not installed")
def test_run_simulator_writes_to_a_pty_pair(tmp_path: Path):
    """run_simulator plays ~1 s of lines into one end of a pty pair; the other reads them."""
    a, b = tmp_path / "simA", tmp_path / "simB"
    socat = subprocess.Popen(
        ["socat", "-d", "-d", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 3
        while not (a.exists() and b.exists()) and time.monotonic() < deadline:
            time.sleep(0.01)
        reader = open_port(str(b), SerialSettings())
        result: list[int] = []
        worker = threading.Thread(
            target=lambda: result.append(
                run_simulator(str(a), SerialSettings(), 50.0, 3, "json", duration=1.0, anomalies=False)
            )
        )
        worker.start()
        framer, lines = LineFramer(), []
        while worker.is_alive():
            lines += framer.feed(reader.read(4096))
        # socat relays asynchronously: the last lines may still be on their way to B.
        deadline = time.monotonic() + 1.0
        while result and len(lines) < result[0] and time.monotonic() < deadline:
            lines += framer.feed(reader.read(4096))
        reader.close()
    finally:
        socat.terminate()
        socat.wait(timeout=5)
    parser = LineParser()
    parser.parse(lines, np.zeros(len(lines), np.int64))
    assert result and result[0] == len(lines) and 40 <= len(lines) <= 51
    assert parser.rejected_total == 0
