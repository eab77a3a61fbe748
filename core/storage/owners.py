"""Who holds a database file: the owner record ``<db>.owner`` and the address it serves on.

The record is a small JSON file beside the data — ``pid``, ``kind`` ("window" or "record"),
``address`` and ``authkey`` (hex) — written atomically (temporary file, then replace) with mode
0600 so only the user who may read the data may read the key, and removed when the holder closes.
A record whose process has ended is stale and ignored (:func:`read_owner`); whether the process
also answers is :func:`core.engine.ipc.find_owner`'s question. Kept apart from the channel itself
so storage can name the holder in its lock sentence without importing multiprocessing.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


class OwnerKind(enum.Enum):
    """Which program holds the file."""

    WINDOW = "window"
    RECORD = "record"


@dataclass(frozen=True)
class Owner:
    """The live process that holds a database file, and how to reach it."""

    pid: int
    kind: OwnerKind
    address: str
    authkey: bytes
    db_path: str = ""  # the file it holds, for sentences

    def describe(self) -> str:
        """Who it is, for sentences: "the Watchkeeper window, process 42" or "'watchkeeper record', ..."."""
        who = "the Watchkeeper window" if self.kind is OwnerKind.WINDOW else "'watchkeeper record'"
        return f"{who}, process {self.pid}"


# -- where ---------------------------------------------------------------------------------------
def _resolved(db_path: str | os.PathLike[str]) -> str:
    return os.path.normcase(str(Path(db_path).resolve()))


def owner_record_path(db_path: str | os.PathLike[str]) -> Path:
    """``<db>.owner``: the owner record of a database file."""
    path = Path(db_path)
    return path.with_name(path.name + ".owner")


def address_for(db_path: str | os.PathLike[str]) -> str:
    """The pipe or socket a holder of ``db_path`` listens on."""
    digest = hashlib.sha256(_resolved(db_path).encode("utf-8")).hexdigest()
    if sys.platform == "win32":
        return rf"\\.\pipe\watchkeeper-{digest}"
    return os.path.join(tempfile.gettempdir(), f"wk-{os.getuid()}-{digest[:12]}.sock")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on Windows without ``os.kill``, which would end it)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists, another user's
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_owner(db_path: str | os.PathLike[str]) -> Owner | None:
    """The owner record of ``db_path`` if its process is alive (not checked: that it answers)."""
    try:
        data = json.loads(owner_record_path(db_path).read_text(encoding="utf-8"))
        owner = Owner(
            int(data["pid"]), OwnerKind(data["kind"]), str(data["address"]), bytes.fromhex(data["authkey"])
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("ignoring the unreadable owner record of %s: %s", db_path, exc)
        return None
    if not pid_alive(owner.pid):
        return None
    return dataclasses.replace(owner, db_path=str(db_path))


def write_record(path: Path, owner: Owner) -> None:
    """Write ``owner`` to the record ``path`` whole or not at all, readable by its user only."""
    text = json.dumps(
        {"pid": owner.pid, "kind": owner.kind.value, "address": owner.address, "authkey": owner.authkey.hex()}
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
