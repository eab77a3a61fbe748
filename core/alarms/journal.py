"""AlarmJournal: every alarm transition in the ``alarm_events`` table of the Watchkeeper file.

A thin class over :mod:`core.storage.journal` (where its SQL lives) that speaks in AlarmEvents
and in the times a user types. The journal is the alarms' memory across restarts (:meth:`latest`)
and the source of the KPIs and the CSV export.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd

from core.alarms.model import AlarmEvent
from core.messages import encode_params
from core.storage.export import ExportError
from core.storage.journal import COLUMNS, append_events, events_between, latest_events
from core.storage.store import ReadingStore

__all__ = ["COLUMNS", "AlarmJournal", "parse_time"]


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


def _when(t: object) -> datetime | None:
    return None if t is None else parse_time(t).to_pydatetime()


class AlarmJournal:
    """The journal of ``store``'s file; appends go through the file's writer while one runs."""

    def __init__(self, store: ReadingStore) -> None:
        self.store = store

    def append(self, events: Sequence[AlarmEvent]) -> None:
        """Persist transitions in one transaction."""
        if not events:
            return
        ids, params = zip(*(encode_params(e.phrase) for e in events), strict=True)
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
                "message_id": pd.array(ids, dtype="string"),
                "message_params": pd.array(params, dtype="string"),
            }
        )
        append_events(self.store, frame)

    def frame(self, start: object = None, end: object = None) -> pd.DataFrame:
        """Events in ``[start, end)`` in the order they happened (``ts`` as UTC timestamps)."""
        return events_between(self.store, _when(start), _when(end))

    def latest(self, end: object = None) -> pd.DataFrame:
        """The last event of every alarm (before ``end``), with ``ts_us`` and ``activated_us``."""
        return latest_events(self.store, _when(end))

    def export_csv(
        self,
        path: str | os.PathLike[str],
        start: object = None,
        end: object = None,
        translated: tuple[str, Callable[[pd.DataFrame], list[str]]] | None = None,
    ) -> int:
        """Write the events of ``[start, end)`` to a CSV file; returns the number of rows.

        The English ``message`` is kept with its ``message_id`` and ``message_params`` (JSON);
        ``translated`` = ``(column, words)`` adds ``column`` after ``message``: ``words(frame)``,
        each row's message in the operator's language (the file then starts with a BOM, so a
        spreadsheet reads Hangul right)."""
        frame = self.frame(start, end).drop(columns="seq")
        frame["ts"] = frame["ts"].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if translated is not None:
            column, words = translated
            frame.insert(frame.columns.get_loc("message") + 1, column, words(frame))
        try:
            frame.to_csv(Path(path), index=False, encoding="utf-8-sig" if translated else "utf-8")
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
        return len(frame)
