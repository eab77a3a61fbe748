"""The import contracts in pyproject.toml ([tool.importlinter]) hold, and breaking one fails.

lint-imports runs in a child process of this interpreter, so it sees the same environment as the
tests; ``--no-cache`` keeps it from writing cache folders into the tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The console script `lint-imports` runs exactly this; calling it through sys.executable keeps
# the environment and, with the working folder first on sys.path, the code being checked.
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on the project in ``root`` with the contracts of its pyproject.toml."""
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "COLUMNS": "200"},  # offenders on one line each, however long
        timeout=300,
    )


def test_the_import_contracts_are_kept():
    """core is Qt-free, the window does not import the command line, core's layers hold."""
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def copy_of_the_project(dest: Path) -> Path:
    """core/, gui/ and pyproject.toml copied to ``dest``, to break the contracts in."""
    skip = shutil.ignore_patterns("__pycache__")
    for package in ("core", "gui"):
        shutil.copytree(ROOT / package, dest / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_breaking_each_contract_fails_and_names_the_import(tmp_path):
    """A Qt import in core, a command-line import in the window, an upward import in core's layers
    and a top-level core module without a layer each break the check, naming the offender."""
    project = copy_of_the_project(tmp_path)
    (project / "core" / "anomaly" / "uses_qt.py").write_text("import PySide6\n", encoding="utf-8")
    (project / "gui" / "uses_cli.py").write_text("from core.cli import run\n", encoding="utf-8")
    (project / "core" / "storage" / "reaches_up.py").write_text(
        '"""Storage must not know the engine."""\n\nimport core.engine\n', encoding="utf-8"
    )
    (project / "core" / "stray.py").write_text('"""A module no layer lists."""\n', encoding="utf-8")

    out = lint_imports(project)

    report = out.stdout + out.stderr
    assert out.returncode != 0, report
    assert "core.anomaly.uses_qt -> PySide6 (l.1)" in report
    assert "gui.uses_cli -> core.cli (l.1)" in report
    assert "core.storage.reaches_up -> core.engine (l.3)" in report
    assert "- core.stray" in report  # the exhaustive layers contract names the unlisted module
