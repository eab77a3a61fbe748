"""Reading value series from CSV files for the backtest and the CSV-folder forecast.

A file is wide (a timestamp column and one column per series) or long (timestamp, channel, value).
The timestamp column is the one named timestamp/date/time/datetime/ts, else the first, as for
``watchkeeper import``. Problems become one :class:`ForecastInputError` sentence naming the file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.forecast.errors import ForecastInputError
from core.storage.csv_import import LONG_COLUMNS, TIMESTAMP_NAMES


@dataclass
class CsvTable:
    """One file's numeric columns next to its timestamps (UTC), in file order."""

    path: Path
    timestamp_column: str
    times: pd.DatetimeIndex
    columns: dict[str, np.ndarray]
    first_line: int = 2  # file line of row 0 (after the header), for messages


def _delimiter(path: Path, first_line: str) -> str:
    try:
        return csv.Sniffer().sniff(first_line + "\n", delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_frame(path: Path) -> pd.DataFrame:
    try:
        with path.open(encoding="utf-8-sig") as f:
            first = f.readline().rstrip("\r\n")
    except FileNotFoundError:
        raise ForecastInputError(f"{path} does not exist.") from None
    except UnicodeDecodeError:
        raise ForecastInputError(f"{path} is not UTF-8 text.") from None
    except OSError as exc:
        raise ForecastInputError(f"{path} cannot be read: {exc.strerror}.") from None
    if not first.strip():
        raise ForecastInputError(f"{path} is empty or has no header line.")
    try:
        frame = pd.read_csv(
            path, sep=_delimiter(path, first), dtype=str, encoding="utf-8-sig", skipinitialspace=True
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        detail = f": line {found[2]} has {found[3]} fields, the header {found[1]}" if found else ""
        raise ForecastInputError(f"{path} is not a well-formed CSV file{detail}.") from None
    except (UnicodeDecodeError, pd.errors.EmptyDataError):
        raise ForecastInputError(f"{path} is not a readable CSV file with a header line.") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame.columns) < 2:
        raise ForecastInputError(f"{path} needs a timestamp column and at least one value column.")
    return frame


def _pick_timestamp(columns: list[str], wanted: str | None, path: Path) -> str:
    if wanted:
        if wanted not in columns:
            raise ForecastInputError(f"{path} has no column '{wanted}' (columns: {', '.join(columns)}).")
        return wanted
    lower = {c.lower(): c for c in columns}
    return next((lower[n] for n in TIMESTAMP_NAMES if n in lower), columns[0])


def _times(raw: pd.Series, name: str, path: Path) -> pd.DatetimeIndex:
    text = raw.str.strip()
    try:  # one inferred format is fast; "mixed" parses element by element
        return pd.DatetimeIndex(pd.to_datetime(text, utc=True))
    except (ValueError, TypeError):
        parsed = pd.to_datetime(text, utc=True, errors="coerce", format="mixed")
    bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        raise ForecastInputError(
            f"{path} line {row + 2}: '{raw.iloc[row]}' in column '{name}' is not a timestamp."
        )
    return pd.DatetimeIndex(parsed)


def read_csv_table(path: str | Path, timestamp_column: str | None = None) -> CsvTable:
    """Every numeric column of ``path`` (cells that are not numbers become NaN)."""
    path = Path(path)
    frame = _read_frame(path)
    names = list(frame.columns)
    ts = _pick_timestamp(names, timestamp_column, path)
    times = _times(frame[ts].fillna(""), ts, path)
    rest = {c.lower(): c for c in names if c != ts}
    if set(rest) == set(LONG_COLUMNS):  # long layout: pivot to one column per channel
        values = pd.to_numeric(frame[rest["value"]].str.strip(), errors="coerce")
        long = pd.DataFrame({"ts": times, "channel": frame[rest["channel"]].str.strip(), "value": values})
        wide = long.dropna(subset=["channel"]).pivot_table(
            index="ts", columns="channel", values="value", aggfunc="mean"
        )
        return CsvTable(
            path,
            ts,
            pd.DatetimeIndex(wide.index),
            {str(c): wide[c].to_numpy(np.float64) for c in wide.columns},
        )
    columns = {}
    for name in names:
        if name == ts:
            continue
        numbers = pd.to_numeric(frame[name].str.strip(), errors="coerce").to_numpy(np.float64)
        if np.isfinite(numbers).any():  # a text column (a label, a unit) is not a series
            columns[name] = numbers
    return CsvTable(path, ts, times, columns)


def column_of(table: CsvTable, column: str | None) -> tuple[str, np.ndarray]:
    """The named column, or the only numeric one; a clear error otherwise."""
    if column is not None:
        if column not in table.columns:
            raise ForecastInputError(
                f"{table.path} has no numeric column '{column}' (numeric columns: "
                f"{', '.join(table.columns) or 'none'})."
            )
        return column, table.columns[column]
    if len(table.columns) != 1:
        raise ForecastInputError(
            f"{table.path} has {len(table.columns)} numeric columns ({', '.join(table.columns)}); "
            "choose one with --column."
        )
    return next(iter(table.columns.items()))


def require_complete(table: CsvTable, column: str, values: np.ndarray, rows: int) -> None:
    """Every one of the first ``rows`` values must be a finite number (the backtest uses rows as they are)."""
    bad = ~np.isfinite(values[:rows])
    if bad.any():
        row = int(np.argmax(bad))
        raise ForecastInputError(
            f"{table.path} line {row + table.first_line}: column '{column}' has no numeric value; "
            "the backtest needs every row of the split."
        )
