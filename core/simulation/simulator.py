"""A simulated multi-channel RS485 sensor: realistic, deterministic lines for demos and tests.

Every value is a pure function of (seed, absolute UTC time), so two runs with the same seed agree
byte for byte and a test can ask what was sent at any instant. The device only turns time into
lines; the ``sim://`` URL (``protocol_sim.py``) and :func:`run_simulator` (a real port) pace it.
"""

from __future__ import annotations

import contextlib
import math
import random
import threading
import time
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

import numpy as np
import serial

from core.acquisition.parsing import ChannelSpec
from core.acquisition.ports import PortError, SerialSettings, open_port

FORMATS = ("csv", "kv", "json")
MAX_CHANNELS = 64
MAX_RATE_HZ = 10_000.0
DEFAULT_DRIFT_PER_HOUR = 2.0  # first channel, in its unit per hour
DRIFT_RESET_S = 4 * 3600.0  # the drift restarts from zero, like a fouled exchanger after cleaning
ANOMALY_SLOT_S = 180.0  # at most one anomaly per slot: "one every few minutes" at any rate
ANOMALY_CHANCE = 0.85
_EPS = 1e-3  # in samples: absorbs float error of k / rate at epoch-sized times
_TICK_S = 0.02
_SLOT_CACHE = 16  # anomaly slots remembered (see SimulatedDevice._slot_anomaly)
_U64 = np.uint64
_MASK64 = (1 << 64) - 1


class _Kind(NamedTuple):
    name: str
    unit: str
    base: float
    daily: float  # amplitude of the daily cycle
    peak_hour: float  # UTC hour of the daily maximum
    wander: float  # amplitude of the slow, minutes-long wander
    noise: float  # standard deviation of the per-sample noise
    spike: float  # typical spike height
    step: float  # typical level shift
    decimals: int
    lo: float = -math.inf
    hi: float = math.inf


KINDS = (
    _Kind("temperature", "°C", 60.0, 5.0, 15.0, 0.5, 0.2, 15.0, 4.0, 2),
    _Kind("pressure", "bar", 4.0, 0.15, 9.0, 0.05, 0.02, 1.5, 0.4, 3, 0.0),
    _Kind("flow", "m3/h", 120.0, 15.0, 11.0, 4.0, 1.5, 60.0, 25.0, 1, 0.0),
    _Kind("level", "%", 55.0, 10.0, 20.0, 2.0, 0.3, 25.0, 8.0, 1, 0.0, 100.0),
    _Kind("vibration", "mm/s", 2.5, 0.3, 14.0, 0.3, 0.15, 8.0, 2.0, 2, 0.0),
    _Kind("humidity", "%", 45.0, 8.0, 4.0, 1.5, 0.5, 25.0, 8.0, 1, 0.0, 100.0),
    _Kind("current", "A", 12.0, 1.5, 13.0, 0.5, 0.1, 10.0, 3.0, 2, 0.0),
    _Kind("voltage", "V", 230.0, 2.0, 19.0, 1.5, 0.5, 40.0, 10.0, 1, 0.0),
)


class AnomalyKind(Enum):
    SPIKE = "spike"  # one sample far out
    STEP = "step"  # level shift for 1-2 minutes
    STUCK = "stuck"  # the same value repeated for about a minute
    DROPOUT = "dropout"  # no line at all for a few seconds


_DURATION_S = {
    AnomalyKind.STEP: (60.0, 120.0),
    AnomalyKind.STUCK: (45.0, 75.0),
    AnomalyKind.DROPOUT: (2.0, 8.0),
}


@dataclass(frozen=True, slots=True)
class Anomaly:
    """An injected fault covering samples at times ``start <= t < end`` (UTC seconds).

    Both ends are sample times, so ``start <= k / rate_hz < end`` is exact.
    """

    kind: AnomalyKind
    start: float
    end: float
    channel: str | None  # None: the whole device (dropout)
    magnitude: float = 0.0  # spike height or step size, in the channel's unit

    def covers(self, t: float) -> bool:
        return self.start <= t < self.end


