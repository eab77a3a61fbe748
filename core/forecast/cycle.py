"""One forecast cycle's outputs: rows in the ``forecasts`` table and an atomically replaced Prediction.csv.

Prediction.csv is what other programs (a spreadsheet, a SCADA import) pick up, so a reader must
never see it half-written: it is written to a temporary file in the same folder and renamed over
the old one (``os.replace`` is atomic on Windows and POSIX).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from core.forecast.atomic import temp_beside
from core.forecast.errors import ForecastError
from core.messages import Message, MessageId
from core.storage.forecasts import append_forecasts, latest_cycle

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

CSV_COLUMNS = (
    "timestamp",
    "channel",
    "forecast",
    "lower_80",
    "upper_80",
    "lower_95",
    "upper_95",
    "generated_at",
)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in CSV_COLUMNS})


def write_prediction_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` (CSV_COLUMNS) to ``path`` atomically; times as ISO 8601 UTC."""
    path = Path(path)
    out = frame.loc[:, list(CSV_COLUMNS)].copy()
    for col in ("timestamp", "generated_at"):
        if len(out):
            out[col] = pd.to_datetime(out[col], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temp_beside(path)
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise ForecastError(Message.of(MessageId.FILE_CANNOT_WRITE, path=str(path), detail=detail)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            out.to_csv(f, index=False, float_format="%.6g", lineterminator="\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        # On Windows a spreadsheet holding the file open makes the rename fail.
        detail = exc.strerror or type(exc).__name__
        raise ForecastError(
            Message.of(MessageId.PREDICTION_CANNOT_REPLACE, path=str(path), detail=detail)
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def store_forecasts(store: ReadingStore, frame: pd.DataFrame, models: dict[str, str]) -> int:
    """Append the cycle's rows to ``forecasts`` in one transaction (on the file's writer while one
    runs); ``models`` maps channel → model name."""
    if frame.empty:
        return 0
    rows = pd.DataFrame(
        {
            "channel": frame["channel"].astype(str),
            "generated_at": pd.to_datetime(frame["generated_at"], utc=True),
            "target_ts": pd.to_datetime(frame["timestamp"], utc=True),
            "value": frame["forecast"].astype("float64"),
            "lower_80": frame["lower_80"].astype("float64"),
            "upper_80": frame["upper_80"].astype("float64"),
            "lower_95": frame["lower_95"].astype("float64"),
            "upper_95": frame["upper_95"].astype("float64"),
            "model": frame["channel"].astype(str).map(lambda c: models.get(c, "")),
        }
    )
    return append_forecasts(store, rows)


def latest_forecasts(store: ReadingStore, channel: str) -> pd.DataFrame:
    """The newest cycle's rows for ``channel`` (for the window's plot), ordered by target time."""
    return latest_cycle(store, channel)
