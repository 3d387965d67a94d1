"""How long the course takes: one rule for every lesson, exercise notebook and session plan.

    python tools/course_time.py                 per notebook: words, code cells, Try its,
                                                questions, minutes by the rule and as stated
    python tools/course_time.py NOTEBOOK...     the same, then the minutes of each section
                                                (lessons) or question (exercises)

The rule, checked against an experienced instructor's estimates for a learner with basic Python
(it met them within a few minutes on every lesson):

- **teaching** a lesson: every word of its text cells ÷ 120 (reading technical prose, with
  its glosses and tables, at about half the speed of a novel), plus 1 minute per code cell
  (read it, run it, look at its output);
- **practice**: 4 minutes per "Try it" prompt (change a cell, run it, open the folded answer);
- an **exercise notebook**: its words ÷ 120, plus 8 minutes per question: twice a Try it,
  because the code is written from scratch, with no folded answer, and run against its check
  until it passes.

A notebook's header states its minutes rounded up to a multiple of 5. A session plan's row gives
the minutes of the sections (or questions) it names, to the whole minute; a row may be up to
`ROW_SLACK` minutes off, so that the rows of a lesson add up to its header, but the rows of a
session in class may not hold more, by the rule, than its length (tests/test_instructors.py).

Sections are a lesson's numbered headings, `## 3 · Title`; what comes before section 1 (the
title, the setup) counts with section 1, and what follows the last one (questionnaire, key
points) with the last. In an exercise notebook, the same holds for its `## Question N` (or
`## Step N`) headings. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

WORDS_PER_MINUTE = 120
MINUTES_PER_CODE_CELL = 1
MINUTES_PER_TRY_IT = 4
MINUTES_PER_QUESTION = 8
#: Stated minutes are multiples of this.
ROUND_TO = 5
#: How far a session plan's row may be from the minutes of the sections it names.
ROW_SLACK = 3

ROOT = Path(__file__).resolve().parent.parent
TRY_IT = re.compile(r"\*\*Try it:\*\*")
SECTION = re.compile(r"^## (\d+) · ", re.MULTILINE)
QUESTION = re.compile(r"^## (?:Question|Step) (\d+) · ", re.MULTILINE)
HEADING = re.compile(r"^## ", re.MULTILINE)


@dataclass
class Part:
    """A section of a lesson, or a question of an exercise notebook, with what it holds."""

    number: int
    words: int = 0
    code_cells: int = 0
    try_its: int = 0

    def teaching(self) -> float:
        """Minutes to read and run this part, unrounded."""
        return self.words / WORDS_PER_MINUTE + MINUTES_PER_CODE_CELL * self.code_cells

    def practice(self) -> int:
        """Minutes for this part's Try it prompts."""
        return MINUTES_PER_TRY_IT * self.try_its

    def exercise(self) -> float:
        """Minutes for this part as an exercise question: read it, answer it, pass its check."""
        return self.words / WORDS_PER_MINUTE + MINUTES_PER_QUESTION


def round_to(minutes: float, step: int = ROUND_TO) -> int:
    """Minutes rounded up to a multiple of `step`: a stated time is never less than the rule's."""
    return int(step * math.ceil(round(minutes / step, 6)))


def words(text: str) -> int:
    """The words of a text: runs between spaces (a run of hanzi counts as one word)."""
    return len(text.split())


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _pieces(path: Path) -> list[tuple[str, str]]:
    """(kind, text) of every cell, text cells cut at their `## ` headings."""
    out = []
    for cell in _cells(path):
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown":
            out.append((cell["cell_type"], text))
            continue
        starts = [0, *(m.start() for m in HEADING.finditer(text) if m.start())]
        out += [
            ("markdown", text[a:b]) for a, b in zip(starts, [*starts[1:], len(text)], strict=True)
        ]
    return out


def parts(path: Path, heading: re.Pattern[str] = SECTION) -> list[Part]:
    """The numbered parts of a notebook; the text before the first and after the last counts
    with them."""
    found: list[Part] = []
    before = Part(0)
    for kind, text in _pieces(path):
        if kind == "markdown" and (m := heading.match(text)):
            found.append(Part(int(m[1])))
        part = found[-1] if found else before
        if kind == "markdown":
            part.words += words(text)
            part.try_its += len(TRY_IT.findall(text))
        elif kind == "code":
            part.code_cells += 1
    if not found:
        return [Part(1, before.words, before.code_cells, before.try_its)]
    first = found[0]
    first.words += before.words
    first.code_cells += before.code_cells
    first.try_its += before.try_its
    return found


