"""One line per forwarder for the command line (the window builds its own from the same state)."""

from __future__ import annotations

from core.forward.engine import ForwarderState


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def describe(state: ForwarderState, stopped: bool = False) -> str:
    """``mqtt -> mqtt://broker:1883/…: connected, backlog 0, sent 1,234`` and the last error, if
    any; ``stopped`` for the summary after recording ended (what is left goes after the next start)."""
    status = "stopped" if stopped else "connected" if state.connected else "NOT CONNECTED"
    backlog = f"backlog {state.backlog:,}"
    if state.backlog and state.backlog_age_s:
        backlog += f" ({_age(state.backlog_age_s)} behind)"
    text = f"{state.name} -> {state.target}: {status}, {backlog}, sent {state.sent:,}"
    return f"{text} — {state.last_error}" if state.last_error else text
