"""Self-checks for the exercises: `check("03.2", answer)` prints one verdict line.

A verdict starts with ✅ or ❌; a ❌ carries a hint that helps without giving the answer away.
Each exercise notebook has its own module (`ex01`, `ex02`, …) registering one checker per
question with `@question("03.2")`. A checker takes the student's answer and either returns
(a short success message, or None) or raises `Hint("…")`.

Every answer is decided the same way, in the student's kernel and in the grader: `record`
describes it as JSON data (`secondment.checks.answers`), and `decide` rebuilds plain objects
from that data and runs the checker. When the grader runs a notebook (`SECONDMENT_ANSWERS` set
to a folder) each record is saved there as JSON, so marks come from answers, not from printed
text, and nothing from a submission is ever unpickled or evaluated.

A function answer is described by its results on the question's probes, with the library
finders it called while it ran (`secondment.checks.watch`). The self-check uses the question's
own probes; the grader uses its own, which it sends into the kernel after the check ran
(`graded_records`) and gives to `decide`, and each checker reads the ones in force
(`probes_of`).

The Chinese edition's exercises call `use_language("zh-CN")` in their setup cell: the verdicts
are decided as before and shown in Chinese (`secondment.checks.language`).

In IPython, importing this module also watches the cells that assign `answer`: a check judges
only the answer its own answer cell gave, and says so in one line when that cell raised or
has not run since another question was checked; where the front end sends cell ids, it judges
its own question's answer cell wherever the check cell stands (`secondment.checks.cells`).
"""

from __future__ import annotations

import contextvars
import importlib
import json
import os
import pkgutil
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secondment.checks.answers import (
    NOT_DEFINED,
    AnswerTooBig,
    Recorded,
    TimeLimit,
    describe,
    rebuild,
)
from secondment.checks.language import translate, use_language
from secondment.errors import Hint

__all__ = [
    "MIME",
    "NOT_DEFINED",
    "Hint",
    "Verdict",
    "calls_of",
    "check",
    "decide",
    "evaluate",
    "function_questions",
    "graded_records",
    "own_probes",
    "probes_of",
    "reference_of",
    "question",
    "questions",
    "record",
    "use_language",
]

MIME = "application/vnd.secondment.check+json"
ANSWERS_ENV = "SECONDMENT_ANSWERS"

Checker = Callable[[Any], "str | None"]
Probes = list[tuple[Any, ...]]
_REGISTRY: dict[str, Checker] = {}
_PROBES: dict[str, Iterable[tuple[Any, ...]] | Callable[[], Iterable[tuple[Any, ...]]]] = {}
_CALLS: dict[str, Callable[[Probes], Probes]] = {}
_REFERENCES: dict[str, Callable[..., Any]] = {}
_DECODE_HINTS: dict[str, str] = {}
_LOADED = False
#: The probes the grader gave for the answer being decided: {question: probes}, or None.
_GIVEN: contextvars.ContextVar[dict[str, Probes] | None] = contextvars.ContextVar(
    "secondment_probes", default=None
)
#: While a notebook is graded: each question's function answer, as its check last judged it,
#: until the grader's own cell records it on the grader's probes (`graded_records`).
_KEPT: dict[str, Any] = {}


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check."""

    question: str
    passed: bool
    message: str
    status: str  # correct, wrong, unanswered, not-run, answer-error, too-slow, error

    @property
    def line(self) -> str:
        """The line a student sees, in the language chosen with `use_language`."""
        mark = "✅" if self.passed else "❌"
        return f"{mark} {self.question}: {translate(self.message)}"

    def record(self) -> dict[str, Any]:
        """The machine-readable record kept in the cell output."""
        return {"question": self.question, "passed": self.passed, "status": self.status}


def question(
    qid: str,
    probes: Iterable[tuple[Any, ...]] | Callable[[], Iterable[tuple[Any, ...]]] = (),
    decode_hint: str = "",
    calls: Callable[[Probes], Probes] | None = None,
    reference: Callable[..., Any] | None = None,
) -> Callable[[Checker], Checker]:
    """Register a checker for one question id such as `03.2`.

    `probes` are the argument tuples a function answer is tried on: the question's own, which
    the self-check uses; the grader may give others (`decide(…, probes=…)`), and a checker
    reads the ones in force with `probes_of(qid)`. In the kernel the function is called on
    `calls(probes)` (the probes themselves by default; more, e.g. each sentence of a text,
    when the checker traces a wrong result); the checker then receives a function that
    replays those results (and knows no other input). A callable gives the probes lazily
    (e.g. sentences of the article, read on first use). `reference` is the library's own
    answer to a function question: with it, other probes can be tried before they are used
    (`reference_of`). `decode_hint` says which encoding the question's bytes are in, for
    an answer cell that raised UnicodeDecodeError.
    """
    if not re.fullmatch(r"\d\d\.\d+", qid):
        raise ValueError(f"question ids look like '03.2', not {qid!r}")

    def register(func: Checker) -> Checker:
        if qid in _REGISTRY and _REGISTRY[qid] is not func:
            raise ValueError(f"question {qid} is registered twice")
        _REGISTRY[qid] = func
        _PROBES[qid] = probes if callable(probes) else tuple(tuple(p) for p in probes)
        if calls is not None:
            _CALLS[qid] = calls
        if reference is not None:
            _REFERENCES[qid] = reference
        if decode_hint:
            _DECODE_HINTS[qid] = decode_hint
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


def function_questions() -> list[str]:
    """The questions whose answer is a function, tried on probes; sorted."""
    return [q for q in questions() if _has_probes(q)]


def _has_probes(qid: str) -> bool:
    probes = _PROBES.get(qid, ())
    return callable(probes) or bool(probes)


def own_probes(qid: str) -> Probes:
    """The question's own probes: the inputs the self-check tries a function answer on."""
    _load_all()
    probes = _PROBES.get(qid, ())
    return [tuple(p) for p in (probes() if callable(probes) else probes)]


