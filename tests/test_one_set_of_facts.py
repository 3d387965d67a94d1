"""One set of facts: every rank breakdown written by hand in a lesson or an exercise (alt texts,
given data) is the breakdown of a report the course ships; every point of the capstone's rubric
is shown in a lesson first."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import course_time as ct  # tools/ is on pytest's pythonpath
import pytest

from secondment.article import load_article, second_report_path
from secondment.paths import notebooks, require_course_root
from secondment.tables import load_table, ranks_table

ROOT = require_course_root()
RANKS = ("厅局级", "县处级", "乡科级", "专业技术人才")
ARTICLE = dict(zip(load_table("ranks")["rank"], load_table("ranks")["count"], strict=True))
SECOND = dict(
    zip(
        *(ranks_table(load_article(second_report_path()))[c] for c in ("rank", "count")),
        strict=True,
    )
)
EXERCISE_05 = ROOT / "exercises" / "solutions" / "05-charting-with-matplotlib-solutions.ipynb"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def alt_texts() -> list[tuple[str, str]]:
    """(where, text) of every alt text that gives a figure for all four ranks."""
    out = []
    for path in notebooks("lessons") + notebooks("solutions"):
        for index, cell in enumerate(_cells(path)):
            text = "".join(cell["source"])
            for alt in re.findall(r"\*Alt text[^*]*\*", text):
                if all(rank in alt for rank in RANKS) and re.search(r"\d", alt):
                    out.append((f"{path.name} cell {index}", " ".join(alt.split())))
    return out


def figures(alt: str) -> list[int]:
    """The counts an alt text gives, in order: not the total of 100, not a year."""
    numbers = [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d%]|\.\d)", alt)]
    return [n for n in numbers if n != 100 and n < 1000]


def expected(alt: str) -> list[int]:
    """The counts the shipped reports give, in the order the alt text names the ranks."""
    order = sorted(RANKS, key=alt.index)
    both = bool(re.search(r"two reports|second report|two directions", alt))
    out: list[int] = []
    for rank in order:
        out += [ARTICLE[rank], SECOND[rank]] if both else [ARTICLE[rank]]
    return out


CASES = [
    pytest.param(
        where,
        alt,
        id=where,
    )
    for where, alt in alt_texts()
]


def test_the_alt_texts_are_found() -> None:
    places = {where.split(" cell")[0] for where, _ in alt_texts()}
    assert {"00-start-here.ipynb", "07-capstone-data-story.ipynb"} <= places
    assert len(alt_texts()) >= 5


@pytest.mark.parametrize(("where", "alt"), CASES)
def test_every_rank_breakdown_written_by_hand_is_a_shipped_reports(where: str, alt: str) -> None:
    assert figures(alt) == expected(alt), f"{where}: {alt[:80]}…"


def _given_data(path: Path, name: str) -> object:
    """The value a notebook's given (not solution) code assigns to `name`."""
    for cell in _cells(path):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "BEGIN SOLUTION" in source:
            continue
        for statement in ast.parse(source).body:
            if (
                isinstance(statement, ast.Assign)
                and getattr(statement.targets[0], "id", "") == name
            ):
                return ast.literal_eval(statement.value)
    raise LookupError(name)


def test_exercise_05_compares_the_article_with_the_second_report() -> None:
    assert _given_data(EXERCISE_05, "beijing") == SECOND


def test_the_two_reports_count_a_hundred_each() -> None:
    assert sum(ARTICLE.values()) == sum(SECOND.values()) == 100
    assert list(ARTICLE) == list(SECOND) == list(RANKS)


# ---------------------------------------------------------------- the capstone's rubric


BRIEF = ROOT / "exercises" / "solutions" / "07-capstone-data-story-solutions.ipynb"
#: What each criterion grades, and words its lesson must use where the rubric says it is shown.
GRADED = {
    "The question is specific": ["narrow enough", "question"],
    "Table and chart answer the question": ["start at 0", "zero", "lower bound", "arrow"],
    "The three sentences are accurate": ["f-string", "more than", "computed"],
    "Caveats": ["source", "selection", "Lower bounds"],
}


def rubric_rows() -> list[list[str]]:
    text = "\n".join("".join(c["source"]) for c in _cells(BRIEF) if c["cell_type"] == "markdown")
    table = text.split("## Rubric", 1)[1]
    rows = [line.strip("|").split(" | ") for line in table.splitlines() if line.startswith("| ")]
    assert rows[0][-1].strip() == "shown in"
    return [[cell.strip() for cell in row] for row in rows[1:]]


def test_the_rubric_grades_what_these_words_name() -> None:
    criteria = [row[0] for row in rubric_rows()]
    assert len(criteria) == len(GRADED)
    for criterion, start in zip(criteria, GRADED, strict=True):
        assert criterion.startswith(start)


@pytest.mark.parametrize("criterion", list(GRADED))
def test_every_rubric_point_is_shown_in_a_lesson_first(criterion: str) -> None:
    row = next(r for r in rubric_rows() if r[0].startswith(criterion))
    shown = row[-1]
    lesson = re.search(r"lesson (\d\d[a-z]?)", shown)[1]
    path = next((ROOT / "notebooks").glob(f"{lesson}-*.ipynb"))
    numbers = [int(n) for n in re.findall(r"§(\d+)", shown)]
    assert numbers, f"the rubric's row {criterion!r} names no section of lesson {lesson}"
    text = "\n".join(ct.part_text(path, n) for n in numbers)
    missing = [word for word in GRADED[criterion] if word not in text]
    assert missing == [], f"lesson {lesson} §{numbers} does not show {missing}"
