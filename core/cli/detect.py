"""``watchkeeper detect``: score a CSV column for anomalies, row by row."""

from __future__ import annotations

import argparse
from dataclasses import replace

from core.anomaly.csv_detect import DetectError, detect_csv
from core.anomaly.settings import parse_anomaly_config
from core.config import ConfigError, load_config

USER_ERRORS = (DetectError, ConfigError)


def add_commands(sub: argparse._SubParsersAction) -> None:
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
    p.set_defaults(handler=cmd_detect)


def cmd_detect(args: argparse.Namespace) -> int:
    path = args.detect_config or args.config
    settings = parse_anomaly_config(load_config(path).extra.get("anomaly") if path else None).default
    if args.threshold is not None:
        settings = replace(settings, threshold=args.threshold).validate()
    r = detect_csv(args.file, args.out, args.timestamp_column, args.column, settings)
    rate = r.rows / r.seconds if r.seconds > 0 else float("inf")
    print(
        f"Scored {r.rows} rows of {args.file} ('{args.column}'; {r.rows - r.scored} without a number): "
        f"{r.flagged} flagged at threshold {settings.threshold:g}, {r.seconds:.2f} s ({rate:,.0f} rows/s). "
        f"Wrote {args.out}."
    )
    return 0
