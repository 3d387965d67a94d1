"""The grader on the course's own notebooks: every solution full marks, every student version
zero, LMS exports credited to the right student, feedback files, and bad input refused."""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from secondment.checks import questions
from secondment.paths import notebooks, require_course_root
from secondment.teach.__main__ import main
from secondment.teach.grade import (
    Limits,
    feedback_folder,
    find_submissions,
    grade,
    recognise_exercise,
    summary,
    write_feedback,
    write_gradebook,
)

pytestmark = pytest.mark.integration

ROOT = require_course_root()
SOLUTIONS = notebooks("solutions")
STUDENTS = notebooks("exercises")
EX01 = ROOT / "exercises" / "solutions" / "01-reading-the-article-solutions.ipynb"
EX01_STUDENT = ROOT / "exercises" / "01-reading-the-article-exercises.ipynb"
EX01_ZH = ROOT / "zh-CN" / "exercises" / "01-reading-the-article-exercises.ipynb"


def _answer_with_solutions(path, solution):
    """Put the solution's answer cells into a student notebook, keeping its setup cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    answers = {c["id"]: c for c in json.loads(solution.read_text(encoding="utf-8"))["cells"]}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for cell in code[1:]:
        cell["source"] = answers[cell["id"]]["source"]
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def _put(subs, rel, source, mtime=None):
    path = subs / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One grading run of the whole course: few kernels, two at a time."""
    tmp = tmp_path_factory.mktemp("grading")
    subs = tmp / "submissions"
    for sol in SOLUTIONS:
        _put(subs, f"sol-{sol.name[:2]}/{sol.name}", sol)
    for stu in STUDENTS:
        _put(subs, f"stu-{stu.name[:2]}/{stu.name}", stu)
    # A student of the Chinese edition who answered everything: its prose and hints are Chinese.
    zh = _put(subs, "zh/01-reading-the-article-exercises.ipynb", EX01_ZH)
    _answer_with_solutions(zh, EX01)
    # An LMS export: attempts in nested folders, one under a name of the student's choosing.
    _put(subs, "leo/attempt-1/01-reading-the-article-exercises.ipynb", EX01_STUDENT, 1_000_000)
    _put(subs, "leo/attempt-2/week 1/homework (1).ipynb", EX01, 2_000_000)
    files = find_submissions(subs)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    rows = grade(files, root=subs, limits=Limits(cell_timeout=60, notebook_timeout=240))
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    return rows, before, after, tmp


def _of(rows, student):
    return [r for r in rows if r.student == student]


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name[:2])
def test_every_solution_gets_full_marks_on_every_question(graded, solution):
    number = solution.name[:2]
    rows = _of(graded[0], f"sol-{number}")
    asked = [q for q in questions() if q.startswith(number + ".")]
    assert [r.question for r in rows] == asked
    failed = [(r.question, r.status, r.detail) for r in rows if not r.passed]
    assert failed == []


@pytest.mark.parametrize("student", STUDENTS, ids=lambda p: p.name[:2])
def test_every_untouched_student_notebook_gets_zero(graded, student):
    rows = _of(graded[0], f"stu-{student.name[:2]}")
    assert rows and all(not r.passed and r.status == "unanswered" for r in rows)


def test_a_chinese_edition_submission_is_graded_like_an_english_one(graded):
    rows = _of(graded[0], "zh")
    assert [r.question for r in rows] == [q for q in questions() if q.startswith("01.")]
    assert [(r.question, r.status) for r in rows if not r.passed] == []


def test_the_student_is_the_top_folder_and_the_later_attempt_is_graded(graded):
    rows = _of(graded[0], "leo")
    earlier = [r for r in rows if r.notebook.startswith("leo/attempt-1/")]
    later = [r for r in rows if r.notebook.startswith("leo/attempt-2/")]
    assert [(r.status, r.question) for r in earlier] == [("superseded", "")]
    assert "leo/attempt-2/week 1/homework (1).ipynb" in earlier[0].detail
    assert len(later) == 8 and all(r.passed for r in later)
    assert not {r.student for r in graded[0]} & {"attempt-1", "attempt-2", "week 1"}


def test_submissions_are_never_modified(graded):
    _, before, after, _ = graded
    assert before == after


