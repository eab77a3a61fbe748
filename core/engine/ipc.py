"""The local channel through which other Watchkeeper commands reach the process recording a file.

Why the holder serves requests: DuckDB lets one process write a file and its lock cannot be
shared; a read-only second connection is refused too while a writer holds the file, and a copy of
the file is stale (and, mid-checkpoint, may not even open). So the process that holds the file —
the window or ``watchkeeper record`` — answers ``info``, ``export``, ``alarms``, ``predict`` and
``import`` itself, on its own connection, and sends back plain picklable results that the command
prints exactly as it prints its own.

Transport: :mod:`multiprocessing.connection` with an authentication key, a named pipe on Windows
(``\\\\.\\pipe\\watchkeeper-<hash>``), a Unix socket elsewhere (``<tmp>/wk-<uid>-<hash12>.sock``: a
socket path is limited to about 100 bytes, a data folder path may not be). The hash is SHA-256
of the resolved database path, so every command that names the file finds the same address.

Owner record: ``<db>.owner`` beside the data, JSON with ``pid``, ``kind`` ("window" or "record"),
``address`` and ``authkey`` (hex), mode 0600, written atomically (temporary file + replace) and
removed on close. Only the user who may read the data folder can read the key; a record whose
process is gone or whose address refuses a connection is stale: ignored, and replaced by the next
holder.

Requests are :class:`Request` members, never strings. Every connection is handled on its own
short thread with bounded waits (a silent or garbage-sending peer is dropped after
``HANDSHAKE_SECONDS``), so closing never waits on a stranger.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import (
    AuthenticationError,
    Client,
    Connection,
    Listener,
    answer_challenge,
    deliver_challenge,
)
from pathlib import Path
from typing import Any

from core.messages import Message, MessageError, MessageId
from core.storage.owners import (
    Owner,
    OwnerKind,
    address_for,
    owner_record_path,
    pid_alive,
    read_owner,
    write_record,
)

__all__ = [
    "Owner",
    "OwnerKind",
    "OwnerServer",
    "RemoteError",
    "Request",
    "address_for",
    "call",
    "find_owner",
    "owner_record_path",
    "pid_alive",
    "read_owner",
    "store_handlers",
    "user_errors",
]

log = logging.getLogger(__name__)
M = MessageId

# A peer has this long to authenticate and to send its request once connected.
HANDSHAKE_SECONDS = 10.0
_BACKLOG = 32  # connections waiting for accept (the default of 1 refuses concurrent commands)


class Request(enum.Enum):
    """What another Watchkeeper command asks the process holding the file for."""

    INFO = "info"
    EXPORT = "export"
    ALARMS = "alarms"
    PREDICT = "predict"
    IMPORT = "import"
    RAISE = "raise"  # bring the window to the front
    STOP = "stop"  # hand the file over: the headless recorder stops and says how to start it again


class RemoteError(MessageError):
    """The process holding the file could not be asked, or failed; one sentence (``message``)."""


def find_owner(db_path: str | os.PathLike[str]) -> Owner | None:
    """The live process holding ``db_path`` that accepts our connection, or None."""
    owner = read_owner(db_path)
    if owner is None:
        return None
    try:
        _connect(owner, HANDSHAKE_SECONDS).close()
    except (OSError, EOFError, AuthenticationError, RemoteError) as exc:
        log.info("owner record of %s names process %d, which does not answer: %s", db_path, owner.pid, exc)
        return None
    return owner


# -- bounded waits -------------------------------------------------------------------------------
class _Deadline:
    """A connection whose receives give up after ``seconds`` (the handshake functions of
    multiprocessing wait forever, so a peer that connects and says nothing would hold a thread)."""

    def __init__(self, conn: Connection, seconds: float) -> None:
        self._conn = conn
        self._seconds = seconds

    def send_bytes(self, data: bytes) -> None:
        self._conn.send_bytes(data)

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        if not self._conn.poll(self._seconds):
            raise TimeoutError("no answer")
        return self._conn.recv_bytes(maxlength)


def _connect(owner: Owner, seconds: float) -> Connection:
    conn = Client(owner.address)
    try:
        answer_challenge(_Deadline(conn, seconds), owner.authkey)
        deliver_challenge(_Deadline(conn, seconds), owner.authkey)
    except AssertionError as exc:  # multiprocessing asserts the challenge's prefix
        conn.close()
        raise AuthenticationError(str(exc)) from None
    except BaseException:
        conn.close()
        raise
    return conn


# -- client --------------------------------------------------------------------------------------
def user_errors() -> tuple[type[BaseException], ...]:
    """Watchkeeper's own one-sentence errors: re-raised on the client as themselves."""
    from core.alarms.commands import AlarmError
    from core.config import ConfigError
    from core.forecast.errors import ForecastError
    from core.storage.csv_import import CsvImportError
    from core.storage.errors import StoreError
    from core.storage.export import ExportError

    return (StoreError, ConfigError, ForecastError, CsvImportError, ExportError, AlarmError)


