"""Commands on a file another Watchkeeper is recording: asked of the process that holds it.

DuckDB lets one process write a file and refuses every other connection, read-only ones too,
while it does. When ``info``, ``export``, ``alarms``, ``predict`` or ``import`` finds its file held
and the holder answers on its owner channel (:mod:`core.engine.ipc`), the holder does the work on
its own connection and the command prints the answer exactly as it prints its own.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core.engine.ipc import Request, call, find_owner, store_handlers, user_errors
from core.storage.errors import StoreLockedError, in_use_error
from core.storage.store import ReadingStore

T = TypeVar("T")
# How long a command waits for the holder's answer: a summary is quick; an export, import or
# forecast of a year of readings can take minutes (Ctrl+C still ends the wait).
_ANSWER_SECONDS = {Request.INFO: 120.0, Request.ALARMS: 300.0}
_LONG_ANSWER_SECONDS = 3600.0


def absolute(path: str | None) -> str | None:
    """A path the holder, working in another folder, reads as the caller means it."""
    return None if path is None else str(Path(path).absolute())


def on_file(
    db: Path,
    request: Request,
    local: Callable[[ReadingStore], T] | None = None,
    read_only: bool = False,
    shown: dict[str, str] | None = None,
    before_asking: Callable[[], None] | None = None,
    **params: object,
) -> T:
    """Run ``request`` with ``params`` on the file ``db``: on a store opened here (``local``, by
    default the same work the holder does), or by the process that holds the file.

    ``shown`` maps the absolute paths in ``params`` back to the names the user gave, so an error
    sentence names the file as the user typed it. ``before_asking`` runs before the holder is
    asked: it raises for options the holder cannot honour."""
    try:
        return _on_file(db, request, local, read_only, before_asking, params)
    except user_errors() as error:
        text = str(error)
        for sent, given in (shown or {}).items():
            if sent and given:
                text = text.replace(sent, given)
        if text == str(error):
            raise
        raise type(error)(text) from None


def _on_file(
    db: Path,
    request: Request,
    local: Callable[[ReadingStore], T] | None,
    read_only: bool,
    before_asking: Callable[[], None] | None,
    params: dict[str, object],
) -> T:
    try:
        store = ReadingStore(db, read_only=read_only)
    except StoreLockedError as exc:
        owner = find_owner(db)
        if owner is None:
            raise in_use_error(exc) from None
        if before_asking is not None:
            before_asking()
        print(
            f"watchkeeper: {db} is being recorded by {owner.describe()}; asking that process.",
            file=sys.stderr,
        )
        timeout = _ANSWER_SECONDS.get(request, _LONG_ANSWER_SECONDS)
        return call(owner, request, timeout=timeout, **params)  # type: ignore[return-value]
    with store:
        if local is not None:
            return local(store)
        return store_handlers(store)[request](**params)  # type: ignore[return-value]
