"""EventPublisher: journal alarm events and hand them to subscribers, in order, outside the lock.

The engine adds events while it holds its state lock; :meth:`flush` takes them out under that
lock and then, holding only its own lock (so two threads never interleave their events), writes
them to the journal and calls every subscriber. A subscriber may therefore call back into the
engine (acknowledge from an alarm callback) without deadlocking.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from core.alarms.journal import AlarmJournal
from core.alarms.model import AlarmEvent

log = logging.getLogger(__name__)


class EventPublisher:
    def __init__(self, journal: AlarmJournal | None, state_lock: threading.RLock) -> None:
        self.journal = journal
        self.journal_errors = 0
        self._state_lock = state_lock
        self._lock = threading.Lock()
        self._pending: list[AlarmEvent] = []
        self._subscribers: list[Callable[[AlarmEvent], None]] = []

    def subscribe(self, fn: Callable[[AlarmEvent], None]) -> Callable[[], None]:
        """Call ``fn(event)`` for every event; returns a function that unsubscribes."""
        self._subscribers.append(fn)

        def unsubscribe() -> None:
            if fn in self._subscribers:
                self._subscribers.remove(fn)

        return unsubscribe

    def add(self, event: AlarmEvent) -> None:
        """Queue an event (call with the state lock held)."""
        self._pending.append(event)

    def flush(self) -> None:
        with self._lock:
            with self._state_lock:
                events, self._pending = self._pending, []
            if not events:
                return
            if self.journal is not None:
                try:
                    self.journal.append(events)
                except Exception:  # a full disk must not stop the alarms themselves
                    self.journal_errors += 1
                    log.exception("could not write %d alarm events to the journal", len(events))
            for event in events:
                for fn in list(self._subscribers):
                    try:
                        fn(event)
                    except Exception:
                        log.exception("alarm subscriber failed")