def call(owner: Owner, request: Request, /, timeout: float = 60.0, **params: Any) -> object:
    """Ask ``owner`` for ``request`` with keyword ``params`` and return its answer.

    A user error in the holder is raised here as the same class with the same sentence; anything
    else (no answer within ``timeout``, a crash in the handler) raises :class:`RemoteError`."""
    who = Message.of(M.REMOTE_WHO, pid=str(owner.pid), path=str(owner.db_path or "the file"))
    try:
        conn = _connect(owner, min(timeout, HANDSHAKE_SECONDS))
    except (OSError, EOFError, AuthenticationError) as exc:
        log.info("cannot reach process %d at %s: %s", owner.pid, owner.address, exc)
        raise RemoteError(Message.of(M.REMOTE_UNREACHABLE, who=who)) from None
    with conn:
        try:
            conn.send((request, params))
            if not conn.poll(timeout):
                raise RemoteError(Message.of(M.REMOTE_NO_ANSWER, who=who, seconds=f"{timeout:.0f}"))
            status, value = conn.recv()
        except (OSError, EOFError) as exc:
            log.info("process %d dropped the connection: %s", owner.pid, exc)
            raise RemoteError(Message.of(M.REMOTE_HUNG_UP, who=who)) from None
        except RemoteError:
            raise
        except Exception as exc:  # an answer this program cannot read (another version?)
            log.warning("unreadable answer from process %d: %s", owner.pid, exc)
            raise RemoteError(Message.of(M.REMOTE_UNREADABLE, who=who)) from None
    if status == "ok":
        return value
    error_class, message = value
    if isinstance(error_class, type) and issubclass(error_class, (RemoteError, *user_errors())):
        try:
            said = Message.from_json(message) if isinstance(message, dict) else Message.plain(str(message))
            error = error_class(said if issubclass(error_class, MessageError) else said.english)
        except Exception:  # a class that needs other arguments: said as a RemoteError below
            error = None
        if error is not None:
            raise error
    raise RemoteError(Message.of(M.REMOTE_FAILED, who=who))


