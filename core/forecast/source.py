"""A channel's history from the database, already bucketed at the forecast interval.

Storage does the averaging (:func:`core.storage.buckets.bucket_means`); only complete buckets
are returned: the bucket still filling at ``before`` would drag the last value.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from core.forecast.errors import ForecastInputError
from core.forecast.transform import RegularSeries, from_buckets
from core.storage.buckets import bucket_means
from core.storage.channels import channel_id, channel_names

if TYPE_CHECKING:
    from core.storage.store import ReadingStore

__all__ = ["channel_history", "channel_names"]


def channel_history(
    store: ReadingStore,
    channel: str,
    step_us: int,
    max_gap_steps: int,
    max_steps: int | None = None,
    before_us: int | None = None,
) -> RegularSeries:
    """The newest ``max_steps`` complete buckets of ``channel`` before ``before_us`` (default: now)."""
    cid = channel_id(store, channel)
    if cid is None:
        known = channel_names(store)
        raise ForecastInputError(
            f"The database {store.path} has no channel '{channel}' (channels: {', '.join(known) or 'none'})."
        )
    if before_us is None:
        before_us = time.time_ns() // 1000
    keys, values = bucket_means(store, cid, step_us, before_us, max_steps)
    if not len(keys):
        return RegularSeries(0, step_us, np.empty(0))
    return from_buckets(keys, values, step_us, max_gap_steps)
