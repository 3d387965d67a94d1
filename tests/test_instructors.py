"""Session plans add up to their length and agree with the notebooks' own timings."""

import re

import pytest

from secondment.paths import notebooks, require_course_root

ROOT = require_course_root()
PLANS = sorted((ROOT / "instructors").glob("session-*.md"))
HEADER = re.compile(r"\*\*Time:\*\*\s*(\d+) min teaching · (\d+) min practice")
ROW = re.compile(r"^\|\s*(\d+):(\d\d)\s*\|\s*(\d+)\s*\|(.*)\|\s*(.*?)\s*\|\s*$")


def notebook_times():
    out = {}
    for nb in notebooks("lessons"):
        m = HEADER.search(nb.read_text(encoding="utf-8"))
        assert m, f"{nb.name} has no `**Time:** N min teaching · M min practice` line"
        out[nb.name[:2]] = {"teaching": int(m[1]), "practice": int(m[2])}
    return out


def plan_rows(path):
    return [m for line in path.read_text(encoding="utf-8").splitlines() if (m := ROW.match(line))]


def test_six_sessions_linked_from_the_guide():
    assert [p.name for p in PLANS] == [f"session-{i}.md" for i in range(1, 7)]
    guide = (ROOT / "instructors" / "README.md").read_text(encoding="utf-8")
    for plan in PLANS:
        assert f"]({plan.name})" in guide


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_plan_adds_up_to_the_session_length(plan):
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


def test_plans_agree_with_notebook_headers():
    want = notebook_times()
    assert sorted(want) == [f"{i:02d}" for i in range(8)]
    got: dict[str, dict[str, int]] = {}
    for plan in PLANS:
        for m in plan_rows(plan):
            part = re.fullmatch(r"(\d\d) (teaching|practice)", m[5])
            if part:
                got.setdefault(part[1], {"teaching": 0, "practice": 0})[part[2]] += int(m[3])
    assert got == want
