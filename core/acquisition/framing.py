"""Byte framing: turn a stream of read bursts into complete lines.

Framing knows nothing about the content of a line; parsing does that. A line ends at ``\\n``; a
trailing ``\\r`` is dropped so ``\\r\\n`` devices work too. Memory stays bounded whatever arrives: a
line longer than ``max_line`` bytes is discarded up to the next newline and counted.
"""

from __future__ import annotations

MAX_LINE_BYTES = 4096


class LineFramer:
    """Split byte bursts into lines, keeping at most ``max_line`` bytes of an unfinished line."""

    __slots__ = ("_discarding", "_pending", "max_line", "overlong")

    def __init__(self, max_line: int = MAX_LINE_BYTES) -> None:
        self.max_line = max_line
        self.overlong = 0  # lines discarded for exceeding max_line
        self._pending = b""
        self._discarding = False

    def reset(self) -> None:
        """Forget any unfinished line (after a reconnect the old tail is meaningless)."""
        self._pending = b""
        self._discarding = False

    def feed(self, data: bytes) -> list[bytes]:
        """Return the complete lines in ``pending + data``, without line terminators.

        Empty lines are returned as ``b""`` so the parser can count them.
        """
        if not data:
            return []
        buf = self._pending + data if self._pending else data
        if b"\r" not in buf:
            parts = buf.split(b"\n")
        else:
            parts = buf.split(b"\r\n")
            if len(parts) - 1 != buf.count(b"\n"):  # some lines end in a bare \n
                parts = buf.replace(b"\r\n", b"\n").split(b"\n")
        tail = parts.pop()
        if self._discarding:
            if parts:
                # The first complete piece is the end of an overlong line: drop it and resync.
                parts.pop(0)
                self._discarding = False
            else:
                tail = b""
        limit = self.max_line
        if parts:
            lines = parts
            if max(map(len, lines)) > limit:
                kept = [ln for ln in lines if len(ln) <= limit]
                self.overlong += len(lines) - len(kept)
                lines = kept
        else:
            lines = []
        if len(tail) > limit:
            self.overlong += 1
            self._discarding = True
            tail = b""
        self._pending = tail
        return lines
