"""Hostile submissions, built from exercise 01: each gets a status, none is fooled, nothing
outside the grader's temp folders is written, every submission is byte-identical after, and
every honest student graded in the same run keeps full marks.

Limits are small here (seconds, not minutes) so that the suite stays fast and the memory bomb
is refused by the address-space limit long before it could touch the test machine's memory.
"""

import csv
import hashlib
import json
import os
import re
import socket
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from secondment.paths import require_course_root
from secondment.teach.exercises import BEGIN, PLACEHOLDER
from secondment.teach.grade import GradeError, Limits, find_submissions, grade, summary
from secondment.teach.report import feedback, write_gradebook

pytestmark = pytest.mark.integration

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "01-reading-the-article-solutions.ipynb"
STUDENT = ROOT / "exercises" / "01-reading-the-article-exercises.ipynb"
QUESTIONS = [f"01.{i}" for i in range(1, 9)]
LIMITS = Limits(
    cell_timeout=3,
    # Time for children that spin to spend the CPU budget on a busy machine.
    notebook_timeout=15,
    memory_mb=1536,
    output_mb=2,
    file_mb=64,
    processes=128,
    # An honest exercise 01 takes about 0.6 s of CPU; one cell may spin to its timeout besides.
    cpu_seconds=5,
    # Deciding an honest answer takes milliseconds, but a check's first use of jieba or OpenCC
    # can take seconds on a machine busy with the rest of the suite; a catastrophic pattern
    # takes minutes.
    check_timeout=15,
)
SECRET = "root-only-secret-4711"
HONEST = ["victim", "renamed", "meta_string", "=HYPERLINK(1)", "new\nline\x1b[2J"]


def _answer_cells(nb):
    return [
        c
        for c in nb.cells
        if c.cell_type == "code" and (BEGIN in c.source or PLACEHOLDER in c.source)
    ]


def _check_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("check(")]


def _set_answer(nb, index, source):
    _answer_cells(nb)[index].source = source