def sections(path: Path) -> list[Part]:
    """A lesson's sections, `## N · Title`."""
    return parts(path, SECTION)


def questions(path: Path) -> list[Part]:
    """An exercise notebook's questions, `## Question N · Title` or `## Step N · Title`."""
    return parts(path, QUESTION)


@dataclass(frozen=True)
class Counts:
    """What the rule counts in one notebook."""

    words: int
    code_cells: int
    try_its: int
    questions: int


def counts(path: Path) -> Counts:
    """Words of text, code cells, Try its and questions of a notebook."""
    text = [t for kind, t in _pieces(path) if kind == "markdown"]
    return Counts(
        words=sum(words(t) for t in text),
        code_cells=sum(kind == "code" for kind, _ in _pieces(path)),
        try_its=sum(len(TRY_IT.findall(t)) for t in text),
        questions=sum(bool(QUESTION.match(t)) for t in text),
    )


def lesson_minutes(path: Path) -> tuple[int, int]:
    """(teaching, practice) minutes of a lesson, as its header should state them."""
    found = sections(path)
    return (
        round_to(sum(p.teaching() for p in found)),
        round_to(sum(p.practice() for p in found)),
    )


def exercise_minutes(path: Path) -> int:
    """Minutes of an exercise notebook, as its header should state them."""
    return round_to(sum(q.exercise() for q in questions(path)))


def header_line(path: Path) -> str:
    """The `**Time:**` line a notebook's first cell should hold, by the rule."""
    if "exercises" in path.parts:
        return f"**Time:** about {exercise_minutes(path)} min"
    teach, practise = lesson_minutes(path)
    return f"**Time:** {teach} min teaching · {practise} min practice"


def stated(path: Path) -> str:
    """The `**Time:**` line of a notebook's first cell, as written."""
    first = "".join(_cells(path)[0]["source"])
    m = re.search(r"^\*\*Time:\*\*.*$", first, re.MULTILINE)
    return m[0] if m else "(none)"


def part_text(path: Path, number: int, heading: re.Pattern[str] = SECTION) -> str:
    """The text cells of one part (as `parts` cuts them), joined: what a lesson says there."""
    out: dict[int, list[str]] = {}
    current = 0
    for kind, text in _pieces(path):
        if kind == "markdown" and (m := heading.match(text)):
            current = int(m[1])
        if kind == "markdown":
            out.setdefault(current, []).append(text)
    if 0 in out and out.keys() - {0}:
        out[min(out.keys() - {0})] = out.pop(0) + out[min(out.keys() - {0})]
    return "\n".join(out.get(number, []))


# ---------------------------------------------------------------- session plans

#: A plan row in class: start, minutes, activity, lesson part.
CLASS_ROW = re.compile(r"^\|\s*(\d+):(\d\d)\s*\|\s*(\d+)\s*\|(.*)\|\s*(.*?)\s*\|\s*$")
#: A row outside class (before the session, homework): minutes, activity, lesson part.
AWAY_ROW = re.compile(r"^\|\s*(\d+)\s*\|(.*)\|\s*(.*?)\s*\|\s*$")
#: The lesson part of a row: teaching live-coded in class or read alone, practice, exercises.
PART = re.compile(r"(\d\d[a-z]?) (live-coded|reading|practice)|(\d\d) (exercises)")
CITED = re.compile(r"§(\d+)(?:–(\d+))?")
CITED_QUESTIONS = re.compile(r"\b(?:questions?|steps?) (\d+)(?:–(\d+))?")


@dataclass(frozen=True)
class Row:
    """One row of a session plan's tables."""

    where: str  # "class", or the heading of the table outside class ("Homework", "Before …")
    start: int | None  # minutes from the start of the session, for a row in class
    minutes: int
    activity: str
    part: str  # "02 live-coded", "02 reading", "02 practice", "02 exercises" or "—"

    @property
    def lesson(self) -> str | None:
        m = PART.fullmatch(self.part)
        return (m[1] or m[3]) if m else None

    @property
    def kind(self) -> str | None:
        m = PART.fullmatch(self.part)
        return (m[2] or m[4]) if m else None


def _numbers(pattern: re.Pattern[str], text: str) -> list[int]:
    out: list[int] = []
    for m in pattern.finditer(text):
        first = int(m[1])
        out += range(first, int(m[2] or first) + 1)
    return out


