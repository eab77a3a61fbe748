"""What forwarders read from the file, and the cursors that say how far each has sent.

A forwarder sends three streams, each in a stable order that new rows only ever extend:
readings by ``(ts, channel_id)``, alarm transitions by their journal ``seq`` and forecast cycles
by ``generated_at``. Its cursor (one ``forward_cursors`` row per forwarder and stream) is the last
position the target acknowledged; everything after it is the backlog. Readings are stamped with
the PC's receive time as they arrive, so new commits land after the cursor; readings imported
later with older times (a CSV import) are not sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

# Each channel's newest cycle, for a forwarder's first snapshot (read where the table is read).
from core.storage.conflicts import retry_conflicts
from core.storage.forecasts import newest_cycles as newest_forecasts  # noqa: F401
from core.storage.store import ReadingStore

READINGS, ALARMS, FORECASTS, DIGEST = "readings", "alarms", "forecasts", "digest"
STREAMS = (READINGS, ALARMS, FORECASTS)


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a stream: rows after it are unsent. ``key`` breaks ties at one ``ts_us``
    (the channel id of a reading, the seq of an alarm event)."""

    ts_us: int
    key: int = 0
    sent: int = 0  # rows sent from this file so far (for the operator)


def _dt(ts_us: int) -> datetime:
    return datetime.fromtimestamp(ts_us // 1_000_000, UTC).replace(microsecond=ts_us % 1_000_000)


def load_position(store: ReadingStore, forwarder: str, stream: str) -> Position | None:
    row = (
        store.cursor()
        .execute(
            "SELECT ts_us, position, sent FROM forward_cursors WHERE forwarder = ? AND stream = ?",
            [forwarder, stream],
        )
        .fetchall()
    )
    return Position(*map(int, row[0])) if row else None


def save_position(store: ReadingStore, forwarder: str, stream: str, pos: Position) -> None:
    """Remember that the target has everything up to ``pos`` (one small commit).

    Committed here, not handed to the file's writer: a cursor row is written by its own forwarder
    only, so it never collides with another transaction, and waiting for the writer would pace
    every send by the reading commits. A conflict all the same is retried.
    """
    cur = store.cursor()
    retry_conflicts(
        lambda: cur.execute(
            "INSERT INTO forward_cursors (forwarder, stream, ts_us, position, sent, updated_at) "
            "VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (forwarder, stream) DO UPDATE SET "
            "ts_us = excluded.ts_us, position = excluded.position, sent = excluded.sent, "
            "updated_at = excluded.updated_at",
            [forwarder, stream, pos.ts_us, pos.key, pos.sent],
        ),
        f"saving the cursor of {forwarder}",
    )


def newest_position(store: ReadingStore, stream: str, history_us: int = 0) -> Position:
    """Where a new forwarder starts: after what the file holds now, less ``history_us``."""
    cur = store.cursor()
    if stream == READINGS:
        newest = cur.execute("SELECT epoch_us(max(ts)) FROM samples").fetchall()[0][0]
        if newest is None:
            return Position(0, 0)
        if history_us > 0:
            return Position(int(newest) - history_us, 0)
        top = cur.execute("SELECT max(channel_id) FROM samples WHERE ts = ?", [_dt(int(newest))]).fetchall()[
            0
        ][0]
        return Position(int(newest), int(top or 0))
    if stream == ALARMS:
        row = cur.execute("SELECT max(seq), epoch_us(max(ts)) FROM alarm_events").fetchall()[0]
        if history_us > 0 and row[1] is not None:
            since = cur.execute(
                "SELECT min(seq) - 1 FROM alarm_events WHERE ts >= ?", [_dt(int(row[1]) - history_us)]
            ).fetchall()[0][0]
            return Position(0, int(since or 0))
        return Position(0, int(row[0] or 0))
    newest = cur.execute("SELECT epoch_us(max(generated_at)) FROM forecasts").fetchall()[0][0]
    return Position(int(newest) - history_us if newest is not None else 0)


_AFTER = "s.ts >= ? AND (s.ts > ? OR s.channel_id > ?)"


def readings_after(store: ReadingStore, pos: Position, limit: int) -> dict[str, np.ndarray]:
    """Up to ``limit`` readings after ``pos``, oldest first: arrays ``ts_us``, ``channel_id``,
    ``channel``, ``unit`` and ``value``."""
    at = _dt(pos.ts_us)
    return (
        store.cursor()
        .execute(
            "SELECT epoch_us(s.ts) AS ts_us, s.channel_id, c.name AS channel, c.unit, s.value "
            f"FROM samples s JOIN channels c ON c.id = s.channel_id WHERE {_AFTER} "
            "ORDER BY s.ts, s.channel_id LIMIT ?",
            [at, at, pos.key, limit],
        )
        .fetchnumpy()
    )


def alarms_after(store: ReadingStore, pos: Position, limit: int) -> pd.DataFrame:
    """Alarm transitions after ``pos`` (by journal seq), oldest first, ``ts_us`` in µs."""
    return (
        store.cursor()
        .execute(
            "SELECT seq, epoch_us(ts) AS ts_us, alarm_id, channel, kind, priority, state, value, "
            "message, comment FROM alarm_events WHERE seq > ? ORDER BY seq LIMIT ?",
            [pos.key, limit],
        )
        .df()
    )


def forecasts_after(store: ReadingStore, pos: Position, cycles: int) -> pd.DataFrame:
    """Every row of the next ``cycles`` forecast cycles generated after ``pos``."""
    return (
        store.cursor()
        .execute(
            "SELECT channel, epoch_us(generated_at) AS generated_us, epoch_us(target_ts) AS target_us, "
            "value, lower_80, upper_80, lower_95, upper_95, model FROM forecasts "
            "WHERE generated_at IN (SELECT DISTINCT generated_at FROM forecasts WHERE generated_at > ? "
            "ORDER BY generated_at LIMIT ?) ORDER BY generated_at, channel, target_ts",
            [_dt(pos.ts_us), cycles],
        )
        .df()
    )


def backlog(store: ReadingStore, stream: str, pos: Position) -> tuple[int, int | None]:
    """Rows of ``stream`` not yet sent, and the time (µs) of the oldest of them."""
    cur = store.cursor()
    if stream == READINGS:
        at = _dt(pos.ts_us)
        sql, params = f"SELECT count(*), epoch_us(min(s.ts)) FROM samples s WHERE {_AFTER}", [at, at, pos.key]
    elif stream == ALARMS:
        sql, params = "SELECT count(*), epoch_us(min(ts)) FROM alarm_events WHERE seq > ?", [pos.key]
    else:
        sql = (
            "SELECT count(DISTINCT generated_at), epoch_us(min(generated_at)) FROM forecasts "
            "WHERE generated_at > ?"
        )
        params = [_dt(pos.ts_us)]
    n, oldest = cur.execute(sql, params).fetchall()[0]
    return int(n), None if oldest is None else int(oldest)


def alarm_events_between(store: ReadingStore, start_us: int, end_us: int) -> pd.DataFrame:
    """Alarm transitions in ``[start_us, end_us)`` (for a digest), oldest first."""
    return (
        store.cursor()
        .execute(
            "SELECT seq, epoch_us(ts) AS ts_us, alarm_id, channel, kind, priority, state, value, message "
            "FROM alarm_events WHERE ts >= ? AND ts < ? ORDER BY seq",
            [_dt(start_us), _dt(end_us)],
        )
        .df()
    )


def unsent_since(store: ReadingStore, forwarders: Iterable[str]) -> dict[str, int]:
    """The readings cursor (µs) of each of ``forwarders`` that has one: readings after it are unsent."""
    names = list(forwarders)
    if not names:
        return {}
    rows = (
        store.cursor()
        .execute(
            "SELECT forwarder, ts_us FROM forward_cursors WHERE stream = ? "
            "AND forwarder IN (SELECT unnest(?::VARCHAR[]))",
            [READINGS, names],
        )
        .fetchall()
    )
    return {name: int(ts) for name, ts in rows}