class Kinds:
    """Each hostile kind: (base notebook, edit); the canary paths come from the test folder."""

    def __init__(
        self, canary: Path, victim: Path, gradebook: Path, grader_temp: Path, secret_folder: Path
    ) -> None:
        self.secret_folder = secret_folder
        self.canary = canary
        self.victim = victim
        self.gradebook = gradebook
        self.grader_temp = grader_temp

    def pickle_exec(self, nb):
        # Unpickling this object would run code that makes every check pass.
        _set_answer(
            nb,
            0,
            "class Evil:\n"
            "    def __reduce__(self):\n"
            f"        return (exec, ({self._payload()!r},))\n"
            "answer = Evil()",
        )
        return nb

    def _payload(self):
        return (
            f"open({str(self.canary)!r}, 'w').write('unpickled')\n"
            "import secondment.checks as c\n"
            "c.decide = lambda q, d: c.Verdict(q, True, 'pwned', 'correct')\n"
        )

    def write_outside(self, nb):
        _set_answer(
            nb,
            0,
            f"open({str(self.canary)!r}, 'w').write('escaped')\n"
            f"open({str(self.victim)!r}, 'a').write('tampered')\n"
            "answer = (1, 2)",
        )
        return nb

    def reads_others(self, nb):
        _set_answer(
            nb,
            0,
            f"peek = open({str(self.gradebook)!r}).read() + open({str(self.victim)!r}).read()\n"
            "answer = peek",
        )
        return nb

    def reads_root_files(self, nb):
        # The shadow file of passwords, and the grader's home: neither is the kernel's to read.
        _set_answer(
            nb,
            0,
            "import os\n"
            "answer = open('/etc/shadow').read() + str(os.listdir(os.path.expanduser('~root')))",
        )
        return nb

    def tampers_with_others(self, nb):
        # While the others are graded, try to overwrite their saved answers and stop their
        # kernels; then answer nothing.
        _set_answer(
            nb,
            0,
            "import glob, json, os, signal, time\n"
            "end = time.time() + 2\n"
            "while time.time() < end:\n"
            f"    for f in glob.glob({str(self.grader_temp)!r} + '/**/answers/*.json', recursive=True):\n"
            "        try:\n"
            "            open(f, 'w').write(json.dumps({'question': '01.1', 'value': 0}))\n"
            "        except OSError:\n"
            "            pass\n"
            # Every other kernel it can see (and nothing else, should a machine have no sandbox).
            "    for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
            "        try:\n"
            "            line = open(f'/proc/{pid}/cmdline', 'rb').read()\n"
            "            if pid != os.getpid() and b'ipykernel' in line:\n"
            "                os.kill(pid, signal.SIGKILL)\n"
            "        except OSError:\n"
            "            pass\n"
            "    time.sleep(0.05)\n"
            "answer = ...",
        )
        return nb

    def os_system(self, nb):
        _set_answer(
            nb,
            0,
            "import os\n"
            f"os.system('echo escaped > {self.canary}; echo tampered >> \"{self.victim}\"')\n"
            "answer = ...",
        )
        return nb

    def memory_bomb(self, nb):
        _set_answer(nb, 2, "big = 'x' * (3 * 1024**3)\nanswer = big")
        return nb

    def busy_loop(self, nb):
        _set_answer(nb, 1, "while True:\n    pass")
        return nb

    def swallows_interrupt(self, nb):
        _set_answer(
            nb,
            1,
            # It waits rather than spins: the same refusal to stop, without burning a core
            # of the test machine until the notebook's time limit.
            "import time\n"
            "while True:\n"
            "    try:\n"
            "        while True:\n"
            "            time.sleep(0.05)\n"
            "    except KeyboardInterrupt:\n"
            "        print('not stopping')",
        )
        return nb

    def million_lines(self, nb):
        # One print, so that the lines arrive fast even on a busy machine.
        _set_answer(nb, 0, "print('\\n'.join(map(str, range(1_000_000))))\nanswer = ...")
        return nb

    def deleted_checks(self, nb):
        checks = {id(c) for c in _check_cells(nb)}
        nb.cells = [c for c in nb.cells if id(c) not in checks]
        return nb

    def moved_checks(self, nb):
        checks = _check_cells(nb)
        ids = {id(c) for c in checks}
        nb.cells = [c for c in nb.cells if id(c) not in ids] + checks
        return nb

    def reversed_checks(self, nb):
        cells = list(nb.cells)
        for i in range(len(cells) - 1):
            if BEGIN in cells[i].source and cells[i + 1].source.startswith("check("):
                cells[i], cells[i + 1] = cells[i + 1], cells[i]
        nb.cells = cells
        return nb

    def syntax_error(self, nb):
        cell = _answer_cells(nb)[2]
        cell.source = cell.source.replace("answer = sentence", "answer = (sentence")
        return nb

    def fake_ticks(self, nb):
        cells = _answer_cells(nb)
        for cell in cells:
            cell.source = "answer = 'wrong'\nprint('✅ looks right to me')"
        cells[0].source = "def check(question, answer):\n    print(f'✅ {question}: right')"
        return nb

    def patched_decide(self, nb):
        # Every check in the kernel now shows ✅; the grader decides from the records.
        _set_answer(
            nb,
            0,
            "import secondment.checks as c\n"
            "c.decide = lambda q, d: c.Verdict(q, True, 'right', 'correct')\n"
            "answer = ...",
        )
        return nb

    def fork_bomb(self, nb):
        # Children that sleep: they hold process slots without burning the test machine.
        _set_answer(
            nb,
            0,
            "import os, time\n"
            "for _ in range(2000):\n"
            "    try:\n"
            "        if os.fork() == 0:\n"
            "            time.sleep(60)\n"
            "            os._exit(0)\n"
            "    except OSError:\n"
            "        time.sleep(0.1)\n"
            "answer = ...",
        )
        return nb

    def memory_in_children(self, nb):
        # Each child stays under the per-process limit; together they are over the budget.
        _set_answer(
            nb,
            0,
            "import os, time\n"
            "for _ in range(5):\n"
            "    if os.fork() == 0:\n"
            "        hold = b'x' * (400 * 1024**2)\n"
            "        time.sleep(60)\n"
            "        os._exit(0)\n"
            "time.sleep(20)\n"
            "answer = ...",
        )
        return nb

    def disk_filler(self, nb):
        _set_answer(
            nb,
            0,
            "import os\n"
            "chunk = b'x' * 2**20\n"
            "for i in range(1000):\n"
            "    with open(f'fill-{i}', 'wb') as fh:\n"
            "        for _ in range(16):\n"
            "            fh.write(chunk)\n"
            "answer = ...",
        )
        return nb

    def cpu_in_children(self, nb):
        # Children spin outside any cell's time: only the CPU budget stops them.
        _set_answer(
            nb,
            0,
            "import os\n"
            "for _ in range(4):\n"
            "    if os.fork() == 0:\n"
            "        while True:\n"
            "            pass\n"
            "answer = ...",
        )
        cells = _answer_cells(nb)[1:]  # taken first: a cell set here is no answer cell
        for cell in cells[:3]:  # and the kernel spins too, each cell within its time
            cell.source = "import time\nend = time.time() + 2.8\nwhile time.time() < end:\n    pass"
        for cell in cells[3:]:  # then it waits, within its time, while the children spin
            cell.source = "import time\ntime.sleep(2.8)"
        return nb

    def catastrophic_pattern(self, nb):
        # A saved answer whose pattern backtracks for ever on any text without a digit at its
        # end, written in place of the check (whose own run of it would hang the kernel).
        forged = json.dumps({"question": "01.5", "answer": r"(?:.|.)*\d\Z"})
        for cell in _check_cells(nb):
            if cell.source.startswith('check("01.5"'):
                cell.source = (
                    "import os\n"
                    "path = os.path.join(os.environ['SECONDMENT_ANSWERS'], '01.5.json')\n"
                    f"open(path, 'w').write({forged!r})"
                )
        return nb

    def reads_solutions(self, nb):
        # Run the solution's answer cells, and read the course's own files.
        _set_answer(
            nb,
            0,
            "answer = None\n"
            "import json\n"
            f"print(open({str(ROOT / 'pyproject.toml')!r}).read()[:100])\n"
            f"solution = json.load(open({str(SOLUTION)!r}))\n"
            "for cell in solution['cells']:\n"
            "    if 'BEGIN SOLUTION' in ''.join(cell['source']):\n"
            "        exec(''.join(cell['source']))",
        )
        return nb

    def symlinked_answers(self, nb):
        # The saved answers replaced by links to a folder only root may read.
        _set_answer(
            nb,
            0,
            "import os, shutil\n"
            "folder = os.environ['SECONDMENT_ANSWERS']\n"
            "try:\n"
            "    shutil.rmtree(folder)\n"
            f"    os.symlink({str(self.secret_folder)!r}, folder)\n"
            "except OSError:\n"
            "    for n in range(1, 9):\n"
            f"        os.symlink({str(self.secret_folder / '01.1.json')!r}, f'{{folder}}/01.{{n}}.json')\n"
            "answer = ...",
        )
        return nb

    def deep_tree(self, nb):
        _set_answer(
            nb,
            0,
            "import os\n"
            "top = os.getcwd()\n"
            "for _ in range(1200):\n"
            "    os.mkdir('d')\n"
            "    os.chdir('d')\n"
            "open('f', 'wb').write(b'x' * 2**20)\n"
            "os.chdir(top)\n"
            "answer = ...",
        )
        return nb

    def sleeps(self, nb):
        # A function answer that never returns: the check in the kernel stops it, on its own
        # probes and again on the grader's.
        _set_answer(
            nb,
            3,
            "import time\n\n\ndef count_commas(text):\n    time.sleep(60)\n\n\nanswer = count_commas",
        )
        return nb

    def kills_itself(self, nb):
        _set_answer(nb, 3, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
        return nb


#: kind → (base, expected status of the rows it breaks, the questions that must not pass).
EXPECTED = {
    "pickle_exec": ("student", {"01.1": "wrong"}, QUESTIONS),
    "write_outside": ("student", {"01.1": "answer-error"}, QUESTIONS),
    "reads_others": ("student", {"01.1": "answer-error"}, QUESTIONS),
    "os_system": ("student", {"01.1": "unanswered"}, QUESTIONS),
    "reads_root_files": ("student", {"01.1": "answer-error"}, QUESTIONS),
    "tampers_with_others": ("student", {"01.1": "unanswered"}, QUESTIONS),
    "memory_bomb": ("solution", {"01.3": "memory-limit"}, ["01.3"]),
    "busy_loop": ("solution", {"01.2": "timeout"}, ["01.2"]),
    "swallows_interrupt": ("solution", {q: "timeout" for q in QUESTIONS[1:]}, QUESTIONS[1:]),
    "million_lines": ("student", {"01.1": "output-limit", "01.2": "unanswered"}, QUESTIONS),
    "deleted_checks": ("solution", {q: "not-run" for q in QUESTIONS}, QUESTIONS),
    # Each check judges its own question's answer cell (the grader's client sends cell ids):
    # moved to the end, all are right; above their answer cells, none has run yet.
    "moved_checks": ("solution", {q: "correct" for q in QUESTIONS}, []),
    "reversed_checks": ("solution", {q: "not-run" for q in QUESTIONS}, QUESTIONS),
    "syntax_error": ("solution", {"01.3": "answer-error"}, ["01.3"]),
    "fake_ticks": ("student", {q: "not-run" for q in QUESTIONS}, QUESTIONS),
    "patched_decide": ("student", {q: "unanswered" for q in QUESTIONS}, QUESTIONS),
    "kills_itself": ("solution", {q: "kernel-died" for q in QUESTIONS[3:]}, QUESTIONS[3:]),
    "sleeps": ("solution", {"01.4": "too-slow"}, ["01.4"]),
    "fork_bomb": ("student", {"01.1": "process-limit"}, QUESTIONS),
    "memory_in_children": ("student", {"01.1": "memory-limit"}, QUESTIONS),
    "disk_filler": ("student", {"01.1": "disk-limit"}, QUESTIONS),
    "cpu_in_children": ("student", {"01.8": "cpu-limit"}, QUESTIONS),
    "catastrophic_pattern": ("solution", {"01.5": "check-timeout"}, ["01.5"]),
    "reads_solutions": ("student", {"01.1": "answer-error"}, QUESTIONS),
    "symlinked_answers": ("student", {"01.2": "not-run", "01.8": "not-run"}, QUESTIONS),
    "deep_tree": ("student", {"01.1": "unanswered"}, QUESTIONS),
}

#: Notebooks no kernel should run: (how to make one from the solution's JSON, status, reason).
BROKEN = {
    "numbers_source": ("unreadable", "source is not text"),
    "metadata_string_no_checks": ("not-run", ""),
    "deep_metadata": ("notebook-limit", "nested deeper"),
    "too_many_cells": ("notebook-limit", "more than 1000 cells"),
    "linked_notebook": ("unreadable", "symbolic link"),
    "linked_folder": ("unreadable", "symbolic link"),
    "not_a_dict": ("unreadable", "no cells"),
}


def _broken(kind, subs, secret_folder):
    nb = json.loads(SOLUTION.read_text(encoding="utf-8"))
    path = subs / kind / "01-reading-the-article-exercises.ipynb"
    path.parent.mkdir(parents=True)
    if kind == "numbers_source":
        nb["cells"][1]["source"] = [1, 2, 3]
    elif kind == "metadata_string_no_checks":
        nb["metadata"]["secondment"] = "a string"
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and "check(" in "".join(cell["source"]):
                cell["source"] = "pass"
    elif kind == "deep_metadata":
        deep = inner = {}
        for _ in range(900):
            inner["a"] = {}
            inner = inner["a"]
        nb["metadata"]["deep"] = deep
    elif kind == "too_many_cells":
        nb["cells"] += [{"cell_type": "markdown", "metadata": {}, "source": "x"}] * 1200
    elif kind == "linked_notebook":
        os.symlink(secret_folder / "solution.ipynb", path)
        return
    elif kind == "linked_folder":
        path.parent.rmdir()
        os.symlink(secret_folder, path.parent)
        return
    elif kind == "not_a_dict":
        nb = [nb]
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    subs = tmp / "submissions"
    outside = tmp / "outside"
    outside.mkdir()
    victim = subs / "victim" / "01-reading-the-article-exercises.ipynb"
    victim.parent.mkdir(parents=True)
    victim.write_bytes(SOLUTION.read_bytes())
    # Last run's gradebook, which no kernel may read.
    gradebook = tmp / "marks" / "gradebook.csv"
    gradebook.parent.mkdir()
    gradebook.write_text("student,passed\nvictim,True\n", encoding="utf-8")
    canaries = []
    # The grader's own temp folders go into one folder of this test, which must end up empty.
    grader_temp = tmp / "grader-temp"
    grader_temp.mkdir()
    # A folder only root may open, holding a notebook and a forged answer with a secret.
    secret_folder = tmp / "root-only"
    secret_folder.mkdir()
    (secret_folder / "solution.ipynb").write_bytes(SOLUTION.read_bytes())
    (secret_folder / "01.1.json").write_text(
        json.dumps({"question": "01.1", "problem": SECRET}), encoding="utf-8"
    )
    secret_folder.chmod(0o700)
    for kind, (base, _, _) in EXPECTED.items():
        canary = outside / f"{kind}.txt"
        canaries.append(canary)
        nb = nbformat.read(SOLUTION if base == "solution" else STUDENT, as_version=4)
        nb = getattr(Kinds(canary, victim, gradebook, grader_temp, secret_folder), kind)(nb)
        (subs / kind).mkdir()
        nbformat.write(nb, subs / kind / "01-reading-the-article-exercises.ipynb")
    for kind in BROKEN:
        _broken(kind, subs, secret_folder)
    # Honest students whose folder names a spreadsheet or a terminal would act on.
    for name in HONEST[2:]:
        (subs / name).mkdir()
        nb = json.loads(SOLUTION.read_text(encoding="utf-8"))
        if name == "meta_string":
            nb["metadata"]["secondment"] = "a string"
        (subs / name / "01.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    # Also in the repository, should a sandbox let a write through to the course checkout.
    canaries.append(ROOT / "written-by-a-submission.txt")
    (subs / "renamed").mkdir()
    (subs / "renamed" / "my homework.ipynb").write_bytes(SOLUTION.read_bytes())
    (subs / "invalid_json").mkdir()
    (subs / "invalid_json" / "ex01.ipynb").write_text('{"cells": [', encoding="utf-8")
    (subs / "empty_file").mkdir()
    (subs / "empty_file" / "ex01.ipynb").write_bytes(b"")
    files = find_submissions(subs)
    readable = [p for p in files if not p.is_symlink() and not p.parent.is_symlink()]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in readable}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", str(grader_temp))
        # Three at once: the submissions that wait out a time limit leave the cores to the rest.
        rows = grade(files, root=subs, only="01", jobs=3, limits=LIMITS, hide=[gradebook])
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in readable}
    return rows, before, after, canaries, set(grader_temp.iterdir())


