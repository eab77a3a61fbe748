"""Process states read from /proc, without reaping anything (Linux)."""

from __future__ import annotations

from pathlib import Path


def _stat(entry: Path) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, parent pid, ..."""
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def state(pid: int) -> str | None:
    """The process's state letter (R, S, Z for a zombie, ...), or None once it is gone."""
    fields = _stat(Path("/proc") / str(pid))
    return fields[0] if fields else None


def running(pid: int) -> bool:
    """Not gone and not a zombie: a zombie nobody reaps has exited all the same."""
    return state(pid) not in (None, "Z")


def children(parent: int) -> dict[int, tuple[str, str]]:
    """``{pid: (state, command line)}`` of the processes whose parent is ``parent``."""
    found = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(entry) if entry.name.isdigit() else None
        if fields is None or int(fields[1]) != parent:
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry.name)] = (fields[0], command)
    return found
