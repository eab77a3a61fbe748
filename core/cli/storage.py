"""``watchkeeper import``, ``export`` and ``info``."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from core.cli.columns import left
from core.cli.remote import absolute, on_file
from core.engine.ipc import RemoteError, Request
from core.paths import default_db_path
from core.storage.csv_import import CsvImportError, ImportReport
from core.storage.export import ExportError, FileInfo

USER_ERRORS = (CsvImportError, ExportError, RemoteError)


def _db(args: argparse.Namespace) -> Path:
    return Path(args.cmd_db or args.db or default_db_path())


def cmd_import(args: argparse.Namespace) -> int:
    path = absolute(args.file)
    r: ImportReport = on_file(
        _db(args),
        Request.IMPORT,
        shown={path: args.file},
        path=path,
        timestamp_column=args.timestamp_column,
        fmt=args.format,
        strict=args.strict,
        timezone=args.timezone,
    )
    r.path = str(Path(args.file))  # as the user named it, not as the holder was sent it
    print(f"Imported {r.path} ({r.format}, timestamps from '{r.timestamp_column}') into {_db(args)}:")
    print(f"  channels         {', '.join(r.channels) or '-'}")
    print(f"  rows read        {r.rows}")
    print(f"  readings stored  {r.stored} ({r.readings_per_second:,.0f}/s)")
    print(f"  already present  {r.duplicates}")
    print(f"  empty/NaN cells  {r.skipped_values}")
    print(f"  malformed rows   {r.malformed_count}")
    for line, reason in r.malformed[:20]:
        print(f"    line {line}: {reason}")
    if r.malformed_count > 20:
        print(f"    … and {r.malformed_count - 20} more")
    return 0


def _existing_db(args: argparse.Namespace) -> Path:
    """The database to read; one that does not exist is an error, never created empty."""
    db = _db(args)
    if not db.exists():
        raise ExportError(f"{db} does not exist")
    return db


def cmd_export(args: argparse.Namespace) -> int:
    out = absolute(args.out)
    rows = on_file(
        _existing_db(args),
        Request.EXPORT,
        shown={out: args.out},
        out=out,
        channels=args.channel,
        start=args.start,
        end=args.end,
        resolution=args.resolution,
        wide=args.wide,
        local_time=args.local_time,
    )
    print(f"Wrote {rows} rows to {args.out}.")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    db = _existing_db(args)
    info: FileInfo = on_file(db, Request.INFO)
    info = dataclasses.replace(info, path=str(db))  # the holder names the file its own way
    print(f"{info.path}: {info.file_bytes / 1e6:.1f} MB, schema version {info.schema_version}")
    if info.channels.empty:
        print("No channels yet.")
        return 0
    print(
        f"{'CHANNEL':<24} {'UNIT':<6} {'FIRST (UTC)':<20} {'LAST (UTC)':<20} {'RAW':>12} {'1-MIN':>9} "
        f"{'1-HOUR':>7}"
    )
    for row in info.channels.itertuples(index=False):
        first = "-" if row.first is None or str(row.first) == "NaT" else str(row.first)[:19]
        last = "-" if row.last is None or str(row.last) == "NaT" else str(row.last)[:19]
        print(
            f"{left(row.name, 24)} {left(row.unit, 6)} {first:<20} {last:<20} {row.raw:>12} "
            f"{row.minutes:>9} {row.hours:>7}"
        )
    return 0
