"""Printing that never ends a command.

On Windows, output redirected to a file or a pipe is encoded in the ANSI code page (cp949 on a
Korean PC, cp1252 on a Western one): an em dash in an alarm line or a Korean channel name raises
UnicodeEncodeError there, and the alarm line — or the whole recording — is lost. A closed pipe
(``watchkeeper record | head``) or a full disk raise OSError the same way. Every command runs with
its standard streams wrapped so a character the encoding lacks becomes "?" and a failed write is
counted and dropped.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO


class SafeStream:
    """A text stream whose writes never raise: unencodable characters are replaced, and a write
    the operating system refuses is dropped (``dropped`` counts them)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.dropped = 0

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            try:
                return self._stream.write(text.encode(encoding, "replace").decode(encoding, "replace"))
            except (OSError, ValueError, UnicodeError):
                self.dropped += 1
                return 0
        except (OSError, ValueError):  # a closed pipe, a full disk, a closed file
            self.dropped += 1
            return 0

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self.dropped += 1

    def __getattr__(self, name: str):  # encoding, isatty, fileno, buffer ... of the wrapped stream
        return getattr(self._stream, name)


def _safe(stream: TextIO | None) -> TextIO | None:
    if stream is None or isinstance(stream, SafeStream):  # no console at all (Watchkeeper.exe)
        return stream
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(Exception):  # a stream that is not a plain TextIOWrapper
            reconfigure(errors="replace")
    return SafeStream(stream)


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Run the body with stdout and stderr that never raise; the streams are restored after."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _safe(sys.stdout), _safe(sys.stderr)
    try:
        yield
    finally:
        if sys.stdout is not saved[0] and isinstance(sys.stdout, SafeStream):
            sys.stdout = saved[0]
        if sys.stderr is not saved[1] and isinstance(sys.stderr, SafeStream):
            sys.stderr = saved[1]
