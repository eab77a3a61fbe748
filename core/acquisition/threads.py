"""The one thread behind a source (the line reader, the Modbus and ASCII pollers): stopped with a
flag its loop checks, then joined."""

from __future__ import annotations

import threading


class SourceThread:
    """``stop()`` and ``is_running`` for a class that runs its loop in ``self._thread`` and ends
    it when ``self._stop`` is set."""

    stop_timeout = 5.0  # seconds to wait for the loop to notice the flag
    _thread: threading.Thread | None
    _stop: threading.Event

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.stop_timeout if timeout is None else timeout)
            self._thread = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
