"""Import history from CSV: wide (timestamp + one column per channel) or long (timestamp, channel, value).

DuckDB's own CSV reader does the parsing (over a million readings a second); rows it cannot read
are reported with their line numbers and the rest is imported, or with ``strict`` nothing is.
Importing the same file twice stores each (channel, timestamp) once.
"""

from __future__ import annotations

import csv
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from core.storage.rollups import merge_rollups

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

ENCODINGS = ("utf-8-sig", "cp949")  # tried in this order; utf-8-sig also reads UTF-8 without a BOM
TIMESTAMP_NAMES = ("timestamp", "date", "time", "datetime", "ts")
LONG_COLUMNS = ("channel", "value")
log = logging.getLogger(__name__)


class CsvImportError(Exception):
    """The file cannot be imported (or, with strict, had malformed rows); one sentence."""


@dataclass
class ImportReport:
    path: str
    format: str
    timestamp_column: str
    channels: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read without error
    stored: int = 0  # readings written
    duplicates: int = 0  # readings already in the file (or repeated in it)
    skipped_values: int = 0  # empty, NaN or infinite cells
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line, reason), first 1000
    malformed_count: int = 0
    seconds: float = 0.0
    encoding: str = "utf-8-sig"  # or "cp949" (a file saved by Korean Excel)

    @property
    def readings_per_second(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0


def _read_sample(path: Path) -> tuple[str, str]:
    """The first 64 KiB of text and the encoding it is in: UTF-8 (with or without the BOM Excel
    writes), else cp949, the code page Korean Windows and Korean Excel save CSV files in."""
    for encoding in ENCODINGS:
        try:
            with path.open(newline="", encoding=encoding) as f:
                return f.read(64 * 1024), encoding
        except FileNotFoundError:
            raise CsvImportError(f"{path} does not exist") from None
        except UnicodeDecodeError:
            continue
        except OSError as exc:
            raise CsvImportError(f"{path} cannot be read: {exc.strerror}") from None
    raise CsvImportError(f"{path} is neither UTF-8 nor Korean (cp949) text")


def _utf8_copy(path: Path, encoding: str, folder: str) -> Path:
    """DuckDB reads UTF-8 only (other encodings need an extension it would download): a cp949
    file is read through a UTF-8 copy, line for line, so reported line numbers still match."""
    copy = Path(folder) / "utf8.csv"
    try:
        with (
            path.open(newline="", encoding=encoding) as src,
            copy.open("w", newline="", encoding="utf-8") as dst,
        ):
            shutil.copyfileobj(src, dst, 1 << 20)
    except UnicodeDecodeError as exc:
        raise CsvImportError(
            f"{path} is neither UTF-8 nor Korean (cp949) text (unreadable bytes at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise CsvImportError(f"{path} cannot be converted to UTF-8: {exc.strerror}") from None
    return copy


def _sniff(path: Path) -> tuple[str, list[str], str]:
    sample, encoding = _read_sample(path)
    if not sample.strip():
        raise CsvImportError(f"{path} is empty")
    try:
        delim = csv.Sniffer().sniff(sample.split("\n", 5)[0] + "\n", delimiters=",;\t|").delimiter
    except csv.Error:
        delim = ","
    header = next(csv.reader([sample.splitlines()[0]], delimiter=delim))
    return delim, [h.strip() for h in header], encoding


def _pick_timestamp(header: list[str], wanted: str | None, path: Path) -> str:
    if wanted:
        if wanted not in header:
            raise CsvImportError(f"{path} has no column '{wanted}' (columns: {', '.join(header)})")
        return wanted
    lower = {h.lower(): h for h in header}
    return next((lower[n] for n in TIMESTAMP_NAMES if n in lower), header[0])


def _detect_format(header: list[str], ts: str) -> str:
    rest = {h.lower() for h in header if h != ts}
    return "long" if rest == set(LONG_COLUMNS) else "wide"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def import_csv(
    store: ReadingStore,
    path: str | Path,
    timestamp_column: str | None = None,
    fmt: str | None = None,
    strict: bool = False,
    timezone: str = "UTC",
) -> ImportReport:
    """Import ``path`` into ``store``; naive timestamps are read in ``timezone``."""
    started = time.perf_counter()
    path = Path(path)
    delim, header, encoding = _sniff(path)
    if len(header) < 2:
        raise CsvImportError(f"{path} needs a timestamp column and at least one value column")
    ts = _pick_timestamp(header, timestamp_column, path)
    fmt = fmt or _detect_format(header, ts)
    if fmt not in ("wide", "long"):
        raise CsvImportError(f"format must be wide or long, got {fmt!r}")
    report = ImportReport(str(path), fmt, ts)
    if fmt == "long":
        names = {h.lower(): h for h in header}
        if not all(c in names for c in LONG_COLUMNS):
            raise CsvImportError(
                f"a long CSV needs columns {ts}, channel, value; {path} has {', '.join(header)}"
            )
        types = {ts: "TIMESTAMPTZ", names["channel"]: "VARCHAR", names["value"]: "DOUBLE"}
    else:
        types = {h: "DOUBLE" for h in header}
        types[ts] = "TIMESTAMPTZ"

    cur = store.cursor().cursor()  # own session: its TimeZone and temp tables stay private
    try:
        cur.execute("SET TimeZone = ?", [timezone])
    except duckdb.Error:
        raise CsvImportError(
            f"unknown time zone {timezone!r} (use a name such as Asia/Seoul or UTC)"
        ) from None
    report.encoding = encoding
    folder = tempfile.TemporaryDirectory(prefix="watchkeeper-import-") if encoding == "cp949" else None
    try:
        source = _utf8_copy(path, encoding, folder.name) if folder is not None else path
        _load(cur, source, delim, types, ts, fmt, header, report)
        if strict and report.malformed_count:
            line, reason = report.malformed[0]
            raise CsvImportError(
                f"{report.malformed_count} malformed row(s), the first at line {line} ({reason}); "
                "nothing was imported (--strict)"
            )
        cur.execute("SET TimeZone = 'UTC'")
        _store(store, cur, report)
    except duckdb.Error as exc:
        raise _import_error(store, path, exc) from exc
    finally:
        cur.close()
        if folder is not None:
            folder.cleanup()
    report.seconds = time.perf_counter() - started
    return report


def _import_error(store: ReadingStore, path: Path, exc: duckdb.Error) -> CsvImportError:
    """One sentence for a failed import: the database's problem, or what was wrong in the CSV
    (DuckDB's reason without its "Conversion Error:"-style prefix; the whole text is logged)."""
    from core.storage.errors import Problem, classify, write_problem

    log.info("import of %s into %s failed: %s", path, store.path, exc)
    problem = classify(exc)
    if problem not in (Problem.OTHER, Problem.NOT_A_DATABASE, Problem.MISSING):
        return CsvImportError(f"cannot import {path} into {store.path}: {write_problem(exc)}")
    reason = re.sub(r"^[A-Za-z ]*Error:\s*", "", str(exc).strip().splitlines()[0]).rstrip(".")
    return CsvImportError(f"cannot import {path}: {reason}")


def _load(
    cur,
    path: Path,
    delim: str,
    types: dict[str, str],
    ts: str,
    fmt: str,
    header: list[str],
    report: ImportReport,
) -> None:
    type_sql = "{" + ", ".join(f"'{k.replace(chr(39), chr(39) * 2)}': '{v}'" for k, v in types.items()) + "}"
    cur.execute(
        "CREATE TEMP TABLE wk_raw AS SELECT * FROM read_csv(?, header = true, delim = ?, "
        f"types = {type_sql}, store_rejects = true, rejects_table = 'wk_rej', "
        "rejects_scan = 'wk_scan', auto_detect = true)",
        [str(path), delim],
    )
    report.rows = cur.execute("SELECT count(*) FROM wk_raw").fetchall()[0][0]
    rejects = cur.execute(
        "SELECT line, coalesce(error_message, error_type) FROM wk_rej ORDER BY line"
    ).fetchall()
    seen_lines = {}
    for line, message in rejects:
        seen_lines.setdefault(int(line), message.split("\n")[0])
    report.malformed_count = len(seen_lines)
    report.malformed = list(seen_lines.items())[:1000]
    if fmt == "wide":
        value_cols = [h for h in header if h != ts]
        cur.execute(
            f"CREATE TEMP TABLE wk_long AS SELECT {_quote(ts)} AS ts, channel, value FROM "
            f"(UNPIVOT wk_raw ON {', '.join(map(_quote, value_cols))} INTO NAME channel VALUE value)"
        )
        cells = report.rows * len(value_cols)
    else:
        names = {h.lower(): h for h in header}
        cur.execute(
            f"CREATE TEMP TABLE wk_long AS SELECT {_quote(ts)} AS ts, {_quote(names['channel'])} AS channel,"
            f" {_quote(names['value'])} AS value FROM wk_raw WHERE {_quote(names['channel'])} IS NOT NULL"
            f" AND {_quote(ts)} IS NOT NULL"
        )
        cells = report.rows
    finite = cur.execute(
        "SELECT count(*) FILTER (WHERE isfinite(value) AND ts IS NOT NULL), count(*) FROM wk_long"
    ).fetchall()[0]
    report.skipped_values = cells - finite[0]
    report.channels = [
        r[0] for r in cur.execute("SELECT DISTINCT channel FROM wk_long ORDER BY 1").fetchall()
    ]


def _store(store: ReadingStore, cur, report: ImportReport) -> None:
    if not report.channels:
        return
    ids = store.channel_ids(report.channels)
    cur.execute("CREATE TEMP TABLE wk_ids (name VARCHAR, id UINTEGER)")
    cur.executemany("INSERT INTO wk_ids VALUES (?, ?)", list(zip(report.channels, ids.tolist(), strict=True)))
    cur.execute(
        "CREATE TEMP TABLE wk_new AS SELECT i.id AS channel_id, l.ts, first(l.value) AS value "
        "FROM wk_long l JOIN wk_ids i ON i.name = l.channel "
        "WHERE isfinite(l.value) AND l.ts IS NOT NULL GROUP BY ALL"
    )
    candidates = cur.execute("SELECT count(*), epoch_us(min(ts)), epoch_us(max(ts)) FROM wk_new").fetchall()[
        0
    ]
    if not candidates[0]:
        report.duplicates = 0
        return
    cur.execute(
        "CREATE TEMP TABLE wk_fresh AS SELECT n.* FROM wk_new n ANTI JOIN "
        "(SELECT channel_id, ts FROM samples "
        " WHERE ts >= make_timestamptz(?) AND ts <= make_timestamptz(?)) s "
        "ON n.channel_id = s.channel_id AND n.ts = s.ts ORDER BY n.ts",
        [candidates[1], candidates[2]],
    )
    fresh = cur.execute("SELECT count(*), epoch_us(min(ts)) FROM wk_fresh").fetchall()[0]
    valid_cells = cur.execute(
        "SELECT count(*) FROM wk_long WHERE isfinite(value) AND ts IS NOT NULL"
    ).fetchall()[0][0]
    report.duplicates = valid_cells - fresh[0]
    if not fresh[0]:
        return

    def insert(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("INSERT INTO samples SELECT channel_id, ts, value FROM wk_fresh")
        merge_rollups(cur, "wk_fresh", int(fresh[1]))

    # On the recording's writer, between its commits (in this session: its temporary tables hold
    # the rows), so it never collides with a recording on a rollup row.
    store.write(insert, cursor=cur, what=f"the import of {report.path}")
    report.stored = fresh[0]
    store.refresh_extents()