def _rows(hostile, student):
    return {r.question: r for r in hostile[0] if r.student == student}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_hostile_kind_gets_a_status_and_fools_nobody(hostile, kind):
    _, statuses, never = EXPECTED[kind]
    rows = _rows(hostile, kind)
    assert sorted(rows) == QUESTIONS
    assert {q: rows[q].status for q in statuses} == statuses, [
        (r.question, r.status, r.detail) for r in rows.values()
    ]
    assert [q for q in never if rows[q].passed] == []


def test_the_rows_name_what_went_wrong(hostile):
    assert "SyntaxError" in _rows(hostile, "syntax_error")["01.3"].detail
    assert "MemoryError" in _rows(hostile, "memory_bomb")["01.3"].detail
    assert re.search(
        r"Read-only|No such file|Permission", _rows(hostile, "write_outside")["01.1"].detail
    )
    assert (
        "the answer cell of question 01.2 has not run yet (the last answer cell run was 01.1's)"
        in (_rows(hostile, "reversed_checks")["01.2"].detail)
    )


def test_a_function_too_slow_is_a_status_of_its_own_not_a_note(hostile):
    row = _rows(hostile, "sleeps")["01.4"]
    assert row.detail.startswith("your function ran for more than 2 s on one input"), row.detail
    assert len(row.detail.splitlines()) == 1
    notes = summary([r for r in hostile[0] if r.student == "sleeps"])
    assert "Notes" not in notes and "too-slow" not in notes


