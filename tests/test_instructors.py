"""Every minute the course states follows one rule (tools/course_time.py), computed here from the
notebooks: the headers of lessons and exercises, the course maps, the session plans row by row,
the guide's totals and the one-day workshop. A session holds at most its length by that rule,
and its homework is what it says."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import course_time as ct  # tools/ is on pytest's pythonpath
import pytest

from secondment.paths import notebooks, require_course_root

ROOT = require_course_root()


PLANS = sorted(
    (ROOT / "instructors").glob("session-*.md"), key=lambda p: int(re.sub(r"\D", "", p.stem))
)
GUIDE = ROOT / "instructors" / "README.md"
LESSONS = notebooks("lessons")
SOLUTIONS = notebooks("solutions")
HEADER = re.compile(r"\*\*Time:\*\*\s*(\d+) min teaching · (\d+) min practice")
EXERCISE_TIME = re.compile(r"\*\*Time:\*\*\s*about (\d+) min")
#: A course map row: the lesson's link, its minutes, then its exercises' link and minutes.
MAP_ROW = re.compile(
    r"\]\((?:\.\./)?(?:notebooks/)?(?P<lesson>\d\d[a-z]?)-[^)]*\.ipynb\)"
    r".*?\|\s*(?P<teach>\d+) \+ (?P<practise>\d+)\s*\|"
)
MAP_EXERCISE = re.compile(r"exercises/(\d\d)-[^)]*\.ipynb\) \((\d+) min\)")
ABOUT = re.compile(r"\babout (\d+) min", re.IGNORECASE)
CELL_LIMIT = 70
BREAKS = ("break", "lunch")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _first(path: Path) -> str:
    return "".join(_cells(path)[0]["source"])


def lesson_id(path: Path) -> str:
    """`03a` for notebooks/03a-people-and-posts.ipynb."""
    return path.name.split("-", 1)[0]


def lesson_times() -> dict[str, tuple[int, int]]:
    out = {}
    for nb in notebooks("lessons"):
        m = HEADER.search(_first(nb))
        assert m, f"{nb.name} has no `**Time:** N min teaching · M min practice` line"
        out[lesson_id(nb)] = (int(m[1]), int(m[2]))
    return out


def exercise_times() -> dict[str, int]:
    out = {}
    for nb in notebooks("exercises"):
        m = EXERCISE_TIME.search(_first(nb))
        assert m, f"{nb.name} has no `**Time:** about N min` line"
        out[nb.name[:2]] = int(m[1])
    return out


def stated_parts() -> dict[str, int]:
    """Every lesson part's minutes as the headers state them: `02 teaching`, `03 exercises`…"""
    want = {f"{k} teaching": t for k, (t, _) in lesson_times().items()}
    want |= {f"{k} practice": p for k, (_, p) in lesson_times().items()}
    want |= {f"{k} exercises": n for k, n in exercise_times().items()}
    return want


def group(row) -> str:
    """The header a row counts towards: live-coded and reading rows are both teaching."""
    kind = "teaching" if row.kind in ("live-coded", "reading") else row.kind
    return f"{row.lesson} {kind}"


