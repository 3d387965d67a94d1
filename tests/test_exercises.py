"""Exercises: student versions generated from solutions, in sync, leak-free, with working checks."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from secondment.checks import MIME, Hint, Verdict, check, evaluate, question, questions
from secondment.paths import notebooks, require_course_root
from secondment.teach.exercises import (
    ANSWER_CELLS,
    BEGIN,
    PLACEHOLDER,
    ExerciseError,
    answer_cells,
    out_of_sync,
    solution_lines,
    student_name,
    student_source,
)

ROOT = require_course_root()
SOLUTIONS = notebooks("solutions")
CHECK_CALL = re.compile(r"""check\(\s*["'](\d\d\.\d+)["']""")


# ---------------------------------------------------------------- the builder itself


def test_student_source_replaces_blocks_keeping_indentation():
    src = "x = 1\n### BEGIN SOLUTION\nimport re\nanswer = re.findall('a', 'aa')\n### END SOLUTION\ncheck('01.1', answer)"
    assert student_source(src) == "x = 1\nanswer = ...  # your code here\ncheck('01.1', answer)"
    nested = (
        "def f():\n    ### BEGIN SOLUTION\n    fig, ax = 1, 2\n    ### END SOLUTION\n    return ax"
    )
    assert student_source(nested) == "def f():\n    fig, ax = ...  # your code here\n    return ax"


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("### BEGIN SOLUTION\nx = 1\n", "without ### END"),
        ("### END SOLUTION\n", "without ### BEGIN"),
        ("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION", "must end by assigning"),
        ("### BEGIN SOLUTION\n\n### END SOLUTION", "empty"),
        ("### BEGIN SOLUTION\nx = (\n### END SOLUTION", "does not parse"),
    ],
)
def test_malformed_solutions_are_explained(src, message):
    with pytest.raises(ExerciseError, match=re.escape(message)):
        student_source(src)


def test_student_name():
    sol = Path("exercises/solutions/03-extracting-facts-solutions.ipynb")
    assert student_name(sol) == Path("exercises/03-extracting-facts-exercises.ipynb")
    with pytest.raises(ExerciseError):
        student_name(Path("exercises/solutions/notes.ipynb"))


# ---------------------------------------------------------------- check() mechanics


@question("99.1")
def _demo(answer):
    if answer != 42:
        raise Hint("think of the answer to everything")
    return "well done"


def test_check_verdicts_and_records(capsys):
    assert evaluate("99.1", 42) == Verdict("99.1", True, "well done", "correct")
    assert evaluate("99.1", 41).line == "❌ 99.1: think of the answer to everything"
    assert evaluate("99.1", ...).line.startswith("❌ 99.1: not answered yet")
    assert evaluate("99.9", 1).status == "error"
    assert check("99.1", 42) is None
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✅") and json.loads(out[1]) == {
        "question": "99.1",
        "passed": True,
        "status": "correct",
    }


def test_a_crashing_checker_gives_a_hint_not_a_traceback():
    @question("99.2")
    def _boom(answer):
        return answer["missing"]

    verdict = evaluate("99.2", {})
    assert not verdict.passed and "KeyError" in verdict.message


