"""The stored state of every course notebook: what nbval alone does not check.

The checks are functions in tools/notebook_state.py (the pre-commit hook runs the same file),
each returning a list of problems. Here they run on every course notebook, and the tests at the
bottom prove that each one fails on a notebook that has the problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import nbformat.v4 as v4
import notebook_state as state
import pytest

from secondment.execute import ExecuteError, execute_notebook
from secondment.paths import NOTEBOOK_SETS, require_course_root

ROOT = require_course_root()


FOLDERS = state.FOLDERS
NB_CHECKS = state.NB_CHECKS
format_problems = state.format_problems
machine_path_problems = state.machine_path_problems
_load = state.load
_text = state._text
_report = state.report


def _notebook_params() -> list[Any]:
    params: list[Any] = []
    for folder in FOLDERS:
        paths = sorted((ROOT / folder).glob("*.ipynb"))
        params += [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in paths]
    return params


def test_every_notebook_of_the_course_is_there() -> None:
    # A deleted notebook must fail here, not quietly drop out of the checks below.
    sets = {name: sorted((ROOT / f).glob("*.ipynb")) for name, f in NOTEBOOK_SETS.items()}
    lessons, exercises, solutions = sets["lessons"], sets["exercises"], sets["solutions"]
    # Eight steps, 00 to 07; lessons 03 and 04 are taught in two parts each.
    numbers = [p.name.split("-", 1)[0] for p in lessons]
    assert numbers == ["00", "01", "02", "03a", "03b", "04a", "04b", "05", "06", "07"]
    assert [p.name.replace("-exercises", "") for p in exercises] == [
        p.name.replace("-solutions", "") for p in solutions
    ]
    assert len(solutions) == 7
    # The Chinese edition has every lesson and every student exercise, by the same names.
    assert [p.name for p in sets["lessons-zh-CN"]] == [p.name for p in lessons]
    assert [p.name for p in sets["exercises-zh-CN"]] == [p.name for p in exercises]


NOTEBOOKS = _notebook_params()


# ---------------------------------------------------------------- the course's notebooks


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_valid_nbformat(path: Path) -> None:
    problems = format_problems(path)
    assert not problems, _report(path, problems)


@pytest.mark.parametrize("path", NOTEBOOKS)
@pytest.mark.parametrize("check", list(NB_CHECKS))
def test_stored_state(path: Path, check: str) -> None:
    problems = NB_CHECKS[check](_load(path))
    assert not problems, _report(path, problems)


# ---------------------------------------------------------------- the checks catch problems


def _good() -> nbformat.NotebookNode:
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.cells = [
        v4.new_markdown_cell("# 00 · Test"),
        v4.new_code_cell(
            "print('挂职')", execution_count=1, outputs=[v4.new_output("stream", text="挂职\n")]
        ),
        v4.new_code_cell(""),
        v4.new_code_cell(
            "1 + 1",
            execution_count=2,
            outputs=[v4.new_output("execute_result", {"text/plain": "2"}, execution_count=2)],
        ),
        v4.new_code_cell(
            "1 / 0",
            execution_count=3,
            metadata={"tags": ["raises-exception"]},
            outputs=[v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")],
        ),
    ]
    return nb


def _stderr(text: str) -> Callable[[Any], None]:
    def mutate(nb: Any) -> None:
        nb.cells[1].outputs.append(v4.new_output("stream", name="stderr", text=text))

    return mutate


def _stdout(text: str) -> Callable[[Any], None]:
    def mutate(nb: Any) -> None:
        nb.cells[1].outputs = [v4.new_output("stream", text=text)]

    return mutate


BAD: dict[str, tuple[str, Callable[[Any], None]]] = {
    "never run": ("execution counts", lambda nb: nb.cells[3].update(execution_count=None)),
    "run twice": ("execution counts", lambda nb: nb.cells[3].update(execution_count=5)),
    "out of order": (
        "execution counts",
        lambda nb: (nb.cells[1].update(execution_count=2), nb.cells[3].update(execution_count=1)),
    ),
    "empty cell with count": ("execution counts", lambda nb: nb.cells[2].update(execution_count=9)),
    "stale result count": (
        "execution counts",
        lambda nb: nb.cells[3].outputs[0].update(execution_count=7),
    ),
    "untagged error": ("errors", lambda nb: nb.cells[4].metadata.update(tags=[])),
    "tag without error": ("errors", lambda nb: nb.cells[4].update(outputs=[])),
    "missing glyph": ("stderr", _stderr("Glyph 25346 (\\N{CJK UNIFIED IDEOGRAPH-6302}) missing")),
    "findfont": ("stderr", _stderr("findfont: Font family 'SimHei' not found.\n")),
    "warning": ("stderr", _stderr("<cell>:3: FutureWarning: use observed=True\n")),
    "jieba prefix dict": ("stderr", _stderr("Building prefix dict from the default dictionary\n")),
    "jieba model": ("stderr", _stderr("Loading model from cache /tmp/jieba.cache\n")),
    "jieba dump": ("stderr", _stderr("Dumping model to file cache /tmp/jieba.cache\n")),
    "jieba built": ("stderr", _stderr("Prefix dict has been built successfully.\n")),
    "traceback": ("stderr", _stderr("Traceback (most recent call last):\n")),
    "tmp path": ("machine paths", _stdout("wrote /tmp/tmpab12cd34/out.csv\n")),
    "root path": ("machine paths", _stdout("/root/course/datasets\n")),
    "home path": ("machine paths", _stdout("'/home/student/course'\n")),
    "windows path": ("machine paths", _stdout("C:\\Users\\student\\course\n")),
    "address": (
        "machine paths",
        lambda nb: nb.cells[3].outputs[0].data.update({"text/plain": "<A object at 0x7f3a2b1c40>"}),
    ),
    "repo path": ("machine paths", _stdout(f"{ROOT}/datasets/ranks.csv\n")),
    "traceback path": (
        "machine paths",
        lambda nb: (
            nb.cells[4]
            .outputs[0]
            .update(
                traceback=["File /usr/lib/python3/site-packages/pandas/io/parsers.py:1 in read_csv"]
            )
        ),
    ),
    "html path": (
        "machine paths",
        lambda nb: nb.cells[3].outputs[0].data.update({"text/html": "<p>/home/a/b.csv</p>"}),
    ),
    "kernelspec": ("metadata", lambda nb: nb.metadata.kernelspec.update(name="python3.11")),
    "no kernelspec": ("metadata", lambda nb: nb.metadata.pop("kernelspec")),
    "timing": (
        "metadata",
        lambda nb: nb.cells[1].metadata.update(
            execution={"iopub.execute_input": "2026-01-04T08:00:00.000Z"}
        ),
    ),
}


def test_good_notebook_passes_every_check(tmp_path: Path) -> None:
    path = tmp_path / "good.ipynb"
    nbformat.write(_good(), path)
    assert format_problems(path) == []
    for check, function in NB_CHECKS.items():
        assert function(_load(path)) == [], check


def test_urls_and_ordinary_text_are_not_machine_paths() -> None:
    nb = _good()
    _stdout("see https://example.org/home/index.html; 0x1F; C:/ is a drive\n")(nb)
    assert machine_path_problems(nb) == []


@pytest.mark.parametrize("bad", list(BAD))
def test_check_catches(bad: str) -> None:
    check, mutate = BAD[bad]
    nb = _good()
    mutate(nb)
    assert NB_CHECKS[check](nb), f"{check} missed: {bad}"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{not json", id="not json"),
        pytest.param(b"\xff\xfe{}", id="not utf-8"),
        pytest.param(json.dumps({"nbformat": 3, "nbformat_minor": 0}).encode(), id="nbformat 3"),
        pytest.param("bad cell type", id="schema"),
        pytest.param("missing id", id="missing id"),
    ],
)
def test_format_check_catches(tmp_path: Path, content: bytes | str) -> None:
    path = tmp_path / "bad.ipynb"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        raw = json.loads(nbformat.writes(_good()))
        if content == "bad cell type":
            raw["cells"][0]["cell_type"] = "slide"
        else:
            del raw["cells"][1]["id"]
        path.write_text(json.dumps(raw), encoding="utf-8")
    assert format_problems(path)


# ---------------------------------------------------------------- storing outputs


def _trivial(path: Path) -> None:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# Trivial"),
        v4.new_code_cell("import os\nprint(os.path.basename(os.getcwd()))"),
        v4.new_code_cell("os.environ['IPYKERNEL_CELL_NAME']"),
        v4.new_code_cell("sorted({'挂职', '干部'})"),
        v4.new_code_cell("'hidden';"),
        v4.new_code_cell("int('六十')", metadata={"tags": ["raises-exception"]}),
    ]
    nbformat.write(nb, path)


def test_execute_notebook_stores_a_clean_reproducible_run(tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    folder.mkdir()
    path = folder / "trivial.ipynb"
    _trivial(path)
    ids = [cell.id for cell in nbformat.read(path, as_version=4).cells]

    seconds = execute_notebook(path)
    first = path.read_bytes()
    execute_notebook(path)
    print(f"execute_notebook on a 5-cell notebook: {seconds:.1f} s")

    assert path.read_bytes() == first, "a second run changed the file"
    nb = _load(path)
    assert [cell["id"] for cell in nb["cells"]] == ids
    assert format_problems(path) == []
    for check, function in NB_CHECKS.items():
        assert function(nb) == [], check
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    assert _text(code[0]["outputs"][0]["text"]) == "lesson\n"  # ran in the notebook's folder
    assert _text(code[1]["outputs"][0]["data"]["text/plain"]) == "'<cell>'"
    assert code[3]["outputs"] == []  # a trailing `;` hides the result
    assert code[4]["outputs"][0]["ename"] == "ValueError"
    assert seconds < 60


def test_execute_notebook_leaves_the_file_alone_on_an_untagged_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    nb = v4.new_notebook()
    nb.cells = [v4.new_code_cell("x = 1", id="first"), v4.new_code_cell("1 / 0", id="second")]
    nbformat.write(nb, path)
    before = path.read_bytes()
    message = r"broken\.ipynb: cell 1 \(id second\) raised ZeroDivisionError: division by zero$"
    with pytest.raises(ExecuteError, match=message):
        execute_notebook(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["broken.ipynb"]


def test_execute_notebook_names_a_slow_cell_and_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "slow.ipynb"
    nb = v4.new_notebook()
    nb.cells = [v4.new_code_cell("import time", id="a"), v4.new_code_cell("time.sleep(30)", id="b")]
    nbformat.write(nb, path)
    with pytest.raises(ExecuteError, match=r"slow\.ipynb: cell 1 \(id b\) ran over 1 s$"):
        execute_notebook(path, timeout=1)
    with pytest.raises(ExecuteError, match=r"missing\.ipynb: no such file$"):
        execute_notebook(tmp_path / "missing.ipynb")
    (tmp_path / "bad.ipynb").write_text("{", encoding="utf-8")
    with pytest.raises(ExecuteError, match=r"bad\.ipynb: not a readable notebook"):
        execute_notebook(tmp_path / "bad.ipynb")


def test_the_command_passes_a_clean_notebook_and_reports_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python tools/notebook_state.py NB…`, what the pre-commit hook runs."""
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nbformat.write(_good(), good)
    nb = _good()
    nb.cells[3].execution_count = None
    nbformat.write(nb, bad)
    assert state.main([str(good)]) == 0
    assert state.main([str(good), str(bad), str(tmp_path / "missing.ipynb")]) == 1
    err = capsys.readouterr().err
    assert "bad.ipynb:\n  cell 3 (id " in err and "has execution count None, not 2" in err
    assert f"python -m secondment execute {bad}" in err
    assert "missing.ipynb: no such notebook" in err and "good.ipynb" not in err
