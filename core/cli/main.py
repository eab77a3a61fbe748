"""Argument parsing and dispatch for ``watchkeeper <command>``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from types import ModuleType

from core import __version__
from core.cli.output import safe_output

# Each command group has two modules: core.cli.<name>_args adds its subcommands with
# add_commands(sub), naming their handlers without importing them, so that building the parser
# (--help, --version) stays cheap; core.cli.<name> runs them and lists the exceptions that are the
# user's to fix (printed as one sentence, exit status 1) in USER_ERRORS.
COMMAND_MODULES = ("acquisition", "storage", "detect", "alarms", "forecast", "modbus", "autostart")


def _modules(suffix: str = "") -> list[ModuleType]:
    return [importlib.import_module(f"core.cli.{name}{suffix}") for name in COMMAND_MODULES]


def _user_errors(modules: list[ModuleType]) -> tuple[type[Exception], ...]:
    return tuple(e for m in modules for e in m.USER_ERRORS)


def _is_user_error(exc: Exception) -> bool:
    """Whether ``exc`` is one of any command's USER_ERRORS. The modules already loaded are asked
    first: the failed command's own is among them, so its errors are told without loading every
    other command's machinery (seconds of imports); anything else asks them all, as it always did."""
    loaded = [m for name in COMMAND_MODULES if (m := sys.modules.get(f"core.cli.{name}")) is not None]
    if isinstance(exc, _user_errors(loaded)):
        return True
    return isinstance(exc, _user_errors(_modules()))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="watchkeeper",
        description="Record RS485 sensors, forecast them, detect anomalies and raise alarms. "
        "With no command, opens the operator window.",
    )
    parser.add_argument("--version", action="version", version=f"watchkeeper {__version__}")
    parser.add_argument(
        "--demo",
        nargs="?",
        const="lines",
        choices=["lines", "modbus"],
        help="start recording the built-in simulated device (no hardware needed); "
        "--demo modbus records a simulated Modbus bus of three slaves instead",
    )
    parser.add_argument("--db", help="database file (default: in the per-user data directory)")
    parser.add_argument("--config", help="TOML configuration file")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _modules("_args"):
        module.add_commands(sub)
    return parser


def run(argv: list[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Run a subcommand; return the process exit status. Printing never ends it (see core.cli.output)."""
    with safe_output():
        return _run(argv, parser)


def _run(argv: list[str] | None, parser: argparse.ArgumentParser | None) -> int:
    parser = parser or build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # to start a command again as it was
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if _is_user_error(exc):
            print(f"watchkeeper: {exc}", file=sys.stderr)
            return 1
        duckdb = sys.modules.get("duckdb")
        if duckdb is None or not isinstance(exc, duckdb.Error):
            raise
        # A database failure no command foresaw: still one sentence, DuckDB's text in the log.
        from core.storage.errors import write_problem

        logging.getLogger(__name__).info("database error in %s: %s", args.command, exc)
        print(
            f"watchkeeper: the database could not be used: {write_problem(exc)} (run with -v for details).",
            file=sys.stderr,
        )
        return 1
