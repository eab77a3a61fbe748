"""Saving and loading a channel's model: weights (``.npz``) next to metadata (``.json``).

The JSON says everything about the model — channel, interval, lookback, horizon, scaler, bands,
training range, validation and baseline metrics, library versions — and carries the SHA-256 of the
weights file, so a half-written or mismatched pair is caught. Both files are written to a temporary
name and renamed, weights first, so a crash never leaves a JSON pointing at missing weights.
Loading needs numpy only: forecasting never imports TensorFlow.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from core.forecast.atomic import temp_beside
from core.forecast.bands import Bands
from core.forecast.baselines import combine, seasonal_naive
from core.forecast.errors import ModelError
from core.forecast.inference import NumpyForecaster
from core.forecast.model import WEIGHT_NAMES, Architecture
from core.forecast.settings import parse_interval
from core.forecast.transform import Scaler
from core.messages import Message, MessageId

M = MessageId

FORMAT = "watchkeeper-forecast-model"
FORMAT_VERSION = 1


@dataclass
class ModelInfo:
    """Everything about a trained model except its weights."""

    channel: str
    interval: str
    max_gap_steps: int
    arch: Architecture
    blend: float  # weight of the LSTM head
    scaler: Scaler
    bands: Bands
    training: dict[str, Any] = field(default_factory=dict)  # range, windows, epochs, seconds, seed
    metrics: dict[str, Any] = field(default_factory=dict)  # validation, persistence, seasonal_naive, skill
    versions: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    source: str = ""  # where the history came from, e.g. the database or CSV file
    seasonal_weight: float = 0.0  # share of the seasonal-naive forecast in the final one
    season_steps: int = 1  # its period in steps

    @property
    def history_steps(self) -> int:
        """Steps of history a forecast needs: the lookback, or a whole period if that is longer and used."""
        return max(self.lookback, self.season_steps) if self.seasonal_weight > 0 else self.lookback

    @property
    def lookback(self) -> int:
        return self.arch.lookback

    @property
    def horizon(self) -> int:
        return self.arch.horizon

    @property
    def step_us(self) -> int:
        return parse_interval(self.interval)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "channel": self.channel,
            "interval": self.interval,
            "lookback": self.lookback,
            "horizon": self.horizon,
            "max_gap_steps": self.max_gap_steps,
            "architecture": self.arch.to_dict(),
            "lstm_weight": self.blend,
            "seasonal_weight": self.seasonal_weight,
            "seasonal_period_steps": self.season_steps,
            "scaler": self.scaler.to_dict(),
            "bands": self.bands.to_dict(),
            "training": self.training,
            "metrics": self.metrics,
            "versions": self.versions,
            "created_at": self.created_at,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelInfo:
        """Raises KeyError, TypeError or ValueError on a malformed dict (the loader makes it a ModelError)."""
        info = cls(
            channel=str(d["channel"]),
            interval=str(d["interval"]),
            max_gap_steps=int(d["max_gap_steps"]),
            arch=Architecture.from_dict(d["architecture"]),
            blend=float(d["lstm_weight"]),
            scaler=Scaler.from_dict(d["scaler"]),
            bands=Bands.from_dict(d["bands"]),
            training=dict(d.get("training", {})),
            metrics=dict(d.get("metrics", {})),
            versions=dict(d.get("versions", {})),
            created_at=str(d.get("created_at", "")),
            source=str(d.get("source", "")),
            seasonal_weight=float(d.get("seasonal_weight", 0.0)),
            season_steps=int(d.get("seasonal_period_steps", 1)),
        )
        parse_interval(info.interval)
        if int(d["lookback"]) != info.lookback or int(d["horizon"]) != info.horizon:
            raise ValueError("lookback or horizon disagree with the architecture")
        h = info.horizon
        if info.bands.half_80.shape != (h,) or info.bands.half_95.shape != (h,):
            raise ValueError("bands do not match the horizon")
        if not (0 <= info.blend <= 1 and 0 <= info.seasonal_weight <= 1 and info.season_steps >= 1):
            raise ValueError("bad blend weights")
        if info.scaler.std <= 0 or not np.isfinite([info.scaler.mean, info.scaler.std]).all():
            raise ValueError("bad scaler")
        return info


@dataclass
class SavedModel:
    """A loaded model, ready to forecast (numpy only)."""

    info: ModelInfo
    weights: dict[str, np.ndarray]
    path: Path | None = None  # None until saved

    @cached_property
    def forecaster(self) -> NumpyForecaster:
        return NumpyForecaster(self.info.arch, self.weights, self.info.blend)

    def forecast(self, history: np.ndarray) -> dict[str, np.ndarray]:
        """Forecast and bands, in original units, of the steps after ``history`` (original units).

        The network reads the last ``lookback`` values, which must be finite; the seasonal part (if
        any) the last period, where a gap falls back to the last value as in training. Pass at
        least ``info.history_steps`` values.
        """
        info = self.info
        z = info.scaler.transform(np.asarray(history, dtype=np.float64)[-info.history_steps :])
        pred_z = self.forecaster.predict(z[-info.lookback :]).astype(np.float64)
        if info.seasonal_weight > 0:
            season = seasonal_naive(z, np.array([len(z)]), info.horizon, info.season_steps)[0]
            pred_z = combine(pred_z, season, info.seasonal_weight)
        out = {"forecast": info.scaler.inverse(pred_z)}
        for level, half in (("80", info.bands.half_80), ("95", info.bands.half_95)):
            out[f"lower_{level}"] = info.scaler.inverse(pred_z - half)
            out[f"upper_{level}"] = info.scaler.inverse(pred_z + half)
        return out


def model_stem(channel: str) -> str:
    """A file-name-safe, collision-free stem for ``channel`` (readable part plus a short hash)."""
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", channel).strip("._")[:60] or "channel"
    return f"{readable}-{hashlib.sha1(channel.encode('utf-8')).hexdigest()[:8]}"


def model_path(models_dir: str | Path, channel: str) -> Path:
    """Where ``channel``'s metadata file lives (the weights sit next to it as ``.npz``)."""
    return Path(models_dir) / f"{model_stem(channel)}.json"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model(models_dir: str | Path, info: ModelInfo, weights: dict[str, np.ndarray]) -> Path:
    """Write ``info`` and ``weights``; return the metadata file's path."""
    path = model_path(models_dir, info.channel)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, **{name: np.asarray(weights[name], dtype=np.float32) for name in WEIGHT_NAMES})
    blob = buffer.getvalue()
    weights_path = path.with_suffix(".npz")
    _write_atomic(weights_path, blob)
    meta = info.to_dict() | {
        "weights_file": weights_path.name,
        "weights_sha256": hashlib.sha256(blob).hexdigest(),
    }
    _write_atomic(path, json.dumps(meta, indent=2, allow_nan=True).encode("utf-8"))
    return path


