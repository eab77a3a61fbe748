"""Anomaly spans from the journal: when each channel's anomaly alarm was active (for shading plots)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.alarms.model import AlarmKind
from core.storage.journal import transitions_of_kind

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

_ACTIVE = ("active_unack", "active_ack")


def anomaly_spans(store: ReadingStore, start_s: float, end_s: float) -> dict[str, list[tuple[float, float]]]:
    """Per channel, ``(start_s, end_s)`` of every anomaly-alarm activation overlapping the range.

    An activation lasts from the alarm becoming active until its next transition out of the
    active states; one still active runs to ``end_s``.
    """
    rows = transitions_of_kind(store, AlarmKind.ANOMALY.value, datetime.fromtimestamp(end_s, UTC))
    out: dict[str, list[tuple[float, float]]] = {}
    opened: dict[str, float] = {}
    for channel, t, state in rows:
        if state in _ACTIVE:
            opened.setdefault(channel, t)
        elif channel in opened:
            began = opened.pop(channel)
            if t >= start_s:
                out.setdefault(channel, []).append((began, t))
    for channel, began in opened.items():
        out.setdefault(channel, []).append((began, end_s))
    return out