def probes_of(qid: str) -> Probes:
    """The probes in force for a question: the grader's, while `decide` was given some for it,
    else the question's own."""
    given = _GIVEN.get()
    if given is not None and qid in given:
        return list(given[qid])
    return own_probes(qid)


def calls_of(qid: str, probes: Sequence[tuple[Any, ...]] | None = None) -> Probes:
    """The argument tuples a function answer is called on for these probes (by default the
    ones in force), each once, in order."""
    probes = probes_of(qid) if probes is None else [tuple(p) for p in probes]
    made = _CALLS[qid](probes) if qid in _CALLS else probes
    unique: Probes = []
    for args in made:
        if args not in unique:
            unique.append(args)
    return unique


def reference_of(qid: str) -> Callable[..., Any] | None:
    """The library's own answer to a function question (what the check must pass on any
    probes it is given), or None."""
    _load_all()
    return _REFERENCES.get(qid)


def record(
    qid: str, answer: Any, problem: str = "", calls: Sequence[tuple[Any, ...]] | None = None
) -> dict[str, Any]:
    """The JSON record of one answer: what leaves the student's kernel, and all `decide` reads.

    A function answer is called on `calls` (by default those of the question's own probes).
    """
    _load_all()
    if problem:
        return {"question": qid, "problem": problem}
    if answer is NOT_DEFINED:
        return {"question": qid, "problem": "no answer yet: run the answer cell above first"}
    try:
        given: Iterable[tuple[Any, ...]] = ()
        if callable(answer) and qid in _PROBES:
            given = calls_of(qid, own_probes(qid)) if calls is None else calls
        return {"question": qid, "answer": describe(answer, given)}
    except AnswerTooBig as exc:
        return {"question": qid, "problem": f"{exc}: keep it to what the question asks"}
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # an odd object (SystemExit too) gives a verdict, not a traceback
        return {"question": qid, "problem": f"could not read this answer ({type(exc).__name__})"}


def decide(qid: str, data: Any, probes: Sequence[tuple[Any, ...]] | None = None) -> Verdict:
    """Decide one question from its JSON record (plain data only, never code).

    `probes` are the grader's inputs for a function answer (the record must hold its results
    on `calls_of(qid, probes)`); by default, the question's own.
    """
    _load_all()
    if probes is None:
        return _decide(qid, data)
    token = _GIVEN.set({qid: [tuple(p) for p in probes]})
    try:
        return _decide(qid, data)
    finally:
        _GIVEN.reset(token)


def _decide(qid: str, data: Any) -> Verdict:
    if qid not in _REGISTRY:
        return Verdict(qid, False, "unknown question id; check the spelling, e.g. '03.2'", "error")
    if not isinstance(data, dict) or data.get("question") != qid:
        return Verdict(qid, False, "no answer recorded for this question", "error")
    if "problem" in data:
        problem = str(data["problem"])[:300]
        not_run = problem.startswith(
            ("no answer", "the answer cell above has not", "the answer cell of question")
        )
        status = "not-run" if not_run else "answer-error"
        return Verdict(qid, False, _with_decode_hint(qid, problem), status)
    try:
        answer = rebuild(data.get("answer"))
    except Exception as exc:  # malformed data is one wrong answer, not a crash
        return Verdict(qid, False, f"the answer could not be read back ({exc})"[:200], "error")
    if answer is ...:
        return Verdict(qid, False, "not answered yet: replace `...` with your answer", "unanswered")
    if isinstance(answer, Recorded) and answer.stopped is not None:
        return Verdict(qid, False, _too_slow(answer.stopped), "too-slow")
    try:
        message = _REGISTRY[qid](answer)
    except Hint as hint:
        return Verdict(qid, False, _cut(str(hint)), "wrong")
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a student's odd value must give a hint, never a traceback
        kind = type(exc).__name__
        return Verdict(
            qid, False, f"could not check this answer ({kind}); look at its type", "error"
        )
    return Verdict(qid, True, _cut(message or "") or "correct", "correct")


