"""core/ must never import Qt, pyqtgraph or gui: every core module imports with them blocked.

tests/core must run without PySide6 too, so its own modules are held to the same rule.
"""

import pkgutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[2]

QT_OR_GUI = {"PySide6", "pyqtgraph", "gui", "shiboken6"}

# argv: the blocked top-level names (comma-separated), then the modules to import.
BLOCKER = """
import importlib, importlib.abc, sys
blocked = set(sys.argv[1].split(','))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in blocked:
            raise ImportError(f'must not import {name}')
sys.meta_path.insert(0, Block())
for name in sys.argv[2:]:
    importlib.import_module(name)
print('ok', len(sys.argv) - 2)
"""


def import_with_blocked(modules: list[str], blocked: set[str]) -> None:
    """Import ``modules`` in a fresh interpreter in which importing any of ``blocked`` fails."""
    out = subprocess.run(
        [sys.executable, "-c", BLOCKER, ",".join(sorted(blocked)), *modules],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == f"ok {len(modules)}"


def import_lines_naming(paths: Iterable[Path], blocked: set[str]) -> list[str]:
    """Every import statement in ``paths`` whose top-level package is one of ``blocked``."""
    offenders = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            s = line.strip()
            if s.startswith(("import ", "from ")) and s.split()[1].split(".")[0] in blocked:
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {s}")
    return offenders


def core_modules() -> list[str]:
    return ["core"] + [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]


def test_every_core_module_imports_without_qt_gui_or_tensorflow():
    """Importing all of core/ with PySide6, pyqtgraph, gui and TensorFlow blocked succeeds."""
    mods = core_modules()
    assert len(mods) > 10
    import_with_blocked(mods, QT_OR_GUI | {"tensorflow"})


def test_no_core_source_mentions_a_qt_import():
    """A static check as well, so even lazy imports inside functions are caught."""
    assert import_lines_naming((ROOT / "core").rglob("*.py"), QT_OR_GUI) == []


def core_test_files() -> list[Path]:
    """Every file pytest loads for tests/core: the shared conftest and all of tests/core."""
    return [ROOT / "tests" / "conftest.py", *sorted((ROOT / "tests" / "core").rglob("*.py"))]


def test_every_core_test_module_imports_without_qt_or_gui():
    """Importing tests/conftest.py and every module of tests/core with PySide6, pyqtgraph, gui and
    pytest-qt blocked succeeds, so tests/core runs where Qt is not installed."""
    names = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in core_test_files()]
    mods = [n.removesuffix(".__init__") for n in names]
    assert "tests.core.test_cli" in mods and len(mods) > 50
    import_with_blocked(mods, QT_OR_GUI | {"pytestqt"})


def test_no_core_test_source_mentions_a_qt_or_gui_import():
    """A static check of tests/core as well, for imports inside test functions."""
    assert import_lines_naming(core_test_files(), QT_OR_GUI | {"pytestqt"}) == []
