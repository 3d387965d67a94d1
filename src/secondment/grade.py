"""Grade exercise submissions: run each in a fresh kernel, then decide every answer by value.

Submissions are laid out as LMS downloads lay them out, `submissions/<student>/<notebook>.ipynb`:
the student is the folder name and the exercise is recognised from the notebook itself. Each
notebook runs in a temporary copy, in its own process with a per-cell and a per-notebook time
limit. While it runs, `check()` saves every answer's value; afterwards each question is decided
in a process of its own from that value, so printed `✅` lines count for nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from secondment.files import write_atomically

__all__ = ["Row", "decide", "grade", "recognise_exercise", "summary", "write_gradebook"]

CHECK_CALL = re.compile(r"""check\(\s*["'](\d\d)\.(\d+)["']""")


@dataclass
class Row:
    """One line of the gradebook: a question of one student's exercise."""

    student: str
    exercise: str
    question: str
    passed: bool
    status: str
    detail: str = ""


def _questions_of(exercise: str) -> list[str]:
    from secondment.checks import questions

    return [q for q in questions() if q.startswith(f"{exercise}.")]


def recognise_exercise(nb: dict) -> str | None:
    """The exercise number (`03`) a notebook belongs to, from its check() calls or metadata."""
    source = "\n".join(
        "".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code"
    )
    numbers = Counter(m[0] for m in CHECK_CALL.findall(source))
    if numbers:
        return numbers.most_common(1)[0][0]
    origin = nb.get("metadata", {}).get("secondment", {}).get("generated_from", "")
    m = re.match(r"solutions/(\d\d)-", origin)
    return m[1] if m else None


def _read(path: Path) -> tuple[dict | None, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"unreadable: {exc.strerror}"
    if not data.strip():
        return None, "empty file"
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, "not a notebook (invalid JSON)"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "not a notebook (no cells)"
    return nb, ""


def _run(path: Path, answers: Path, cell_timeout: int, notebook_timeout: int) -> tuple[str, str]:
    """Execute a notebook copy in a child process; return (status, detail)."""
    cmd = [sys.executable, "-m", "secondment.grade", "--run", str(path), str(answers),
           str(cell_timeout)]  # fmt: skip
    env = {**os.environ, "SECONDMENT_ANSWERS": str(answers), "PYTHONHASHSEED": "0",
           "MPLBACKEND": "Agg"}  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=path.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    try:
        out, _ = proc.communicate(timeout=notebook_timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the kernel is in this group too
        proc.communicate()
        return "timeout", f"stopped after {notebook_timeout} s"
    try:
        result = json.loads(out.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return "grader-error", "the notebook runner gave no result"
    return result["status"], result.get("detail", "")


def _run_child(path: str, answers: str, cell_timeout: str) -> None:
    """Child process: execute the notebook, keep going past errors, print a JSON status."""
    import logging

    import nbformat
    from nbclient.exceptions import DeadKernelError

    from secondment.execute import course_client

    logging.disable(logging.CRITICAL)
    os.environ["SECONDMENT_ANSWERS"] = answers
    status, detail = "ok", ""
    try:
        nb = nbformat.read(path, as_version=4)
        client = course_client(
            nb, Path(path).parent, int(cell_timeout), allow_errors=True, interrupt_on_timeout=True
        )
        client.execute()
        errors = [
            o.get("ename", "")
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        if errors:
            status = "cell-errors"
            detail = f"{len(errors)} cell(s) raised: " + ", ".join(sorted(set(errors)))
    except DeadKernelError:
        status, detail = "kernel-died", "the kernel died while running the notebook"
    except Exception as exc:
        status, detail = "run-error", f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    print(json.dumps({"status": status, "detail": detail}))


def decide(qid: str, answer_file: Path, timeout: int = 60) -> tuple[bool, str, str]:
    """Decide one question from a saved answer, in a process of its own: (passed, status, hint)."""
    if not answer_file.exists():
        return False, "not-run", "the check cell did not run"
    cmd = [sys.executable, "-m", "secondment.grade", "--decide", qid, str(answer_file)]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.pop("SECONDMENT_ANSWERS", None)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return False, "check-timeout", "the check took too long"
    except (IndexError, json.JSONDecodeError):
        return False, "check-error", "the answer could not be loaded"
    return result["passed"], result["status"], result["message"]


def _decide_child(qid: str, answer_file: str) -> None:
    import pickle

    from secondment.checks import evaluate

    try:
        answer = pickle.loads(Path(answer_file).read_bytes())
    except Exception as exc:
        message = f"answer could not be loaded ({type(exc).__name__})"
        print(json.dumps({"passed": False, "status": "error", "message": message}))
        return
    verdict = evaluate(qid, answer)
    print(json.dumps({"passed": verdict.passed, "status": verdict.status,
                      "message": verdict.message}))  # fmt: skip


def _grade_one(path: Path, only: str | None, cell_timeout: int, notebook_timeout: int) -> list[Row]:
    student = path.parent.name
    nb, problem = _read(path)
    if nb is None:
        return [Row(student, only or "", "", False, "unreadable", problem)]
    exercise = recognise_exercise(nb)
    if exercise is None or not _questions_of(exercise):
        return [Row(student, only or "", "", False, "unknown-exercise",
                    "no course exercise recognised in this notebook")]  # fmt: skip
    if only and exercise != only:
        return [Row(student, only, "", False, "wrong-exercise",
                    f"this is exercise {exercise}, not {only}")]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        copy = work / path.name
        shutil.copyfile(path, copy)  # the submission itself is never touched
        answers = Path(tmp) / "answers"
        answers.mkdir()
        run_status, run_detail = _run(copy, answers, cell_timeout, notebook_timeout)
        qids = _questions_of(exercise)
        # Each question in its own process; two at a time keeps a 2-core machine busy.
        with ThreadPoolExecutor(max_workers=2) as pool:
            verdicts = list(pool.map(lambda q: decide(q, answers / f"{q}.pickle"), qids))
        rows = []
        for qid, (passed, status, hint) in zip(qids, verdicts, strict=True):
            if status == "not-run" and run_status != "ok":
                status, hint = run_status, run_detail
            rows.append(Row(student, exercise, qid, passed, status, hint))
        return rows


def grade(
    paths: Iterable[Path],
    only: str | None = None,
    cell_timeout: int = 30,
    notebook_timeout: int = 180,
    jobs: int = 2,
) -> list[Row]:
    """Grade every submission; a broken one gets rows with a status, never stops the run."""

    def one(path: Path) -> list[Row]:
        try:
            return _grade_one(path, only, cell_timeout, notebook_timeout)
        except Exception as exc:  # one odd submission must not lose the others' marks
            return [Row(path.parent.name, only or "", "", False, "grader-error",
                        f"{type(exc).__name__}: {exc}")]  # fmt: skip

    # Submissions wait on their kernels most of the time, so a few at once use the cores well.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        graded = list(pool.map(one, sorted(Path(p) for p in paths)))
    return [row for rows in graded for row in rows]


def write_gradebook(rows: list[Row], out: Path) -> None:
    """Write the gradebook CSV atomically (UTF-8 with BOM, so that Excel opens it cleanly)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(Row.__dataclass_fields__))
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    write_atomically(out, buffer.getvalue().encode("utf-8-sig"))


def summary(rows: list[Row]) -> str:
    """A plain-text table: each student's score per exercise, then anything that went wrong."""
    scores: dict[tuple[str, str], list[int]] = {}
    problems = []
    for r in rows:
        key = (r.student, r.exercise)
        s = scores.setdefault(key, [0, 0])
        if r.question:
            s[0] += r.passed
            s[1] += 1
        if r.status not in ("correct", "wrong", "unanswered"):
            problems.append(
                f"  {r.student} {r.exercise} {r.question or '-'}: {r.status} {r.detail}"
            )
    width = max([len(s) for s, _ in scores] + [7])
    lines = [f"{'student':<{width}}  exercise  score"]
    for (student, exercise), (got, total) in sorted(scores.items()):
        lines.append(f"{student:<{width}}  {exercise or '-':<8}  {got}/{total}")
    if problems:
        lines.append("Notes:")
        lines.extend(sorted(set(problems)))
    return "\n".join(lines)


def pass_shares(rows: list[Row]) -> dict[str, float]:
    """Share of graded students passing each question."""
    seen: dict[str, list[bool]] = {}
    for r in rows:
        if r.question:
            seen.setdefault(r.question, []).append(r.passed)
    return {q: sum(v) / len(v) for q, v in sorted(seen.items())}


def save_chart(rows: list[Row], path: Path) -> None:
    """Save a bar chart of the share of students passing each question."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from secondment.style import PALETTE, save_figure, use_course_style

    use_course_style()
    shares = pass_shares(rows)
    fig, ax = plt.subplots(figsize=(max(4.0, 0.6 * len(shares) + 2), 3.5))
    ax.bar(list(shares), [100 * v for v in shares.values()], color=PALETTE[0])
    ax.set_ylim(0, 100)
    ax.set_title("Share of students passing each question")
    ax.set_xlabel("question")
    ax.set_ylabel("students passing (%)")
    save_figure(fig, path)
    plt.close(fig)


def main(argv: list[str]) -> None:
    """Entry for the grader's own child processes (`--run`, `--decide`)."""
    if argv[:1] == ["--run"]:
        _run_child(*argv[1:4])
    elif argv[:1] == ["--decide"]:
        _decide_child(*argv[1:3])
    else:
        raise SystemExit("use `python -m secondment grade`")


if __name__ == "__main__":
    start = time.perf_counter()
    main(sys.argv[1:])
