"""The command line starts cheaply: building the parser, --help and --version load no numpy,
pandas, DuckDB, pyserial, pymodbus, MQTT/OPC UA client or TensorFlow; a command loads its
machinery when it runs. The choices written out to keep it so match the enums they copy."""

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

from core.acquisition.modbus.transport import Protocol
from core.acquisition.parsing import LineFormat
from core.cli import build_parser
from core.cli.acquisition_args import LINE_FORMATS
from core.cli.commands import Handler
from core.cli.modbus_args import MODBUS_PROTOCOLS

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "pandas", "duckdb", "serial", "pymodbus", "paho", "asyncua", "tensorflow", "keras")

# In a fresh interpreter: answer each argv as `watchkeeper ARGV` would, then list what got loaded.
ANSWER_THEN_LIST = """
import contextlib, io, json, sys
from core.cli import run
for argv in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        run(argv)
heavy = json.loads(sys.argv[2])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def _subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every (command path, parser) below ``parser``, e.g. (("modbus", "read"), <parser>)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _subcommands(sub, (*path, name))


def _choices(parser: argparse.ArgumentParser, option: str) -> list:
    return next(a.choices for a in parser._actions if option in a.option_strings)


def _loaded_after(argvs: list[list[str]]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", ANSWER_THEN_LIST, json.dumps(argvs), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_and_version_load_no_heavy_library():
    """--help, --version and every COMMAND --help are answered without numpy, pandas, DuckDB & co."""
    commands = [list(path) for path, _ in _subcommands(build_parser())]
    assert ["record"] in commands and ["modbus", "read"] in commands
    argvs = [["--help"], ["--version"], *([*c, "--help"] for c in commands)]
    assert _loaded_after(argvs) == []


def test_a_command_loads_its_machinery_when_it_runs(tmp_path):
    """The check above can fail: running a command (info on a missing file) does load DuckDB."""
    assert "duckdb" in _loaded_after([["info", "--db", str(tmp_path / "none.duckdb")]])


def test_every_command_names_a_handler_that_exists():
    """Each subcommand's handler names a function of its core.cli module (found only when it runs)."""
    handlers = {path: sub.get_default("handler") for path, sub in _subcommands(build_parser())}
    runnable = {path: h for path, h in handlers.items() if h is not None}
    assert set(handlers) - set(runnable) == {("modbus",)}  # it only groups read, scan and simulate
    for path, handler in runnable.items():
        assert isinstance(handler, Handler), path
        assert callable(getattr(importlib.import_module(handler.module), handler.function)), path


def test_written_out_choices_match_the_enums():
    """record --format offers LineFormat's values; the Modbus commands' --protocol the Modbus Protocols."""
    assert [f.value for f in LineFormat] == LINE_FORMATS
    assert [p.value for p in Protocol if p.is_modbus] == MODBUS_PROTOCOLS
    subs = dict(_subcommands(build_parser()))
    assert _choices(subs[("record",)], "--format") == [f.value for f in LineFormat]
    for action in ("read", "scan", "simulate"):
        assert _choices(subs[("modbus", action)], "--protocol") == MODBUS_PROTOCOLS


def test_user_errors_are_those_every_command_lists():
    """Any command's USER_ERRORS is a user error whichever command raised it, also when that
    command's module is not loaded yet (ValueError is acquisition's); anything else is a bug."""
    code = (
        "import sys; import core.cli.autostart; from core.cli.main import _is_user_error; "
        "print('core.cli.acquisition' in sys.modules, _is_user_error(ValueError('bad value')), "
        "_is_user_error(RuntimeError('a bug')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "False"]
