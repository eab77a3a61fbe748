"""Export readings or rollups to CSV or Parquet, and summarise a file (``watchkeeper info``)."""

from __future__ import annotations

import codecs
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from core.messages import Message, MessageError, MessageId

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

RESOLUTION_TABLES = {"1min": "rollup_1m", "1h": "rollup_1h"}
log = logging.getLogger(__name__)
M = MessageId


class ExportError(MessageError):
    """The export cannot be made; one sentence (``message``)."""


def _time(t: object) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(t)
    except (ValueError, TypeError):
        raise ExportError(f"cannot read the time {t!r}: use e.g. 2026-01-31 or 2026-01-31T08:00") from None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def export_query(
    channels: list[str] | None,
    start: object,
    end: object,
    resolution: str,
    wide: bool,
    pivot_channels: list[str] = (),
) -> tuple[str, list[object]]:
    """SQL and parameters for the rows an export writes (``pivot_channels``: the wide columns)."""
    where, params = [], []
    if channels:
        where.append(f"channel IN ({', '.join('?' * len(channels))})")
        params += channels
    if start is not None:
        where.append("ts >= ?")
        params.append(_time(start).to_pydatetime())
    if end is not None:
        where.append("ts < ?")
        params.append(_time(end).to_pydatetime())
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    if resolution == "raw":
        base = f"SELECT ts, channel, value FROM readings{cond}"
        value = "value"
    elif resolution in RESOLUTION_TABLES:
        base = (
            "SELECT * FROM (SELECT r.bucket AS ts, c.name AS channel, r.vsum / r.n AS mean, "
            f"r.vmin AS min, r.vmax AS max, r.n AS count FROM {RESOLUTION_TABLES[resolution]} r "
            f"JOIN channels c ON c.id = r.channel_id){cond}"
        )
        value = "mean"
    else:
        raise ExportError(f"resolution must be raw, 1min or 1h, got {resolution!r}")
    if wide:
        names = ", ".join("'" + c.replace("'", "''") + "'" for c in pivot_channels)
        return (
            f"SELECT * FROM (PIVOT ({base}) ON channel IN ({names}) USING first({value}) GROUP BY ts) "
            "ORDER BY ts",
            params,
        )
    return base + " ORDER BY ts, channel", params


def export(
    store: ReadingStore,
    out: str | Path,
    channels: list[str] | None = None,
    start: object = None,
    end: object = None,
    resolution: str = "raw",
    wide: bool = False,
    local_time: str | None = None,
    decimals: int = 6,
) -> int:
    """Write the selection to ``out`` (.csv or .parquet) atomically; return the number of rows.

    A CSV file opens correctly in Excel: UTF-8 with a byte-order mark, timestamps in ISO 8601
    (UTC, with "Z"), values rounded to ``decimals`` places, and with ``local_time`` (a time zone
    name, "" for the computer's own) a ``local_time`` column Excel reads as a date and time.
    Parquet keeps the stored types."""
    out = Path(out)
    fmt = {".csv": "csv", ".parquet": "parquet"}.get(out.suffix.lower())
    if fmt is None:
        raise ExportError(f"the output must end in .csv or .parquet, got {out.name}")
    known = set(store.channels()["name"])
    missing = [c for c in channels or [] if c not in known]
    if missing:
        raise ExportError(f"no channel named {', '.join(missing)} (known: {', '.join(sorted(known))})")
    import duckdb

    pivot = channels or sorted(known)
    sql, params = export_query(channels, start, end, resolution, wide, pivot)
    cur = store.cursor()
    if fmt == "csv":
        zone = _zone(local_time) if local_time is not None else None
        columns = _csv_columns(resolution, wide, pivot)
        sql = csv_select(sql, columns, zone, decimals)
    tmp = out.with_name(f".{out.name}.tmp")
    bom = out.with_name(f".{out.name}.bom.tmp")
    options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        rows = cur.execute(f"COPY ({sql}) TO '{_sql_path(tmp)}' ({options})", params).fetchall()[0][0]
        if fmt == "csv":
            # The byte-order mark tells Excel (Korean Excel in particular) the file is UTF-8;
            # without it channel names such as 온도 show as mojibake.
            with bom.open("wb") as dst, tmp.open("rb") as src:
                dst.write(codecs.BOM_UTF8)
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(bom, out)
        else:
            os.replace(tmp, out)
    except duckdb.Error as exc:
        raise _read_or_write_error(store, out, exc) from None
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise ExportError(Message.of(M.EXPORT_CANNOT_WRITE, path=str(out), detail=detail)) from None
    finally:
        tmp.unlink(missing_ok=True)
        bom.unlink(missing_ok=True)
    return int(rows)


