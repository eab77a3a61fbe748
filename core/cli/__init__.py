"""The ``watchkeeper`` command line (Qt-free; ``gui.app`` dispatches here for every subcommand)."""

from core.cli.main import build_parser, run

__all__ = ["build_parser", "run"]
