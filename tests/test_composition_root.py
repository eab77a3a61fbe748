"""gui/app.py is the composition root: the only module that connects one component's signals to another's.

A widget or controller may subscribe to its own signals, to the signals of the objects it builds,
and to the direct signals of the model it is given (napari's ``QtDims(dims)`` subscribes to
``dims``); reaching through a given object into its parts to connect them (``window.predict_action
.triggered.connect(...)``) is wiring, and that belongs to the composition root.
"""

from __future__ import annotations

import ast
from pathlib import Path

GUI = Path(__file__).resolve().parents[1] / "gui"
ROOT = "app.py"


def _chain(node: ast.expr) -> list[str]:
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
        return names[::-1]
    return []  # a call's result, a subscript: not a reach into a given object


def wiring(source: str) -> list[tuple[int, str]]:
    """(line, expression) of every connection that reaches into a given object's parts."""
    found = []
    tree = ast.parse(source)
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)] or [tree]:
        given_attrs: set[str] = set()
        functions = [n for n in ast.walk(cls) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for fn in functions:
            params = {a.arg for a in fn.args.args + fn.args.kwonlyargs} - {"self"}
            for node in ast.walk(fn):
                given = isinstance(node, ast.Assign) and isinstance(node.value, ast.Name)
                if given and node.value.id in params:
                    for target in node.targets:
                        chain = _chain(target)
                        if len(chain) == 2 and chain[0] == "self":
                            given_attrs.add(chain[1])
        for fn in functions:
            params = {a.arg for a in fn.args.args + fn.args.kwonlyargs} - {"self"}
            for node in ast.walk(fn):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr != "connect":
                    continue
                chain = _chain(node.func.value)
                reach = (chain[:1] == ["self"] and len(chain) >= 4 and chain[1] in given_attrs) or (
                    chain[:1] and chain[0] in params and len(chain) >= 3
                )
                if reach:
                    found.append((node.lineno, ".".join(chain)))
    return found


def test_only_the_composition_root_wires_components():
    offences = {
        path.name: wiring(path.read_text(encoding="utf-8"))
        for path in sorted(GUI.glob("*.py"))
        if path.name != ROOT
    }
    offences = {name: hits for name, hits in offences.items() if hits}
    assert offences == {}, f"connect these in gui/{ROOT} instead: {offences}"


def test_the_check_finds_a_reach_into_a_given_window():
    """The rule catches the kind of wiring it is meant to keep out (so the test above can fail)."""
    source = """
class Controller:
    def __init__(self, window, signals):
        self.window = window
        window.train_action.triggered.connect(self.train)
        self.window.predict_action.triggered.connect(self.predict)
        signals.cycle_done.connect(self.show)       # its model's own signal: fine
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)       # its own part: fine
"""
    assert [line for line, _ in wiring(source)] == [5, 6]
