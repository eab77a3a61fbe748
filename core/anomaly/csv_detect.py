"""Score one column of a CSV file, row by row in file order (``watchkeeper detect``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

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


def detect_csv(
    path: str | Path,
    out: str | Path,
    timestamp_column: str = "timestamp",
    column: str = "value",
    settings: ScorerSettings | None = None,
) -> DetectResult:
    """Write ``timestamp,value,anomaly_score,is_anomaly`` for every row of ``path`` to ``out``."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise DetectError(f"{path} does not exist") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DetectError(f"{path} is not a readable CSV file ({str(exc).splitlines()[0]})") from None
    for name in (timestamp_column, column):
        if name not in frame.columns:
            raise DetectError(
                f"{path} has no column '{name}' (columns: {', '.join(map(str, frame.columns)) or 'none'})"
            )
    started = time.perf_counter()
    raw_ts = frame[timestamp_column].replace("", None)
    ts_us = _timestamps(raw_ts, timestamp_column)
    values = pd.to_numeric(frame[column].str.strip(), errors="coerce").to_numpy(np.float64)
    scores, flags = score_frame(ts_us, values, settings)
    result = pd.DataFrame(
        {
            "timestamp": frame[timestamp_column],
            "value": frame[column],
            "anomaly_score": scores,
            "is_anomaly": flags.astype(np.int8),
        }
    )
    try:
        result.to_csv(out, index=False)
    except OSError as exc:
        raise DetectError(f"cannot write {out}: {exc.strerror or exc}") from None
    return DetectResult(
        len(frame), int(np.isfinite(values).sum()), int(flags.sum()), time.perf_counter() - started
    )
