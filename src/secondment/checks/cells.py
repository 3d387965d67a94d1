"""Which answer a check may judge: IPython hooks that watch the cells assigning `answer`.

A `post_run_cell` hook notes, for every cell that assigns `answer`, whether it ran cleanly or
raised (and what). `check(qid, …)` then refuses, in one line, to judge a left-over value: when
the last answer cell raised, or when no answer cell has run since another question was checked.
An AST transformer lets a check cell run even when `answer` was never defined, so that a check
cell never shows a traceback of its own.

When the front end sends each cell's id (JupyterLab does, and so does the course's notebook
client, `secondment.execute.course_client`), the hook also knows which question an answer cell
of the exercises answers (`answer_cells.json`, written by `build-exercises`) and keeps, per
question, whether its cell raised or the `answer` it gave. A check then judges its own
question's answer even when its check cell was moved away from it, and says so when that
answer cell has not run yet. When the last answer cell has no known id (a cell the student
added, or a front end that sends none), checks behave as above.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from secondment.checks.answers import NOT_DEFINED

__all__ = ["answer_for", "checked", "install", "problem"]

_ASSIGNS = re.compile(r"(?m)^[ \t]*(?:[\w, ()\[\]*]*[,( \[])?answer\b[^=\n]*(?<![=!<>])=(?!=)")


@dataclass
class _Ran:
    """The last run of one question's own answer cell."""

    error: str  # what it raised, "" when it ran cleanly
    answer: Any  # the `answer` it left (when it ran cleanly)


@dataclass
class _State:
    watching: bool = False  # hooks installed (IPython); outside IPython nothing is refused
    assigned: bool = False  # some cell assigned `answer`
    error: str = ""  # what the last answer cell raised, "" when it ran cleanly
    checked_by: str = ""  # the question that last checked the current answer
    namespace: dict[str, Any] = field(default_factory=dict)  # the shell's user namespace
    ran: dict[str, _Ran] = field(default_factory=dict)  # question → its answer cell's last run
    last: str = ""  # the question of the last answer cell run, "" when its id is not known
    shell: Any = None  # the IPython shell whose cells are watched


_STATE = _State()


@functools.cache
def answer_cells() -> dict[str, str]:
    """{cell id: question} of the exercises' answer cells; {} when the table cannot be read."""
    try:
        text = resources.files("secondment.checks").joinpath("answer_cells.json").read_text("utf-8")
        table = json.loads(text)
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


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
    cell_id = getattr(getattr(result, "info", None), "cell_id", None)
    qid = answer_cells().get(cell_id, "") if isinstance(cell_id, str) else ""
    _STATE.last = qid
    if qid:
        kept = None if _STATE.error else _STATE.namespace.get("answer", NOT_DEFINED)
        _STATE.ran[qid] = _Ran(_STATE.error, kept)


def _raised(error: str) -> str:
    return f"the answer cell above raised {error}; fix it and run it again"


def answer_for(qid: str, answer: Any) -> tuple[Any, str]:
    """The answer `check(qid, answer)` judges, and why it must not judge any ("" when it may).

    A value given by another name is judged as given. When the last answer cell run is one the
    table knows, question `qid` is judged by its own answer cell: the answer that cell gave, or
    its error, or not at all when it has not run. Otherwise, `answer` as given, refused as
    `problem` says.
    """
    # A value given by another name than `answer` (`check("01.3", kept)`) is judged as given:
    # which cell left `answer` does not matter to it.
    if _STATE.watching and answer is not _STATE.namespace.get("answer", NOT_DEFINED):
        return answer, ""
    if _STATE.watching and _STATE.last and qid in answer_cells().values():
        ran = _STATE.ran.get(qid)
        if ran is None:
            return answer, (
                f"the answer cell of question {qid} has not run yet (the last answer cell run "
                f"was {_STATE.last}'s): run it, then this check again"
            )
        if ran.error:
            return answer, _raised(ran.error)
        return ran.answer, ""
    return answer, problem(qid)


def problem(qid: str) -> str:
    """Why `check(qid)` must not judge the current `answer`, or "" when it may."""
    if not _STATE.watching or not _STATE.assigned:
        return ""
    if _STATE.error:
        return _raised(_STATE.error)
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
    if shell is None or _STATE.shell is shell:
        return
    shell.events.register("post_run_cell", _after_cell)
    shell.ast_transformers.append(_AnswerOrNotDefined())
    _STATE.shell = shell  # the shell watched, kept here rather than marked on the shell
    _STATE.watching = True
    _STATE.namespace = shell.user_ns
