"""Every SQL statement on storage's tables lives in core/storage (STYLE.md, habit 12).

Other packages ask storage for what they need: this scans the source of core/ and gui/ outside
core/storage for database calls (``.execute(``, ``.sql(``, ...), for SQL text naming one of the
file's tables and for storage's transaction helper, and fails naming the file and line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from core.storage.schema import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("core", "gui")
STORAGE = ROOT / "core" / "storage"
# DuckDB's ways of running a statement (a connection's, a cursor's or a relation's).
DB_CALLS = {"execute", "executemany", "sql", "query", "read_sql", "register", "from_query"}
_KEYWORDS = re.compile(
    r"\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|CREATE\s+(?:TEMP\s+)?TABLE|"
    r"DROP\s+TABLE|ALTER\s+TABLE|FROM|JOIN)\b"
)


def storage_tables() -> set[str]:
    """Every table, view and sequence the schema's migrations create."""
    found: set[str] = {"schema_version"}
    for _, _, sql in MIGRATIONS:
        found |= set(re.findall(r"CREATE\s+(?:TABLE|VIEW|SEQUENCE)\s+(\w+)", sql, re.I))
    found |= {new for new in re.findall(r"RENAME\s+TO\s+(\w+)", " ".join(m[2] for m in MIGRATIONS), re.I)}
    return found


def _text(node: ast.AST) -> str | None:
    """The literal text of a string, f-string or concatenation of them (placeholders as {})."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v) or "{}" for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return "{}"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is not None or right is not None:
            return (left or "{}") + (right or "{}")
    return None


def sql_findings(source: str, tables: set[str]) -> list[tuple[int, str]]:
    """``(line, what)`` for every piece of storage SQL in ``source`` (a module's text)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    table_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, tables))) + r")\b")
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CALLS:
            found.append((node.lineno, f"a database call .{node.func.attr}(...)"))
        elif isinstance(node, ast.ImportFrom) and node.module == "core.storage.schema":
            if any(alias.name == "transaction" for alias in node.names):
                found.append((node.lineno, "storage's transaction() helper"))
        elif id(node) not in docstrings and isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp):
            text = _text(node)
            if text and _KEYWORDS.search(text) and table_re.search(text):
                statement = " ".join(text.split())[:60]
                found.append((node.lineno, f"SQL text {statement!r}"))
    return sorted(set(found))


def test_the_scan_finds_sql_in_each_form_it_can_take():
    """The check is not trivially passing: a cursor call, SQL built by concatenation or f-string
    and the transaction helper are each found, and plain prose or a docstring is not."""
    tables = storage_tables()
    assert {"samples", "channels", "forecasts", "alarm_events", "rollup_1m", "forward_cursors"} <= tables
    bad = """
from core.storage.schema import transaction

def count(store, channel):
    return store.cursor().execute("SELECT count(*) FROM readings WHERE channel = ?", [channel])

def newest(store, table):
    sql = f"SELECT max(ts) FROM {table}" + " JOIN channels c ON c.id = channel_id"
    return sql

QUERY = "DELETE FROM " + "samples WHERE ts < ?"
"""
    lines = {line for line, _ in sql_findings(bad, tables)}
    assert lines == {2, 5, 8, 11}
    good = '''
"""Select the newest samples from the channels (a docstring, prose)."""

def label(n):
    """Update the label."""
    return f"{n} samples from 3 channels"
'''
    assert sql_findings(good, tables) == []


def test_no_module_outside_core_storage_holds_sql_on_storage_tables():
    """core/ and gui/ outside core/storage ask storage for what they need: no database calls,
    no SQL on the file's tables, no transactions of their own."""
    tables = storage_tables()
    problems = []
    scanned = 0
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if STORAGE in path.parents:
                continue
            scanned += 1
            for line, what in sql_findings(path.read_text(encoding="utf-8"), tables):
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert scanned > 50  # the scan really walked the packages
    assert not problems, "SQL outside core/storage (move it into a storage function):\n" + "\n".join(problems)
