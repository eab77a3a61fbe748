"""The demo: the simulated device, its channels, and a week of history so every view has data."""

from __future__ import annotations

import logging
import time

import numpy as np

from core.acquisition.ports import SerialSettings
from core.config import Config, PortConfig, load_config
from core.readings import ReadingBatch
from core.register_maps import TEMPLATES_DIR
from core.simulation.simulator import SimulatedDevice
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter

log = logging.getLogger(__name__)

DEMO_CHANNELS = 4
DEMO_RATE_HZ = 10
# One injected fault per 15-minute slot (85 % of slots): about one anomaly alarm every 20 minutes,
# within EEMUA 191's "about one alarm per 10 minutes" with the limit and predictive alarms added.
DEMO_ANOMALY_SPACING_S = 900
DEMO_PORT = f"sim://?channels={DEMO_CHANNELS}&rate={DEMO_RATE_HZ}&spacing={DEMO_ANOMALY_SPACING_S}"
BACKFILL_DAYS = 7
BACKFILL_STEP_S = 10.0


# The demo starts with the device's clock at 13:45: the temperature is over an hour before its daily
# peak and nearly halfway up its drift, so it reaches HIGH within the hour and the forecast sees
# that coming minutes after the start, whatever the time of day.
DEMO_START_HOUR = 13.75


def demo_clock_shift(now_s: float) -> float:
    """The device clock shift (seconds) that puts ``now_s`` at ``DEMO_START_HOUR`` device time."""
    return (DEMO_START_HOUR * 3600.0 - now_s) % 86_400.0


def demo_port(clock_shift_s: float = 0.0) -> str:
    return f"{DEMO_PORT}&shift={clock_shift_s:.0f}" if clock_shift_s else DEMO_PORT


def demo_device(
    clock_shift_s: float = 0.0, rate_hz: float = 1.0, channels: int = DEMO_CHANNELS
) -> SimulatedDevice:
    return SimulatedDevice(
        channels,
        rate_hz=rate_hz,
        clock_shift_s=round(clock_shift_s),
        anomaly_spacing_s=DEMO_ANOMALY_SPACING_S,
    )


# Limits for the simulated channels: the temperature's slow drift reaches HIGH within hours, so a
# forecast sees it coming and raises the predictive alarm first.
DEMO_ALARMS = {
    "channels": {
        "temperature": {"kind": "temperature", "span": [0.0, 100.0], "hh": 76.0, "h": 70.0, "l": 45.0},
        "pressure": {"kind": "pressure", "span": [0.0, 8.0], "h": 4.8, "l": 3.2, "ll": 2.5},
        "flow": {"kind": "flow", "span": [0.0, 250.0], "h": 175.0, "l": 60.0},
        "level": {"kind": "level", "span": [0.0, 100.0], "hh": 90.0, "h": 80.0, "l": 20.0},
    }
}


DEMO_FORECAST_CYCLE = "5min"


def demo_forecast_settings():
    """Small and quick, for the demo's automatic first model: a minute-by-minute hour ahead."""
    from core.forecast.settings import ForecastSettings

    return ForecastSettings(
        interval="1min",
        lookback=120,
        horizon=60,
        epochs=8,
        units=32,
        max_history_steps=6000,
        max_train_windows=3000,
    )


def demo_config(base: Config | None = None, clock_shift_s: float = 0.0) -> Config:
    """``base`` (or defaults) recording the simulated device, with its real channel names and units.

    ``clock_shift_s``: see :func:`demo_clock_shift`; the history backfill must use the same."""
    base = base or Config()
    extra = dict(base.extra)
    extra.setdefault("alarms", DEMO_ALARMS)
    # A forecast every few minutes: the hour-ahead forecast sees the HIGH crossing well before it
    # (an hourly cycle with an hour's horizon could see it only minutes ahead).
    extra.setdefault("forecast", {"cycle": DEMO_FORECAST_CYCLE})
    return Config(
        port=PortConfig(device=demo_port(clock_shift_s), settings=SerialSettings(115200)),
        channels=tuple(demo_device().channel_specs()),
        storage=base.storage,
        retention=base.retention,
        source=base.source,
        extra=extra,
    )


