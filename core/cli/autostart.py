"""``watchkeeper autostart on|off|status``: start the window (and so recording) at logon."""

from __future__ import annotations

import argparse

from core.autostart import AutostartError, disable, enable, is_enabled

USER_ERRORS = (AutostartError,)


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