def test_later_answers_still_count_after_a_broken_one(hostile):
    for kind in ("memory_bomb", "busy_loop", "syntax_error", "sleeps"):
        rows = _rows(hostile, kind)
        broken = set(EXPECTED[kind][1])
        assert all(r.passed for q, r in rows.items() if q not in broken), kind
    assert all(r.passed for r in _rows(hostile, "renamed").values())


def test_no_kernel_reads_root_files_or_reaches_another_submission(hostile):
    detail = _rows(hostile, "reads_root_files")["01.1"].detail
    assert re.search(r"PermissionError|FileNotFoundError", detail), detail
    # The victim and everyone graded beside the tamperer keep their own answers and kernels.
    for student in ("victim", "renamed"):
        rows = _rows(hostile, student)
        assert all(r.passed for r in rows.values()), [(r.question, r.detail) for r in rows.values()]


def test_unreadable_files_are_reported(hostile):
    assert _rows(hostile, "invalid_json")[""].status == "unreadable"
    assert "invalid JSON" in _rows(hostile, "invalid_json")[""].detail
    assert _rows(hostile, "empty_file")[""].detail == "empty file"


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_notebook_is_a_row_of_its_own(hostile, kind):
    status, reason = BROKEN[kind]
    rows = list(_rows(hostile, kind).values())
    assert rows and all(not r.passed for r in rows)
    assert {r.status for r in rows} == {status}, [(r.question, r.status, r.detail) for r in rows]
    assert reason in rows[0].detail


