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


class StoreError(Exception):
    """The database file cannot be used; the message is one sentence for the operator."""


class StoreLockedError(StoreError):
    """Another process is writing this file: ``path``, its ``pid`` and ``holder`` (for sentences,
    "another Watchkeeper, python3 (process 42)") when DuckDB named them."""

    def __init__(
        self, message: str, path: Path | None = None, pid: int | None = None, holder: str | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.pid = pid
        self.holder = holder


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


def _holder(exc: BaseException) -> str:
    """Who holds the lock, for the sentence: "another Watchkeeper, watchkeeper.exe (process 912)".

    Watchkeeper runs as watchkeeper*.exe when installed and as python from source; any other
    program (a database browser, a backup tool) is called a program."""
    pid, program = locking_pid(exc), locking_program(exc)
    ours = program is None or re.match(r"(watchkeeper|python)", program, re.I) is not None
    who = "another Watchkeeper" if ours else "another program"
    if program is not None:
        who += f", {program}"
    return who + (f" (process {pid})" if pid is not None else "")


def open_error(path: Path, exc: BaseException) -> StoreError:
    """One sentence for a file that cannot be opened."""
    problem = classify(exc)
    if problem is Problem.LOCKED:
        pid, holder = locking_pid(exc), _holder(exc)
        recording = _recording_owner(path, pid)
        if recording is not None:
            return StoreLockedError(recording, path, pid, holder)
        return StoreLockedError(
            f"The database {path} is already open in {holder}; "
            "only one program can record to a file at a time.",
            path,
            pid,
            holder,
        )
    if problem is Problem.DAMAGED:
        return StoreDamagedError(damaged_sentence(path))
    if problem is Problem.NOT_A_DATABASE:
        return NotADatabaseError(
            f"The file {path} is not a Watchkeeper database; choose another file with --db."
        )
    if problem is Problem.NO_PERMISSION:
        return StoreError(
            f"Watchkeeper may not open {path} (permission denied); give your user access to it or "
            "choose another file with --db."
        )
    if problem is Problem.NO_SPACE:
        return StoreError(f"The disk holding {path} is full; free some space and start again.")
    if problem is Problem.READ_ONLY:
        return StoreError(
            f"The database {path} is on a read-only disk; choose a file on a writable disk with --db."
        )
    if problem is Problem.MISSING:
        return StoreError(f"The database {path} does not exist; check the name given with --db.")
    return StoreError(f"The database {path} could not be opened; the log file has the details.")


def _recording_owner(path: Path, pid: int | None) -> str | None:
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
    what = "close it" if owner.kind is OwnerKind.WINDOW else "stop it"
    return (
        f"The database {path} is being recorded by {owner.describe()}; "
        f"{what} or record to another file with --db."
    )


def in_use_error(error: StoreLockedError) -> StoreLockedError:
    """For a command that only reads or adds to a file (info, export, alarms, predict, import):
    the file is held by a process that cannot be asked for it."""
    path = error.path if error.path is not None else "?"
    holder = error.holder or "another program"
    return StoreLockedError(
        f"The database {path} is being used by {holder}; stop it first or try again once it has finished.",
        error.path,
        error.pid,
        error.holder,
    )


def damaged_sentence(path: Path) -> str:
    return (
        f"The database {path} is damaged (part of it is missing or unreadable) and was left as it "
        "is; restore it from a backup or start with another file with --db."
    )


def write_problem(exc: BaseException) -> str:
    """Why a commit failed, as the middle of "Cannot write to FILE: ..." (no library text)."""
    problem = classify(exc)
    return {
        Problem.NO_SPACE: "No space left on device; free some space on that disk",
        Problem.READ_ONLY: "the disk has become read-only; check the disk or the network share",
        Problem.NO_PERMISSION: "permission denied; check who may write the file",
        Problem.DAMAGED: "the file is damaged; stop recording and restore it from a backup",
        Problem.MISSING: "the file or its folder has gone (a network share lost?)",
        Problem.LOCKED: "another program holds the file",
        Problem.CONFLICT: "another part of Watchkeeper kept changing the same rows at that moment",
    }.get(problem, "the write failed; the log file has the details")
