"""Grade exercise submissions: run each in a sandbox, within a budget, then decide every answer
from data.

Submissions are laid out as LMS exports lay them out: the student is the top folder under the
submissions folder (`submissions/leo/attempt-2/03-….ipynb` is leo's), and the exercise is
recognised from the notebook itself (`submissions`). Each notebook runs with a kernel of its
own in a sandbox (`sandbox`) under a budget for the submission as a whole (`budget`); the
records its checks make come back over the kernel's channel (`runner`), and an unprivileged
decider process decides each answer with the same `secondment.checks.decide` the student's
self-check uses (`decider`). Function answers are tried on the grader's probes, the course's
own or an instructor's private file (`probes`), which the kernel sees only after the
question's check ran. Whatever a submission does ends as rows with a status for that
student: the run always finishes and the gradebook is always written (`report`).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from secondment.teach import CHECK_CALL
from secondment.teach.budget import Limits
from secondment.teach.decider import Decider
from secondment.teach.probes import GradingProbes, grading_probes
from secondment.teach.report import (
    Row,
    check_writable,
    feedback,
    feedback_folder,
    one_line,
    save_chart,
    summary,
    write_feedback,
    write_gradebook,
)
from secondment.teach.runner import Run, run_notebook
from secondment.teach.sandbox import (
    NOBODY,
    bwrap_command,
    drop_to,
    isolation,
    isolation_line,
    kernel_uid,
    refuse_unsafe,
    remove_tree,
)
from secondment.teach.submissions import (
    GradeError,
    Submission,
    find_submissions,
    questions_of,
    recognise_exercise,
    submissions,
)

__all__ = [
    "GradeError",
    "GradingProbes",
    "Limits",
    "NOBODY",
    "Row",
    "bwrap_command",
    "check_writable",
    "drop_to",
    "feedback",
    "feedback_folder",
    "find_submissions",
    "grade",
    "grading_probes",
    "isolation",
    "isolation_line",
    "kernel_uid",
    "recognise_exercise",
    "refuse_unsafe",
    "save_chart",
    "summary",
    "write_feedback",
    "write_gradebook",
]


def _row_status(status: str, message: str, run: Run) -> tuple[str, str]:
    """The gradebook status of one question: a limit the answer cell hit is named as such."""
    if status == "not-run" and run.status not in ("ok", "cell-errors"):
        return run.status, run.detail
    if status == "not-run" and message.startswith("no answer recorded"):
        return "not-run", "the check cell did not run (deleted, or the notebook stopped first)"
    if status == "answer-error":
        if "raised MemoryError" in message:
            return "memory-limit", message
        if "raised KeyboardInterrupt" in message:
            return "timeout", message
    return status, message


def _question_after(nb: dict, index: int) -> str:
    """The question of the first check cell at or after cell `index` (whose answer it made)."""
    for cell in nb.get("cells", [])[max(index, 0) :]:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            m = CHECK_CALL.search(cell.get("source", ""))
            if m:
                return f"{m[1]}.{m[2]}"
    return ""


class _Clock:
    """Seconds each student has used of their own time budget."""

    def __init__(self, limit: int) -> None:
        self.limit, self.lock = limit, threading.Lock()
        self.used: dict[str, float] = {}

    def left(self, student: str) -> float:
        with self.lock:
            return self.limit - self.used.get(student, 0.0)

    def spend(self, student: str, seconds: float) -> None:
        with self.lock:
            self.used[student] = self.used.get(student, 0.0) + seconds


def _grade_one(
    sub: Submission,
    limits: Limits,
    hidden: list[Path],
    decider: Decider,
    clock: _Clock,
    probes: GradingProbes | None = None,
) -> list[Row]:
    if sub.nb is None:
        return [Row(sub.student, sub.exercise, "", False, sub.problem, sub.problem_detail,
                    sub.shown)]  # fmt: skip
    qids = questions_of(sub.exercise)
    left = clock.left(sub.student)
    if left <= 1:
        detail = (
            f"the student's {limits.student_timeout} s for all notebooks ran out before this one"
        )
        return [
            Row(sub.student, sub.exercise, q, False, "timeout", detail, sub.shown) for q in qids
        ]
    probes = probes or grading_probes()
    asked = [q for q in qids if q in probes.probes]
    work = Path(tempfile.mkdtemp(prefix="grade-"))
    try:
        run = run_notebook(sub, work, limits, hidden, left, {q: probes.calls(q) for q in asked})
    finally:
        remove_tree(work)
    clock.spend(sub.student, run.seconds)
    missing = {
        q: {"question": q, "problem": "no answer recorded"} for q in qids if q not in run.records
    }
    described = {q: probes.described(q) for q in asked}
    verdicts = decider.decide({**run.records, **missing}, qids, described)
    hit = {_question_after(sub.nb, index): limit for index, limit in sorted(run.limited.items())}
    rows = []
    for qid in qids:
        passed, status, message = verdicts[qid]
        if qid in missing:
            status = "not-run"
        status, message = _row_status(status, message, run)
        message = probes.hidden_in(qid, message)
        if not passed and qid in hit and status != "check-timeout":
            status, message = hit[qid], f"its answer cell hit the {hit[qid]}; {message}"
        rows.append(
            Row(sub.student, sub.exercise, qid, passed, status, one_line(message), sub.shown)
        )
    return rows


def grade(
    paths: Iterable[Path],
    only: str | None = None,
    cell_timeout: int = 30,
    notebook_timeout: int = 180,
    jobs: int = 2,
    root: Path | Sequence[Path] | None = None,
    limits: Limits | None = None,
    hide: Iterable[Path] = (),
    progress: Callable[[Submission, list[Row]], None] | None = None,
    probes: GradingProbes | None = None,
) -> list[Row]:
    """Grade every submission; whatever one does ends as rows with a status for its student,
    never stops the run.

    `hide` names more files and folders the kernels must not see (the gradebook, its feedback);
    `progress` is called as each submission is done; `probes` are the inputs function answers
    are tried on (`grading_probes`: the course's own by default).
    """
    limits = limits or Limits(cell_timeout=cell_timeout, notebook_timeout=notebook_timeout)
    probes = probes or grading_probes()
    roots = [] if root is None else [Path(root)] if isinstance(root, (str, Path)) else list(root)
    refuse_unsafe()  # probe once, before the workers start
    subs = submissions(paths, roots, only)
    hidden = [*roots, *(Path(p) for p in hide)]
    if probes.source is not None:  # an instructor's own probes: never the kernels' to read
        hidden.append(probes.source.absolute())
    hidden += sorted({Path(p).parent.absolute() for p in (s.path for s in subs)})
    hidden.append(Path(tempfile.gettempdir()))
    clock = _Clock(limits.student_timeout)
    local = threading.local()
    deciders: list[Decider] = []
    lock = threading.Lock()

    def one(sub: Submission) -> list[Row]:
        try:
            if not hasattr(local, "decider"):
                with lock:
                    local.decider = Decider(limits, len(deciders), hidden)
                    deciders.append(local.decider)
                if sub.nb is not None:  # it loads the checks while the first kernel runs
                    local.decider.start()
            rows = _grade_one(sub, limits, hidden, local.decider, clock, probes)
        except Exception as exc:  # one odd submission must not lose the others' marks
            rows = [Row(sub.student, sub.exercise, "", False, "grader-error",
                        one_line(f"{type(exc).__name__}: {exc}"), sub.shown)]  # fmt: skip
        if progress is not None:
            progress(sub, rows)
        return rows

    # Submissions wait on their kernels most of the time, so a few at once use the cores well.
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            graded = list(pool.map(one, subs))
    finally:
        for decider in deciders:
            decider.close()
    return [row for rows in graded for row in rows]