def cited(row: Row) -> list[int]:
    """The sections (`§3–5`) or questions (`questions 1–4`) a row names, in order."""
    if row.kind == "exercises":
        return _numbers(CITED_QUESTIONS, row.activity)
    return _numbers(CITED, row.activity)


def plan_rows(path: Path) -> list[Row]:
    """Every row of a plan: the minute-by-minute table (## Plan), then the tables outside class."""
    rows: list[Row] = []
    where = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            where = "class" if line == "## Plan" else line[3:].strip()
            continue
        if where == "class" and (m := CLASS_ROW.match(line)):
            start = int(m[1]) * 60 + int(m[2])
            rows.append(Row("class", start, int(m[3]), m[4].strip(), m[5]))
        elif where in ("Homework", "Before the session") and (m := AWAY_ROW.match(line)):
            rows.append(Row(where, None, int(m[1]), m[2].strip(), m[3]))
    return rows


def notebook_of(lesson: str, kind: str, root: Path = ROOT) -> Path:
    """The notebook a row's lesson part is about: `03a` a lesson, `03` with exercises its
    solutions."""
    if kind == "exercises":
        return next((root / "exercises" / "solutions").glob(f"{lesson}-*-solutions.ipynb"))
    return next((root / "notebooks").glob(f"{lesson}-*.ipynb"))


def rule_minutes(row: Row, root: Path = ROOT) -> float | None:
    """What the rule gives for the sections or questions a row names (None: it names none)."""
    if row.lesson is None or row.kind is None:
        return None
    numbers = cited(row)
    if not numbers:
        return None
    path = notebook_of(row.lesson, row.kind, root)
    if row.kind == "exercises":
        return sum(q.exercise() for q in questions(path) if q.number in numbers)
    found = [s for s in sections(path) if s.number in numbers]
    if row.kind == "practice":
        return float(sum(s.practice() for s in found))
    return sum(s.teaching() for s in found)


# ---------------------------------------------------------------- the command line


def lessons(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("[0-9][0-9]*-*.ipynb"))


def exercises(root: Path = ROOT) -> list[Path]:
    return sorted((root / "exercises" / "solutions").glob("[0-9][0-9]-*-solutions.ipynb"))


def table(paths: list[Path]) -> str:
    rows = ["notebook | words | code | Try its | questions | by the rule | as stated"]
    for path in paths:
        c = counts(path)
        rule = header_line(path).removeprefix("**Time:** ")
        rows.append(
            f"{path.name[:28]:28} | {c.words:5} | {c.code_cells:4} | {c.try_its:7} | "
            f"{c.questions:9} | {rule} | {stated(path).removeprefix('**Time:** ')[:40]}"
        )
    return "\n".join(rows)


def detail(path: Path) -> str:
    if "exercises" in path.parts:
        lines = [f"{path.name}: question, words, minutes"]
        lines += [f"  Q{q.number:<3} {q.words:5} {q.exercise():6.1f}" for q in questions(path)]
        return "\n".join(lines)
    lines = [f"{path.name}: section, words, code cells, Try its, teaching, practice"]
    lines += [
        f"  §{s.number:<3} {s.words:5} {s.code_cells:4} {s.try_its:3} "
        f"{s.teaching():6.1f} {s.practice():4}"
        for s in sections(path)
    ]
    return "\n".join(lines)


def plan_report(path: Path) -> str:
    """A plan's rows with what the rule gives for each, and its total in class."""
    lines = [f"{path.name}:"]
    realistic = 0.0
    for row in plan_rows(path):
        rule = rule_minutes(row)
        shown = "" if rule is None else f"rule {rule:5.1f}"
        lines.append(
            f"  {row.where[:8]:8} {row.minutes:3} {shown:10} {row.part:14} {row.activity[:50]}"
        )
        if row.where == "class":
            realistic += row.minutes if rule is None else rule
    lines.append(f"  in class by the rule: {realistic:.1f} min")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="show these, section by section")
    parser.add_argument("--plans", action="store_true", help="the session plans, row by row")
    args = parser.parse_args(argv)
    if args.plans:
        plans = sorted((ROOT / "instructors").glob("*.md"))
        print("\n\n".join(plan_report(p) for p in plans if plan_rows(p)))
        return 0
    if not args.notebooks:
        print(table(lessons() + exercises()))
        return 0
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"course_time: no such notebook: {missing[0]}", file=sys.stderr)
        return 1
    print(table(args.notebooks))
    for path in args.notebooks:
        print("\n" + detail(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
