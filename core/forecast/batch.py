"""The CSV-folder path: forecast every series in a folder of CSV files into one Prediction.csv.

Each file is wide (timestamp + one column per series) or long (timestamp, channel, value). A series
is named after its column, or ``file:column`` when several files have that column. Its interval is
the timestamps' typical spacing unless one is given. A saved model is reused when it fits (same
channel, interval, lookback and horizon, trained on data no newer than the file); otherwise a model
is trained and saved, so the next run is fast.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.forecast.artifacts import SavedModel, load_model, model_path, save_model
from core.forecast.csv_input import CsvTable, read_csv_table
from core.forecast.cycle import empty_frame, write_prediction_csv
from core.forecast.errors import ForecastError, ForecastInputError, ModelError, TrainingCancelled
from core.forecast.pipeline import forecast_series, train_series
from core.forecast.settings import ForecastSettings, format_interval
from core.forecast.transform import infer_step_us, regularise

Report = Callable[[str], None]


@dataclass
class BatchResult:
    frame: pd.DataFrame
    path: Path
    trained: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # series → one-sentence reason


def _tables(input_dir: Path) -> list[CsvTable]:
    if not input_dir.is_dir():
        raise ForecastInputError(f"{input_dir} is not a folder.")
    files = sorted(p for p in input_dir.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise ForecastInputError(f"There are no .csv files in {input_dir}.")
    return [read_csv_table(p) for p in files]


def _series_list(
    tables: list[CsvTable], column: str | None, input_dir: Path
) -> list[tuple[str, CsvTable, str]]:
    """(series name, table, column) for every series to forecast."""
    chosen = [(t, c) for t in tables for c in t.columns if column is None or c == column]
    if not chosen:
        if column is not None:
            raise ForecastInputError(f"No CSV file in {input_dir} has a numeric column '{column}'.")
        raise ForecastInputError(f"The CSV files in {input_dir} have no numeric value columns.")
    counts = Counter(c for _, c in chosen)
    return [(c if counts[c] == 1 else f"{t.path.stem}:{c}", t, c) for t, c in chosen]


def _fits(model: SavedModel, settings: ForecastSettings, last: pd.Timestamp) -> bool:
    info = model.info
    end = pd.Timestamp(info.training.get("end", "2262-01-01T00:00:00+00:00"))
    return (
        info.interval == settings.interval
        and info.lookback == settings.lookback
        and info.horizon == settings.horizon
        and end <= last
    )


def predict_folder(
    input_dir: str | Path,
    output: str | Path,
    models_dir: str | Path,
    settings: ForecastSettings,
    column: str | None = None,
    infer_interval: bool = True,
    retrain: bool = False,
    report: Report | None = None,
    cancel: threading.Event | None = None,
) -> BatchResult:
    """Forecast the horizon after each series' last timestamp and write ``output`` atomically.

    Bad files raise :class:`ForecastInputError`; a series that cannot be forecast is skipped with
    its reason, and if none can be, the first reason is raised.
    """
    input_dir = Path(input_dir)
    say = report or (lambda _msg: None)
    frames, result = [], BatchResult(empty_frame(), Path(output))
    generated = pd.Timestamp.now(tz="UTC").floor("s")
    errors: list[ForecastError] = []
    for name, table, col in _series_list(_tables(input_dir), column, input_dir):
        values = table.columns[col]
        try:
            step = infer_step_us(table.times) if infer_interval else settings.step_us
        except ValueError as exc:
            raise ForecastInputError(f"{table.path}: {exc}.") from None
        own = settings.replace(interval=format_interval(step))
        series = regularise(table.times, values, own.step_us, own.max_gap_steps)
        last = pd.Timestamp(series.end_us, unit="us", tz="UTC")
        try:
            model = None
            if not retrain:
                try:
                    model = load_model(model_path(models_dir, name), name)
                except ModelError as exc:
                    if model_path(models_dir, name).exists():
                        say(f"{exc} Training a new one.")
            if model is not None and _fits(model, own, last):
                result.reused.append(name)
            else:
                say(f"Training '{name}' ({own.interval}, lookback {own.lookback}, horizon {own.horizon}) …")
                model = train_series(series, name, own, cancel=cancel, source=f"{table.path}:{col}")
                model.path = save_model(models_dir, model.info, model.weights)
                result.trained.append(name)
            frames.append(forecast_series(model, series, name).frame(generated))
        except TrainingCancelled:
            raise
        except ForecastError as exc:
            result.skipped[name] = str(exc)
            errors.append(exc)
    if not frames:
        raise errors[0]
    result.frame = pd.concat(frames, ignore_index=True)
    write_prediction_csv(result.frame, output)
    return result
