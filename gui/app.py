"""Composition root: the ``watchkeeper`` and ``watchkeeper-gui`` entry points.

Subcommands go straight to the Qt-free command line in ``core.cli`` (Qt is never imported for
them). With no subcommand this is where the operator window is built and wired.
"""

from __future__ import annotations

import sys
from pathlib import Path

from core.cli import build_parser, run
from core.cli.acquisition import DEMO_PORT, demo_config, record
from core.config import ConfigError, load_config


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args, _ = parser.parse_known_args(argv)
    if args.command:
        return run(argv, parser)
    args = parser.parse_args(argv)
    if args.demo:
        return _run_demo(args)
    print(
        "watchkeeper: the operator window is not available in this version. Record from the "
        "command line: 'watchkeeper record --port PORT', or try 'watchkeeper --demo'. "
        "See 'watchkeeper --help'.",
        file=sys.stderr,
    )
    return 2


def _run_demo(args) -> int:
    from core.acquisition.parsing import LineFormat
    from core.acquisition.ports import SerialSettings
    from core.paths import data_dir

    try:
        config = load_config(args.config) if args.config else demo_config()
    except ConfigError as exc:
        print(f"watchkeeper: {exc}", file=sys.stderr)
        return 1
    db = Path(args.db) if args.db else data_dir() / "demo.duckdb"
    try:
        return record(DEMO_PORT, db, SerialSettings(115200), config, LineFormat.AUTO, None)
    except Exception as exc:  # a bad --db path and the like: one sentence, no traceback
        print(f"watchkeeper: {exc}", file=sys.stderr)
        return 1


def main_gui() -> int:
    """Entry point of the double-clickable executable (no console)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
