"""Every way an operator or the system stops ``watchkeeper record``, as one request to stop.

On Linux a service manager sends SIGTERM. On Windows SIGTERM never arrives: the console sends
Ctrl+C, Ctrl+Break, "window closed", "user logs off" or "system shuts down" events to a console
control handler instead. For the last three Windows ends the process as soon as the handler
returns (and at the latest after about five seconds), so the handler waits there until the
recording has flushed its readings.
"""

from __future__ import annotations

import signal
import sys
import threading

CTRL_C_EVENT, CTRL_BREAK_EVENT, CTRL_CLOSE_EVENT = 0, 1, 2
CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT = 5, 6
ENDING_EVENTS = (CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT)
CLOSE_WAIT_S = 4.5  # Windows ends a closed console's process after about 5 s


class StopRequests:
    """Collects stop requests; ``wait(seconds)`` sleeps until one arrives or the time is up.

    ``install()`` (main thread only) routes SIGTERM and, on Windows, the console events here;
    ``flushed()`` tells a waiting console-close handler it may let Windows end the process.
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._flushed = threading.Event()
        self._previous_sigterm = None
        self._win_handler = None  # the ctypes callback, kept alive while installed

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds``; raise KeyboardInterrupt (as Ctrl+C does) when a stop was requested."""
        if self.requested.wait(max(0.0, seconds)):
            raise KeyboardInterrupt

    def on_console_event(self, event: int) -> bool:
        """The console control handler: True when the event is handled here."""
        if event not in (CTRL_C_EVENT, CTRL_BREAK_EVENT, *ENDING_EVENTS):
            return False
        self.requested.set()
        if event in ENDING_EVENTS:  # returning lets Windows end the process: flush first
            self._flushed.wait(CLOSE_WAIT_S)
        return True

    def flushed(self) -> None:
        self._flushed.set()

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        self._previous_sigterm = signal.signal(signal.SIGTERM, self._on_sigterm)
        if sys.platform == "win32":
            self._install_console_handler(True)

    def restore(self) -> None:
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        if self._win_handler is not None:
            self._install_console_handler(False)

    def _on_sigterm(self, signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a repeated SIGTERM must not cut the flush short
        self.requested.set()
        raise KeyboardInterrupt

    def _install_console_handler(self, add: bool) -> None:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        if add:
            prototype = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)
            self._win_handler = prototype(lambda event: bool(self.on_console_event(int(event))))
        kernel32.SetConsoleCtrlHandler(self._win_handler, add)
        if not add:
            self._win_handler = None
