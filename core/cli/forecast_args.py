"""The arguments of ``watchkeeper train``, ``predict`` and ``backtest``; they run in core/cli/forecast.py."""

from __future__ import annotations

import argparse

from core.cli.commands import Handler, db_option


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``watchkeeper train``, ``predict`` and ``backtest`` to ``sub``."""
    p = sub.add_parser("train", help="train a channel's forecast model from a database")
    db_option(p)
    p.add_argument("--channel", required=True, metavar="C", help="channel to train")
    _model_options(p)
    p.add_argument(
        "--epochs", type=int, metavar="N", help="most training epochs (early stopping ends sooner)"
    )
    p.add_argument("--seed", type=int, metavar="N", help="random seed (same seed, same model)")
    p.set_defaults(handler=Handler("core.cli.forecast", "cmd_train"))

    p = sub.add_parser(
        "predict",
        help="run one forecast cycle from a database, or forecast a folder of CSV files",
        description="From a database: forecast every channel with a model (or each --channel), store the "
        "forecasts and write --out. From a folder (--input DIR): forecast every series of every CSV file, "
        "training models where none fits, and write --output.",
    )
    db_option(p)
    p.add_argument(
        "--channel", action="append", metavar="C", help="channel to forecast (repeatable; default all)"
    )
    p.add_argument(
        "--out", "--output", dest="out", metavar="FILE", help="Prediction.csv to write (atomically)"
    )
    p.add_argument("--now", metavar="T", help="forecast as if it were T (UTC unless an offset is given)")
    p.add_argument("--input", metavar="DIR", help="folder of CSV files (timestamp + value columns, or wide)")
    p.add_argument("--column", metavar="C", help="with --input: only this value column")
    p.add_argument("--retrain", action="store_true", help="with --input: train even if a saved model fits")
    _model_options(p)
    p.set_defaults(handler=Handler("core.cli.forecast", "cmd_predict"))

    p = sub.add_parser(
        "backtest",
        help="score the forecaster on a CSV file with the literature's protocol (prints JSON)",
        description="Rows [0, TRAIN) train; validation and test windows start LOOKBACK rows before their "
        "ranges; z-scored with the training rows' mean and std; MSE and MAE over every stride-1 test window.",
    )
    p.add_argument("file", help="CSV file with a timestamp column and value columns")
    p.add_argument("--column", required=True, metavar="C", help="value column to forecast")
    p.add_argument("--timestamp-column", metavar="T", help="timestamp column (default: detected)")
    p.add_argument("--lookback", type=int, required=True, metavar="L")
    p.add_argument("--horizon", type=int, required=True, metavar="H")
    p.add_argument("--split", required=True, metavar="TRAIN,VAL,TEST", help="row counts, e.g. 8640,2880,2880")
    p.add_argument("--epochs", type=int, metavar="N")
    p.add_argument("--seed", type=int, metavar="N")
    p.set_defaults(handler=Handler("core.cli.forecast", "cmd_backtest"))


def _model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--models", metavar="DIR", help="model folder (default: models/ in the data folder)")
    p.add_argument("--interval", metavar="I", help="bucket width such as 1min, 15min or 1h (default 1min)")
    p.add_argument("--lookback", type=int, metavar="L", help="steps the model sees (default 336)")
    p.add_argument("--horizon", type=int, metavar="H", help="steps forecast at once (default 60)")
