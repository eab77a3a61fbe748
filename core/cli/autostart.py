"""``watchkeeper autostart on|off|status``: start the window (and so recording) at logon."""

from __future__ import annotations

import argparse

from core.autostart import AutostartError, disable, enable, is_enabled

USER_ERRORS = (AutostartError,)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "autostart",
        help="start Watchkeeper at logon, resuming the last port's recording",
        description="on: open the window at every logon of this user (a Task Scheduler task on "
        "Windows, an autostart entry on Linux); it reopens the last file and port and records. "
        "off: stop doing so. status: say which.",
    )
    p.add_argument("action", choices=["on", "off", "status"])
    p.set_defaults(handler=cmd_autostart)


def cmd_autostart(args: argparse.Namespace) -> int:
    if args.action == "on":
        enable()
        print("Watchkeeper starts at logon and resumes recording.")
    elif args.action == "off":
        disable()
        print("Watchkeeper no longer starts at logon.")
    else:
        print("Watchkeeper starts at logon." if is_enabled() else "Watchkeeper does not start at logon.")
    return 0
