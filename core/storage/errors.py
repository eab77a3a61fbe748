"""Storage errors, and what DuckDB's and the OS's error texts mean for the operator.

DuckDB reports everything as text. We match whole phrases, never single words ("lock" is inside
"block" of "Corrupt database file: ... in block at location 4096"), turn each kind into one sentence
naming the file and what to do, and log the library's own text for whoever reads the log.
"""

from __future__ import annotations

import enum
import errno
import logging
import re
from pathlib import Path

from core.messages import Message, MessageError, MessageId

M = MessageId


class StoreError(MessageError):
    """The database file cannot be used: one sentence for the operator (``str()`` in English,
    :attr:`message` as an id with parameters for the window)."""


class StoreLockedError(StoreError):
    """Another process is writing this file: ``path``, its ``pid`` and ``holder`` (for sentences,
    "another Watchkeeper, python3 (process 42)"; ``holder_message`` the same as a message) when
    DuckDB named them."""

    def __init__(
        self,
        message: Message | str,
        path: Path | None = None,
        pid: int | None = None,
        holder: Message | str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.pid = pid
        self.holder_message = Message.plain(holder) if isinstance(holder, str) else holder
        self.holder = None if holder is None else str(holder)


class StoreDamagedError(StoreError):
    """The file is a DuckDB file but part of it is missing or unreadable."""


class NotADatabaseError(StoreError):
    """The path holds something that is not a Watchkeeper database (CSV, Parquet, SQLite, ...)."""


class Problem(enum.Enum):
    LOCKED = "locked"
    DAMAGED = "damaged"
    NOT_A_DATABASE = "not a database"
    NO_PERMISSION = "no permission"
    NO_SPACE = "no space"
    READ_ONLY = "read-only"
    MISSING = "missing"
    CONFLICT = "conflict"  # two transactions of this process touched the same row: retry
    OTHER = "other"


# Linux/macOS: 'Could not set lock on file "x": Conflicting lock is held in /usr/bin/python3 (PID 42)'
# Windows: 'File is already open in \nC:\\...\\python.exe (PID 42)'
_LOCKED = re.compile(r"could not set lock on file|conflicting lock is held|file is already open in", re.I)
_PID = re.compile(r"\(PID (\d+)\)")
# The program that holds the lock: the path before "(PID n)", after "held in" or "open in" (on
# Windows DuckDB puts a line break there).
_HOLDER = re.compile(r"(?:lock is held in|already open in)\s+(.+?)\s*\(PID \d+\)", re.I | re.S)
_DAMAGED = re.compile(
    r"corrupt database file|could not read enough bytes|checksum .*does not match|"
    r"database file is damaged|truncated",
    re.I,
)
_NOT_A_DB = re.compile(
    r"not a valid duckdb database file|unknown file type|failed to download extension", re.I
)
_NO_SPACE = re.compile(r"no space left on device|not enough space on the disk|disk is full|ENOSPC", re.I)
_NO_PERMISSION = re.compile(r"permission denied|access is denied|EACCES", re.I)
_READ_ONLY = re.compile(r"read-only file system|EROFS|attempting to execute an unsuccessful or aborted", re.I)
_MISSING = re.compile(r"no such file or directory|cannot open database .* in read-only mode", re.I)
# "Conflict on update!", "Conflict on tuple deletion!", "Catalog write-write conflict on ...",
# "Transaction conflict: cannot update a table that has been altered!".
_CONFLICT = re.compile(
    r"conflict on|write-write conflict|transaction conflict|transactioncontext error: conflict", re.I
)


def classify(exc: BaseException) -> Problem:
    """What kind of storage problem ``exc`` (a duckdb.Error or an OSError) is."""
    import duckdb  # here: the config (and so the window) imports storage before DuckDB is needed

    if isinstance(exc, OSError) and not isinstance(exc, duckdb.Error):
        return {
            errno.ENOSPC: Problem.NO_SPACE,
            errno.EACCES: Problem.NO_PERMISSION,
            errno.EPERM: Problem.NO_PERMISSION,
            errno.EROFS: Problem.READ_ONLY,
            errno.ENOENT: Problem.MISSING,
        }.get(exc.errno or 0, Problem.OTHER)
    text = str(exc)
    for pattern, problem in (
        (_LOCKED, Problem.LOCKED),
        (_NO_SPACE, Problem.NO_SPACE),
        (_READ_ONLY, Problem.READ_ONLY),
        (_NO_PERMISSION, Problem.NO_PERMISSION),
        (_DAMAGED, Problem.DAMAGED),
        (_NOT_A_DB, Problem.NOT_A_DATABASE),
        (_CONFLICT, Problem.CONFLICT),
        (_MISSING, Problem.MISSING),
    ):
        if pattern.search(text):
            return problem
    return Problem.OTHER


def locking_pid(exc: BaseException) -> int | None:
    """The process id DuckDB names in a lock error, if any."""
    match = _PID.search(str(exc))
    return int(match.group(1)) if match else None


def locking_program(exc: BaseException) -> str | None:
    """The file name of the program DuckDB names in a lock error (``watchkeeper.exe``), if any."""
    match = _HOLDER.search(str(exc))
    if match is None:
        return None
    name = re.split(r"[\\/]", match.group(1).strip())[-1].strip()
    return name or None


def _holder(exc: BaseException) -> Message:
    """Who holds the lock, for the sentence: "another Watchkeeper, watchkeeper.exe (process 912)".

    Watchkeeper runs as watchkeeper*.exe when installed and as python from source; any other
    program (a database browser, a backup tool) is called a program."""
    pid, program = locking_pid(exc), locking_program(exc)
    ours = program is None or re.match(r"(watchkeeper|python)", program, re.I) is not None
    if program is None:
        who = Message.of(M.HELD_BY_WATCHKEEPER)
    elif ours:
        who = Message.of(M.HELD_BY_WATCHKEEPER_PROGRAM, program=program)
    else:
        who = Message.of(M.HELD_BY_PROGRAM_NAMED, program=program)
    return who if pid is None else Message.of(M.HELD_BY_PROCESS, holder=who, pid=str(pid))


def open_error(path: Path, exc: BaseException) -> StoreError:
    """One sentence for a file that cannot be opened."""
    problem = classify(exc)
    if problem is Problem.LOCKED:
        pid, holder = locking_pid(exc), _holder(exc)
        recording = _recording_owner(path, pid)
        if recording is not None:
            return StoreLockedError(recording, path, pid, holder)
        return StoreLockedError(Message.of(M.STORE_OPEN_IN, path=str(path), holder=holder), path, pid, holder)
    if problem is Problem.DAMAGED:
        return StoreDamagedError(damaged_message(path))
    if problem is Problem.NOT_A_DATABASE:
        return NotADatabaseError(Message.of(M.STORE_NOT_WATCHKEEPER, path=str(path)))
    sentence = {
        Problem.NO_PERMISSION: M.STORE_NO_PERMISSION,
        Problem.NO_SPACE: M.STORE_DISK_FULL,
        Problem.READ_ONLY: M.STORE_READ_ONLY,
        Problem.MISSING: M.STORE_MISSING,
    }.get(problem, M.STORE_OPEN_FAILED)
    return StoreError(Message.of(sentence, path=str(path)))


def _recording_owner(path: Path, pid: int | None) -> Message | None:
    """The sentence for a file another Watchkeeper records and has said so in its owner record
    (see core.engine.ipc), naming the window or 'watchkeeper record' and its process."""
    try:
        from core.storage.owners import OwnerKind, read_owner

        owner = read_owner(path)
    except Exception as exc:  # the sentence never fails: without the record it is the general one
        logging.getLogger(__name__).info("cannot read the owner record of %s: %s", path, exc)
        return None
    if owner is None or (pid is not None and owner.pid != pid):
        return None
    sentence = M.STORE_RECORDED_BY_WINDOW if owner.kind is OwnerKind.WINDOW else M.STORE_RECORDED_BY_RECORDER
    return Message.of(sentence, path=str(path), pid=str(owner.pid))


def in_use_error(error: StoreLockedError) -> StoreLockedError:
    """For a command that only reads or adds to a file (info, export, alarms, predict, import):
    the file is held by a process that cannot be asked for it."""
    path = error.path if error.path is not None else "?"
    holder = error.holder_message or Message.of(M.HELD_BY_PROGRAM)
    return StoreLockedError(
        Message.of(M.STORE_IN_USE, path=str(path), holder=holder), error.path, error.pid, error.holder_message
    )


def damaged_message(path: Path) -> Message:
    """A damaged file, left as it is."""
    return Message.of(M.STORE_DAMAGED, path=str(path))


def damaged_sentence(path: Path) -> str:
    return damaged_message(path).english


_WRITE_PROBLEMS = {
    Problem.NO_SPACE: M.WRITE_NO_SPACE,
    Problem.READ_ONLY: M.WRITE_READ_ONLY,
    Problem.NO_PERMISSION: M.WRITE_NO_PERMISSION,
    Problem.DAMAGED: M.WRITE_DAMAGED,
    Problem.MISSING: M.WRITE_GONE,
    Problem.LOCKED: M.WRITE_LOCKED,
    Problem.CONFLICT: M.WRITE_CONFLICT,
}


def write_problem_message(exc: BaseException) -> Message:
    """Why a commit failed, as the ``problem`` of "Cannot write to FILE: ..." (no library text)."""
    return Message.of(_WRITE_PROBLEMS.get(classify(exc), M.WRITE_FAILED))


def write_problem(exc: BaseException) -> str:
    """Why a commit failed, as the middle of "Cannot write to FILE: ..." (no library text)."""
    return write_problem_message(exc).english
