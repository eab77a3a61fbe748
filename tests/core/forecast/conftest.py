"""Shared material for the forecasting tests: tiny settings, synthetic series, a store with history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.forecast.settings import ForecastSettings
from core.readings import ReadingBatch
from core.storage.store import ReadingStore

T0_US = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z
MINUTE_US = 60_000_000

# A model small enough to train in about a second: the tests check behaviour, not accuracy.
TINY = ForecastSettings(
    interval="1min",
    lookback=24,
    horizon=6,
    max_gap_steps=3,
    seasonal_period="1h",
    units=8,
    epochs=4,
    patience=2,
    batch_size=64,
    learning_rate=0.01,
)


def sine(n: int, period: float = 60.0, noise: float = 0.0, seed: int = 0, level: float = 20.0) -> np.ndarray:
    """A noisy sine: the kind of daily-cycle sensor value the forecaster is built for."""
    rng = np.random.default_rng(seed)
    return level + 5 * np.sin(2 * np.pi * np.arange(n) / period) + noise * rng.standard_normal(n)


def fill_store(
    store: ReadingStore, channel: str, values: np.ndarray, every_s: int = 20, start_us: int = T0_US
) -> None:
    """Store ``values`` as one-minute means: three readings a minute around each value."""
    records = []
    for i, v in enumerate(values):
        for j, offset in enumerate((-0.1, 0.0, 0.1)):
            records.append((start_us + i * MINUTE_US + j * every_s * 1_000_000, channel, float(v + offset)))
    store.append(ReadingBatch.from_records(records))


@pytest.fixture
def tiny() -> ForecastSettings:
    return TINY


@pytest.fixture
def history_db(tmp_path: Path) -> Path:
    """A database with 900 minutes of a noisy sine in channel 'temp' and a short channel 'short'."""
    path = tmp_path / "plant.duckdb"
    with ReadingStore(path) as store:
        fill_store(store, "temp", sine(900, noise=0.2))
        fill_store(store, "short", sine(30))
    return path


@pytest.fixture(scope="session")
def tiny_model():
    """One tiny model of channel 'temp' (the same series as history_db's), trained once per session.

    Returns ``(model, progress_calls)``.
    """
    from core.forecast.pipeline import train_series
    from core.forecast.transform import RegularSeries

    calls: list[tuple[int, float, float]] = []
    series = RegularSeries(T0_US, MINUTE_US, sine(900, noise=0.2))
    model = train_series(series, "temp", TINY, progress=lambda *a: calls.append(a))
    return model, calls
