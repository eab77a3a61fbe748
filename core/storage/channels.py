"""The channel table: creating channels the first time a name is seen, and looking them up."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

# Creation that collides with another store on this file is tried this often.
_ATTEMPTS = 5


def create_channels(cur: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, int]:
    """Create the channels among ``names`` that do not exist yet, in one statement (a flood of
    3,000 new names costs one statement, not 3,000); return the id of every one of ``names``."""
    for attempt in range(_ATTEMPTS):
        try:
            # Another store on this file may create channels too: ids continue after the largest,
            # and if two pick the same one the primary key refuses one; it retries.
            cur.execute(
                "INSERT INTO channels (id, name) "
                "SELECT (SELECT coalesce(max(id), 0) FROM channels) "
                "+ row_number() OVER (ORDER BY pos), name "
                "FROM (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::INTEGER[]) AS pos) "
                "WHERE name NOT IN (SELECT name FROM channels)",
                [names, list(range(len(names)))],
            ).fetchall()
            break
        except (duckdb.ConstraintException, duckdb.TransactionException):
            if attempt == _ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    return dict(
        cur.execute(
            "SELECT name, id FROM channels WHERE name IN (SELECT unnest(?::VARCHAR[]))", [names]
        ).fetchall()
    )


def all_channel_ids(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every channel of the file: name → id."""
    return dict(cur.execute("SELECT name, id FROM channels").fetchall())


def channel_names(store: ReadingStore) -> list[str]:
    """Every channel's name, sorted."""
    return [r[0] for r in store.cursor().execute("SELECT name FROM channels ORDER BY name").fetchall()]


def channel_id(store: ReadingStore, name: str) -> int | None:
    """The id of channel ``name``, None if the file has no such channel (asked of the file: another
    connection may have created it since this store opened)."""
    row = store.cursor().execute("SELECT id FROM channels WHERE name = ?", [name]).fetchall()
    return int(row[0][0]) if row else None