#: The longest message a verdict shows; hints echo a student's value cut short (`expect.shown`),
#: and this bounds whatever else a message holds.
MAX_MESSAGE = 600


def _cut(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def _too_slow(limit: TimeLimit) -> str:
    """The hint for a function answer the kernel stopped: which limit it ran over."""
    seconds = limit.seconds
    if limit.all_inputs:
        return (
            f"your function took more than {seconds:g} s on the check's {limit.inputs} inputs "
            "in all, so the check stopped it: make it faster (does it read a file or loop over "
            "the text for every input?)"
        )
    return (
        f"your function ran for more than {seconds:g} s on one input, so the check stopped it: "
        "does it wait (time.sleep, input()) or loop forever?"
    )


# A Chinese input method left switched on types full-width punctuation into code: Python says
# `invalid character '，' (U+FF0C)`, or `invalid non-printable character U+3000` for its space.
_FULL_WIDTH = re.compile(
    r"the answer cell above raised SyntaxError: invalid (?:non-printable )?character "
    r"(?:'.' )?\(?U\+(?P<code>[0-9A-F]{4,5})\)?(?P<where> \(line \d+\))?"
)
# Full-width marks whose ASCII twin NFKC does not give.
_ASCII_OF = {"“": '"', "”": '"', "‘": "'", "’": "'", "。": ".", "、": ",", "【": "[", "】": "]"}


def _with_full_width_hint(problem: str) -> str:
    """A SyntaxError on a full-width character: say that an input method typed it, and what."""
    m = _FULL_WIDTH.match(problem)
    if not m:
        return problem
    char = chr(int(m["code"], 16))
    plain = _ASCII_OF.get(char) or unicodedata.normalize("NFKC", char)
    if len(plain) != 1 or not plain.isascii():
        return problem
    where, code, shown, ascii_twin = m["where"] or "", m["code"], repr(char), repr(plain)
    return (
        f"the answer cell above raised SyntaxError{where}: a Chinese input method typed the "
        f"full-width {shown} (U+{code}) into your code, where Python needs {ascii_twin}; switch "
        "the input method to English (Shift) and type it again (inside quotes, Chinese "
        "punctuation is fine)"
    )


def _with_decode_hint(qid: str, problem: str) -> str:
    """A UnicodeDecodeError names the codec that failed; say which encoding the bytes are."""
    problem = _with_full_width_hint(problem)
    m = re.match(r"the answer cell above raised UnicodeDecodeError: '([\w-]+)' codec", problem)
    if not m or qid not in _DECODE_HINTS:
        return problem
    return (
        f"the answer cell above raised UnicodeDecodeError: {m[1]} cannot read these bytes; "
        f"{_DECODE_HINTS[qid]}"
    )


def _round_trip(data: dict[str, Any]) -> Any:
    """The record as the grader will read it: through JSON text."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def evaluate(qid: str, answer: Any) -> Verdict:
    """Decide one answer without printing anything, through the same record the grader reads."""
    return decide(qid, _round_trip(record(qid, answer)))


def _save(qid: str, data: dict[str, Any]) -> None:
    folder = os.environ.get(ANSWERS_ENV)
    if not folder or not re.fullmatch(r"\d\d\.\d+", qid):
        return
    try:
        Path(folder, f"{qid}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    except OSError:  # a full or read-only folder: the grader then reports the check as not run
        pass


def graded_records(calls: str) -> dict[str, str]:
    """For the grader's cell: `{question: [call, …]}` as JSON (each call a described argument
    list), to the JSON records of the function answers the checks kept, made on those calls.

    Each kept answer is recorded once and then let go: the grader's probes are in the kernel
    from now on, so nothing made after this may answer on them.
    """
    given = json.loads(calls)
    made = {}
    for qid, described in given.items():
        if qid not in _KEPT:
            continue
        answer = _KEPT.pop(qid)
        try:
            args = [tuple(rebuild(c)) for c in described]
        except (TypeError, ValueError):
            continue
        made[qid] = json.dumps(record(qid, answer, calls=args), ensure_ascii=False)
    return made


def check(qid: str, answer: Any = NOT_DEFINED) -> None:
    """Check an answer and show one verdict line: ✅, or ❌ with a hint."""
    from secondment.checks import cells

    answer, problem = cells.answer_for(qid, answer)
    data = _round_trip(record(qid, answer, problem))
    _save(qid, data)
    if os.environ.get(ANSWERS_ENV) and _has_probes(qid):
        # Graded: the grader's own cell records this answer again, on the grader's probes.
        _KEPT.pop(qid, None)
        if not problem and callable(answer):
            _KEPT[qid] = answer
    verdict = decide(qid, data)
    if not problem:
        cells.checked(qid)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: the line is enough
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display({"text/plain": verdict.line, MIME: verdict.record()}, raw=True)
    else:
        print(verdict.line)
        print(json.dumps(verdict.record()))
    # Nothing is returned, so the cell shows the verdict alone (no `True`/`False` after it).


def _install() -> None:
    from secondment.checks import cells

    cells.install()


_install()
