"""The arguments of ``watchkeeper alarms``; they run in core/cli/alarms.py."""

from __future__ import annotations

import argparse

from core.cli.commands import Handler, time_range_options


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``watchkeeper alarms`` to ``sub``."""
    p = sub.add_parser("alarms", help="alarm report (KPIs) and active alarms from a database's journal")
    p.add_argument("--db", dest="alarms_db", metavar="FILE", help="database file (default: the per-user one)")
    time_range_options(
        p,
        "first time, e.g. 2026-01-31T08:00 (UTC unless an offset is given; default: first event)",
        "end time, exclusive (default: now)",
    )
    p.add_argument("--export", metavar="FILE.csv", help="also write the journal of the range to a CSV file")
    p.set_defaults(handler=Handler("core.cli.alarms", "cmd_alarms"))