# ---------------------------------------------------------------- the notebooks' headers


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.name)
def test_every_notebook_states_the_minutes_of_the_rule(path: Path) -> None:
    stated, rule = ct.stated(path), ct.header_line(path)
    assert stated.startswith(rule), (
        f"{path.name} says {stated!r}; by the rule in tools/course_time.py it is {rule!r}. Write "
        "that in its first cell, the same minutes in the course maps of README.md and lesson 00, "
        "and rows that add up to them in the session plans (python tools/course_time.py --plans)"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_a_lesson_has_numbered_sections_and_at_most_70_cells(path: Path) -> None:
    assert len(_cells(path)) <= CELL_LIMIT, f"{len(_cells(path))} cells: split the lesson"
    numbers = [s.number for s in ct.sections(path)]
    assert numbers == list(range(1, len(numbers) + 1)), "sections are `## 1 · Title`, in order"


def test_the_rule_counts_what_it_says() -> None:
    path = ROOT / "notebooks" / "04b-grouping-joining-and-reshaping.ipynb"
    cells = _cells(path)
    text = [("".join(c["source"])) for c in cells if c["cell_type"] == "markdown"]
    counts = ct.counts(path)
    assert counts.code_cells == sum(c["cell_type"] == "code" for c in cells)
    assert counts.words == sum(len(t.split()) for t in text)
    assert counts.try_its == sum(t.count("**Try it:**") for t in text)
    exact = counts.words / 120 + counts.code_cells
    assert ct.lesson_minutes(path) == (5 * -(-exact // 5), 5 * -(-4 * counts.try_its // 5))
    assert sum(s.teaching() for s in ct.sections(path)) == pytest.approx(exact)
    assert ct.round_to(40.0) == 40 and ct.round_to(40.2) == 45


# ---------------------------------------------------------------- the course maps


def _map_times(text: str) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    lessons = {m["lesson"]: (int(m["teach"]), int(m["practise"])) for m in MAP_ROW.finditer(text)}
    exercises = {number: int(minutes) for number, minutes in MAP_EXERCISE.findall(text)}
    return lessons, exercises


@pytest.mark.parametrize("where", ["README.md", "notebooks/00-start-here.ipynb"])
def test_the_course_maps_give_the_headers_minutes(where: str) -> None:
    path = ROOT / where
    if path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    section = re.split(r"## (?:\d+ · )?(?:The course map|Course map)\n", text)[1]
    lessons, exercises = _map_times(section.split("\n## ")[0])
    assert lessons == lesson_times(), f"{where}'s course map: give each lesson its header's minutes"
    assert exercises == exercise_times(), f"{where}'s course map: give each exercise its minutes"


# ---------------------------------------------------------------- the session plans


def test_the_sessions_are_numbered_and_linked_from_the_guide() -> None:
    assert [p.name for p in PLANS] == [f"session-{i}.md" for i in range(1, len(PLANS) + 1)]
    guide = GUIDE.read_text(encoding="utf-8")
    words = {11: "eleven"}
    assert f"{words.get(len(PLANS), len(PLANS))} 90-minute sessions" in guide
    for plan in PLANS:
        assert f"]({plan.name})" in guide


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_plan_adds_up_to_the_session_length(plan: Path) -> None:
    text = plan.read_text(encoding="utf-8")
    length = int(re.search(r"\*\*Length:\*\*\s*(\d+) min", text)[1])
    rows = [r for r in ct.plan_rows(plan) if r.where == "class"]
    assert rows, "no minute-by-minute table"
    clock = 0
    for row in rows:
        assert row.start == clock, f"the row {row.activity[:30]!r} should start at minute {clock}"
        clock += row.minutes
    assert clock == length
    for section in ("## Objectives", "## Homework", "## What to live-code", "## Common mistakes",
                    "## Discussion questions", "## If you are behind"):  # fmt: skip
        assert section in text, section


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_each_row_gives_the_minutes_of_what_it_names(plan: Path) -> None:
    for row in ct.plan_rows(plan):
        if row.part == "—":
            continue
        assert row.lesson, f"{plan.name}: {row.part!r} is not a lesson part (`02 live-coded`…)"
        what = "questions" if row.kind == "exercises" else "sections (§3–5)"
        assert ct.cited(row), f"{plan.name}: {row.activity[:40]!r} names no {what}"
        rule = ct.rule_minutes(row)
        assert abs(row.minutes - rule) <= ct.ROW_SLACK, (
            f"{plan.name}: {row.activity[:40]!r} gives {row.minutes} min; the rule gives "
            f"{rule:.1f} for what it names: write {round(rule)} (or within {ct.ROW_SLACK} of it)"
        )


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_a_session_holds_at_most_its_length_by_the_rule(plan: Path) -> None:
    length = int(re.search(r"\*\*Length:\*\*\s*(\d+) min", plan.read_text(encoding="utf-8"))[1])
    rows = [r for r in ct.plan_rows(plan) if r.where == "class"]
    by_rule = sum(r.minutes if ct.rule_minutes(r) is None else ct.rule_minutes(r) for r in rows)
    assert by_rule <= length, f"{plan.name} holds {by_rule:.1f} min by the rule"
    wrap_up = [r for r in rows if r.activity.startswith("Wrap-up")]
    assert wrap_up and wrap_up[-1] is rows[-1] and rows[-1].minutes >= 5


def test_the_plans_give_every_lesson_and_exercise_its_minutes_in_class_or_at_home() -> None:
    got: dict[str, int] = defaultdict(int)
    for plan in PLANS:
        for row in ct.plan_rows(plan):
            if row.lesson:
                got[group(row)] += row.minutes
    want = stated_parts()
    wrong = {
        part: (got.get(part, 0), minutes)
        for part, minutes in want.items()
        if got.get(part) != minutes
    }
    assert wrong == {}, (
        "the plans' rows add up to other minutes than the headers (rows vs header): "
        + ("; ".join(f"{part}: {rows} vs {header}" for part, (rows, header) in wrong.items()))
    )
    assert set(got) <= set(want), f"rows for parts no notebook has: {set(got) - set(want)}"


def test_the_plans_cover_every_section_and_question_once() -> None:
    covered: dict[str, list[int]] = defaultdict(list)
    for plan in PLANS:
        for row in ct.plan_rows(plan):
            if row.lesson:
                covered[group(row)] += ct.cited(row)
    for path in LESSONS:
        sections = ct.sections(path)
        key = lesson_id(path)
        numbers = [s.number for s in sections]
        assert sorted(covered[f"{key} teaching"]) == numbers, (
            f"lesson {key} has sections {numbers}; the plans' live-coded and reading rows name "
            f"{sorted(covered[f'{key} teaching'])}: name each section once"
        )
        with_try_its = [s.number for s in sections if s.try_its]
        assert sorted(covered[f"{key} practice"]) == with_try_its, (
            f"lesson {key} has Try its in sections {with_try_its}; the plans' practice rows name "
            f"{sorted(covered[f'{key} practice'])}"
        )
    for path in SOLUTIONS:
        key = f"{path.name[:2]} exercises"
        assert sorted(covered[key]) == [q.number for q in ct.questions(path)], key


def _outside_class(plan: Path) -> list[tuple[int, int]]:
    """(minutes said, minutes of the rows) of each table outside class: before, homework."""
    out = []
    text = plan.read_text(encoding="utf-8")
    for heading in ("## Before the session", "## Homework"):
        if heading not in text:
            continue
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        said = ABOUT.search(section)
        assert said, f"{plan.name}: {heading} does not say how long it takes (`about N min`)"
        rows = [r for r in ct.plan_rows(plan) if r.where == heading[3:]]
        out.append((int(said[1]), sum(r.minutes for r in rows)))
    return out


def test_homework_is_what_it_says() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    row = re.compile(r"^\| (\d+) \| \[[^]]+\]\(session-\1\.md\) \|.*\| (\d+) \|$", re.MULTILINE)
    listed = {int(m[1]): int(m[2]) for m in row.finditer(guide)}
    for n, plan in enumerate(PLANS, 1):
        parts = _outside_class(plan)
        for said, rows in parts:
            assert said == rows, f"{plan.name} says about {said} min; its rows add up to {rows}"
        assert listed[n] == sum(rows for _, rows in parts), f"the guide's homework for {plan.name}"
    homework = [listed[n] for n in sorted(listed)]
    said = ", ".join(map(str, homework[:-1])) + f" and {homework[-1]} minutes"
    assert said in " ".join(guide.split()), "the guide lists each session's homework"


def test_the_guide_gives_the_courses_totals() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    teach = sum(t for t, _ in lesson_times().values())
    practise = sum(p for _, p in lesson_times().values())
    exercises = sum(exercise_times().values())
    said = f"**{teach + practise} minutes of lessons** ({teach} teaching, {practise}\npractice)"
    assert " ".join(said.split()) in " ".join(guide.split()), f"the guide should say: {said}"
    assert f"**{exercises} minutes of exercises**" in guide
    hours = round((teach + practise + exercises) / 60)
    assert f"about {hours} hours" in guide
    assert guide.count(f"{teach + practise} minutes of") >= 2  # the self-paced route too


def test_the_one_day_workshop_follows_the_rule() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    heading = re.search(r"### One-day workshop \((\d+) hours of contact\)", guide)
    assert heading, "the workshop's heading says its hours of contact"
    section = guide[heading.end() :].split("\n## ", 1)[0]
    rows = [
        ct.Row("class", int(m[1]) * 60 + int(m[2]), int(m[3]), m[4].strip(), m[5])
        for line in section.splitlines()
        if (m := ct.CLASS_ROW.match(line))
    ]
    clock = rows[0].start
    contact = by_rule = 0.0
    for row in rows:
        assert row.start == clock, f"the workshop's row {row.activity[:30]!r} starts at {clock}"
        clock += row.minutes
        if row.activity in BREAKS:
            continue
        contact += row.minutes
        rule = ct.rule_minutes(row)
        by_rule += row.minutes if rule is None else rule
        if rule is not None:
            assert abs(row.minutes - rule) <= ct.ROW_SLACK, (row.activity[:40], rule)
    assert contact == 60 * int(heading[1])
    assert by_rule <= contact
    start, end = rows[0].start, clock
    assert f"{start // 60:02d}:{start % 60:02d} to {end // 60}:{end % 60:02d}" in section
