"""``watchkeeper alarms``: the alarm-system report (ISA-18.2 / EEMUA 191 KPIs) and active alarms."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from core.alarms.commands import AlarmError
from core.alarms.journal import parse_time
from core.alarms.kpi import compute_kpis
from core.alarms.kpi_report import active_table, report
from core.cli.remote import absolute, on_file
from core.engine.ipc import Request
from core.engine.store_requests import AlarmExtract
from core.paths import default_db_path
from core.storage.export import ExportError

USER_ERRORS = (AlarmError, ExportError)


def cmd_alarms(args: argparse.Namespace) -> int:
    db = Path(args.alarms_db or args.db or default_db_path())
    if not db.exists():
        raise ExportError(f"{db} does not exist")
    end = parse_time(args.end) if args.end else pd.Timestamp.now(tz="UTC")
    start = parse_time(args.start) if args.start else None
    if start is not None and end <= start:
        raise ExportError("--to must be later than --from")
    export = absolute(args.export)
    got: AlarmExtract = on_file(
        db, Request.ALARMS, read_only=True, shown={export: args.export}, start=start, end=end, export=export
    )
    if got.exported is not None:
        print(f"Wrote {got.exported} alarm events to {args.export}.")
    if got.events.empty:
        print(f"No alarm events in {db} before {end:%Y-%m-%d %H:%M} UTC.")
    else:
        print(report(compute_kpis(got.events, got.latest, got.start, got.end), db))
    print(active_table(got.latest))
    return 0
