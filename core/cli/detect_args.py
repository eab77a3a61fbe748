"""The arguments of ``watchkeeper detect``; they run in core/cli/detect.py."""

from __future__ import annotations

import argparse

from core.cli.commands import Handler


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``watchkeeper detect`` to ``sub``."""
    p = sub.add_parser(
        "detect",
        help="score a CSV file for anomalies (causal: each row is scored from it and earlier rows)",
    )
    p.add_argument("file", help="CSV file with a header line")
    p.add_argument(
        "--timestamp-column",
        default="timestamp",
        metavar="C",
        help="time column (default timestamp; times without an offset are UTC)",
    )
    p.add_argument(
        "--column",
        default="value",
        metavar="C",
        help="value column (default value); several, separated by commas, are scored together",
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="SCORES.csv",
        help="output: timestamp,value,anomaly_score,is_anomaly,explanation for every input row",
    )
    p.add_argument(
        "--config",
        dest="detect_config",
        metavar="FILE",
        help="TOML configuration whose [anomaly] section sets the scoring",
    )
    p.add_argument(
        "--threshold",
        type=float,
        metavar="S",
        help="flag rows whose score reaches S (0-1; default from the config, else 0.5)",
    )
    p.set_defaults(handler=Handler("core.cli.detect", "cmd_detect"))
