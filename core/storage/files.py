"""The checks a file passes before it is used, and the clean-up of a file a failed start created."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb

from core.messages import Message, MessageId
from core.storage.errors import NotADatabaseError, StoreDamagedError, StoreError, damaged_message, open_error
from core.storage.schema import current_version

log = logging.getLogger(__name__)

# Every DuckDB file carries this at byte 8 of its first header block.
_DUCKDB_MAGIC = b"DUCK"
_HEADER_BYTES = 3 * 4096  # the file header and the two database headers before the first block
# Files up to this size are read whole when opened, to find a damaged block before it is used.
_FULL_CHECK_BYTES = 4_000_000_000
# Names that say "this is data for another program": never turned into a database, even when empty.
_FOREIGN_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".parquet", ".xlsx", ".xls", ".sqlite", ".sqlite3"}


def _looks_like(head: bytes, path: Path) -> Message:
    if head.startswith(b"SQLite format 3\0"):
        return Message.of(MessageId.KIND_SQLITE)
    if head.startswith(b"PAR1"):
        return Message.of(MessageId.KIND_PARQUET)
    if path.suffix.lower() in _FOREIGN_SUFFIXES:
        return Message.of(MessageId.KIND_NAMED, suffix=path.suffix[1:].upper())
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return Message.of(MessageId.KIND_OTHER_PROGRAM)
    return Message.of(MessageId.KIND_TEXT)


def check_database_path(path: str | os.PathLike[str], read_only: bool = False) -> bool:
    """Refuse ``path`` unless it is a DuckDB file or a new one; True if the file exists.

    Checked before DuckDB sees the file: DuckDB opens a CSV or Parquet path as an empty in-memory
    database (every reading recorded into it is lost) and tries to download its SQLite extension
    for an SQLite file. The window and the command line both open files through this check.
    """
    path = Path(path)
    if path.is_dir():
        raise NotADatabaseError(
            Message.of(MessageId.STORE_IS_FOLDER, path=str(path), example=str(path / "plant.duckdb"))
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        if read_only:
            raise StoreError(Message.of(MessageId.STORE_MISSING, path=str(path))) from None
        if path.suffix.lower() in _FOREIGN_SUFFIXES:
            kind = _looks_like(b"", path)
            raise NotADatabaseError(
                Message.of(MessageId.STORE_FOREIGN_NAME, name=path.name, kind=kind)
            ) from None
        return False
    except OSError as exc:
        raise open_error(path, exc) from exc
    if size == 0:
        if path.suffix.lower() in _FOREIGN_SUFFIXES or read_only:
            raise NotADatabaseError(Message.of(MessageId.STORE_EMPTY, path=str(path)))
        return True  # left by a start that failed; it holds nothing, so it becomes the new database
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise open_error(path, exc) from exc
    if head[8:12] != _DUCKDB_MAGIC:
        kind = _looks_like(head, path)
        raise NotADatabaseError(Message.of(MessageId.STORE_FOREIGN_FILE, path=str(path), kind=kind))
    return True


def remove_new_file(path: Path) -> None:
    """Remove a database this process created in a start that then failed (and its log)."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s after a failed start: %s", leftover, exc)


def check_integrity(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file that is shorter than its own block count says, or not Watchkeeper's."""
    block_size, blocks = con.execute(
        "SELECT block_size, total_blocks FROM pragma_database_size()"
    ).fetchall()[0]
    needed = _HEADER_BYTES + int(block_size) * int(blocks)
    size = path.stat().st_size
    if size < needed:
        log.info("%s holds %d bytes but its blocks need %d: truncated", path, size, needed)
        raise StoreDamagedError(damaged_message(path))
    listed = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    tables = {row[0] for row in listed}
    if tables and current_version(con) == 0:
        raise NotADatabaseError(Message.of(MessageId.STORE_OTHER_PROGRAMS_DB, path=str(path)))
    # Read every block (the checksums are verified as blocks are read): a damaged block shows
    # here, not in the middle of recording or of an export. About 0.7 s per GB on a plant PC;
    # beyond _FULL_CHECK_BYTES only the newest day of raw readings is read in full.
    recent = (
        "" if size <= _FULL_CHECK_BYTES else (" WHERE ts >= (SELECT max(ts) FROM samples) - INTERVAL 1 DAY")
    )
    for table, sql in (
        ("channels", "SELECT bit_xor(hash(id, name, unit)) FROM channels"),
        ("rollup_1h", "SELECT bit_xor(hash(channel_id, bucket, n, vmin, vmax, vsum)) FROM rollup_1h"),
        ("rollup_1m", "SELECT bit_xor(hash(channel_id, bucket, n, vmin, vmax, vsum)) FROM rollup_1m"),
        ("samples", f"SELECT bit_xor(hash(channel_id, ts, value)) FROM samples{recent}"),
    ):
        if table in tables:
            con.execute(sql).fetchall()
