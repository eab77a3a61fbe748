"""A bounded frame log for a frame monitor: the poller thread appends, a window drains.

``FrameLog`` is what a port dialog's monitor subscribes with ``poller.set_frame_monitor(log.append)``;
the GUI pulls new frames on its timer (``drain()``), never one signal per frame. At most ``limit``
frames are kept; older ones are dropped and counted, never silently.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import UTC, datetime

from core.acquisition.modbus.transport import Frame

FRAME_LOG_LIMIT = 2000


class FrameLog:
    def __init__(self, limit: int = FRAME_LOG_LIMIT) -> None:
        self._frames: deque[Frame] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self.dropped = 0  # frames pushed out before anyone drained them

    def append(self, frame: Frame) -> None:
        with self._lock:
            if len(self._frames) == self._frames.maxlen:
                self.dropped += 1
            self._frames.append(frame)

    def drain(self) -> list[Frame]:
        """Every frame since the last drain, oldest first."""
        with self._lock:
            frames = list(self._frames)
            self._frames.clear()
        return frames


def format_frame(frame: Frame) -> str:
    """``12:00:01.234 TX 01 03 00 00 00 0A C5 CD`` (local time, as an operator reads it)."""
    at = datetime.fromtimestamp(frame.at, UTC).astimezone().strftime("%H:%M:%S.%f")[:-3]
    return f"{at} {'TX' if frame.sent else 'RX'} {frame.hex()}"