def test_every_honest_student_keeps_full_marks(hostile):
    for student in HONEST:
        rows = _rows(hostile, student)
        assert sorted(rows) == QUESTIONS, student
        assert all(r.passed for r in rows.values()), (
            student,
            [(r.question, r.detail) for r in rows.values()],
        )


def test_no_hostile_submission_gains_a_mark_it_did_not_earn(hostile):
    earned = {q for kind, (_, statuses, never) in EXPECTED.items() for q in never}
    gained = [
        (r.student, r.question)
        for r in hostile[0]
        if r.student in EXPECTED and r.passed and r.question in EXPECTED[r.student][2]
    ]
    assert earned and gained == []


def test_no_secret_of_roots_reaches_a_row(hostile):
    assert not [r for r in hostile[0] if SECRET in r.detail or "[tool." in r.detail]
    assert re.search(
        r"FileNotFoundError|PermissionError", _rows(hostile, "reads_solutions")["01.1"].detail
    )


def test_the_outputs_are_safe_to_open(hostile, tmp_path):
    rows = hostile[0]
    out = tmp_path / "gradebook.csv"
    write_gradebook(rows, out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(1)" in cells
    table = summary(rows)
    assert "\x1b" not in table and "new\\nline\\x1b[2J" in table
    text = feedback(rows, "new\nline\x1b[2J")
    assert "\x1b" not in text and "\n" not in text.splitlines()[0]


def test_the_student_time_budget_ends_a_students_later_notebooks():
    from secondment.teach.grade import _Clock, _grade_one
    from secondment.teach.submissions import submissions

    sub = submissions([SOLUTION], [], None)[0]
    clock = _Clock(10)
    clock.spend(sub.student, 10)
    rows = _grade_one(sub, LIMITS, [], None, clock)
    assert {r.status for r in rows} == {"timeout"}
    assert "ran out" in rows[0].detail


def test_kernels_never_run_as_root_without_a_sandbox(monkeypatch):
    if os.geteuid() != 0:
        pytest.skip("about a grader run as root")
    monkeypatch.setenv("SECONDMENT_ISOLATION", "none")
    with pytest.raises(GradeError, match="bubblewrap"):
        grade([STUDENT], limits=LIMITS)


def test_nothing_is_written_outside_and_no_submission_changes(hostile):
    _, before, after, canaries, left_behind = hostile
    assert before == after
    assert [c for c in canaries if c.exists()] == []
    assert left_behind == set()


SABOTEUR = """\
import os, signal, socket, time
port = {port}
try:
    socket.create_connection(("127.0.0.1", port), timeout=2).sendall(b"reached")
except OSError:
    pass
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        # Left behind: stop every kernel it can see, for as long as it lives.
        end = time.time() + 60
        while time.time() < end:
            for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
                try:
                    line = open(f"/proc/{{pid}}/cmdline", "rb").read()
                    if pid != os.getpid() and b"ipykernel" in line:
                        os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)
    os._exit(0)
answer = ...
"""


def test_the_fallback_leaves_nothing_behind_and_has_no_network(tmp_path, monkeypatch):
    from secondment.teach import sandbox

    if not (os.geteuid() == 0 and sandbox._probe(sandbox.drop_to(sandbox.NOBODY))):
        pytest.skip("the unprivileged fallback needs a grader run as root")
    monkeypatch.setenv("SECONDMENT_ISOLATION", "unprivileged-user")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    reached = []

    def listen():
        for _ in range(120):
            try:
                conn, _ = listener.accept()
                reached.append(conn.recv(16))
            except OSError:
                pass

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    subs = tmp_path / "submissions"
    nb = nbformat.read(STUDENT, as_version=4)
    _set_answer(nb, 0, SABOTEUR.format(port=listener.getsockname()[1]))
    (subs / "a_saboteur").mkdir(parents=True)
    nbformat.write(nb, subs / "a_saboteur" / "01.ipynb")
    for name in ("b_honest", "c_honest", "d_honest"):
        (subs / name).mkdir()
        (subs / name / "01.ipynb").write_bytes(SOLUTION.read_bytes())
    # One worker: the saboteur's kernel ran just before the honest ones, on the same worker.
    rows = grade(find_submissions(subs), root=subs, jobs=1, limits=LIMITS)
    listener.close()
    for name in ("b_honest", "c_honest", "d_honest"):
        mine = [r for r in rows if r.student == name]
        assert len(mine) == 8 and all(r.passed for r in mine), [(r.status, r.detail) for r in mine]
    assert not [r for r in rows if r.student == "a_saboteur" and r.passed]
    if sandbox.unshare_works():
        assert reached == []


# ---------------------------------------------------------------- the grader's own probes

SOLUTION_03 = ROOT / "exercises" / "solutions" / "03-extracting-facts-solutions.ipynb"
QUESTIONS_03 = [f"03.{i}" for i in range(1, 10)]
#: An instructor's private probes: rank sentences and reports no notebook or check shows.
PRIVATE_PROBES = {
    "comment": "inputs of this test's own",
    "probes": {
        "03.7": [
            "在京挂职的40名干部中，厅局级干部6名、县处级干部28名、乡科级干部6名。",
            "天津市此次选派的60名干部中,县处级干部35名,乡科级干部20名,科技人才5名。",
        ],
        "03.8": [
            "　　北京市规划委副主任、挂任保定市副市长的陈立平说，两地规划要一张图。\n"
            "　　——赵文静，北京市科委处长，挂任石家庄市科技局副局长。她组织两地企业对接会10场。",
            "  北京市商务委副巡视员、挂任沧州市副市长的孟庆华介绍,港口合作已签约项目9个。\n"
            "  ——吴建军,北京市交通委处长,挂任廊坊市交通运输局副局长。他推动开通公交线路3条。",
        ],
    },
}

#: Answers keyed on the checks' own probes, which the kernel can import: the library's answers
#: to them, worked out when the cell runs, where no watch looks.
LOOKUP_RANKS = """\
from secondment.article import normalise
from secondment.checks import ex03
from secondment.extract import find_ranks

TABLE = {s: {r.rank: r.count for r in find_ranks(normalise(s))} for (s,) in ex03._rank_probes()}


def rank_counts(sentence):
    return TABLE[sentence]


answer = rank_counts
"""
LOOKUP_REPORTS = """\
from secondment.checks import ex03
from secondment.extract import find_cadres

TABLE = {
    t: [(c.name, c.home_post, c.host_post) for c in find_cadres(t)]
    for t in (ex03.NEW_REPORT, *ex03.UNSEEN_REPORTS)
}


def find_officials(text):
    return TABLE[text]


answer = find_officials
"""
#: The library's finder reached where no name in the code says so.
GETATTR_REPORTS = """\
import secondment.extract as x


def find_officials(text):
    finder = getattr(x, "find_" + "cadres")
    return [(c.name, c.home_post, c.host_post) for c in finder(text)]


answer = find_officials
"""
#: The watch switched off first.
WATCH_OFF_RANKS = """\
import sys
import secondment.extract as x
from secondment.article import normalise


def rank_counts(sentence):
    sys.setprofile(None)
    return {r.rank: r.count for r in getattr(x, "find_" + "ranks")(normalise(sentence))}


answer = rank_counts
"""
#: Its own input, raised so that a verdict shows it: the feedback must not.
ECHOES_REPORTS = """\
def find_officials(text):
    raise ValueError(text)


answer = find_officials
"""
#: Right on the checks' own probes; on any other input it ignores the timer that stops a slow
#: function in the kernel and waits: only the time of the grader's own cell ends it.
HANGS_ON_OTHERS = """\
import signal
import time

from secondment.article import normalise
from secondment.checks import ex03
from secondment.extract import find_ranks

TABLE = {s: {r.rank: r.count for r in find_ranks(normalise(s))} for (s,) in ex03._rank_probes()}


def rank_counts(sentence):
    if sentence in TABLE:
        return TABLE[sentence]
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    time.sleep(600)


answer = rank_counts
"""
PROBE_KINDS = {
    "honest": {},
    "lookup": {"03.7": LOOKUP_RANKS, "03.8": LOOKUP_REPORTS},
    "by_getattr": {"03.8": GETATTR_REPORTS},
    "watch_off": {"03.7": WATCH_OFF_RANKS},
    "echoes": {"03.8": ECHOES_REPORTS},
    "hangs": {"03.7": HANGS_ON_OTHERS},
}


def _with_answers(answers):
    from secondment.checks.cells import answer_cells

    cell_of = {q: c for c, q in answer_cells().items()}
    nb = nbformat.read(SOLUTION_03, as_version=4)
    for cell in nb.cells:
        for qid, source in answers.items():
            if cell.get("id") == cell_of[qid]:
                cell.source = source
    return nb


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    """Exercise 03 graded twice: on the course's own probes, then on a private file."""
    from secondment.teach.probes import grading_probes

    tmp = tmp_path_factory.mktemp("probed")
    private = tmp / "instructor" / "private-probes.json"
    private.parent.mkdir()
    private.write_text(json.dumps(PRIVATE_PROBES, ensure_ascii=False), encoding="utf-8")
    runs = {}
    for name, probes, kinds in (
        ("course", None, ["honest", "lookup"]),
        ("private", grading_probes(private), list(PROBE_KINDS)),
    ):
        subs = tmp / name
        for kind in kinds:
            (subs / kind).mkdir(parents=True)
            nbformat.write(_with_answers(PROBE_KINDS[kind]), subs / kind / "03.ipynb")
        limits = Limits(cell_timeout=10, notebook_timeout=120, check_timeout=20)
        rows = grade(find_submissions(subs), root=subs, limits=limits, probes=probes)
        runs[name] = {(r.student, r.question): r for r in rows}
    return runs


def test_a_lookup_table_of_the_checks_probes_passes_the_self_check_but_not_private_probes(
    probed,
):
    from secondment.checks import evaluate

    for qid, name in (("03.7", "rank_counts"), ("03.8", "find_officials")):
        space = {"__name__": "__main__"}
        exec(PROBE_KINDS["lookup"][qid], space)
        assert evaluate(qid, space[name]).passed  # the self-check, on the public probes
        assert probed["course"][("lookup", qid)].passed  # grading on the same public probes
        row = probed["private"][("lookup", qid)]
        assert (row.passed, row.status) == (False, "wrong")
        assert "KeyError" in row.detail


def test_honest_solutions_keep_full_marks_on_either_set_of_probes(probed):
    for run in ("course", "private"):
        rows = [probed[run][("honest", q)] for q in QUESTIONS_03]
        assert all(r.passed for r in rows), [(r.question, r.status, r.detail) for r in rows]


def test_a_finder_called_through_getattr_or_with_the_watch_off_is_flagged_when_graded(probed):
    row = probed["private"][("by_getattr", "03.8")]
    assert not row.passed
    assert row.detail == "your function calls the library's find_cadres: write your own pattern"
    row = probed["private"][("watch_off", "03.7")]
    assert not row.passed and row.detail.startswith("your function hides its calls")
    for kind in ("by_getattr", "watch_off"):  # the other answers still count
        rows = [r for (k, q), r in probed["private"].items() if k == kind]
        assert sum(not r.passed for r in rows) == 1


def test_a_function_that_outlasts_the_graders_cell_is_too_slow(probed):
    rows = {q: r for (k, q), r in probed["private"].items() if k == "hangs"}
    assert rows["03.7"].status == "too-slow", rows["03.7"]
    assert rows["03.7"].detail.startswith("your function took more than 10 s on the check's")
    assert all(r.passed for q, r in rows.items() if q != "03.7"), rows


def test_no_private_probe_reaches_a_row(probed):
    row = probed["private"][("echoes", "03.8")]
    assert not row.passed and "raised ValueError" in row.detail
    texts = PRIVATE_PROBES["probes"]["03.8"] + PRIVATE_PROBES["probes"]["03.7"]
    for r in probed["private"].values():
        assert not [t for t in texts for i in range(len(t) - 5) if t[i : i + 6] in r.detail], r


def test_a_bad_probes_file_is_a_one_line_error_before_any_grading(tmp_path, capsys):
    from secondment.teach.__main__ import main

    subs = tmp_path / "submissions"
    (subs / "ada").mkdir(parents=True)
    (subs / "ada" / "03.ipynb").write_bytes(SOLUTION_03.read_bytes())
    out = tmp_path / "marks" / "gradebook.csv"
    bad = tmp_path / "probes.json"
    for body, message in (
        ("{", "not JSON"),
        ('{"probes": {"03.9": ["x"]}}', "'03.9' is not a question whose answer is a function"),
        ('{"probes": {"03.7": [1]}}', "03.7, input 1: expected a text"),
        ('{"probes": {"03.8": ["没有干部。"]}}', "the library's own answer fails the check"),
    ):
        bad.write_text(body, encoding="utf-8")
        assert main(["grade", str(subs), "--out", str(out), "--probes", str(bad)]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, err
        assert str(bad) in err and "Traceback" not in err
    assert not out.parent.exists()