def _damaged(path: Path, why: Message | str, who: Message) -> ModelError:
    why = why if isinstance(why, Message) else Message.plain(why)
    return ModelError(Message.of(M.MODEL_DAMAGED, path=str(path), who=who, why=why))


def read_metadata(path: Path, who: Message | None = None) -> dict[str, Any]:
    """The metadata of a model file, or :class:`ModelError` saying what is wrong with it."""
    who = who or Message.of(M.WHO_ITS_CHANNEL)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _damaged(path, Message.of(M.MODEL_NOT_TEXT), who) from None
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise ModelError(Message.of(M.MODEL_UNREADABLE, path=str(path), detail=detail)) from None
    try:
        meta = json.loads(text)
    except ValueError as exc:
        line = str(getattr(exc, "lineno", "?"))
        raise _damaged(path, Message.of(M.MODEL_NOT_JSON, line=line), who) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _damaged(path, Message.of(M.MODEL_NOT_OURS), who)
    if not isinstance(meta.get("channel"), str):
        raise _damaged(path, Message.of(M.MODEL_NAMES_NO_CHANNEL), who)
    return meta


def load_model(path: str | Path, channel: str | None = None) -> SavedModel:
    """Load a model from its metadata file; any problem raises :class:`ModelError` with one sentence."""
    path = Path(path)
    who = Message.of(M.WHO_CHANNEL, channel=channel) if channel else Message.of(M.WHO_THIS_CHANNEL)
    if not path.exists():
        raise ModelError(Message.of(M.NO_MODEL, who=who, folder=str(path.parent)))
    meta = read_metadata(path, who)
    version = meta.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(
            Message.of(M.MODEL_NEWER, path=str(path), found=str(version), known=str(FORMAT_VERSION), who=who)
        )
    if channel is not None and meta["channel"] != channel:
        raise ModelError(
            Message.of(M.MODEL_OTHER_CHANNEL, path=str(path), other=meta["channel"], channel=channel)
        )
    try:
        info = ModelInfo.from_dict(meta)
    except KeyError as exc:
        raise _damaged(path, Message.of(M.MODEL_SETTING_MISSING, name=str(exc)), who) from None
    except (TypeError, ValueError) as exc:
        raise _damaged(path, f"{exc}", who) from None
    weights_path = path.with_name(str(meta.get("weights_file", "")))
    try:
        blob = weights_path.read_bytes()
    except OSError:
        raise _damaged(path, f"its weights file {weights_path.name} is missing", who) from None
    if hashlib.sha256(blob).hexdigest() != meta.get("weights_sha256"):
        raise _damaged(path, f"its weights file {weights_path.name} does not match its checksum", who)
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            weights = {name: np.asarray(npz[name], dtype=np.float32) for name in WEIGHT_NAMES}
    except (KeyError, TypeError, ValueError, OSError, EOFError):
        raise _damaged(path, f"its weights file {weights_path.name} holds no weights", who) from None
    for name, shape in info.arch.weight_shapes().items():
        if weights[name].shape != shape or not np.isfinite(weights[name]).all():
            raise _damaged(path, f"the weights {name} do not fit the architecture", who)
    return SavedModel(info, weights, path)


def scan_models(models_dir: str | Path) -> tuple[dict[str, Path], dict[str, Message]]:
    """Every model file in ``models_dir``: (channel → metadata file, file stem → what is wrong).

    A file whose JSON is unreadable, or that names a channel whose model belongs under another file
    name, is not silently skipped (its channel's forecast would just disappear): it is reported.
    """
    found: dict[str, Path] = {}
    problems: dict[str, Message] = {}
    for path in list_models(models_dir):
        try:
            channel = read_metadata(path)["channel"]
        except ModelError as exc:
            problems[path.stem] = exc.message
            continue
        expected = model_path(path.parent, channel)
        if path.name != expected.name:
            problems[path.stem] = Message.of(
                M.MODEL_MISNAMED, path=str(path), channel=channel, name=expected.name
            )
            continue
        found[channel] = path
    return found, problems


def list_models(models_dir: str | Path) -> list[Path]:
    """Every model metadata file in ``models_dir`` (none if it does not exist)."""
    folder = Path(models_dir)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
