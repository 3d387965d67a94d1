"""What the grader writes: the gradebook CSV, feedback files, the terminal summary, progress.

Everything in them may come from a submission (a folder name, an error message), so each is
made safe for where it goes: gradebook cells that a spreadsheet would take for a formula are
neutralised as OWASP recommends, the terminal gets no control characters, and feedback
Markdown gets no markup of the student's.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from secondment.files import write_atomically
from secondment.teach.submissions import GradeError

#: Longest detail kept in a row (a hint, or the one line of a submission's error).
MAX_DETAIL = 300
#: Statuses that are a verdict on the answer itself, not a problem in running the notebook:
#: the summary's notes leave them out.
ANSWER_STATUSES = ("correct", "wrong", "unanswered", "too-slow")


@dataclass
class Row:
    """One line of the gradebook: a question of one student's exercise."""

    student: str
    exercise: str
    question: str
    passed: bool
    status: str
    detail: str = ""
    notebook: str = ""


# ---------------------------------------------------------------- making text safe


def spreadsheet_cell(value: object) -> object:
    """A gradebook cell a spreadsheet shows as text: one starting with `= + - @`, a tab or a
    carriage return gets a leading `'` (OWASP, CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def terminal_text(text: str) -> str:
    """Text with every control or invisible formatting character shown as an escape."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


_MARKDOWN = re.compile(r"([\\`*_\[\]()#!|~>])")


def markdown_text(text: str) -> str:
    """Text shown as itself in Markdown: no markup, no HTML, no control characters."""
    text = terminal_text(text).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN.sub(r"\\\1", text)


def one_line(text: str, limit: int = MAX_DETAIL) -> str:
    """The first line of a message, capped."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


# ---------------------------------------------------------------- files


def check_writable(out: Path) -> None:
    """A GradeError unless the gradebook (and its feedback folder) can be written there; makes
    nothing, so that a run refused later leaves no empty folder behind."""
    out = Path(out)
    if out.is_dir():
        raise GradeError(f"{out}: --out is a folder; give a file name such as gradebook.csv")
    existing = next(p for p in [out.parent, *out.parent.parents] if p.exists())
    if not existing.is_dir():
        raise GradeError(f"{out}: cannot write the gradebook there ({existing} is a file)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise GradeError(f"{out}: cannot write the gradebook there (Permission denied)")
    if existing == out.parent:  # the folder is there: try it, as permissions may not tell
        try:
            with tempfile.NamedTemporaryFile(dir=out.parent, prefix=".grade-probe-"):
                pass
        except OSError as exc:
            raise GradeError(f"{out}: cannot write the gradebook there ({exc.strerror})") from None


def write_gradebook(rows: list[Row], out: Path) -> None:
    """Write the gradebook CSV atomically (UTF-8 with BOM, so that Excel opens it cleanly)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(Row.__dataclass_fields__))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_cell(v) for k, v in asdict(row).items()})
    write_atomically(out, buffer.getvalue().encode("utf-8-sig"))


def feedback_folder(out: Path) -> Path:
    """Where the feedback files of a gradebook go: `gradebook-feedback/` beside it."""
    return Path(out).with_name(f"{Path(out).stem}-feedback")


def _safe_name(student: str) -> str:
    return re.sub(r"[^\w.-]", "_", student).lstrip(".")[:100] or "student"


def feedback(rows: list[Row], student: str) -> str:
    """One student's feedback as Markdown: each exercise's score, each question's verdict."""
    mine = [r for r in rows if r.student == student]
    lines = [f"# Feedback for {markdown_text(student)}", ""]
    for exercise in sorted({r.exercise for r in mine}):
        part = [r for r in mine if r.exercise == exercise]
        asked = [r for r in part if r.question]
        score = f"{sum(r.passed for r in asked)}/{len(asked)}" if asked else "not graded"
        lines += [f"## Exercise {markdown_text(exercise or '?')}: {score}", ""]
        for r in part:
            if not r.question:
                lines.append(
                    f"- {markdown_text(r.notebook)}: {markdown_text(r.status)}: "
                    f"{markdown_text(one_line(r.detail))}"
                )
        if asked:
            lines += ["| question | verdict | hint |", "|---|---|---|"]
            for r in asked:
                verdict = "✅ passed" if r.passed else f"❌ {markdown_text(r.status)}"
                lines.append(f"| {r.question} | {verdict} | {markdown_text(one_line(r.detail))} |")
        lines.append("")
    return "\n".join(lines)


def write_feedback(rows: list[Row], folder: Path) -> list[Path]:
    """Write one Markdown feedback file per student into folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    taken: set[str] = set()
    for student in sorted({r.student for r in rows}):
        name, n = _safe_name(student), 1
        while name.lower() in taken:  # `a b` and `a_b` are two students, so two files
            n += 1
            name = f"{_safe_name(student)}-{n}"
        taken.add(name.lower())
        path = folder / f"{name}.md"
        write_atomically(path, feedback(rows, student).encode("utf-8"))
        paths.append(path)
    return paths


# ---------------------------------------------------------------- the terminal


def summary(rows: list[Row]) -> str:
    """A plain-text table: each student's score per exercise, then anything that went wrong."""
    scores: dict[tuple[str, str], list[int]] = {}
    problems = []
    for r in rows:
        key = (terminal_text(r.student), terminal_text(r.exercise))
        s = scores.setdefault(key, [0, 0])
        if r.question:
            s[0] += r.passed
            s[1] += 1
        if r.status not in ANSWER_STATUSES:
            problems.append(
                f"  {key[0]} {key[1]} {r.question or '-'}: {terminal_text(r.status)} "
                f"{terminal_text(one_line(r.detail, 200))}"
            )
    width = min(max([len(s) for s, _ in scores] + [7]), 40)
    lines = [f"{'student':<{width}}  exercise  score"]
    for (student, exercise), (got, total) in sorted(scores.items()):
        lines.append(f"{student:<{width}}  {exercise or '-':<8}  {got}/{total}")
    if problems:
        lines.append("Notes:")
        lines.extend(sorted(set(problems)))
    return "\n".join(lines)


class Progress:
    """Progress per submission: a bar redrawn in place on a terminal, plain lines elsewhere
    (CI logs, files)."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() and os.environ.get("CI", "") in ("", "false")

    def update(self, student: str, exercise: str, rows: list[Row]) -> None:
        """One submission graded."""
        self.done += 1
        asked = [r for r in rows if r.question]
        if asked:
            outcome = f"{sum(r.passed for r in asked)}/{len(asked)}"
        else:
            outcome = rows[0].status if rows else "-"
        what = f"{terminal_text(student)[:30]} {terminal_text(exercise) or '-'} {outcome}"
        if self.bar:
            width = 24
            filled = width * self.done // max(self.total, 1)
            line = f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {what}"
            self.stream.write(f"{line:<79}"[:200] + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(f"graded {self.done}/{self.total}: {what}\n")
        self.stream.flush()


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
