"""The ``alarm_events`` table: the alarm journal, one row per alarm state transition.

Rows are appended as one DataFrame insert per batch of events (DuckDB inserts frames far faster
than rows), through the file's writer; ``seq`` numbers them in the order they were written.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from core.storage.frames import append_frame

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

# ``message`` is the English sentence; ``message_id`` and ``message_params`` (JSON) the same
# message as an id with parameters (core.messages), NULL in rows journaled before schema 8.
COLUMNS = [
    "ts",
    "alarm_id",
    "channel",
    "kind",
    "priority",
    "state",
    "value",
    "message",
    "comment",
    "message_id",
    "message_params",
]
_NAMES = ", ".join(COLUMNS)


def append_events(store: ReadingStore, frame: pd.DataFrame) -> int:
    """Append ``frame`` (the :data:`COLUMNS`, ``ts`` as UTC timestamps) in one transaction on the
    file's writer; return how many rows."""
    return append_frame(store, "alarm_events", COLUMNS, frame, "journalling alarm events")


def events_between(store: ReadingStore, start: datetime | None, end: datetime | None) -> pd.DataFrame:
    """Events in ``[start, end)`` (either open) in the order written: ``seq`` and the :data:`COLUMNS`."""
    where, params = [], []
    if start is not None:
        where.append("ts >= ?")
        params.append(start)
    if end is not None:
        where.append("ts < ?")
        params.append(end)
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    return store.cursor().execute(f"SELECT seq, {_NAMES} FROM alarm_events{cond} ORDER BY seq", params).df()


def latest_events(store: ReadingStore, end: datetime | None = None) -> pd.DataFrame:
    """The last event of every alarm (before ``end``), with ``ts_us`` and ``activated_us`` (when
    it last became active and unacknowledged), ordered by alarm id."""
    cond, params = "", []
    if end is not None:
        cond, params = " WHERE ts < ?", [end]
    return (
        store.cursor()
        .execute(
            f"""
        SELECT alarm_id, channel, kind, priority, state, value, message, comment,
               message_id, message_params, epoch_us(ts) AS ts_us, activated_us
        FROM (
            SELECT *, row_number() OVER (PARTITION BY alarm_id ORDER BY seq DESC) AS rn,
                   max(CASE WHEN state = 'active_unack' THEN epoch_us(ts) END)
                       OVER (PARTITION BY alarm_id) AS activated_us
            FROM alarm_events{cond}
        ) WHERE rn = 1 ORDER BY alarm_id
        """,
            params,
        )
        .df()
    )


def transitions_of_kind(store: ReadingStore, kind: str, before: datetime) -> list[tuple[str, float, str]]:
    """``(channel, ts_s, state)`` of every transition of alarms of ``kind`` before ``before``,
    per channel in the order written."""
    return (
        store.cursor()
        .execute(
            "SELECT channel, epoch(ts), state FROM alarm_events WHERE kind = ? AND ts < ? "
            "ORDER BY channel, seq",
            [kind, before],
        )
        .fetchall()
    )
