"""Finds, in the SQL the apps' Python code writes, what needs a server session to last beyond
one transaction, which PgBouncer in transaction pooling does not give: session advisory locks,
SET without LOCAL, session set_config, LISTEN/NOTIFY, temporary tables, WITH HOLD cursors."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SESSION_STATE = {
    "a session advisory lock (use pg_advisory_xact_lock)": re.compile(
        r"\bpg_(try_)?advisory_lock(_shared)?\s*\(", re.IGNORECASE
    ),
    "SET without LOCAL (use SET LOCAL)": re.compile(
        r"(^|;)\s*SET\s+(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)", re.IGNORECASE
    ),
    "a session set_config (pass true: local to the transaction)": re.compile(
        r"\bset_config\s*\([^)]*,\s*false\s*\)", re.IGNORECASE
    ),
    "LISTEN or NOTIFY": re.compile(r"(^|;)\s*(UN)?LISTEN\b|(^|;)\s*NOTIFY\b|\bpg_notify\s*\(", re.IGNORECASE),
    "a temporary table": re.compile(r"\bCREATE\s+(GLOBAL\s+|LOCAL\s+)?TEMP(ORARY)?\s+TABLE\b", re.IGNORECASE),
    "a cursor WITH HOLD": re.compile(r"\bWITH\s+HOLD\b", re.IGNORECASE),
}


# Where SQL is written: the arguments of these calls, and names with "sql" in them.
SQL_CALLS = {"execute", "executemany", "raw", "RawSQL", "extra", "RunSQL", "SQL"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def sql_strings(source: str) -> Iterator[ast.Constant]:
    for node in ast.walk(ast.parse(source)):
        holders: list[ast.AST] = []
        if isinstance(node, ast.Call) and _name(node.func) in SQL_CALLS:
            holders = [*node.args, *(keyword.value for keyword in node.keywords)]
        elif isinstance(node, ast.Assign) and any("sql" in _name(target).lower() for target in node.targets):
            holders = [node.value]
        for holder in holders:
            for part in ast.walk(holder):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield part


def session_state_in(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) for each piece of SQL in the source that needs a session."""
    for constant in sql_strings(source):
        for what, pattern in SESSION_STATE.items():
            if pattern.search(str(constant.value)):
                yield constant.lineno, what


def app_sources(root: Path) -> Iterator[Path]:
    """The apps' and config's own modules; migrations run straight to PostgreSQL, never pooled."""
    packages = [path.parent for path in root.glob("*/apps.py")] + [root / "config"]
    for package in sorted(packages):
        for path in sorted(package.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path
