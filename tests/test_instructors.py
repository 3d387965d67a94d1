"""Every lesson's minutes are believable and the same in its header, lesson 00's course map, the
README's course map and the session plans; the plans add up to their sessions."""

import re
from pathlib import Path

import pytest

from secondment.paths import notebooks, require_course_root

ROOT = require_course_root()
PLANS = sorted((ROOT / "instructors").glob("session-*.md"))
HEADER = re.compile(r"\*\*Time:\*\*\s*(\d+) min teaching · (\d+) min practice")
EXERCISE_TIME = re.compile(r"\*\*Time:\*\*\s*about (\d+) min")
ROW = re.compile(r"^\|\s*(\d+):(\d\d)\s*\|\s*(\d+)\s*\|(.*)\|\s*(.*?)\s*\|\s*$")
HOMEWORK_ROW = re.compile(r"^\|\s*(\d+)\s*\|(.*)\|\s*(.*?)\s*\|\s*$")
PART = re.compile(r"(\d\d[a-z]?) (teaching|practice)|(\d\d) (exercises)")
#: A course map row: the lesson's link, its minutes, then its exercises' link and minutes.
MAP_ROW = re.compile(
    r"\]\((?:\.\./)?(?:notebooks/)?(?P<lesson>\d\d[a-z]?)-[^)]*\.ipynb\)"
    r".*?\|\s*(?P<teach>\d+) \+ (?P<practise>\d+)\s*\|"
)
MAP_EXERCISE = re.compile(r"exercises/(\d\d)-[^)]*\.ipynb\) \((\d+) min\)")
CELL_LIMIT = 70


def _cells(path: Path) -> list[dict]:
    import json

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


def plan_rows(path: Path) -> list[re.Match[str]]:
    text = path.read_text(encoding="utf-8").split("## Homework")[0]
    return [m for line in text.splitlines() if (m := ROW.match(line))]


def homework_rows(path: Path) -> list[re.Match[str]]:
    parts = path.read_text(encoding="utf-8").split("## Homework")
    if len(parts) < 2:
        return []
    section = parts[1].split("\n## ")[0]
    return [m for line in section.splitlines() if (m := HOMEWORK_ROW.match(line))]


def test_six_sessions_linked_from_the_guide() -> None:
    assert [p.name for p in PLANS] == [f"session-{i}.md" for i in range(1, 7)]
    guide = (ROOT / "instructors" / "README.md").read_text(encoding="utf-8")
    for plan in PLANS:
        assert f"]({plan.name})" in guide


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_plan_adds_up_to_the_session_length(plan: Path) -> None:
    text = plan.read_text(encoding="utf-8")
    length = int(re.search(r"\*\*Length:\*\*\s*(\d+) min", text)[1])
    rows = plan_rows(plan)
    assert rows, "no minute-by-minute table"
    clock = 0
    for m in rows:
        start = int(m[1]) * 60 + int(m[2])
        assert start == clock, f"row at {m[1]}:{m[2]} should start at minute {clock}"
        clock += int(m[3])
    assert clock == length
    for section in ("## Objectives", "## What to live-code", "## Common mistakes",
                    "## Discussion questions", "## If you are behind"):  # fmt: skip
        assert section in text, section


@pytest.mark.parametrize("path", notebooks("lessons"), ids=lambda p: p.name)
def test_a_lesson_fits_its_stated_minutes(path: Path) -> None:
    """About a minute per code cell to teach, two or three per "Try it" to practise."""
    cells = _cells(path)
    code = sum(c["cell_type"] == "code" for c in cells)
    tries = sum(
        "".join(c["source"]).count("**Try it") for c in cells if c["cell_type"] == "markdown"
    )
    teach, practise = lesson_times()[lesson_id(path)]
    assert len(cells) <= CELL_LIMIT, f"{len(cells)} cells: split the lesson"
    assert code <= teach <= code + 20, f"{teach} min teaching for {code} code cells"
    assert 2 * tries <= practise <= 3 * tries + 10, f"{practise} min practice for {tries} Try its"


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
    section = text.split("## Course map" if "## Course map" in text else "## The course map")[1]
    lessons, exercises = _map_times(section.split("\n## ")[0])
    assert lessons == lesson_times()
    assert exercises == exercise_times()


def test_the_plans_give_every_lesson_and_exercise_its_minutes_in_class_or_as_homework() -> None:
    got: dict[str, int] = {}
    for plan in PLANS:
        rows = [(int(m[3]), m[5]) for m in plan_rows(plan)]
        rows += [(int(m[1]), m[3]) for m in homework_rows(plan)]
        for minutes, part in rows:
            m = PART.fullmatch(part)
            if m:
                key = f"{m[1]} {m[2]}" if m[1] else f"{m[3]} {m[4]}"
                got[key] = got.get(key, 0) + minutes
    want = {f"{k} teaching": t for k, (t, _) in lesson_times().items()}
    want |= {f"{k} practice": p for k, (_, p) in lesson_times().items()}
    want |= {f"{k} exercises": n for k, n in exercise_times().items()}
    assert got == want