def _normal(x: np.ndarray) -> np.ndarray:
    """Standard normal deviates from uint64 counters (splitmix64 + Box-Muller): random access."""
    z = x + _U64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
    z ^= z >> _U64(31)
    u1 = ((z >> _U64(32)).astype(np.float64) + 0.5) / 2.0**32
    u2 = ((z & _U64(0xFFFFFFFF)).astype(np.float64) + 0.5) / 2.0**32
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


class SimulatedDevice:
    """A sensor sending one line per sample at ``k / rate_hz`` seconds (UTC epoch), for every k."""

    def __init__(
        self,
        channels: int = 4,
        rate_hz: float = 1.0,
        fmt: str = "csv",
        seed: int = 0,
        anomalies: bool = True,
        drift_per_hour: float | None = None,
        clock_shift_s: float = 0.0,
        anomaly_spacing_s: float = ANOMALY_SLOT_S,
    ) -> None:
        """``anomaly_spacing_s``: at most one anomaly in each slot of this many seconds (at least
        130, so the longest fault fits in its slot).

        ``clock_shift_s`` moves the device's daily cycle and drift along the clock: the signal
        sent at time t is the one an unshifted device sends at t + shift (anomalies stay put)."""
        if not isinstance(channels, int | np.integer) or not 1 <= channels <= MAX_CHANNELS:
            raise ValueError(f"the channel count must be 1 to {MAX_CHANNELS}, got {channels!r}")
        if not (isinstance(rate_hz, int | float) and 0 < rate_hz <= MAX_RATE_HZ):
            raise ValueError(
                f"the sample rate must be above 0 and at most {MAX_RATE_HZ:g} Hz, got {rate_hz!r}"
            )
        if fmt not in FORMATS:
            raise ValueError(f"the line format must be csv, kv or json, got {fmt!r}")
        if not (isinstance(anomaly_spacing_s, int | float) and anomaly_spacing_s >= 130.0):
            raise ValueError(f"the anomaly spacing must be at least 130 s, got {anomaly_spacing_s!r}")
        self.anomaly_spacing_s = float(anomaly_spacing_s)
        self.rate_hz = float(rate_hz)
        self.fmt = fmt
        self.seed = seed
        self.anomalies = anomalies
        self.drift_per_hour = DEFAULT_DRIFT_PER_HOUR if drift_per_hour is None else drift_per_hour
        self.clock_shift_s = float(clock_shift_s)
        kinds = [KINDS[i % len(KINDS)] for i in range(channels)]
        self.channel_names: tuple[str, ...] = tuple(
            k.name if i < len(KINDS) else f"{k.name}_{i // len(KINDS) + 1}" for i, k in enumerate(kinds)
        )
        self.units: dict[str, str] = {n: KINDS[i % len(KINDS)].unit for i, n in enumerate(self.channel_names)}
        self._index = {n: i for i, n in enumerate(self.channel_names)}
        self._kinds = kinds
        rng = random.Random(f"watchkeeper-sim:{seed}")
        # Repeated kinds get their own operating point, so temperature_2 is no copy of temperature.
        spread = np.array([1.0 if i < len(KINDS) else rng.uniform(0.9, 1.1) for i in range(channels)])
        base, daily, peak, wander, noise = np.array([k[2:7] for k in kinds]).T
        self._base, self._daily, self._peak = base * spread, daily, peak / 24.0
        self._wander, self._noise = wander, noise
        self._lo, self._hi = np.array([k.lo for k in kinds]), np.array([k.hi for k in kinds])
        periods = [[rng.uniform(300, 900), rng.uniform(1800, 5400)] for _ in kinds]
        self._omega = 2 * np.pi / np.array(periods)
        self._phase = np.array([[rng.uniform(0, 2 * np.pi) for _ in range(2)] for _ in kinds])
        self._key = _U64((seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK64)
        # One %-template per line keeps formatting at C speed: no per-value Python code.
        cells = [f"%.{k.decimals}f" for k in kinds]
        named = list(zip(self.channel_names, cells, strict=True))
        template = {
            "csv": ",".join(cells),
            "kv": " ".join(f"{n}={c}" for n, c in named),
            "json": "{" + ", ".join(f'"{n}": {c}' for n, c in named) + "}",
        }[fmt]
        self._template = (template + "\r\n").encode("ascii")
        self._slot_cache: dict[int, Anomaly | None] = {}

    # -- description --------------------------------------------------------------------------
    def header_line(self) -> bytes:
        """The CSV header naming the columns, terminated like the data lines."""
        return (",".join(self.channel_names) + "\r\n").encode("ascii")

    def channel_specs(self) -> list[ChannelSpec]:
        """Parser mapping for this device: CSV columns by number (works without a header)."""
        return [
            ChannelSpec(i + 1 if self.fmt == "csv" else n, n, self.units[n])
            for i, n in enumerate(self.channel_names)
        ]

    # -- anomaly schedule ---------------------------------------------------------------------
    def _slot_anomaly(self, slot: int) -> Anomaly | None:
        """The anomaly scheduled in ``slot`` (a pure function of seed and slot), remembered: a
        paced device asks for the same two or three slots every second."""
        cache = self._slot_cache
        if slot in cache:
            return cache[slot]
        if len(cache) >= _SLOT_CACHE:
            del cache[next(iter(cache))]
        cache[slot] = anomaly = self._draw_anomaly(slot)
        return anomaly

    def _draw_anomaly(self, slot: int) -> Anomaly | None:
        rng = random.Random(f"watchkeeper-anomaly:{self.seed}:{slot}")
        if rng.random() > ANOMALY_CHANCE:
            return None
        kind = rng.choices(list(AnomalyKind), weights=(35, 25, 20, 20))[0]
        ch = rng.randrange(len(self.channel_names))
        # Starts early enough that the longest window still ends inside its slot: no overlaps.
        raw = slot * self.anomaly_spacing_s + rng.uniform(2.0, self.anomaly_spacing_s - 122.0)
        k0 = math.ceil(raw * self.rate_hz - _EPS)
        if kind is AnomalyKind.SPIKE:
            k1 = k0 + 1
        else:
            end = raw + rng.uniform(*_DURATION_S[kind])
            k1 = max(math.ceil(end * self.rate_hz - _EPS), k0 + 1)
        size = {AnomalyKind.SPIKE: self._kinds[ch].spike, AnomalyKind.STEP: self._kinds[ch].step}
        sign, scale = rng.choice((-1.0, 1.0)), rng.uniform(0.7, 1.0)
        magnitude = sign * scale * size[kind] if kind in size else 0.0
        channel = None if kind is AnomalyKind.DROPOUT else self.channel_names[ch]
        return Anomaly(kind, k0 / self.rate_hz, k1 / self.rate_hz, channel, magnitude)

    def anomalies_between(self, t0: float, t1: float) -> list[Anomaly]:
        """Scheduled anomalies whose window overlaps ``[t0, t1]``, in time order."""
        if not self.anomalies:
            return []
        every = self.anomaly_spacing_s
        first, last = math.floor(t0 / every) - 1, math.floor(t1 / every)
        found = (self._slot_anomaly(j) for j in range(first, last + 1))
        return [a for a in found if a is not None and a.end > t0 and a.start <= t1]

    def anomaly_at(self, t: float) -> Anomaly | None:
        """The anomaly affecting the sample at time ``t``, if any."""
        return next((a for a in self.anomalies_between(t, t) if a.covers(t)), None)

    # -- signals ------------------------------------------------------------------------------
    def _clean(self, k: np.ndarray) -> np.ndarray:
        """Values (samples x channels) at sample indices ``k`` before anomalies and clipping."""
        t = k / self.rate_hz + self.clock_shift_s
        day = (t % 86400.0) / 86400.0
        values = self._base + self._daily * np.cos(2 * np.pi * (day[:, None] - self._peak))
        slow = np.sin(t[:, None, None] * self._omega + self._phase).sum(axis=2)
        values += 0.5 * self._wander * slow
        counters = (
            k.astype(_U64)[:, None] * _U64(len(self._kinds))
            + np.arange(len(self._kinds), dtype=_U64)
            + self._key
        )
        values += self._noise * _normal(counters)
        values[:, 0] += self.drift_per_hour * (t % DRIFT_RESET_S) / 3600.0
        return values

    def slot(self, t: float) -> int:
        """The number of the last sample due at or before ``t`` (UTC seconds); sample ``k`` is due
        at ``k / rate_hz``."""
        return math.floor(t * self.rate_hz + _EPS)

    def samples_between(self, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
        """Times (UTC seconds) and values (samples x channels) of the lines sent in ``(t0, t1]``."""
        k, values = self.numbered_samples_between(t0, t1)
        return k / self.rate_hz, values

    def numbered_samples_between(self, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
        """Sample numbers (see :meth:`slot`) and values of the lines sent in ``(t0, t1]``."""
        k_lo = self.slot(t0) + 1
        k_hi = self.slot(t1)
        k = np.arange(k_lo, max(k_hi + 1, k_lo), dtype=np.int64)
        if not len(k):
            return np.empty(0), np.empty((0, len(self._kinds)))
        values = self._clean(k)
        keep = np.ones(len(k), bool)
        for a in self.anomalies_between(k_lo / self.rate_hz, k_hi / self.rate_hz):
            a0, a1 = round(a.start * self.rate_hz), round(a.end * self.rate_hz)
            rows = slice(max(a0 - k_lo, 0), max(a1 - k_lo, 0))
            if a.kind is AnomalyKind.DROPOUT:
                keep[rows] = False
                continue
            ch = self._index[a.channel]
            if a.kind is AnomalyKind.STUCK:
                values[rows, ch] = self._clean(np.array([a0], np.int64))[0, ch]
            else:
                values[rows, ch] += a.magnitude
        np.clip(values, self._lo, self._hi, out=values)
        return k[keep], values[keep]

    def lines_between(self, t0: float, t1: float, header: bool = False) -> list[bytes]:
        """Lines (ending ``\\r\\n``) for samples in ``(t0, t1]``; CSV header first when asked."""
        _, values = self.samples_between(t0, t1)
        lines = self.lines_of(values)
        return [self.header_line(), *lines] if header and self.fmt == "csv" else lines

    def lines_of(self, values: np.ndarray) -> list[bytes]:
        """The lines (ending ``\\r\\n``) the device sends for ``values`` (samples x channels)."""
        template = self._template
        return [template % tuple(row) for row in values.tolist()]


def run_simulator(
    port: str,
    settings: SerialSettings,
    rate_hz: float = 10.0,
    channels: int = 4,
    fmt: str = "csv",
    duration: float | None = None,
    stop: threading.Event | None = None,
    seed: int = 0,
    *,
    anomalies: bool = True,
    header: bool = False,
) -> int:
    """Play a :class:`SimulatedDevice` on a real port in real time; return the data lines written.

    Runs until ``duration`` seconds have passed or ``stop`` is set (forever if neither is given).
    Raises :class:`PortError` if the port cannot be opened or the other end goes away.
    """
    device = SimulatedDevice(channels, rate_hz, fmt, seed, anomalies)
    link = open_port(port, settings)
    pause = time.sleep if stop is None else stop.wait
    written, last = 0, time.time()
    end = math.inf if duration is None else last + duration
    try:
        if header and fmt == "csv":
            _write(link, port, device.header_line())
        while True:
            finished = stop is not None and stop.is_set()
            now = min(time.time(), end)
            if now > last:  # a wall clock stepped backwards just waits
                lines = device.lines_between(last, now)
                if lines:
                    _write(link, port, b"".join(lines))
                written, last = written + len(lines), now
            if finished or now >= end:
                return written
            pause(_TICK_S)
    finally:
        with contextlib.suppress(serial.SerialException, OSError):
            link.close()


def _write(link: serial.SerialBase, port: str, data: bytes) -> None:
    try:
        link.write(data)
    except (serial.SerialException, OSError) as exc:
        reason = str(exc).rstrip(".") or type(exc).__name__
        raise PortError(f"The simulator lost {port} while writing ({reason}).") from exc