# -- server --------------------------------------------------------------------------------------
class OwnerServer:
    """Listens for other Watchkeeper commands on behalf of the process that holds ``db_path``.

    ``handlers`` maps each served :class:`Request` to a function taking the request's keyword
    parameters and returning plain picklable data; it runs on the connection's own thread.
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        kind: OwnerKind,
        handlers: Mapping[Request, Callable[..., object]],
    ) -> None:
        self.db_path = Path(db_path)
        self.kind = kind
        self.handlers = dict(handlers)
        self.owner = Owner(os.getpid(), kind, address_for(db_path), secrets.token_bytes(32), str(db_path))
        self._listener: Listener | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._workers: set[threading.Thread] = set()
        self._workers_lock = threading.Lock()

    @property
    def serving(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Listen on a daemon thread and write the owner record.

        Never raises: recording goes on without the channel if the socket or the record cannot
        be made (logged), and other commands then say the file is in use."""
        if self._thread is not None:
            return
        record = owner_record_path(self.db_path)
        try:
            self._listener = self._listen()
            write_record(record, self.owner)
        except OSError as exc:
            log.warning("other Watchkeeper commands cannot reach this recording of %s: %s", self.db_path, exc)
            if self._listener is not None:
                self._listener.close()
                self._listener = None
            return
        self._thread = threading.Thread(target=self._accept_loop, name="owner-server", daemon=True)
        self._thread.start()
        log.info("serving %s to other Watchkeeper commands at %s", self.db_path, self.owner.address)

    def _listen(self) -> Listener:
        address = self.owner.address
        if sys.platform == "win32":
            return Listener(address, "AF_PIPE", backlog=_BACKLOG)
        # A socket file left by a holder that died is in the way: it is stale, since we hold the
        # database lock and so no other live process can be serving this file.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(address)
        listener = Listener(address, "AF_UNIX", backlog=_BACKLOG)
        os.chmod(address, 0o600)
        return listener

    def close(self) -> None:
        """Stop listening, wait for the connections being served, and remove the owner record."""
        if self._thread is None:
            return
        self._stopping.set()
        # accept() cannot be interrupted from another thread; a connection of our own wakes it.
        with contextlib.suppress(OSError):
            Client(self.owner.address).close()
        self._thread.join()
        with self._workers_lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join()  # each waits at most HANDSHAKE_SECONDS for its peer, then its handler
        assert self._listener is not None
        self._listener.close()  # on Unix this removes the socket file
        self._listener = None
        self._thread = None
        self._remove_record()

    def _remove_record(self) -> None:
        record = owner_record_path(self.db_path)
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            if int(data.get("pid", -1)) == self.owner.pid and data.get("address") == self.owner.address:
                record.unlink()
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            log.warning("could not remove the owner record %s: %s", record, exc)

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                conn = self._listener.accept()
            except OSError as exc:
                if self._stopping.is_set():
                    break
                log.warning("owner channel of %s: accept failed: %s", self.db_path, exc)
                continue
            if self._stopping.is_set():
                conn.close()
                break
            worker = threading.Thread(target=self._serve, args=(conn,), name="owner-request", daemon=True)
            with self._workers_lock:
                self._workers.add(worker)
            worker.start()

    def _serve(self, conn: Connection) -> None:
        try:
            with conn:
                try:
                    deliver_challenge(_Deadline(conn, HANDSHAKE_SECONDS), self.owner.authkey)
                    answer_challenge(_Deadline(conn, HANDSHAKE_SECONDS), self.owner.authkey)
                except (AuthenticationError, AssertionError, TimeoutError, OSError, EOFError) as exc:
                    log.info("owner channel of %s: refused a connection: %s", self.db_path, exc)
                    return
                if not conn.poll(HANDSHAKE_SECONDS):
                    return  # find_owner's probe: it connects, authenticates and leaves
                try:
                    request, params = conn.recv()
                except EOFError:
                    return
                except Exception as exc:  # garbage from a peer that knew the key
                    log.warning("owner channel of %s: unreadable request: %s", self.db_path, exc)
                    return
                reply = self._answer(request, params)
                try:
                    conn.send(reply)
                except (OSError, EOFError):
                    raise
                except Exception:  # an answer that cannot be pickled
                    log.exception("owner channel of %s: cannot send the answer", self.db_path)
                    conn.send(("error", (RemoteError, self._failed(request))))
        except (OSError, EOFError) as exc:
            log.info("owner channel of %s: the client went away: %s", self.db_path, exc)
        finally:
            with self._workers_lock:
                self._workers.discard(threading.current_thread())

    def _answer(self, request: object, params: object) -> tuple[str, object]:
        handler = self.handlers.get(request) if isinstance(request, Request) else None
        if handler is None or not isinstance(params, dict):
            log.warning("owner channel of %s: no handler for %r", self.db_path, request)
            name = request.name.lower() if isinstance(request, Request) else "that request"
            return "error", (RemoteError, f"{self._who()} cannot answer {name} requests.")
        try:
            return "ok", handler(**params)
        except user_errors() as exc:
            log.info("%s request on %s: %s", request.name, self.db_path, exc)
            # The sentence as an id with parameters: the asking window words it in its language.
            said = exc.message.to_json() if isinstance(exc, MessageError) else str(exc)
            return "error", (type(exc), said)
        except Exception:
            log.exception("%s request on %s failed", request.name, self.db_path)
            return "error", (RemoteError, self._failed(request))

    def _who(self) -> str:
        return f"Watchkeeper (process {self.owner.pid}) recording {self.db_path}"

    def _failed(self, request: Request) -> str:
        return (
            f"{self._who()} could not answer the {request.name.lower()} request; "
            "its log file has the details."
        )


def store_handlers(store) -> dict[Request, Callable[..., object]]:
    """INFO, EXPORT, ALARMS and IMPORT answered from an open ReadingStore (see store_requests)."""
    from core.engine.store_requests import handlers

    return handlers(store)