DEMO_BUS_CHANNELS = 8  # the simulated plant behind the Modbus demo's three slaves
DEMO_BUS_MAP = TEMPLATES_DIR / "simulated.toml"


def demo_bus_config(address: str, base: Config | None = None) -> Config:
    """``base`` recording the simulated Modbus bus at ``address`` (Modbus TCP, 127.0.0.1) with
    the register map in resources/modbus/simulated.toml, and the demo's alarms and forecasts."""
    base = base or Config()
    mapped = load_config(DEMO_BUS_MAP)
    extra = {**base.extra, "modbus": mapped.extra["modbus"]}
    extra.setdefault("alarms", DEMO_ALARMS)
    extra.setdefault("forecast", {"cycle": DEMO_FORECAST_CYCLE})
    return Config(
        port=PortConfig(device=address, protocol="modbus-tcp"),
        storage=base.storage,
        retention=base.retention,
        source=base.source,
        extra=extra,
    )


def start_demo_bus(clock_shift_s: float = 0.0):
    """Serve the simulated plant's three Modbus slaves on 127.0.0.1 (a free port); returns the
    running SimulatedBus (``.port`` is its address; ``stop()`` it on close)."""
    import socket

    from core.acquisition.modbus.transport import Protocol
    from core.simulation.demo_bus import demo_slaves
    from core.simulation.simulated_bus import SimulatedBus

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{s.getsockname()[1]}"
    device = demo_device(clock_shift_s, rate_hz=10.0, channels=DEMO_BUS_CHANNELS)
    bus = SimulatedBus(Protocol.MODBUS_TCP, address, demo_slaves(device=device))
    bus.start()
    return bus


def backfill_history(
    store: ReadingStore,
    until_s: float | None = None,
    days: float = BACKFILL_DAYS,
    step_s: float = BACKFILL_STEP_S,
    clock_shift_s: float = 0.0,
    writer: StoreWriter | None = None,
    timeout_s: float = 120.0,
    channels: tuple[str, ...] | None = None,
) -> int:
    """Fill the file with ``days`` of the simulated device's past (one reading per ``step_s``).

    Does nothing when the file already holds history from that far back; returns readings added,
    once they are committed. History ends just before ``until_s`` (when live recording began) or
    before the oldest reading.

    The readings go through ``writer`` — by default the store's running writer, the one recording
    live — so one writer owns every commit; with no writer running they are appended directly
    (the store serialises its commits either way).

    ``channels``: the simulated plant's channels to fill (the Modbus demo reads seven of its
    eight); by default the line demo's.
    """
    until_s = time.time() if until_s is None else until_s
    end = until_s - 1
    start = end - days * 86_400
    oldest_us = store.oldest_us()
    first = None if oldest_us is None else oldest_us / 1e6
    if first is not None and first <= start + 86_400:
        return 0
    if first is not None:
        end = min(end, first - 1)
    device = demo_device(clock_shift_s, 1.0 / step_s, DEMO_BUS_CHANNELS if channels else DEMO_CHANNELS)
    times, values = device.samples_between(start, end)
    if not len(times):
        return 0
    names = device.channel_names
    if channels:  # only these columns, so no other channel is created in the file
        keep = [i for i, name in enumerate(names) if name in channels]
        values, names = values[:, keep], tuple(names[i] for i in keep)
    n, k = values.shape
    ok = np.isfinite(values)
    ts = np.repeat((np.asarray(times) * 1e6).astype(np.int64), k).reshape(n, k)
    codes = np.tile(np.arange(k, dtype=np.int32), n).reshape(n, k)
    batch = ReadingBatch(ts[ok], codes[ok], values[ok], names)
    writer = writer or store.writer
    if writer is None:
        try:
            return store.append(batch)
        except Exception as exc:  # a full disk, say: the demo goes on without its history
            log.warning("demo history could not be stored: %s", exc)
            return 0
    ticket = writer.submit(batch)
    if not writer.wait_committed(ticket, timeout_s):
        # Still pending (the disk is full, say): the writer keeps it and the operator has been
        # told why by the writer itself.
        log.warning("demo history not yet committed after %.0f s; the writer keeps retrying", timeout_s)
        return 0
    return len(batch)
