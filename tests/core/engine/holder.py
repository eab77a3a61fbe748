"""A process that records a file and serves it to other commands, for the end-to-end tests.

Module level, so a spawned child (Windows' and macOS' only way) can import it.
"""

from __future__ import annotations

import time
from typing import Any

from core.engine.ipc import OwnerKind, OwnerServer, Request, store_handlers
from core.readings import ReadingBatch
from core.storage.store import ReadingStore
from core.storage.writer import StoreWriter

LIVE = "live"  # the channel the holder records while it serves


def forecast_handler(store: ReadingStore, models: str):
    """PREDICT as the engine answers it: one forecast cycle on the holder's store."""
    from core.forecast import Forecaster

    forecaster = Forecaster(models)

    def predict(channels: list[str] | None = None, out: str | None = None) -> Any:
        return forecaster.predict_cycle(store, channels, out)

    return predict


def hold(db: str, kind: str, models: str | None, ready: Any, stop: Any) -> None:
    """Open ``db``, record a reading every 20 ms through a StoreWriter and serve the file
    until ``stop`` is set; ``ready`` is set once the owner record is written."""
    store = ReadingStore(db)
    writer = StoreWriter(store, commit_interval=0.1)
    writer.start()
    handlers = store_handlers(store)
    if models:
        handlers[Request.PREDICT] = forecast_handler(store, models)
    server = OwnerServer(db, OwnerKind(kind), handlers)
    server.start()
    ready.set()
    i = 0
    try:
        while not stop.wait(0.02):
            i += 1
            writer.submit(ReadingBatch.from_records([(time.time_ns() // 1000, LIVE, float(i))]))
    finally:
        server.close()
        writer.stop()
        store.close()