def test_answers_are_saved_for_the_grader_as_json_data(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SECONDMENT_ANSWERS", str(tmp_path))
    check("99.1", [1, (2, "三")])
    saved = json.loads((tmp_path / "99.1.json").read_text(encoding="utf-8"))
    assert saved == {"question": "99.1", "answer": [1, {"$": "tuple", "items": [2, "三"]}]}
    assert not list(tmp_path.glob("*.pickle"))


# ---------------------------------------------------------------- the real exercises


def _nb(path):
    return nbformat.read(path, as_version=4)


def _calls(nb):
    return [q for c in nb.cells if c.cell_type == "code" for q in CHECK_CALL.findall(c.source)]


def test_there_are_solution_notebooks_for_lessons_01_to_07():
    numbers = sorted(p.name[:2] for p in SOLUTIONS)
    assert numbers == ["01", "02", "03", "04", "05", "06", "07"]


def test_student_versions_are_in_sync():
    assert out_of_sync(ROOT) == [], "run `python -m secondment.teach build-exercises`"


def test_a_stale_table_of_answer_cells_is_out_of_sync(tmp_path):
    for folder in ("exercises", "exercises/solutions", ANSWER_CELLS.parent.as_posix()):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    for solution in SOLUTIONS:
        (tmp_path / "exercises" / "solutions" / solution.name).write_bytes(solution.read_bytes())
        student = student_name(solution)
        (tmp_path / "exercises" / student.name).write_bytes(student.read_bytes())
    table = json.loads((ROOT / ANSWER_CELLS).read_text(encoding="utf-8"))
    (tmp_path / ANSWER_CELLS).write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    assert out_of_sync(tmp_path) == []
    table.popitem()
    (tmp_path / ANSWER_CELLS).write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    assert out_of_sync(tmp_path) == [f"{ANSWER_CELLS.as_posix()} is out of date"]


def test_every_question_has_one_answer_cell_with_the_same_id_in_every_edition():
    table = json.loads((ROOT / ANSWER_CELLS).read_text(encoding="utf-8"))
    assert table == answer_cells(ROOT)
    assert sorted(table.values()) == sorted(q for q in questions() if q < "08")
    for solution in SOLUTIONS:
        student = student_name(solution)
        for path in (solution, student, ROOT / "zh-CN" / "exercises" / student.name):
            cells = [c for c in _nb(path).cells if c.cell_type == "code"]
            for before, after in zip(cells, cells[1:], strict=False):
                m = CHECK_CALL.match(after.source)
                if m:
                    assert table.get(before.id) == m[1], (path.name, m[1])
                    assert BEGIN in before.source or PLACEHOLDER in before.source


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_no_solution_line_reaches_students(solution):
    sol = _nb(solution)
    outside = {
        line.strip()
        for c in sol.cells
        if c.cell_type == "code"
        for line in student_source(c.source).split("\n")
    }
    secret = {line for line in solution_lines(sol) if line not in outside}
    student = _nb(student_name(solution))
    shown = [
        line.strip()
        for c in student.cells
        if c.cell_type == "code"
        for line in c.source.split("\n")
        + [t for o in c.get("outputs", []) for t in str(o.get("text", "")).split("\n")]
    ]
    assert [line for line in shown if line in secret] == []


def test_student_links_are_rewritten_for_their_folder():
    from secondment.teach.exercises import student_version

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("See [lesson](../../notebooks/03-x.ipynb).")]
    )
    assert student_version(nb, "03-x-solutions.ipynb").cells[0].source == (
        "See [lesson](../notebooks/03-x.ipynb)."
    )


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_question_counts_and_stored_verdicts(solution):
    sol = _nb(solution)
    calls = _calls(sol)
    number = solution.name[:2]
    if number != "07":
        assert 5 <= len(calls) <= 9, f"{solution.name} has {len(calls)} questions"
    assert len(set(calls)) == len(calls) and all(q.startswith(number + ".") for q in calls)

    def records(nb):
        return [
            o["data"][MIME]
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "display_data" and MIME in o.get("data", {})
        ]

    assert [r["question"] for r in records(sol)] == calls
    assert all(r["passed"] for r in records(sol)), "every solution must pass its own check"
    student = records(_nb(student_name(solution)))
    assert [r["question"] for r in student] == calls
    assert all(r["status"] == "unanswered" for r in student)


def test_every_registered_question_is_asked_exactly_once():
    asked = [q for s in SOLUTIONS for q in _calls(_nb(s))]
    registered = [q for q in questions() if not q.startswith("99.")]
    assert sorted(asked) == sorted(registered)
