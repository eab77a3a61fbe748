"""Appending a DataFrame to one of the file's tables: one insert per frame, on the file's writer.

DuckDB inserts a registered frame far faster than rows (STYLE.md: 600 rows/s with executemany
against millions with a frame), so every append of many rows goes this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from core.storage.store import ReadingStore


def append_frame(
    store: ReadingStore, table: str, columns: Sequence[str], frame: pd.DataFrame, what: str
) -> int:
    """Insert ``frame``'s ``columns`` into ``table`` in one transaction through the file's writer
    (:meth:`ReadingStore.write`); return the number of rows. ``what`` names it in the log."""
    if frame.empty:
        return 0
    names = ", ".join(columns)
    view = f"wk_new_{table}"

    def insert(cur: duckdb.DuckDBPyConnection) -> None:
        cur.register(view, frame)
        try:
            cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
        finally:
            cur.unregister(view)

    store.write(insert, what=what)
    return len(frame)
