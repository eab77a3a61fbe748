"""The forecasting API the window's worker thread and the command line use.

>>> fc = Forecaster(models_dir)                          # doctest: +SKIP
>>> result = fc.train_channel(store, "boiler_temperature", progress=print, cancel=event)
>>> cycle = fc.predict_cycle(store, out_csv="Prediction.csv")
>>> cycle.frame, cycle.skipped                            # rows written, {channel: reason}

Training imports TensorFlow (on the calling thread, the first time); loading models and forecasting
need numpy only. Errors the operator can fix are :class:`~core.forecast.errors.ForecastError`
subclasses with a one-sentence message; in a cycle they skip that channel, never the cycle.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from core.forecast.artifacts import ModelInfo, SavedModel, load_model, model_path, save_model, scan_models
from core.forecast.cycle import empty_frame, store_forecasts, write_prediction_csv
from core.forecast.dataset import human_duration
from core.forecast.errors import ForecastError
from core.forecast.pipeline import ChannelForecast, forecast_series, train_series
from core.forecast.settings import ForecastConfig, ForecastSettings
from core.forecast.source import channel_history
from core.forecast.train import Progress
from core.messages import Message, MessageId

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

log = logging.getLogger(__name__)


def default_models_dir() -> Path:
    from core.paths import data_dir

    return data_dir() / "models"


def _now_us(now: object | None) -> int:
    """``now`` as UTC microseconds: ``None`` is the clock, an int is already microseconds."""
    if now is None:
        return time.time_ns() // 1000
    if isinstance(now, int):
        return now
    stamp = pd.Timestamp(now)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return int(stamp.value // 1000)


@dataclass
class TrainResult:
    """A trained and saved model."""

    channel: str
    path: Path
    info: ModelInfo

    @property
    def skill(self) -> float:
        """``1 - MAE_model / MAE_persistence`` on the validation windows."""
        return float(self.info.metrics["skill"])

    def summary(self) -> list[str]:
        """Lines for the operator: what was trained, how it scores against the naive forecasts."""
        i, t, m = self.info, self.info.training, self.info.metrics
        period = human_duration(t["seasonal_period_steps"] * i.step_us)
        rows = (
            (f"model (LSTM {i.blend:g}, seasonal {i.seasonal_weight:g})", m["validation"]),
            ("persistence", m["persistence"]),
            (f"seasonal naive ({period})", m["seasonal_naive"]),
        )
        lines = [
            f"Trained '{self.channel}' ({i.interval}, lookback {i.lookback}, horizon {i.horizon}) on "
            f"{t['start'][:16]} to {t['end'][:16]} UTC ({t['steps']} steps) in {t['seconds']:.1f} s, "
            f"{t['epochs']} epochs (best {t['best_epoch']}).",
            f"Validation on {t['validation_windows']} windows:   {'MAE':>10} {'RMSE':>10}",
        ]
        lines += [f"  {name:<30} {s['mae']:>10.4g} {s['mse'] ** 0.5:>10.4g}" for name, s in rows]
        lines.append(f"Skill vs persistence: {m['skill']:+.3f} (above 0 beats repeating the last value).")
        lines.append(f"Saved to {self.path}")
        return lines


@dataclass
class CycleResult:
    """What one forecast cycle produced."""

    generated_at: pd.Timestamp
    frame: pd.DataFrame  # Prediction.csv's rows, every channel
    forecasts: dict[str, ChannelForecast] = field(default_factory=dict)
    # channel → reason ("*": no models at all); str() of a reason is its English sentence
    skipped: dict[str, Message] = field(default_factory=dict)
    stale: dict[str, str] = field(default_factory=dict)  # forecast made, but from old readings
    csv_path: Path | None = None
    stored_rows: int = 0
    seconds: float = 0.0


class Forecaster:
    """Trains, keeps and runs one model per channel, saved in ``models_dir``.

    Use one instance from one thread at a time (the window's forecast worker); ``load`` caches
    models and notices when a file is replaced.
    """

    def __init__(self, models_dir: str | Path | None = None, config: ForecastConfig | None = None) -> None:
        self.config = config or ForecastConfig()
        self.models_dir = Path(models_dir or self.config.models_dir or default_models_dir())
        self._cache: dict[str, tuple[int, SavedModel]] = {}
        self._lock = threading.Lock()

    def settings_for(self, channel: str) -> ForecastSettings:
        return self.config.settings_for(channel)

    # -- training -----------------------------------------------------------------------------
    def train_channel(
        self,
        store: ReadingStore,
        channel: str,
        settings: ForecastSettings | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        now: object | None = None,
    ) -> TrainResult:
        """Train ``channel`` on its newest history and save the model (replacing any earlier one).

        Raises :class:`NotEnoughHistory` (the message says how much is needed),
        :class:`TrainingCancelled` when ``cancel`` is set (nothing saved), :class:`ForecastInputError`
        for an unknown channel.
        """
        settings = settings or self.settings_for(channel)
        series = channel_history(
            store, channel, settings.step_us, settings.max_gap_steps, settings.max_history_steps, _now_us(now)
        )
        model = train_series(series, channel, settings, progress, cancel, source=f"database {store.path}")
        path = save_model(self.models_dir, model.info, model.weights)
        with self._lock:
            self._cache.pop(channel, None)
        return TrainResult(channel, path, model.info)

    # -- models -------------------------------------------------------------------------------
    def model_channels(self) -> dict[str, Path]:
        """Channels with a usable-looking model file (see :meth:`model_problems` for the others)."""
        return scan_models(self.models_dir)[0]

    def model_problems(self) -> dict[str, Message]:
        """Model files that name no channel or the wrong one: file stem → what is wrong."""
        return scan_models(self.models_dir)[1]

    def load(self, channel: str) -> SavedModel:
        """The channel's model (cached until its file changes); :class:`ModelError` if missing or damaged."""
        path = model_path(self.models_dir, channel)
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            stamp = -1
        with self._lock:
            cached = self._cache.get(channel)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        model = load_model(path, channel)
        with self._lock:
            self._cache[channel] = (stamp, model)
        return model

    # -- forecasting --------------------------------------------------------------------------
    def forecast_channel(
        self, store: ReadingStore, channel: str, now: object | None = None
    ) -> ChannelForecast:
        """Forecast one channel from its newest complete buckets before ``now``."""
        model = self.load(channel)
        info = model.info
        series = channel_history(
            store,
            channel,
            info.step_us,
            info.max_gap_steps,
            info.history_steps + info.max_gap_steps + 1,
            _now_us(now),
        )
        return forecast_series(model, series, channel)

    def predict_cycle(
        self,
        store: ReadingStore,
        channels: list[str] | None = None,
        out_csv: str | Path | None = None,
        now: object | None = None,
    ) -> CycleResult:
        """Forecast every channel (default: those in the config, else all with a model), store the rows
        in ``forecasts`` and, with ``out_csv``, replace that Prediction.csv atomically.

        A channel that cannot be forecast is listed in ``skipped`` with the reason; the CSV write can
        raise :class:`ForecastError` (after the rows are stored).
        """
        started = time.perf_counter()
        now_us = _now_us(now)
        generated = pd.Timestamp(now_us, unit="us", tz="UTC").floor("s")
        wanted = list(channels or self.config.channels or self.model_channels())
        result = CycleResult(generated, empty_frame())
        if not channels and not self.config.channels:
            result.skipped.update(self.model_problems())  # a broken file is said, not skipped
        if not wanted and not result.skipped:
            result.skipped["*"] = Message.of(MessageId.NO_MODELS, folder=str(self.models_dir))
        frames, names = [], {}
        for channel in wanted:
            try:
                fc = self.forecast_channel(store, channel, now_us)
            except ForecastError as exc:
                result.skipped[channel] = exc.message
                continue
            except ValueError as exc:  # e.g. a model whose shape disagrees with its own metadata
                log.warning("the model of channel %r cannot be used: %s", channel, exc)
                result.skipped[channel] = Message.of(
                    MessageId.MODEL_UNUSABLE, channel=channel, detail=str(exc)
                )
                continue
            result.forecasts[channel] = fc
            frames.append(fc.frame(generated))
            names[channel] = fc.model
            model = self.load(channel)
            age = now_us - (int(fc.last_data.value // 1000) + model.info.step_us)
            if age > (model.info.max_gap_steps + 1) * model.info.step_us:
                result.stale[channel] = (
                    f"The newest reading of '{channel}' is from {fc.last_data:%Y-%m-%d %H:%M} UTC, "
                    f"{human_duration(age)} ago; its forecast starts there."
                )
        if frames:
            result.frame = pd.concat(frames, ignore_index=True)
        result.stored_rows = store_forecasts(store, result.frame, names)
        if out_csv is not None:
            result.csv_path = write_prediction_csv(result.frame, out_csv)
        result.seconds = time.perf_counter() - started
        return result
