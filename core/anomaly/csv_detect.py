"""Score columns of a CSV file, row by row in file order (``watchkeeper detect``).

One column is scored by a :class:`ChannelScorer`; several columns of one machine are scored
together by a :class:`MachineScorer` (each alone and in relation to the others). Every flagged row
says what was unusual in the ``explanation`` column.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.anomaly.multichannel import MachineScorer
from core.anomaly.scorer import ChannelScorer
from core.anomaly.settings import ScorerSettings


class DetectError(Exception):
    """The CSV file cannot be scored; the message is one sentence."""


@dataclass(frozen=True, slots=True)
class DetectResult:
    rows: int
    scored: int  # rows with a numeric value
    flagged: int
    seconds: float


def _timestamps(column: pd.Series, name: str) -> np.ndarray:
    """UTC microseconds; times without an offset are taken as UTC."""
    try:
        stamps = pd.to_datetime(column, utc=True, format="mixed", errors="coerce")
    except (ValueError, TypeError, OverflowError) as exc:
        raise DetectError(f"column '{name}' has a time that cannot be read ({exc})") from None
    missing = np.flatnonzero(stamps.isna().to_numpy())
    if len(missing):
        line = int(missing[0]) + 2  # 1-based, after the header line
        raise DetectError(f"column '{name}' has no readable time on line {line}")
    return np.asarray(pd.DatetimeIndex(stamps).as_unit("us").asi8, dtype=np.int64)


def score_frame(
    ts_us: np.ndarray, values: np.ndarray, settings: ScorerSettings | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and flags of a series, in its order (non-numeric values score 0)."""
    return ChannelScorer(settings).update(ts_us, values)


def _explanations(n: int, found: dict, channels: list[str] | None = None, which=None) -> list[str]:
    out = [""] * n
    for i, why in found.items():
        text = why.describe()
        out[i] = f"{channels[which[i]]}: {text}" if channels is not None and which[i] >= 0 else text
    return out


def detect_csv(
    path: str | Path,
    out: str | Path,
    timestamp_column: str = "timestamp",
    column: str | list[str] = "value",
    settings: ScorerSettings | None = None,
) -> DetectResult:
    """Write ``timestamp,value,anomaly_score,is_anomaly,explanation`` for every row of ``path``.

    ``column`` may name several columns (a list, or names separated by commas): they are scored
    together, and the output has each of them, then the score, the flag, the ``channel`` a flag is
    about and its explanation.
    """
    path = Path(path)
    columns = [c.strip() for c in column.split(",")] if isinstance(column, str) else list(column)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise DetectError(f"{path} does not exist") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DetectError(f"{path} is not a readable CSV file ({str(exc).splitlines()[0]})") from None
    for name in (timestamp_column, *columns):
        if name not in frame.columns:
            raise DetectError(
                f"{path} has no column '{name}' (columns: {', '.join(map(str, frame.columns)) or 'none'})"
            )
    started = time.perf_counter()
    raw_ts = frame[timestamp_column].replace("", None)
    ts_us = _timestamps(raw_ts, timestamp_column)
    values = np.column_stack(
        [pd.to_numeric(frame[c].str.strip(), errors="coerce").to_numpy(np.float64) for c in columns]
    )
    if len(columns) == 1:
        result = ChannelScorer(settings).score(ts_us, values[:, 0])
        table = {"timestamp": frame[timestamp_column], "value": frame[columns[0]]}
        why = _explanations(len(frame), result.explanations)
        extra = {}
    else:
        result = MachineScorer(columns, settings).score(ts_us, values)
        table = {"timestamp": frame[timestamp_column], **{c: frame[c] for c in columns}}
        why = _explanations(len(frame), result.explanations, columns, result.channel)
        extra = {
            "channel": [
                columns[j] if f and j >= 0 else "" for j, f in zip(result.channel, result.flags, strict=True)
            ]
        }
    flags = result.flags
    frame_out = pd.DataFrame(
        {
            **table,
            "anomaly_score": result.scores,
            "is_anomaly": flags.astype(np.int8),
            **extra,
            "explanation": why,
        }
    )
    try:
        frame_out.to_csv(out, index=False)
    except OSError as exc:
        raise DetectError(f"cannot write {out}: {exc.strerror or exc}") from None
    scored = (
        int(np.isfinite(values).all(axis=1).sum()) if len(columns) > 1 else int(np.isfinite(values).sum())
    )
    return DetectResult(len(frame), scored, int(flags.sum()), time.perf_counter() - started)
