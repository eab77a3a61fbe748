"""Modbus benchmark: poll cycle time against the wire time, and a dead slave's cost to the others.

Prints figures and ratios, never fails on them (see STYLE.md):

1. 3 slaves x 10 holding registers polled back to back at 19200 Bd 8N1 over a socat pty pair
   (pymodbus's server on the other end): the measured cycle next to the wire time of the same
   frames computed from their sizes (10 bits a character, 3.5 characters of silence before each
   frame). A pty moves bytes without baud-rate pacing, so the measured time is the software's
   own cost (client, server, scheduling); the ratio says how far it stays under the wire time,
   and "wire + software" estimates a real line.
2. 3 slaves polled every 0.2 s; the rate of slaves 1 and 3 with none dead, then with slave 2
   muted (time-out 0.5 s, probed with back-off 2 s .. 10 s): target within 10 % of none dead.

    uv run python benchmarks/modbus.py [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.acquisition.modbus.poller import ModbusPoller
from core.acquisition.modbus.registers import Function, Point, Slave
from core.acquisition.modbus.transport import ModbusLink, Protocol
from core.acquisition.ports import SerialSettings
from core.readings import ReadingBatch
from core.simulation.simulated_bus import SimulatedBus, SimulatedSlave

BAUD = 19200
SETTINGS = SerialSettings(baudrate=BAUD, parity="N")
REGISTERS = 10


def wire_seconds(frame_bytes: int, baud: int = BAUD, bits_per_char: int = 10) -> float:
    """Time a frame takes on the line, with the 3.5-character silence that must precede it."""
    return (frame_bytes + 3.5) * bits_per_char / baud


def _pty(tmp: Path) -> tuple[subprocess.Popen, str, str]:
    tmp.mkdir(exist_ok=True)
    a, b = tmp / "a", tmp / "b"
    proc = subprocess.Popen(
        ["socat", f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while not (a.exists() and b.exists()):
        time.sleep(0.01)
    return proc, str(a), str(b)


class PacedRelay:
    """Joins two pty pairs and lets each byte through only after its time on a real line
    (10 bits a character at ``baud``), so a pty behaves like an RS485 segment at that speed."""

    def __init__(self, a: str, b: str, baud: int = BAUD) -> None:
        import serial

        self.links = [serial.Serial(a, timeout=0.01), serial.Serial(b, timeout=0.01)]
        self.char_s = 10 / baud
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._pump, args=(self.links[0], self.links[1]), daemon=True),
            threading.Thread(target=self._pump, args=(self.links[1], self.links[0]), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _pump(self, src, dst) -> None:
        due = 0.0
        while not self._stop.is_set():
            data = src.read(src.in_waiting or 1)
            if not data:
                continue
            due = max(due, time.perf_counter())
            for byte in data:  # hand each byte on once the line would have carried it
                due += self.char_s
                while time.perf_counter() < due:
                    pass
                dst.write(bytes([byte]))

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join()
        for link in self.links:
            link.close()


def _slaves(interval: float, timeout: float) -> tuple[Slave, ...]:
    return tuple(
        Slave(
            u,
            f"s{u}",
            tuple(Point(f"s{u}_r{i}", Function.HOLDING, i) for i in range(REGISTERS)),
            interval=interval,
            timeout=timeout,
            retries=0,
        )
        for u in (1, 2, 3)
    )


class _Count:
    def __init__(self) -> None:
        self.polls: Counter = Counter()
        self.lock = threading.Lock()

    def __call__(self, batch: ReadingBatch) -> None:
        with self.lock:
            for name in batch.names:
                if name.endswith("_r0"):
                    self.polls[name[:2]] += 1


def _run(port: str, slaves, seconds: float, **kw) -> tuple[Counter, float, ModbusPoller]:
    count = _Count()
    poller = ModbusPoller(ModbusLink(Protocol.MODBUS_RTU, port, SETTINGS), slaves, count, **kw)
    poller.start()
    t0 = time.perf_counter()
    time.sleep(seconds)
    with count.lock:
        polls = Counter(count.polls)
    elapsed = time.perf_counter() - t0
    poller.stop()
    return polls, elapsed, poller


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args()
    if shutil.which("socat") is None:
        print("socat is needed for the pty pair", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        proc, server_end, client_end = _pty(Path(tmp))
        images = [SimulatedSlave(u) for u in (1, 2, 3)]
        for s in images:
            s.set(Function.HOLDING, 0, list(range(100 * s.unit, 100 * s.unit + REGISTERS)))
        bus = SimulatedBus(Protocol.MODBUS_RTU, server_end, images, SETTINGS)
        bus.start()
        try:
            # 1. back-to-back cycles, on a line paced at 19200 Bd
            request, reply = 8, 5 + 2 * REGISTERS  # id fc addr(2) count(2) crc(2); id fc n data crc(2)
            wire_cycle = 3 * (wire_seconds(request) + wire_seconds(reply))
            seconds = 5.0 if args.quick else 15.0
            p2, relay_a, paced_end = _pty(Path(tmp) / "paced")
            relay = PacedRelay(client_end, relay_a)
            try:
                polls, elapsed, _ = _run(paced_end, _slaves(interval=0.001, timeout=1.0), seconds)
            finally:
                relay.close()
                p2.kill()
                p2.wait()
            cycles = min(polls.values())
            cycle = elapsed / max(cycles, 1)
            print(
                f"1. 3 slaves x {REGISTERS} registers at {BAUD} Bd 8N1 (pty + paced relay): {cycles} cycles"
            )
            print(f"   measured poll cycle:                        {cycle * 1000:7.1f} ms")
            print(f"   wire time of its frames (3 x {request}+{reply} bytes): {wire_cycle * 1000:7.1f} ms")
            print(
                f"   ratio:                                      {cycle / wire_cycle:7.2f}x  (target <= 1.3x)"
            )
            polls, elapsed, _ = _run(client_end, _slaves(interval=0.001, timeout=1.0), seconds)
            bare = elapsed / min(polls.values()) * 1000
            print(f"   the same on a bare pty (no pacing, software only): {bare:.1f} ms")
            # 2. a dead slave
            seconds = 10.0 if args.quick else 30.0
            kw = {"backoff_first": 2.0, "backoff_max": 10.0}
            alive, t_alive, _ = _run(client_end, _slaves(interval=0.2, timeout=0.5), seconds, **kw)
            bus.mute(2)
            dead, t_dead, poller = _run(client_end, _slaves(interval=0.2, timeout=0.5), seconds, **kw)
            bus.mute(2, False)
            r_alive = (alive["s1"] + alive["s3"]) / 2 / t_alive
            r_dead = (dead["s1"] + dead["s3"]) / 2 / t_dead
            d2 = poller.diagnostics()[1]
            print(f"2. slaves 1 and 3 polled every 0.2 s, {seconds:.0f} s each run")
            print(f"   rate with none dead:      {r_alive:6.2f} polls/s per slave")
            print(
                f"   rate with slave 2 dead:   {r_dead:6.2f} polls/s per slave "
                f"({(r_dead / r_alive - 1) * 100:+.1f} %, target within 10 %)"
            )
            print(f"   slave 2: {d2.requests} probes, {d2.timeouts} time-outs, state {d2.state.value}")
        finally:
            bus.stop()
            proc.kill()
            proc.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
