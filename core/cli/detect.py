"""``watchkeeper detect``: score a CSV column for anomalies, row by row."""

from __future__ import annotations

import argparse
from dataclasses import replace

from core.anomaly.csv_detect import DetectError, detect_csv
from core.anomaly.settings import parse_anomaly_config
from core.config import ConfigError
from core.engine.settings import load_checked_config

USER_ERRORS = (DetectError, ConfigError)


def cmd_detect(args: argparse.Namespace) -> int:
    path = args.detect_config or args.config
    settings = parse_anomaly_config(load_checked_config(path).extra.get("anomaly") if path else None).default
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
