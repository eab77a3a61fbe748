"""What the ``*_args`` modules build the parser with: handlers named rather than imported, and the
options several commands share.

Building the parser (and so ``--help`` and ``--version``) must not pay for numpy, pandas, DuckDB,
pyserial or pymodbus: a command's machinery is imported when it runs, by its ``Handler``.
"""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Handler:
    """The function ``module.function(args) -> int`` that runs a command, imported on the first call."""

    module: str
    function: str

    def __call__(self, args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(self.module), self.function)(args)


def db_option(p: argparse.ArgumentParser) -> None:
    """``--db FILE`` of a command that works on one database file (``args.cmd_db``)."""
    p.add_argument("--db", dest="cmd_db", metavar="FILE", help="database file (default: the per-user one)")


def time_range_options(p: argparse.ArgumentParser, first: str, end: str) -> None:
    """``--from T`` and ``--to T`` (``args.start``, ``args.end``) with these help texts."""
    p.add_argument("--from", dest="start", metavar="T", help=first)
    p.add_argument("--to", dest="end", metavar="T", help=end)
