"""The grader on what students really hand in: full marks, zero, and every broken kind."""

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from secondment.exercises import BEGIN, END
from secondment.grade import grade, recognise_exercise, summary, write_gradebook

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "exercises" / "solutions" / "01-reading-the-article-solutions.ipynb"
STUDENT = ROOT / "exercises" / "01-reading-the-article-exercises.ipynb"
OTHER_WEEK = ROOT / "exercises" / "02-parsing-structure-exercises.ipynb"

pytestmark = pytest.mark.skipif(not SOLUTION.exists(), reason="exercise 01 is not written yet")


def _first_solution_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code" and BEGIN in c.source)


def _variant(tmp, student, name, edit):
    nb = nbformat.read(SOLUTION, as_version=4)
    edit(nb)
    folder = tmp / "submissions" / student
    folder.mkdir(parents=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grading")
    subs = tmp / "submissions"
    paths = {}

    def put(student, source, name="01-reading-the-article-exercises.ipynb"):
        folder = subs / student
        folder.mkdir(parents=True)
        shutil.copyfile(source, folder / name)
        paths[student] = folder / name

    put("ada", SOLUTION)
    put("ben", STUDENT)
    put("cai", OTHER_WEEK, "02-parsing-structure-exercises.ipynb")

    def syntax(nb):
        cell = _first_solution_cell(nb)
        cell.source = cell.source.replace(END, "answer = (\n" + END)

    def boom(nb):
        _first_solution_cell(nb).source = "raise RuntimeError('oops')"

    def loop(nb):
        _first_solution_cell(nb).source = "while True:\n    pass"

    def crash(nb):
        _first_solution_cell(nb).source = "import os\nos._exit(1)"

    def fake(nb):
        for cell in nb.cells:
            if cell.cell_type == "code" and BEGIN in cell.source:
                cell.source = "answer = 'wrong'\nprint('✅ looks right to me')"

    paths["dan"] = _variant(tmp, "dan", "ex01.ipynb", syntax)
    paths["eve"] = _variant(tmp, "eve", "ex01.ipynb", boom)
    paths["fay"] = _variant(tmp, "fay", "ex01.ipynb", loop)
    paths["gus"] = _variant(tmp, "gus", "ex01.ipynb", crash)
    paths["hal"] = _variant(tmp, "hal", "ex01.ipynb", fake)
    (subs / "ivy").mkdir()
    (subs / "ivy" / "ex01.ipynb").write_text('{"cells": [', encoding="utf-8")
    (subs / "jon").mkdir()
    (subs / "jon" / "ex01.ipynb").write_bytes(b"")
    (subs / "kim").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]),
                   subs / "kim" / "ex01.ipynb")  # fmt: skip
    files = sorted(subs.rglob("*.ipynb"))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    rows = grade(files, only="01", cell_timeout=3, notebook_timeout=60)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    return rows, before, after, tmp


def _by_student(rows):
    out = {}
    for r in rows:
        out.setdefault(r.student, []).append(r)
    return out


def test_solutions_get_full_marks_and_students_zero(graded):
    people = _by_student(graded[0])
    assert people["ada"] and all(r.passed for r in people["ada"])
    assert all(not r.passed and r.status == "unanswered" for r in people["ben"])
    assert len(people["ada"]) == len(people["ben"]) >= 5


def test_printed_ticks_score_nothing(graded):
    hal = _by_student(graded[0])["hal"]
    assert not any(r.passed for r in hal)


def test_broken_submissions_get_a_status_and_the_rest_still_counts(graded):
    people = _by_student(graded[0])
    for student in ("dan", "eve", "fay"):
        rows = people[student]
        assert not rows[0].passed, student
        assert all(r.passed for r in rows[1:]), student  # later answers still count
    assert people["gus"][0].status in ("kernel-died", "not-run")
    assert not any(r.passed for r in people["gus"])
    assert people["ivy"][0].status == "unreadable" and "JSON" in people["ivy"][0].detail
    assert people["jon"][0].status == "unreadable" and "empty" in people["jon"][0].detail
    assert people["kim"][0].status == "unknown-exercise"
    assert people["cai"][0].status == "wrong-exercise"


def test_submissions_are_never_modified(graded):
    _, before, after, _ = graded
    assert before == after


def test_gradebook_and_summary(graded):
    rows, _, _, tmp = graded
    out = tmp / "gradebook.csv"
    write_gradebook(rows, out)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "student,exercise,question,passed,status,detail"
    table = summary(rows)
    assert "ada" in table and "Notes:" in table


def test_recognise_exercise():
    nb = json.loads(STUDENT.read_text(encoding="utf-8"))
    assert recognise_exercise(nb) == "01"
    assert recognise_exercise({"cells": []}) is None
