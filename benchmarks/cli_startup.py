"""Command-line start-up: the whole process time of ``watchkeeper --help`` against a bare interpreter.

Prints figures and a ratio, never fails on them (see STYLE.md). Each figure is the median of
``--runs`` (default 5) processes timed from exec to exit, run through this interpreter the way the
console script does it (``from gui.app import main``, see ``[project.scripts]`` in pyproject.toml),
and the baseline ``python -c pass`` is measured in the same run so a loaded machine shows up in
both. Target: ``--help`` at most 0.5 s on the 2-core reference machine.

    uv run python benchmarks/cli_startup.py [--runs 5] [-- ARGS ...]   # ARGS default: --help
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What the generated console script runs: import the entry point, call it with sys.argv.
ENTRY = "import sys; from gui.app import main; sys.exit(main())"


def process_seconds(argv: list[str], runs: int) -> float:
    """Median wall time of ``runs`` processes of ``argv``, from start to exit (output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the baseline, the command's start-up time and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes per figure (median)")
    parser.add_argument("args", nargs="*", default=["--help"], help="watchkeeper arguments")
    opts = parser.parse_args()
    baseline = process_seconds([sys.executable, "-c", "pass"], opts.runs)
    command = process_seconds([sys.executable, "-c", ENTRY, *opts.args], opts.runs)
    label = "watchkeeper " + " ".join(opts.args)
    print(f"{'python -c pass':<28} {baseline * 1000:8.0f} ms  (median of {opts.runs})")
    print(f"{label:<28} {command * 1000:8.0f} ms  (median of {opts.runs})")
    print(f"{'ratio':<28} {command / baseline:8.1f} x   (target: --help <= 500 ms)")


if __name__ == "__main__":
    main()