# Excel reads "2026-01-31 17:00:00.250" as a date and time; ISO 8601 with "Z" names UTC exactly.
UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
LOCAL_FORMAT = "%Y-%m-%d %H:%M:%S.%g"


def _csv_columns(resolution: str, wide: bool, pivot: list[str]) -> list[tuple[str, bool]]:
    """The columns after ``ts`` of a CSV export, each with whether it holds measured values."""
    if wide:
        return [(name, True) for name in pivot]
    if resolution == "raw":
        return [("channel", False), ("value", True)]
    return [("channel", False), ("mean", True), ("min", True), ("max", True), ("count", False)]


def csv_select(sql: str, columns: list[tuple[str, bool]], zone: str | None, decimals: int) -> str:
    """``sql`` with its timestamps written as ISO 8601 UTC (plus local time in ``zone``, if given)
    and its values rounded to ``decimals`` places, as the CSV export writes them."""
    out = [f"strftime(ts AT TIME ZONE 'UTC', '{UTC_FORMAT}') AS ts"]
    if zone is not None:
        quoted = zone.replace("'", "''")
        out.append(f"strftime(ts AT TIME ZONE '{quoted}', '{LOCAL_FORMAT}') AS local_time")
    for name, measured in columns:
        col = '"' + name.replace('"', '""') + '"'
        out.append(f"round({col}, {int(decimals)}) AS {col}" if measured else col)
    return f"SELECT {', '.join(out)} FROM ({sql})"


def system_time_zone() -> str:
    """The computer's time zone as an IANA name (DuckDB's ICU finds it on Windows too)."""
    import duckdb

    con = duckdb.connect()
    try:
        return str(con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])
    finally:
        con.close()


def _zone(name: str) -> str:
    """A time zone DuckDB knows; "" is the computer's own."""
    import duckdb

    zone = name or system_time_zone()
    con = duckdb.connect()
    try:
        con.execute("SELECT TIMESTAMPTZ '2026-01-01 00:00:00+00' AT TIME ZONE ?", [zone]).fetchall()
    except duckdb.Error:
        raise ExportError(f"unknown time zone {zone!r} (use a name such as Asia/Seoul or UTC)") from None
    finally:
        con.close()
    return zone


def _read_or_write_error(store: ReadingStore, out: Path, exc: Exception) -> ExportError:
    """A DuckDB failure during an export, as one sentence: the database is damaged, or the
    output cannot be written (full disk, no permission)."""
    from core.storage.errors import Problem, classify, damaged_message

    log.info("export from %s to %s failed: %s", store.path, out, exc)
    problem = classify(exc)
    if problem is Problem.DAMAGED:
        return ExportError(damaged_message(store.path))
    if problem is Problem.NO_SPACE:
        return ExportError(Message.of(M.EXPORT_DISK_FULL, path=str(out)))
    if problem in (Problem.NO_PERMISSION, Problem.READ_ONLY):
        return ExportError(Message.of(M.EXPORT_NO_PERMISSION, path=str(out)))
    return ExportError(Message.of(M.EXPORT_FAILED, db=str(store.path), path=str(out)))


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


@dataclass(frozen=True)
class FileInfo:
    path: str
    file_bytes: int
    schema_version: int
    channels: pd.DataFrame  # name, unit, first, last, raw, minutes, hours


def file_info(store: ReadingStore) -> FileInfo:
    """What ``watchkeeper info`` prints; a damaged part of the file raises :class:`ExportError`."""
    import duckdb

    try:
        return _file_info(store)
    except duckdb.Error as exc:
        raise _read_or_write_error(store, Path(store.path), exc) from None


def _file_info(store: ReadingStore) -> FileInfo:
    cur = store.cursor()
    df = cur.execute(
        """
        SELECT c.name, c.unit, least(s.first, h.first_hour) AS first,
               greatest(s.last, h.last_hour) AS last, coalesce(s.raw, 0) AS raw,
               coalesce(m.rows, 0) AS minutes, coalesce(h.rows, 0) AS hours,
               coalesce(h.total, 0) AS readings_ever
        FROM channels c
        LEFT JOIN (SELECT channel_id, min(ts) AS first, max(ts) AS last, count(*) AS raw
                   FROM samples GROUP BY 1) s ON s.channel_id = c.id
        LEFT JOIN (SELECT channel_id, count(*) AS rows FROM rollup_1m GROUP BY 1) m ON m.channel_id = c.id
        LEFT JOIN (SELECT channel_id, count(*) AS rows, sum(n) AS total, min(bucket) AS first_hour,
                          max(bucket) AS last_hour
                   FROM rollup_1h GROUP BY 1) h ON h.channel_id = c.id
        ORDER BY c.name
        """
    ).df()
    version = cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    return FileInfo(str(store.path), store.file_size(), int(version), df)
