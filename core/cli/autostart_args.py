"""The arguments of ``watchkeeper autostart on|off|status``; they run in core/cli/autostart.py."""

from __future__ import annotations

import argparse

from core.cli.commands import Handler


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``watchkeeper autostart on|off|status`` to ``sub``."""
    p = sub.add_parser(
        "autostart",
        help="start Watchkeeper at logon, resuming the last port's recording",
        description="on: open the window at every logon of this user (a Task Scheduler task on "
        "Windows, an autostart entry on Linux); it reopens the last file and port and records. "
        "off: stop doing so. status: say which.",
    )
    p.add_argument("action", choices=["on", "off", "status"])
    p.set_defaults(handler=Handler("core.cli.autostart", "cmd_autostart"))
