"""The pre-commit hooks: each one the course's own command, the same the test suite runs.

pre-commit itself is not installed here (and never downloads anything for these hooks: they
are all `repo: local`, `language: system`); these tests hold the configuration to commands that
exist, and run the one command that only the hooks call, `build-exercises --check`.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from secondment import __main__ as cli
from secondment.paths import require_course_root
from secondment.teach import __main__ as teach

ROOT = require_course_root()
CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}


def test_every_hook_is_local_and_runs_in_the_course_environment() -> None:
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert {hook["language"] for hook in HOOKS.values()} == {"system"}
    assert not any("additional_dependencies" in hook for hook in HOOKS.values())


def test_the_hooks_cover_lint_notebooks_exercises_locks_and_schemas() -> None:
    entries = {name: hook["entry"] for name, hook in HOOKS.items()}
    assert entries["ruff-check"] == "python -m ruff check --force-exclude"
    assert entries["ruff-format"] == "python -m ruff format --force-exclude"
    assert {"python", "jupyter"} <= set(HOOKS["ruff-check"]["types_or"])
    assert entries["notebook-state"] == "python tools/notebook_state.py"
    assert entries["exercises-in-sync"] == "python -m secondment.teach build-exercises --check"
    assert entries["locks"] == "python tools/lock.py --check"
    assert entries["schemas"] == "python tools/check_schemas.py"


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_each_hook_calls_a_command_that_exists(hook: str) -> None:
    args = shlex.split(HOOKS[hook]["entry"])
    assert args[0] == "python"
    if args[1] == "-m" and args[2] in ("secondment", "secondment.teach"):
        parser = (cli if args[2] == "secondment" else teach).build_parser()
        parser.parse_args(args[3:])  # exits on an unknown command or option
    elif args[1] == "-m":
        assert shutil.which(args[2]) or __import__(args[2])
    else:
        tool = ROOT / args[1]
        assert tool.is_file() and "def main(" in tool.read_text(encoding="utf-8"), tool


def test_the_notebook_hook_sees_every_course_notebook() -> None:
    import re

    pattern = re.compile(HOOKS["notebook-state"]["files"])
    course = [
        p.relative_to(ROOT).as_posix()
        for folder in ("notebooks", "exercises", "exercises/solutions")
        for p in (ROOT / folder).glob("*.ipynb")
    ]
    assert len(course) > 20 and all(pattern.search(n) for n in course)
    assert not pattern.search("datasets/000_1fbbca7256bb50ad.txt")


@pytest.fixture
def exercises_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One solution and its student version in a course-shaped folder that the CLI works on."""
    (tmp_path / "exercises" / "solutions").mkdir(parents=True)
    for name in ("solutions/01-reading-the-article-solutions.ipynb",
                 "01-reading-the-article-exercises.ipynb"):  # fmt: skip
        shutil.copy(ROOT / "exercises" / name, tmp_path / "exercises" / name)
    # With the table of its answer cells, as build-exercises writes it for this one exercise.
    from secondment.teach.exercises import ANSWER_CELLS, answer_cells_text

    (tmp_path / ANSWER_CELLS).parent.mkdir(parents=True)
    (tmp_path / ANSWER_CELLS).write_text(answer_cells_text(tmp_path), encoding="utf-8")
    monkeypatch.setattr(teach, "require_course_root", lambda: tmp_path)
    return tmp_path


def test_build_exercises_check_passes_in_sync_exercises(
    exercises_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert teach.main(["build-exercises", "--check"]) == 0
    assert "in sync" in capsys.readouterr().out


def test_build_exercises_check_fails_on_an_edited_student_version(
    exercises_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    student = exercises_copy / "exercises" / "01-reading-the-article-exercises.ipynb"
    before = student.read_bytes()
    nb = nbformat.read(student, as_version=4)
    code = next(cell for cell in nb.cells if cell.cell_type == "code")
    code.source += "\nprint('edited by hand')"
    nbformat.write(nb, student)
    edited = student.read_bytes()
    assert before != edited
    assert teach.main(["build-exercises", "--check"]) == 1
    err = capsys.readouterr().err
    assert "01-reading-the-article-exercises.ipynb differs" in err
    assert "run `python -m secondment.teach build-exercises`" in err
    assert student.read_bytes() == edited  # --check writes nothing
