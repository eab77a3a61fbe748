"""AlarmJournal: every alarm transition in the ``alarm_events`` table of the Watchkeeper file.

Appends are one DataFrame insert per batch of events (DuckDB inserts frames far faster than rows);
each thread uses its own cursor of the store. The journal is the alarms' memory across restarts
(:meth:`latest`) and the source of the KPIs and the CSV export.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from core.alarms.model import AlarmEvent
from core.storage.export import ExportError
from core.storage.store import ReadingStore

COLUMNS = ["ts", "alarm_id", "channel", "kind", "priority", "state", "value", "message", "comment"]


def parse_time(t: object) -> pd.Timestamp:
    """A user's time (``2026-01-31``, ``2026-01-31T08:00``, with or without offset: UTC) or a stamp."""
    if isinstance(t, int):
        return pd.Timestamp(t, unit="us", tz="UTC")
    try:
        stamp = pd.Timestamp(t)
    except (ValueError, TypeError):
        raise ExportError(f"cannot read the time {t!r}: use e.g. 2026-01-31 or 2026-01-31T08:00") from None
    if pd.isna(stamp):
        raise ExportError(f"cannot read the time {t!r}: use e.g. 2026-01-31 or 2026-01-31T08:00")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


class AlarmJournal:
    def __init__(self, store: ReadingStore) -> None:
        self.store = store

    def append(self, events: Sequence[AlarmEvent]) -> None:
        """Persist transitions in one transaction."""
        if not events:
            return
        frame = pd.DataFrame(
            {
                "ts": pd.to_datetime([e.ts_us for e in events], unit="us", utc=True),
                "alarm_id": [e.alarm_id for e in events],
                "channel": [e.channel for e in events],
                "kind": [e.kind.value for e in events],
                "priority": [e.priority.value for e in events],
                "state": [e.state.value for e in events],
                "value": pd.array([e.value for e in events], dtype="Float64"),
                "message": [e.message for e in events],
                "comment": [e.comment for e in events],
            }
        )
        cur = self.store.cursor()
        cur.register("new_alarm_events", frame)
        try:
            names = ", ".join(COLUMNS)
            cur.execute(f"INSERT INTO alarm_events ({names}) SELECT {names} FROM new_alarm_events")
        finally:
            cur.unregister("new_alarm_events")

    def frame(self, start: object = None, end: object = None) -> pd.DataFrame:
        """Events in ``[start, end)`` in the order they happened (``ts`` as UTC timestamps)."""
        where, params = [], []
        if start is not None:
            where.append("ts >= ?")
            params.append(parse_time(start).to_pydatetime())
        if end is not None:
            where.append("ts < ?")
            params.append(parse_time(end).to_pydatetime())
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        return (
            self.store.cursor()
            .execute(f"SELECT seq, {', '.join(COLUMNS)} FROM alarm_events{cond} ORDER BY seq", params)
            .df()
        )

    def latest(self, end: object = None) -> pd.DataFrame:
        """The last event of every alarm (before ``end``), with ``ts_us`` and ``activated_us``."""
        cond, params = "", []
        if end is not None:
            cond, params = " WHERE ts < ?", [parse_time(end).to_pydatetime()]
        return (
            self.store.cursor()
            .execute(
                f"""
            SELECT alarm_id, channel, kind, priority, state, value, message, comment,
                   epoch_us(ts) AS ts_us, activated_us
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

    def export_csv(self, path: str | os.PathLike[str], start: object = None, end: object = None) -> int:
        """Write the events of ``[start, end)`` to a CSV file; returns the number of rows."""
        frame = self.frame(start, end).drop(columns="seq")
        frame["ts"] = frame["ts"].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        try:
            frame.to_csv(Path(path), index=False)
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
        return len(frame)
