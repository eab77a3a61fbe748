"""The arguments of ``watchkeeper import``, ``export`` and ``info``; they run in core/cli/storage.py."""

from __future__ import annotations

import argparse

from core.cli.commands import Handler, db_option, time_range_options


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``watchkeeper import``, ``export`` and ``info`` to ``sub``."""
    p = sub.add_parser("import", help="import history from a CSV file")
    p.add_argument(
        "file", help="CSV file: wide (timestamp + one column per channel) or long (timestamp, channel, value)"
    )
    db_option(p)
    p.add_argument(
        "--timestamp-column",
        metavar="C",
        help="timestamp column (default: one named timestamp/date/time, else the first)",
    )
    p.add_argument("--format", choices=["wide", "long"], help="CSV layout (default: detected)")
    p.add_argument(
        "--timezone",
        default="UTC",
        help="time zone of timestamps without an offset (default UTC; e.g. Asia/Seoul)",
    )
    p.add_argument("--strict", action="store_true", help="import nothing if any row is malformed")
    p.set_defaults(handler=Handler("core.cli.storage", "cmd_import"))

    p = sub.add_parser("export", help="export readings or rollups to CSV or Parquet")
    db_option(p)
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.csv or FILE.parquet")
    p.add_argument(
        "--channel", action="append", metavar="C", help="channel to export (repeatable; default all)"
    )
    time_range_options(
        p, "first time, e.g. 2026-01-31T08:00 (UTC unless an offset is given)", "end time (exclusive)"
    )
    p.add_argument(
        "--resolution",
        choices=["raw", "1min", "1h"],
        default="raw",
        help="raw readings or rollups with mean/min/max/count (default raw)",
    )
    p.add_argument("--wide", action="store_true", help="one column per channel")
    p.add_argument(
        "--local-time",
        nargs="?",
        const="",
        metavar="ZONE",
        help="CSV: add a local_time column Excel reads as a date (default zone: this computer's)",
    )
    p.set_defaults(handler=Handler("core.cli.storage", "cmd_export"))

    p = sub.add_parser("info", help="summarise a database file")
    db_option(p)
    p.set_defaults(handler=Handler("core.cli.storage", "cmd_info"))
