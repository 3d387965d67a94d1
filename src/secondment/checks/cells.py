"""Which answer a check may judge: IPython hooks that watch the cells assigning `answer`.

A `post_run_cell` hook notes, for every cell that assigns `answer`, whether it ran cleanly or
raised (and what). `check(qid, …)` then refuses, in one line, to judge a left-over value: when
the last answer cell raised, or when no answer cell has run since another question was checked.
An AST transformer lets a check cell run even when `answer` was never defined, so that a check
cell never shows a traceback of its own.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["checked", "install", "problem"]

_ASSIGNS = re.compile(r"(?m)^[ \t]*(?:[\w, ()\[\]*]*[,( \[])?answer\b[^=\n]*(?<![=!<>])=(?!=)")


@dataclass
class _State:
    watching: bool = False  # hooks installed (IPython); outside IPython nothing is refused
    assigned: bool = False  # some cell assigned `answer`
    error: str = ""  # what the last answer cell raised, "" when it ran cleanly
    checked_by: str = ""  # the question that last checked the current answer


_STATE = _State()


def _assigns_answer(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # the cell cannot run: judge by its text
        return bool(_ASSIGNS.search(source))
    return any(
        isinstance(node, ast.Name) and node.id == "answer" and isinstance(node.ctx, ast.Store)
        for node in ast.walk(tree)
    )


def _error_line(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return f"SyntaxError: {exc.msg}{where}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200].rstrip(": ")


def _after_cell(result: Any) -> None:
    source = getattr(getattr(result, "info", None), "raw_cell", "") or ""
    if not _assigns_answer(source):
        return
    error = result.error_before_exec or result.error_in_exec
    _STATE.assigned = True
    _STATE.error = _error_line(error) if error is not None else ""
    _STATE.checked_by = ""


def problem(qid: str) -> str:
    """Why `check(qid)` must not judge the current `answer`, or "" when it may."""
    if not _STATE.watching or not _STATE.assigned:
        return ""
    if _STATE.error:
        return f"the answer cell above raised {_STATE.error}; fix it and run it again"
    if _STATE.checked_by and _STATE.checked_by != qid:
        return (
            f"the answer cell above has not run since you checked {_STATE.checked_by}: "
            "run it, then this check again"
        )
    return ""


def checked(qid: str) -> None:
    """Note that the current answer was checked as question `qid`."""
    if _STATE.assigned and not _STATE.error:
        _STATE.checked_by = qid


class _AnswerOrNotDefined(ast.NodeTransformer):
    """`check(q, answer)` → `check(q, globals().get("answer", NOT_DEFINED))`."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "check":
            node.args = [self._safe(a) for a in node.args]
        return node

    @staticmethod
    def _safe(arg: ast.expr) -> ast.expr:
        if not (isinstance(arg, ast.Name) and arg.id == "answer"):
            return arg
        lookup = ast.parse(
            "globals().get('answer', __import__('secondment.checks', fromlist=['_']).NOT_DEFINED)",
            mode="eval",
        ).body
        return ast.fix_missing_locations(ast.copy_location(lookup, arg))


def install() -> None:
    """Watch answer cells in the running IPython shell (once; nothing outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_secondment_watching", False):
        return
    shell.events.register("post_run_cell", _after_cell)
    shell.ast_transformers.append(_AnswerOrNotDefined())
    shell._secondment_watching = True
    _STATE.watching = True
