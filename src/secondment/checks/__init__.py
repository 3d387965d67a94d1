"""Self-checks for the exercises: `check("03.2", answer)` prints one verdict line.

A verdict starts with ✅ or ❌; a ❌ carries a hint that helps without giving the answer away.
Each exercise notebook has its own module (`ex01`, `ex02`, …) registering one checker per
question with `@question("03.2")`. A checker takes the student's answer and either returns
(a short success message, or None) or raises `Hint("…")`.

The verdict is also left in the cell output as a machine-readable record
(`application/vnd.secondment.check+json`: question, passed), and when the grader runs a
notebook (`SECONDMENT_ANSWERS` set to a folder) each answer's value is saved there, so that
marks come from answers, not from printed text.
"""

from __future__ import annotations

import importlib
import json
import os
import pickle
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "MIME",
    "Hint",
    "Verdict",
    "check",
    "evaluate",
    "question",
    "questions",
]

MIME = "application/vnd.secondment.check+json"
ANSWERS_ENV = "SECONDMENT_ANSWERS"

Checker = Callable[[Any], "str | None"]
_REGISTRY: dict[str, Checker] = {}
_LOADED = False


class Hint(Exception):
    """Raised by a checker when the answer is wrong; the message is the hint shown."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check."""

    question: str
    passed: bool
    message: str
    status: str  # correct, wrong, unanswered, error

    @property
    def line(self) -> str:
        """The line a student sees."""
        mark = "✅" if self.passed else "❌"
        return f"{mark} {self.question}: {self.message}"

    def record(self) -> dict[str, Any]:
        """The machine-readable record kept in the cell output."""
        return {"question": self.question, "passed": self.passed, "status": self.status}


def question(qid: str) -> Callable[[Checker], Checker]:
    """Register a checker for one question id such as `03.2`."""
    if not re.fullmatch(r"\d\d\.\d+", qid):
        raise ValueError(f"question ids look like '03.2', not {qid!r}")

    def register(func: Checker) -> Checker:
        if qid in _REGISTRY and _REGISTRY[qid] is not func:
            raise ValueError(f"question {qid} is registered twice")
        _REGISTRY[qid] = func
        return func

    return register


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    for info in pkgutil.iter_modules(__path__):
        if re.fullmatch(r"ex\d\d", info.name):
            importlib.import_module(f"{__name__}.{info.name}")
    _LOADED = True


def questions() -> list[str]:
    """All registered question ids, sorted."""
    _load_all()
    return sorted(_REGISTRY, key=lambda q: tuple(int(p) for p in q.split(".")))


def evaluate(qid: str, answer: Any) -> Verdict:
    """Decide one answer without printing anything."""
    _load_all()
    if qid not in _REGISTRY:
        return Verdict(qid, False, "unknown question id; check the spelling, e.g. '03.2'", "error")
    if answer is ...:
        return Verdict(qid, False, "not answered yet: replace `...` with your answer", "unanswered")
    try:
        message = _REGISTRY[qid](answer)
    except Hint as hint:
        return Verdict(qid, False, str(hint), "wrong")
    except Exception as exc:  # a student's odd value must give a hint, never a traceback
        kind = type(exc).__name__
        return Verdict(
            qid, False, f"could not check this answer ({kind}); look at its type", "error"
        )
    return Verdict(qid, True, message or "correct", "correct")


def _save_answer(qid: str, answer: Any) -> None:
    folder = os.environ.get(ANSWERS_ENV)
    if not folder:
        return
    path = Path(folder) / f"{qid}.pickle"
    try:
        data = pickle.dumps(answer)
    except Exception:  # unpicklable answers are graded as unanswerable, not crashed on
        data = pickle.dumps(_Unpicklable(type(answer).__name__))
    path.write_bytes(data)


@dataclass(frozen=True)
class _Unpicklable:
    type_name: str


def check(qid: str, answer: Any) -> None:
    """Check an answer and show one verdict line: ✅, or ❌ with a hint."""
    _save_answer(qid, answer)
    verdict = evaluate(qid, answer)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: the line is enough
        get_ipython = None  # type: ignore[assignment]
    if get_ipython is not None and get_ipython() is not None:
        display({"text/plain": verdict.line, MIME: verdict.record()}, raw=True)
    else:
        print(verdict.line)
        print(json.dumps(verdict.record()))
    # Nothing is returned, so the cell shows the verdict alone (no `True`/`False` after it).