def test_gradebook_summary_and_feedback(graded):
    rows, _, _, tmp = graded
    out = tmp / "out" / "gradebook.csv"
    write_gradebook(rows, out)
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "student,exercise,question,passed,status,detail,notebook"
    table = summary(rows)
    assert re.search(r"^sol-05 +05 +8/8$", table, re.M) and re.search(
        r"^stu-05 +05 +0/8$", table, re.M
    )
    paths = write_feedback(rows, feedback_folder(out))
    assert {p.name for p in paths} >= {"leo.md", "sol-03.md", "stu-03.md"}
    text = (feedback_folder(out) / "stu-03.md").read_text(encoding="utf-8")
    assert text.startswith("# Feedback for stu-03")
    assert "## Exercise 03: 0/9" in text
    assert "| 03.2 | ❌ unanswered | not answered yet: replace \\`...\\` with your answer |" in text
    assert "| 05.3 | ✅ passed |" in (feedback_folder(out) / "sol-05.md").read_text("utf-8")


def test_recognise_exercise():
    nb = json.loads(EX01_STUDENT.read_text(encoding="utf-8"))
    assert recognise_exercise(nb) == "01"
    assert recognise_exercise({"cells": []}) is None
    assert recognise_exercise({"cells": [{"cell_type": "code", "source": 3}]}) is None


def _missing(tmp):
    return tmp / "nowhere"


def _empty(tmp):
    (tmp / "empty" / "ada").mkdir(parents=True)
    (tmp / "empty" / "ada" / "notes.txt").write_text("no notebook here", encoding="utf-8")
    return tmp / "empty"


