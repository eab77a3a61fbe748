"""Rebuild the window's translations from the sources: ``uv run python resources/i18n/build.py``.

1. ``pyside6-lupdate`` reads every ``tr()`` / ``translate()`` / ``QT_TRANSLATE_NOOP`` text in
   ``gui/`` into ``watchkeeper_ko.ts`` (translations already made are kept; a new text arrives
   as "unfinished"; no line numbers, so the file changes only when a text does).
2. Translate the unfinished messages (Qt Linguist, ``pyside6-linguist``, or any editor).
3. ``pyside6-lrelease`` compiles the .ts into ``watchkeeper_ko.qm``, the file the window loads.

``--release`` runs step 3 alone. Both tools ship with PySide6; the same .ts always gives the same
.qm (tests/gui/test_i18n.py checks that the committed one is up to date).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGUAGES = ("ko",)


def tool(name: str) -> str:
    """A PySide6 tool: beside the running Python (a virtual environment), else on PATH."""
    for folder in (Path(sys.executable).parent, Path(sys.executable).parent / "Scripts"):
        for candidate in (folder / name, folder / f"{name}.exe"):
            if candidate.exists():
                return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} was not found; install the project's dependencies (uv sync).")
    return found


def sources() -> list[str]:
    """The files with window texts, relative to the repository (so the .ts names no local path)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gui").glob("*.py"))


def ts_path(language: str, folder: Path = HERE) -> Path:
    return folder / f"watchkeeper_{language}.ts"


def qm_path(language: str, folder: Path = HERE) -> Path:
    return folder / f"watchkeeper_{language}.qm"


def update(ts: Path, files: list[str] | None = None) -> None:
    """Merge the texts of ``files`` (default: gui/) into ``ts``."""
    subprocess.run(
        [tool("pyside6-lupdate"), *(files or sources()), "-locations", "none", "-ts", str(ts)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def release(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile the .ts files into .qm")
    args = parser.parse_args(argv)
    for language in LANGUAGES:
        if not args.release:
            update(ts_path(language))
        release(ts_path(language), qm_path(language))
        print(f"{qm_path(language).relative_to(ROOT)} built from {ts_path(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
