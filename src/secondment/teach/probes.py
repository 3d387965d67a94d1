"""The probes grading tries function answers on: the course's own, or an instructor's file.

A question whose answer is a function (01.1, 01.4, 02.3, 03.2 to 03.8) is judged on what the
function returns for inputs it has not seen. The self-check in a student's notebook uses the
course's own inputs, which are public. The grader uses its own set: by default the same, or,
with `grade --probes FILE`, an instructor's private inputs for some or all of those questions.
The grader, not the student's kernel, holds them: it sends them into the kernel, after the
question's check has run, in the cell that collects the answers, and gives them to the decider.

The file is JSON, one list of inputs per question; every function answer takes one argument:

    {
      "probes": {
        "03.7": ["在京挂职的40名干部中，厅局级干部6名、县处级干部28名、乡科级干部6名。"],
        "03.8": ["　　省商务厅副厅长、挂任北京市商务委副主任的唐立说，…"],
        "01.1": [{"utf-8": "河北日报"}, {"hex": "e6b2b3e58c97"}],
        "02.3": [["□本报记者 李 明", "2016年1月，两地签约。"]]
      }
    }

A text is a JSON string, bytes (01.1) are `{"utf-8": text}` or `{"hex": digits}`, and a page's
lines (02.3) are a list of strings. Before anything is graded, the library's own answer to each
question must pass its check on the file's inputs (so every input is one the check can judge:
a text with officials in it for 03.2 and 03.8, one quantity for 03.3 and 03.4, …).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secondment.teach.submissions import GradeError

__all__ = ["GradingProbes", "course_probes_file", "grading_probes", "probes_line", "read_probes"]

#: Bounds on an instructor's file: inputs per question, characters per input.
MAX_INPUTS = 100
MAX_CHARS = 200_000
#: How the file writes each kind of argument, for its error messages.
_KINDS: dict[type, str] = {
    str: "a text (a JSON string)",
    bytes: 'bytes, as {"utf-8": "text"} or {"hex": "e6b2b3"}',
    list: "a page's lines (a list of JSON strings)",
}


@dataclass(frozen=True)
class GradingProbes:
    """The probes of every function question, and which of them came from a file."""

    probes: dict[str, list[tuple[Any, ...]]]
    private: frozenset[str] = frozenset()
    source: Path | None = None

    def calls(self, qid: str) -> list[Any]:
        """The calls the kernel makes of a function answer, as JSON data (described arguments)."""
        from secondment.checks import calls_of
        from secondment.checks.answers import describe

        return [describe(list(args)) for args in calls_of(qid, self.probes[qid])]

    def described(self, qid: str) -> list[Any]:
        """The probes, as JSON data for the decider."""
        from secondment.checks.answers import describe

        return [describe(list(args)) for args in self.probes[qid]]

    def hidden_in(self, qid: str, message: str) -> str:
        """A verdict's message with every run of its text that comes from this question's
        private inputs cut out: a hint quotes the start of an input, and a student's function
        may raise or return its input to have it shown."""
        if qid not in self.private:
            return message
        return redact(message, [_as_text(args[0]) for args in self.probes[qid]])


#: The shortest run of a message that `redact` takes for a piece of an input.
LEAST_RUN = 6


def redact(message: str, texts: list[str], least: int = LEAST_RUN) -> str:
    """The message with each run of `least` or more characters found in one of `texts` shown
    as `…`."""
    pool = "\x00".join(texts)  # one search per step; no run crosses the separator
    out, i = [], 0
    while i < len(message):
        length = 0
        while i + length < len(message) and message[i : i + length + 1] in pool:
            length += 1
        if length >= least:
            out.append("…")
            i += length
        else:
            out.append(message[i])
            i += 1
    return re.sub("…+", "…", "".join(out))


def _as_text(arg: Any) -> str:
    if isinstance(arg, bytes):
        return arg.decode("utf-8", errors="replace")
    if isinstance(arg, list):
        return "\n".join(map(str, arg))
    return str(arg)


def grading_probes(path: Path | None = None) -> GradingProbes:
    """The course's own probes, with those of the file at `path` in their place, checked."""
    from secondment.checks import function_questions, own_probes

    own = {qid: own_probes(qid) for qid in function_questions()}
    if path is None:
        return GradingProbes(own)
    given = read_probes(Path(path))
    return GradingProbes({**own, **given}, frozenset(given), Path(path))


