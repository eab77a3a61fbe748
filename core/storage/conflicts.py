"""Retrying a transaction that collided with another one of this process.

DuckDB's transactions are optimistic: two that change the same row (a rollup bucket, a cursor
row) do not wait for each other, the second is refused with "Conflict on update!" or "Transaction
conflict: ...", and nothing of it is written. That is not a disk problem and must never reach
the operator as one: the same work, run again a moment later, succeeds. Only when it keeps
colliding is the error raised, and then :func:`~core.storage.errors.write_problem` says so in words.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from core.storage.errors import Problem, classify

log = logging.getLogger(__name__)

T = TypeVar("T")

# Tries before a conflict is raised, and the pause before the n-th retry (n x BACKOFF_S): the other
# transaction is a commit of a few milliseconds, so a tenth of a second in all is plenty.
ATTEMPTS = 5
BACKOFF_S = 0.01


def is_conflict(exc: BaseException) -> bool:
    """True for a refusal that running the same transaction again can cure."""
    return classify(exc) is Problem.CONFLICT


def retry_conflicts(
    work: Callable[[], T],
    what: str = "a commit",
    attempts: int = ATTEMPTS,
    backoff_s: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work()`` (one whole transaction, rolled back when it fails) until it does not conflict.

    Any other error is raised at once; a conflict on the last attempt is raised as it is.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except Exception as exc:
            if attempt == attempts or not is_conflict(exc):
                raise
            log.info("%s conflicted with another transaction (%s); trying again", what, exc)
            sleep(backoff_s * attempt)
    raise AssertionError("unreachable")  # the loop returns or raises
