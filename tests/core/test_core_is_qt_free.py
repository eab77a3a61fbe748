"""core/ must never import Qt, pyqtgraph or gui: every core module imports with them blocked."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[2]

BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in {'PySide6', 'pyqtgraph', 'gui', 'shiboken6', 'tensorflow'}:
            raise ImportError(f'core must not import {name}')
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print('ok', len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    return ["core"] + [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]


def test_every_core_module_imports_without_qt_gui_or_tensorflow():
    """Importing all of core/ with PySide6, pyqtgraph, gui and TensorFlow blocked succeeds."""
    mods = core_modules()
    assert len(mods) > 10
    out = subprocess.run(
        [sys.executable, "-c", BLOCKER, *mods],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"ok {len(mods)}"


def test_no_core_source_mentions_a_qt_import():
    """A static check as well, so even lazy imports inside functions are caught."""
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            s = line.strip()
            if s.startswith(("import ", "from ")) and s.split()[1].split(".")[0] in {
                "PySide6",
                "pyqtgraph",
                "gui",
                "shiboken6",
            }:
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {s}")
    assert offenders == []