def read_probes(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The probes of an instructor's file, each question's tried with the library's own answer
    first; a GradeError (one line, naming the file) says what is wrong."""
    from secondment.checks import function_questions

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GradeError(f"{path}: cannot read the probes file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise GradeError(f"{path}: the probes file is not UTF-8 text") from None
    except ValueError as exc:
        where = f", line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise GradeError(f"{path}: the probes file is not JSON{where}") from None
    shape = '{"probes": {"03.8": [input, …], …}}'
    if not isinstance(data, dict) or not isinstance(data.get("probes"), dict):
        raise GradeError(f"{path}: a probes file is an object {shape}")
    extra = sorted(set(data) - {"probes", "comment"})
    if extra:
        raise GradeError(f"{path}: unknown key {extra[0]!r}; a probes file is {shape}")
    allowed = function_questions()
    found: dict[str, list[tuple[Any, ...]]] = {}
    for qid, inputs in data["probes"].items():
        if qid not in allowed:
            raise GradeError(
                f"{path}: {qid!r} is not a question whose answer is a function "
                f"({', '.join(allowed)})"
            )
        found[qid] = _inputs(path, qid, inputs)
    if not found:
        raise GradeError(f"{path}: no question has probes; a probes file is {shape}")
    for qid, probes in found.items():
        _try_reference(path, qid, probes)
    return found


def _inputs(path: Path, qid: str, inputs: Any) -> list[tuple[Any, ...]]:
    from secondment.checks import own_probes

    if not isinstance(inputs, list) or not inputs:
        raise GradeError(f"{path}: {qid}: give a non-empty list of inputs")
    if len(inputs) > MAX_INPUTS:
        raise GradeError(f"{path}: {qid}: {len(inputs)} inputs; at most {MAX_INPUTS}")
    want = type(own_probes(qid)[0][0])
    probes = []
    for number, value in enumerate(inputs, 1):
        try:
            arg = _argument(value, want)
        except (TypeError, ValueError) as exc:
            raise GradeError(f"{path}: {qid}, input {number}: {exc}") from None
        if len(arg) > MAX_CHARS:
            raise GradeError(f"{path}: {qid}, input {number}: longer than {MAX_CHARS:,} characters")
        probes.append((arg,))
    return probes


def _argument(value: Any, want: type) -> Any:
    """One input as the function is given it: a str, bytes, or a list of str."""
    expected = f"expected {_KINDS.get(want, want.__name__)}"
    if want is str and isinstance(value, str):
        return value
    if want is bytes and isinstance(value, dict) and len(value) == 1:
        if isinstance(value.get("utf-8"), str):
            return value["utf-8"].encode("utf-8")
        if isinstance(value.get("hex"), str):
            return bytes.fromhex(value["hex"])  # a ValueError names the bad digit
    if want is list and isinstance(value, list) and value:
        if all(isinstance(line, str) for line in value):
            return list(value)
    raise ValueError(expected)


def _try_reference(path: Path, qid: str, probes: list[tuple[Any, ...]]) -> None:
    """A GradeError unless the library's own answer passes the check on these probes."""
    from secondment.checks import calls_of, decide, reference_of
    from secondment.checks.answers import describe
    from secondment.teach.report import one_line

    reference = reference_of(qid)
    if reference is None:  # no truth to try them with: nothing more to say
        return
    results = []
    for args in calls_of(qid, probes):
        try:
            value = reference(*args)
        except Exception as exc:
            shown = one_line(repr(args[0]), 40)
            raise GradeError(
                f"{path}: {qid}: the library cannot read the input {shown} "
                f"({type(exc).__name__}); choose inputs of the kind the question asks about"
            ) from None
        results.append([describe(list(args)), ["returned", describe(value)]])
    # The library's answer calls its finders, which is the point: it carries no watch record.
    answer = {"$": "function", "name": "reference", "results": results, "names": []}
    verdict = decide(qid, {"question": qid, "answer": answer}, probes)
    if not verdict.passed:
        raise GradeError(
            f"{path}: {qid}: the library's own answer fails the check on these inputs "
            f"({one_line(verdict.message, 160)}); choose inputs of the kind the question asks about"
        )


def course_probes_file() -> dict[str, Any]:
    """The course's own probes in the file's format: a start for an instructor's own."""
    from secondment.checks import function_questions, own_probes

    def written(arg: Any) -> Any:
        if isinstance(arg, bytes):
            try:
                return {"utf-8": arg.decode("utf-8")}
            except UnicodeDecodeError:
                return {"hex": arg.hex()}
        return arg

    own = {qid: [written(args[0]) for args in own_probes(qid)] for qid in function_questions()}
    return {"probes": own}


def probes_line(probes: GradingProbes) -> str:
    """One line for the grader's output: where the probes of function answers come from."""
    if probes.source is None:
        return (
            "probes: the course's own inputs for every function answer (public: pass --probes "
            "FILE with inputs of your own to grade summatively)"
        )
    mine = ", ".join(sorted(probes.private))
    rest = sorted(set(probes.probes) - probes.private)
    line = f"probes: {mine} from {probes.source}"
    return line + (f"; the course's own (public) for {', '.join(rest)}" if rest else "")
