"""``watchkeeper train``, ``predict`` and ``backtest``: forecasting from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli.remote import absolute, on_file
from core.config import ConfigError
from core.engine.ipc import Request
from core.engine.settings import load_checked_config
from core.forecast import (
    CycleResult,
    ForecastConfig,
    Forecaster,
    ForecastError,
    ForecastInputError,
    parse_forecast_config,
)
from core.forecast.cycle import write_prediction_csv
from core.forecast.errors import ModelError
from core.forecast.settings import ForecastSettings
from core.paths import default_db_path
from core.storage.store import ReadingStore, StoreError

USER_ERRORS = (ForecastError, ConfigError, StoreError)


def _config(args: argparse.Namespace) -> ForecastConfig:
    if not getattr(args, "config", None):
        return ForecastConfig()
    return parse_forecast_config(load_checked_config(args.config).extra.get("forecast"))


def _settings(base: ForecastSettings, args: argparse.Namespace) -> ForecastSettings:
    try:
        return base.replace(
            interval=getattr(args, "interval", None),
            lookback=args.lookback,
            horizon=args.horizon,
            epochs=getattr(args, "epochs", None),
            seed=getattr(args, "seed", None),
        )
    except ValueError as exc:
        raise ForecastInputError(f"--{str(exc).replace('_', '-')}.") from None


def _db(args: argparse.Namespace) -> Path:
    db = Path(args.cmd_db or args.db or default_db_path())
    if not db.exists():
        raise ForecastInputError(f"The database {db} does not exist.")
    return db


def _forecaster(args: argparse.Namespace, config: ForecastConfig) -> Forecaster:
    return Forecaster(args.models, config)


def cmd_train(args: argparse.Namespace) -> int:
    config = _config(args)
    settings = _settings(config.settings_for(args.channel), args)
    forecaster = _forecaster(args, config)

    def progress(epoch: int, train_loss: float, val_loss: float) -> None:
        print(
            f"epoch {epoch:>3}/{settings.epochs}  train loss {train_loss:.4f}  "
            f"validation loss {val_loss:.4f}",
            flush=True,
        )

    with ReadingStore(_db(args), read_only=True) as store:
        result = forecaster.train_channel(store, args.channel, settings, progress)
    print("\n".join(result.summary()))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.input:
        if args.cmd_db or args.channel:
            raise ForecastInputError("--input reads CSV files; it cannot be combined with --db or --channel.")
        return _predict_folder(args, config)
    if args.column or args.retrain:
        raise ForecastInputError("--column and --retrain only apply with --input DIR.")
    if args.interval or args.lookback or args.horizon:
        raise ForecastInputError(
            "--interval, --lookback and --horizon only apply with --input DIR; a database forecast uses each "
            "channel's model."
        )
    out = args.out or config.prediction_csv or None
    forecaster = _forecaster(args, config)
    db = _db(args)
    if not (args.channel or config.channels or forecaster.model_channels()):
        problems = forecaster.model_problems()
        for reason in problems.values():
            print(f"watchkeeper: {reason}", file=sys.stderr)
        # Checked before the database is opened and before any Prediction.csv is written: a
        # header-only file would tell the program that imports it that there is no forecast.
        usable = "usable " if problems else ""
        raise ModelError(
            f"There are no {usable}forecast models in {forecaster.models_dir}; "
            "train one with 'watchkeeper train'."
        )
    cycle = _cycle(db, args, forecaster, out)
    for channel, reason in cycle.skipped.items():
        print(
            f"watchkeeper: {channel}: {reason}" if channel != "*" else f"watchkeeper: {reason}",
            file=sys.stderr,
        )
    for note in cycle.stale.values():
        print(f"watchkeeper: {note}", file=sys.stderr)
    if not cycle.forecasts:
        return 1
    for channel, fc in cycle.forecasts.items():
        first = fc.values
        print(
            f"{channel}: {len(fc.times)} steps from {fc.times[0]:%Y-%m-%d %H:%M} to "
            f"{fc.times[-1]:%Y-%m-%d %H:%M} UTC; next {first['forecast'][0]:.4g} "
            f"(80 %: {first['lower_80'][0]:.4g} to {first['upper_80'][0]:.4g})"
        )
    where = f" and {cycle.csv_path}" if cycle.csv_path else ""
    print(f"Stored {cycle.stored_rows} forecast rows in {db}{where} in {cycle.seconds * 1000:.0f} ms.")
    return 0


def _cycle(db: Path, args: argparse.Namespace, forecaster: Forecaster, out: str | None) -> CycleResult:
    """One forecast cycle on ``db``, and ``out`` written: here, or by the Watchkeeper recording
    the file, which forecasts with its own models as of now (so --models and --now are refused)."""

    def here(store: ReadingStore) -> CycleResult:
        cycle = forecaster.predict_cycle(store, args.channel, None, args.now)
        if out is not None and cycle.forecasts:
            cycle.csv_path = write_prediction_csv(cycle.frame, out)
        return cycle

    def there() -> None:
        if args.models or args.now:
            raise ForecastInputError(
                f"{db} is being recorded by another Watchkeeper, which forecasts with its own models "
                "as of now; leave out --models and --now, or stop that recording first."
            )

    sent = absolute(out)
    return on_file(
        db, Request.PREDICT, here, shown={sent: out}, before_asking=there, channels=args.channel, out=sent
    )


def _predict_folder(args: argparse.Namespace, config: ForecastConfig) -> int:
    from core.forecast.batch import predict_folder

    if not args.out:
        raise ForecastInputError("--input needs --output FILE for the Prediction.csv to write.")
    settings = _settings(config.settings, args)
    forecaster = _forecaster(args, config)
    result = predict_folder(
        args.input,
        args.out,
        forecaster.models_dir,
        settings,
        column=args.column,
        infer_interval=args.interval is None,
        retrain=args.retrain,
        report=lambda msg: print(msg, flush=True),
    )
    for name, reason in result.skipped.items():
        print(f"watchkeeper: {name}: {reason}", file=sys.stderr)
    print(
        f"Wrote {len(result.frame)} rows for {len(result.trained) + len(result.reused)} series to "
        f"{result.path} "
        f"({len(result.trained)} trained, {len(result.reused)} reused a saved model)."
    )
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    from core.forecast.backtest import parse_split, run_backtest

    split = parse_split(args.split)
    settings = _settings(ForecastSettings(), args)
    verbose = getattr(args, "verbose", False)

    def progress(epoch: int, train_loss: float, val_loss: float) -> None:
        if verbose:
            print(
                f"epoch {epoch}: train {train_loss:.4f} validation {val_loss:.4f}",
                file=sys.stderr,
                flush=True,
            )

    result = run_backtest(
        args.file,
        args.column,
        settings.lookback,
        settings.horizon,
        split,
        args.timestamp_column,
        settings,
        progress,
    )
    print(json.dumps(result))
    return 0
