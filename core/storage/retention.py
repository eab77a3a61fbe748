"""Retention: drop raw readings and rollups older than their configured age, in the background.

DuckDB reuses the blocks that deleted rows free after a checkpoint, so once retention runs the file
stops growing: new readings go into the freed space. It does not shrink below the largest size it
ever had (a big import, say) — benchmarks/storage.py measures this.

Raw readings a forwarder has not sent yet (its target has been unreachable) are kept beyond
``raw_days``, for at most ``unsent_days`` more; what must go after that is deleted and said so.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from core.messages import Message, MessageError, MessageId

if TYPE_CHECKING:
    import duckdb

    from core.storage.store import ReadingStore

log = logging.getLogger(__name__)
DAY_US = 86_400 * 1_000_000


class RetentionError(MessageError, ValueError):
    """A retention policy that cannot be used (a ValueError, as before): the sentence names the key."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long each resolution is kept, in days."""

    raw_days: float = 30
    minute_days: float = 365
    hour_days: float = 3650
    unsent_days: float = 7  # extra days raw readings wait for a forwarder that has not sent them

    def validate(self) -> RetentionPolicy:
        for name in ("raw_days", "minute_days", "hour_days", "unsent_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                if name == "unsent_days" and value == 0:
                    continue  # 0: unsent readings get no extra time
                raise RetentionError(
                    Message.of(MessageId.CONFIG_POSITIVE_DAYS, where=f"retention.{name}", value=repr(value))
                )
        if not self.raw_days <= self.minute_days <= self.hour_days:
            raise RetentionError(Message.of(MessageId.RETENTION_ORDER))
        return self


@dataclass(frozen=True, slots=True)
class RetentionResult:
    raw_deleted: int
    minute_deleted: int
    hour_deleted: int
    seconds: float
    unsent_kept: int = 0  # raw readings past raw_days kept because a forwarder has not sent them
    unsent_deleted: int = 0  # raw readings deleted although a forwarder had not sent them
    unsent_by: tuple[str, ...] = ()  # the forwarders those readings were waiting for


def _at(ts_us: float) -> datetime:
    return datetime.fromtimestamp(ts_us / 1e6, UTC)


def apply_retention(
    store: ReadingStore,
    policy: RetentionPolicy,
    now_us: int | None = None,
    holds: dict[str, int] | None = None,
) -> RetentionResult:
    """Delete what the policy no longer keeps, each table in its own short transaction.

    ``holds``: each forwarder's readings cursor (µs); readings after the oldest are unsent and
    kept up to ``unsent_days`` past ``raw_days``.
    """
    started = time.perf_counter()
    now_us = time.time_ns() // 1000 if now_us is None else now_us
    cur = store.cursor()
    raw_cutoff = now_us - policy.raw_days * DAY_US
    kept = lost = 0
    waiting: tuple[str, ...] = ()
    if holds and min(holds.values()) < raw_cutoff:
        hold = min(holds.values())
        floor = now_us - (policy.raw_days + policy.unsent_days) * DAY_US
        waiting = tuple(sorted(name for name, ts in holds.items() if ts < raw_cutoff))
        effective = max(hold, floor)
        if effective > hold:
            lost = cur.execute(
                "SELECT count(*) FROM samples WHERE ts > ? AND ts < ?", [_at(hold), _at(effective)]
            ).fetchall()[0][0]
        kept = cur.execute(
            "SELECT count(*) FROM samples WHERE ts >= ? AND ts < ?", [_at(effective), _at(raw_cutoff)]
        ).fetchall()[0][0]
        raw_cutoff = effective
    deleted = []
    for table, column, cutoff_us in (
        ("samples", "ts", raw_cutoff),
        ("rollup_1m", "bucket", now_us - policy.minute_days * DAY_US),
        ("rollup_1h", "bucket", now_us - policy.hour_days * DAY_US),
    ):
        # On the recording's writer, one table per job: readings are committed in between.
        delete = partial(_delete_before, table=table, column=column, cutoff=_at(cutoff_us))
        n = store.write(delete, what=f"retention on {table}")
        deleted.append(int(n))
    if any(deleted):
        store.on_writer(lambda: _checkpoint(store))
        store.refresh_extents()
    seconds = time.perf_counter() - started
    return RetentionResult(*deleted, seconds, int(kept), int(lost), waiting if kept or lost else ())


def _delete_before(cur: duckdb.DuckDBPyConnection, table: str, column: str, cutoff: datetime) -> int:
    return cur.execute(f"DELETE FROM {table} WHERE {column} < ?", [cutoff]).fetchall()[0][0]


def _checkpoint(store: ReadingStore) -> None:
    """Free the deleted blocks for reuse (outside any transaction, on the writer's thread)."""
    import duckdb  # here, not at the top: the config (and so the window) loads this module

    try:
        store.cursor().execute("CHECKPOINT")
    except duckdb.Error as exc:
        log.info("checkpoint after retention deferred: %s", exc)


class RetentionWorker:
    """Apply the policy now and then every ``interval`` seconds on a background thread."""

    def __init__(
        self,
        store: ReadingStore,
        policy: RetentionPolicy,
        interval: float = 3600.0,
        clock: Callable[[], float] = time.time,
        holds: Callable[[], dict[str, int]] | None = None,
    ) -> None:
        """``holds``: returns each forwarder's readings cursor (see :func:`apply_retention`)."""
        self.store = store
        self.holds = holds
        self.clock = clock
        self.policy = policy.validate()
        self.interval = interval
        self.last: RetentionResult | None = None
        self.last_error = ""
        self.warning = ""  # unsent readings kept or deleted, for the operator
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="Retention", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        import duckdb

        while not self._stop.is_set():
            try:
                holds = self.holds() if self.holds is not None else None
                self.last = apply_retention(self.store, self.policy, int(self.clock() * 1e6), holds)
                self.last_error = ""
                self._tell_unsent(self.last)
                if self.last.raw_deleted or self.last.minute_deleted or self.last.hour_deleted:
                    log.info("retention: %s", self.last)
            except duckdb.Error as exc:  # e.g. the file went read-only; try again next time
                from core.storage.errors import write_problem

                self.last_error = (
                    f"Old readings could not be removed from {self.store.path}: {write_problem(exc)}"
                )
                log.info("retention failed: %s", exc)
                log.warning("%s; trying again in %.0f s", self.last_error, self.interval)
            self._stop.wait(self.interval)

    def _tell_unsent(self, result: RetentionResult) -> None:
        names = ", ".join(result.unsent_by)
        if result.unsent_deleted:
            self.warning = (
                f"{result.unsent_deleted} readings were deleted before {names} could send them: "
                f"they were older than raw_days + unsent_days ({self.policy.raw_days:g} + "
                f"{self.policy.unsent_days:g} days)"
            )
            log.warning("%s", self.warning)
        elif result.unsent_kept:
            self.warning = (
                f"{result.unsent_kept} readings older than {self.policy.raw_days:g} days are kept "
                f"until {names} has sent them"
            )
            log.info("%s", self.warning)
        else:
            self.warning = ""
