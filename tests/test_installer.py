"""The installer files refer to things that exist and do what the Windows build needs."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"


def test_frozen_entry_script_calls_the_gui_entry_point():
    """installer/launch.py parses and starts gui.app.main_gui, which exists."""
    tree = ast.parse((INSTALLER / "launch.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "gui.app"]
    names = {alias.name for n in imports for alias in n.names}
    assert names == {"main_gui"}
    from gui.app import main_gui

    assert callable(main_gui)


def test_spec_and_setup_script_point_at_the_build():
    """The PyInstaller spec is valid Python naming the launch script; Inno Setup installs its output."""
    spec = (INSTALLER / "watchkeeper.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    assert '"launch.py"' in spec and 'name="Watchkeeper"' in spec
    iss = (INSTALLER / "watchkeeper.iss").read_text(encoding="utf-8")
    assert r"dist\Watchkeeper\*" in iss and "Watchkeeper.exe" in iss


def test_spec_collects_what_analysis_cannot_see_and_no_more():
    """pyserial's URL handlers and our sim:// handler are collected; collect_all (C++ headers,
    pyqtgraph.examples) is not used; the icon it names exists."""
    spec = (INSTALLER / "watchkeeper.spec").read_text(encoding="utf-8")
    assert "collect_all" not in spec
    assert 'collect_submodules("serial.urlhandler")' in spec and '"core.simulation.protocol_sim"' in spec
    assert 'collect_submodules("pymodbus"' in spec and '"pyqtgraph.examples"' in spec
    assert (ROOT / "resources" / "icons" / "watchkeeper.ico").exists()
    import core.simulation.protocol_sim  # the module the spec names

    assert core.simulation.protocol_sim


def test_setup_script_upgrades_cleanly_and_refuses_what_cannot_run():
    """Old library files are deleted on upgrade; 64-bit only with Inno Setup 6.3+; icon, PATH,
    a command-line shortcut and the logon task are offered."""
    iss = (INSTALLER / "watchkeeper.iss").read_text(encoding="utf-8")
    assert re.search(
        r"\[InstallDelete\]\s*(;.*\n)*\s*Type: filesandordirs; Name: \"\{app\}\\_internal\"", iss
    )
    assert "ArchitecturesAllowed=x64compatible" in iss and "EncodeVer(6, 3, 0)" in iss
    assert re.search(r"^MinVersion=10\.0", iss, re.M)
    assert r"SetupIconFile=..\resources\icons\watchkeeper.ico" in iss
    assert 'Name: "addtopath"' in iss and 'ValueName: "Path"' in iss
    assert "watchkeeper-cli.exe" in iss.split("[Icons]")[1].split("[")[0]


def test_setup_script_uses_the_real_autostart_command():
    """The installer's logon task is `watchkeeper-cli autostart on`, removed with `... off`."""
    from core.cli import build_parser

    iss = (INSTALLER / "watchkeeper.iss").read_text(encoding="utf-8")
    assert 'Parameters: "autostart on"; Flags: runhidden waituntilterminated; Tasks: autostart' in iss
    assert 'Parameters: "autostart off"' in iss.split("[UninstallRun]")[1]
    parser = build_parser()
    for action in ("on", "off"):
        assert parser.parse_args(["autostart", action]).action == action


def test_build_script_stops_on_every_failure():
    """Each native step of build.ps1 is checked; it cleans first and looks for ISCC properly."""
    ps1 = (INSTALLER / "build.ps1").read_text(encoding="utf-8")
    assert '$ErrorActionPreference = "Stop"' in ps1 and "$LASTEXITCODE -ne 0" in ps1
    for step in ("pyinstaller", "$iscc installer\\watchkeeper.iss", "watchkeeper-cli.exe --version"):
        line = next(line for line in ps1.splitlines() if step in line)
        assert line.lstrip().startswith("Invoke-Checked"), line
    assert ps1.index("Remove-Item") < ps1.index("pyinstaller --noconfirm")
    assert "Inno Setup 6_is1" in ps1 and "Get-Command ISCC.exe" in ps1
    uv_calls = [line for line in ps1.splitlines() if "uv run" in line and "throw" not in line]
    for line in uv_calls:  # inside Invoke-Checked, or followed at once by a look at the exit code
        assert "Invoke-Checked" in line or ps1.split(line, 1)[1].lstrip().startswith("if ($LASTEXITCODE"), (
            line
        )