@pytest.mark.parametrize(
    ("make", "message"),
    [(_missing, "no such folder"), (_empty, "no notebooks")],
    ids=["missing", "empty"],
)
def test_no_submissions_is_a_one_line_error_and_no_gradebook(tmp_path, capsys, make, message):
    out = tmp_path / "marks" / "gradebook.csv"
    assert main(["grade", str(make(tmp_path)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.parent.exists()  # not even an empty folder is left behind


def test_each_folder_given_credits_its_own_top_folders(tmp_path):
    from secondment.teach.submissions import submissions as _submissions

    week1, week2 = tmp_path / "week-1", tmp_path / "week-2"
    paths = [
        _put(week1, "leo/attempt-1/01.ipynb", EX01),
        _put(week2, "mia/deep/er/01.ipynb", EX01),
    ]
    subs = _submissions(paths, [week1, week2], None)
    assert [(s.student, s.shown) for s in subs] == [
        ("leo", "leo/attempt-1/01.ipynb"),
        ("mia", "mia/deep/er/01.ipynb"),
    ]


def test_students_whose_names_look_alike_get_a_feedback_file_each(tmp_path):
    from secondment.teach.grade import Row

    rows = [Row(name, "01", "01.1", True, "correct") for name in ("a b", "a_b", "A_B")]
    written = write_feedback(rows, tmp_path / "feedback")
    assert sorted(p.name for p in written) == ["A_B.md", "a_b-2.md", "a_b-3.md"]


def test_an_unwritable_out_is_refused_before_grading(tmp_path, capsys):
    subs = tmp_path / "submissions"
    _put(subs, "ada/ex.ipynb", EX01)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    out = tmp_path / "a-file" / "gradebook.csv"
    assert main(["grade", str(subs), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot write the gradebook" in err and len(err.strip().splitlines()) == 1
    assert not feedback_folder(out).exists()


def test_the_unprivileged_fallback_grades_a_solution_too(tmp_path, monkeypatch):
    from secondment.teach import sandbox

    if not (os.geteuid() == 0 and sandbox._probe(sandbox.drop_to(sandbox.NOBODY))):
        pytest.skip("user nobody cannot run this Python here (it lives in a private folder)")
    monkeypatch.setenv("SECONDMENT_ISOLATION", "unprivileged-user")
    subs = tmp_path / "submissions"
    path = _put(subs, "ada/01.ipynb", EX01)
    rows = grade([path], root=subs, limits=Limits(cell_timeout=60, notebook_timeout=120))
    assert len(rows) == 8 and all(r.passed for r in rows), [(r.status, r.detail) for r in rows]


def test_no_sandbox_is_refused_as_root_and_says_how_to_install_bubblewrap(tmp_path, monkeypatch):
    from secondment.teach.grade import GradeError

    if os.geteuid() != 0:
        pytest.skip("about a grader run as root")
    monkeypatch.setenv("SECONDMENT_ISOLATION", "none")
    with pytest.raises(GradeError, match="apt-get install bubblewrap"):
        grade([EX01], limits=Limits())


def test_the_command_says_which_isolation_and_writes_gradebook_and_feedback(tmp_path, capsys):
    subs = tmp_path / "submissions"
    _put(subs, "ada/week-1/01.ipynb", EX01)
    out = tmp_path / "marks" / "gradebook.csv"
    assert main(["grade", str(subs), "--out", str(out), "--memory-mb", "1536"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"isolation: (bubblewrap|unprivileged users|none) .*", lines[0])
    assert re.search(r"^ada +01 +8/8$", "\n".join(lines), re.M)
    assert out.exists() and (feedback_folder(out) / "ada.md").exists()


def test_as_root_each_worker_kernel_is_a_user_of_its_own_that_cannot_read_roots_files(tmp_path):
    import subprocess
    import sys

    from secondment.teach import grade as grading

    if os.geteuid() != 0 or grading.isolation() != "bubblewrap":
        pytest.skip("this is about a grader run as root with bubblewrap")
    # A root-only file outside every folder the sandbox hides: only the user id keeps it safe.
    secret = Path("/etc") / "secondment-root-only-secret.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("secret", encoding="utf-8")
    secret.chmod(0o600)
    probe = (
        "import os\n"
        "print(os.getuid(), os.getgroups())\n"
        f"for path in ({str(secret)!r}, '/etc/shadow'):\n"
        "    try:\n"
        "        open(path).read(); print('read', path)\n"
        "    except OSError as exc:\n"
        "        print(type(exc).__name__)\n"
    )
    try:
        seen = []
        for slot in (0, 1):
            box = tmp_path / f"work-{slot}" / "box"
            box.mkdir(parents=True)
            os.chown(box, grading.kernel_uid(slot), grading.kernel_uid(slot))
            (tmp_path / f"work-{slot}").chmod(0o711)
            cmd = grading.bwrap_command(box, [], inside=str(box), uid=grading.kernel_uid(slot))
            done = subprocess.run(
                [*cmd, sys.executable, "-c", probe], capture_output=True, text=True
            )
            seen.append(done.stdout.split())
    finally:
        secret.unlink()
    assert seen == [
        [str(grading.kernel_uid(0)), "[]", "PermissionError", "PermissionError"],
        [str(grading.kernel_uid(1)), "[]", "PermissionError", "PermissionError"],
    ]
    assert grading.kernel_uid(0) != grading.kernel_uid(1) != 0


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_elsewhere(monkeypatch):
    import io

    from secondment.teach.report import Progress, Row

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    rows = [Row("ada", "01", "01.1", True, "correct"), Row("ada", "01", "01.2", False, "wrong")]
    plain = io.StringIO()
    progress = Progress(2, plain)
    progress.update("ada", "01", rows)
    progress.update("bo\x1b[2Jb", "", [Row("bo", "", "", False, "unreadable")])
    assert plain.getvalue().splitlines() == [
        "graded 1/2: ada 01 1/2",
        "graded 2/2: bo\\x1b[2Jb - unreadable",
    ]
    monkeypatch.delenv("CI", raising=False)
    bar = Terminal()
    Progress(1, bar).update("ada", "01", rows)
    assert bar.getvalue().startswith("\r[########################] 1/1 ada 01 1/2")


def test_the_courses_own_probes_written_as_a_file_pass_their_checks(tmp_path, capsys):
    from secondment.checks import function_questions, own_probes
    from secondment.teach.probes import read_probes

    path = tmp_path / "probes.json"
    assert main(["probes", "--write", str(path)]) == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(data["probes"]) == function_questions()
    assert data["probes"]["01.1"][1] == {"utf-8": own_probes("01.1")[1][0].decode("utf-8")}
    # Read back as an instructor's file: the same inputs, and the library's answer passes.
    assert read_probes(path) == {q: own_probes(q) for q in function_questions()}
    capsys.readouterr()
    assert main(["probes", "--check", str(path)]) == 0
    assert capsys.readouterr().out.startswith("probes: 01.1, 01.4, 02.3, 03.2")


def test_a_verdict_on_private_probes_shows_no_piece_of_them():
    from secondment.teach.probes import GradingProbes, redact

    text = "　　北京市规划委副主任、挂任保定市副市长的陈立平说，两地规划要一张图。"
    shown = "your function raised KeyError: '\\u3000\\u3000北京市规划委副主任、挂任保定' on another report (北京市规划委副主任、…)"
    assert (
        redact(shown, [text])
        == "your function raised KeyError: '\\u3000\\u3000…' on another report (…)"
    )
    # Short runs stay: the words of a hint that an input happens to share.
    hint = "home and host are swapped: home comes before 、挂任, host after it"
    assert redact(hint, [text]) == hint
    probes = GradingProbes({"03.8": [(text,)], "03.7": [(text,)]}, frozenset({"03.8"}))
    assert probes.hidden_in("03.8", shown) != shown and probes.hidden_in("03.7", shown) == shown
