"""Tests of the benchmark scripts' own code (benchmarks/ is not part of the product).

The scripts import each other as sibling modules (``python benchmarks/nab.py`` puts benchmarks/
first on sys.path); the tests import them the same way.
"""

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
