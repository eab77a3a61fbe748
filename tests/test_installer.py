"""The installer files refer to things that exist: the entry point, the packages, the spec."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_frozen_entry_script_calls_the_gui_entry_point():
    """installer/launch.py parses and starts gui.app.main_gui, which exists."""
    tree = ast.parse((ROOT / "installer" / "launch.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "gui.app"]
    names = {alias.name for n in imports for alias in n.names}
    assert names == {"main_gui"}
    from gui.app import main_gui

    assert callable(main_gui)


def test_spec_and_setup_script_point_at_the_build():
    """The PyInstaller spec is valid Python naming the launch script; Inno Setup installs its output."""
    spec = (ROOT / "installer" / "watchkeeper.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    assert '"launch.py"' in spec and 'name="Watchkeeper"' in spec
    iss = (ROOT / "installer" / "watchkeeper.iss").read_text(encoding="utf-8")
    assert r"dist\Watchkeeper\*" in iss and "Watchkeeper.exe" in iss
