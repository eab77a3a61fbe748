"""What ``info``, ``export``, ``alarms`` and ``import`` do on an open file, as plain functions.

The command line runs them on the store it opened itself; the process that holds a file runs the
same functions for another command (see :mod:`core.engine.ipc`) and sends back their results, so
the command prints the same either way. Paths arrive absolute: the holder's working folder is not
the caller's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.engine.ipc import Request

if TYPE_CHECKING:
    from core.storage.csv_import import ImportReport
    from core.storage.store import ReadingStore


@dataclass
class AlarmExtract:
    """What ``watchkeeper alarms`` prints from: the journal of a range and every alarm's last event."""

    events: pd.DataFrame
    latest: pd.DataFrame
    start: pd.Timestamp  # the range's start (the first event's time when none was given)
    end: pd.Timestamp
    exported: int | None = None  # rows written to the --export CSV, if one was asked for


def alarm_extract(
    store: ReadingStore,
    start: pd.Timestamp | None,
    end: pd.Timestamp,
    export: str | None = None,
) -> AlarmExtract:
    """The journal of ``[start, end)`` (from the first event when ``start`` is None), the latest
    event of every alarm before ``end``, and with ``export`` the range written to that CSV."""
    from core.alarms.journal import AlarmJournal

    journal = AlarmJournal(store)
    events = journal.frame(start, end)
    if start is None:
        start = events["ts"].min() if len(events) else end - pd.Timedelta(minutes=10)
    latest = journal.latest(end)
    exported = journal.export_csv(export, start, end) if export else None
    return AlarmExtract(events, latest, start, end, exported)


def import_file(
    store: ReadingStore,
    path: str,
    timestamp_column: str | None = None,
    fmt: str | None = None,
    strict: bool = False,
    timezone: str = "UTC",
) -> ImportReport:
    """Import a CSV file. While a recording's writer runs, the import runs on the writer's
    thread (after the readings already submitted), so the file keeps a single writer and no
    transaction of the import collides with a commit of the recording."""
    from core.storage.csv_import import import_csv

    def work() -> ImportReport:
        return import_csv(store, path, timestamp_column, fmt, strict, timezone)

    on_writer = getattr(store, "on_writer", None)  # a store without a writer thread: here
    return on_writer(work) if on_writer is not None else work()


def handlers(store: ReadingStore) -> dict[Request, Callable[..., object]]:
    """The requests a holder answers from its open ``store``."""
    from core.storage.export import export, file_info

    return {
        Request.INFO: lambda: file_info(store),
        # out, channels, start, end, resolution, wide, local_time: export()'s own parameters
        Request.EXPORT: lambda **p: export(store, **p),
        Request.ALARMS: lambda **p: alarm_extract(store, **p),
        Request.IMPORT: lambda **p: import_file(store, **p),
    }
