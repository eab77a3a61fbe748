"""Forecasting benchmark: training time and single-forecast latency, in one run.

Prints figures and ratios, never fails on them (as the other benchmarks):

1. training: 30 days of 1-minute readings of a synthetic plant sensor (daily cycle, weather-like
   drift, noise, a level step) stored in a fresh database, trained through
   ``Forecaster.train_channel`` with the default settings (lookback 336, horizon 60) —
   target ≤ 60 s on a 2-core PC;
2. latency of one forecast after warm-up: the numpy forward pass Watchkeeper uses, next to Keras
   ``model.predict``, a direct ``model(x)`` call, a ``tf.function`` and an XLA-compiled
   ``tf.function`` of the same network — target ≤ 1 ms;
3. one forecast cycle from the database (query, forecast, forecasts table, Prediction.csv).

    uv run python benchmarks/forecast.py [--days 30] [--runs 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.forecast import Forecaster, ForecastSettings  # noqa: E402
from core.readings import ReadingBatch  # noqa: E402
from core.storage.store import ReadingStore  # noqa: E402

START_US = 1_767_225_600_000_000  # 2026-01-01 00:00 UTC
MINUTE_US = 60_000_000
TARGET_TRAIN_S = 60.0
TARGET_FORECAST_MS = 1.0


def plant_sensor(minutes: int, seed: int = 0) -> np.ndarray:
    """A boiler-temperature-like series: daily cycle, slow AR(1) drift, noise and one level step."""
    rng = np.random.default_rng(seed)
    t = np.arange(minutes)
    daily = 4.0 * np.sin(2 * np.pi * t / 1440) + 1.5 * np.sin(4 * np.pi * t / 1440 + 1.0)
    drift = np.zeros(minutes)
    shocks = rng.normal(0, 0.05, minutes)
    for i in range(1, minutes):
        drift[i] = 0.999 * drift[i - 1] + shocks[i]
    step = np.where(t > minutes * 0.6, 3.0, 0.0)
    return 60.0 + daily + drift + step + rng.normal(0, 0.3, minutes)


def timed(fn: Callable[[], object], runs: int, warmup: int = 20) -> float:
    """Median seconds of one call after warm-up."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=float, default=30.0, help="days of 1-minute history to train on")
    parser.add_argument("--runs", type=int, default=2000, help="timed single forecasts per method")
    args = parser.parse_args()
    minutes = int(args.days * 1440)
    print(f"CPU cores: {os.cpu_count()}   history: {args.days:g} days of 1-minute data ({minutes} steps)")

    with tempfile.TemporaryDirectory() as tmp:
        db, models = Path(tmp) / "bench.duckdb", Path(tmp) / "models"
        values = plant_sensor(minutes)
        ts = START_US + np.arange(minutes, dtype=np.int64) * MINUTE_US
        now = int(ts[-1] + MINUTE_US)
        with ReadingStore(db) as store:
            store.append(ReadingBatch(ts, np.zeros(minutes, np.int32), values, ("boiler_temperature",)))
            forecaster = Forecaster(models)
            settings = ForecastSettings()

            # 1. training ---------------------------------------------------------------------------
            epochs: list[float] = []
            t0 = time.perf_counter()
            t_import = time.perf_counter()
            import tensorflow as tf

            import_s = time.perf_counter() - t_import
            started = time.perf_counter()
            result = forecaster.train_channel(
                store,
                "boiler_temperature",
                settings,
                progress=lambda *a: epochs.append(time.perf_counter()),
                now=now,
            )
            train_s = time.perf_counter() - started
            info = result.info
            t = info.training
            print("\n1. Training (Forecaster.train_channel, defaults: lookback 336, horizon 60, 1 min)")
            print(f"   TensorFlow import          {import_s:8.2f} s   (once per session, not counted below)")
            print(
                f"   training                   {train_s:8.2f} s   target <= {TARGET_TRAIN_S:.0f} s   "
                f"ratio {train_s / TARGET_TRAIN_S:.2f} of target"
            )
            per_epoch = np.diff([started, *epochs])
            print(
                f"   epochs                     {t['epochs']:8d}     best {t['best_epoch']}, "
                f"first {per_epoch[0]:.2f} s (graph tracing), then {np.median(per_epoch[1:]):.2f} s each"
            )
            print(
                f"   windows                    {t['train_windows']:8d}     "
                f"training (stride {t['train_stride']}), "
                f"{t['validation_windows']} validation"
            )
            m = info.metrics
            print(
                f"   validation MAE             {m['validation']['mae']:8.4f}     "
                f"persistence {m['persistence']['mae']:.4f}, "
                f"seasonal naive {m['seasonal_naive']['mae']:.4f}, skill {m['skill']:+.3f}, "
                f"LSTM weight {info.blend:g}, seasonal weight {info.seasonal_weight:g}"
            )

            # 2. latency -----------------------------------------------------------------------------
            from core.forecast.inference import keras_model, xla_predictor

            saved = forecaster.load("boiler_temperature")
            history = values[-info.history_steps :]
            window_z = info.scaler.transform(values[-info.lookback :]).astype(np.float32)
            batch = window_z.reshape(1, -1)
            model = keras_model(info.arch, saved.weights)
            plain = tf.function(
                lambda x: model(x, training=False), input_signature=[tf.TensorSpec((1, info.lookback))]
            )
            xla = xla_predictor(model, info.blend)
            numpy_fast = saved.forecaster
            methods = [
                ("numpy forward pass (used)", lambda: numpy_fast.predict(window_z)),
                ("numpy + seasonal + bands", lambda: saved.forecast(history)),
                ("XLA tf.function", lambda: xla(window_z)),
                ("tf.function", lambda: plain(batch)),
                ("model(x) eager", lambda: model(batch, training=False)),
                ("model.predict", lambda: model.predict(batch, verbose=0)),
            ]
            print("\n2. One forecast after warm-up (median)")
            times = {}
            for name, fn in methods:
                runs = (
                    args.runs if "predict" not in name and "eager" not in name else max(20, args.runs // 20)
                )
                times[name] = timed(fn, runs)
            fast = times["numpy forward pass (used)"]
            for name, sec in times.items():
                print(f"   {name:<27} {sec * 1000:8.3f} ms   {sec / fast:7.1f}x the numpy path")
            print(
                f"   target <= {TARGET_FORECAST_MS:g} ms: numpy path {fast * 1000:.3f} ms "
                f"(ratio {fast * 1000 / TARGET_FORECAST_MS:.2f}); model.predict is "
                f"{times['model.predict'] / fast:.0f}x slower"
            )
            out = xla(window_z)
            ref = (
                info.blend * model(batch)["lstm"].numpy()[0]
                + (1 - info.blend) * model(batch)["linear"].numpy()[0]
            )
            print(
                f"   max |numpy - keras|        {np.abs(numpy_fast.predict(window_z) - ref).max():.2e}   "
                f"max |xla - keras| {np.abs(out - ref).max():.2e} (z units)"
            )

            # 3. cycle -------------------------------------------------------------------------------
            csv = Path(tmp) / "Prediction.csv"
            cycle_s = timed(lambda: forecaster.predict_cycle(store, out_csv=csv, now=now), 20, warmup=2)
            print("\n3. One forecast cycle (history query, forecast, forecasts table, Prediction.csv)")
            print(f"   1 channel                  {cycle_s * 1000:8.1f} ms")
    print(f"\nTotal {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
