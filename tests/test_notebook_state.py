"""The stored state of every course notebook: what nbval alone does not check.

nbval re-runs each notebook and compares outputs, but it passes a notebook that was never run,
one run out of order, and one whose stored outputs carry warnings or a laptop's paths. Each
check below is a function returning a list of problems; the tests at the bottom prove that each
one fails on a notebook that has the problem.
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import nbformat.v4 as v4
import pytest

from secondment.execute import KERNEL_NAME, ExecuteError, execute_notebook

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "exercises", "exercises/solutions")

STDERR_NOISE = re.compile(
    r"Glyph \d+ .* missing|findfont|Warning|Building prefix dict|Loading model|Dumping model"
    r"|Prefix dict has been built|Traceback"
)
MACHINE_PATH = re.compile(
    r"(?<![\w.:])/(?:tmp|root|home|Users|var/folders)/"
    r"|\b[A-Za-z]:\\Users\\"
    r"|site-packages"
    r"|0x[0-9a-fA-F]{6,}" + "|" + re.escape(str(ROOT))
)


def _notebook_params() -> list[Any]:
    params: list[Any] = []
    for folder in FOLDERS:
        paths = sorted((ROOT / folder).glob("*.ipynb"))
        if not paths:
            reason = f"no notebooks in {folder}/ yet"
            params.append(pytest.param(None, id=f"{folder}/-", marks=pytest.mark.skip(reason)))
        params += [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in paths]
    return params


NOTEBOOKS = _notebook_params()


# ---------------------------------------------------------------- the checks


def _where(index: int, cell: dict[str, Any]) -> str:
    return f"cell {index} (id {cell.get('id', '?')})"


def _code_cells(nb: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "code":
            yield index, cell


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_texts(output: dict[str, Any]) -> Iterator[str]:
    """Every text a person can read in one output (not images)."""
    kind = output.get("output_type")
    if kind == "stream":
        yield _text(output.get("text", ""))
    elif kind in ("display_data", "execute_result"):
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith(("json", "+xml")):
                yield value if isinstance(value, str) else _text(value)
    elif kind == "error":
        yield str(output.get("evalue", ""))
        yield "\n".join(output.get("traceback", []))


def _tags(cell: dict[str, Any]) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def format_problems(path: Path) -> list[str]:
    """Valid JSON, nbformat 4, valid against the schema, every cell with an id."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"not UTF-8 JSON: {exc}"]
    if raw.get("nbformat") != 4:
        return [f"nbformat {raw.get('nbformat')}, not 4"]
    problems = []
    if raw.get("nbformat_minor", 0) >= 5:
        for index, cell in enumerate(raw.get("cells", [])):
            if "id" not in cell:
                problems.append(f"{_where(index, cell)} has no id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nbformat.validate(nbformat.from_dict(copy.deepcopy(raw)))
        except nbformat.ValidationError as exc:
            problems.append(f"invalid nbformat: {exc.message}")
    return problems


def execution_count_problems(nb: dict[str, Any]) -> list[str]:
    """Code cells ran once each, top to bottom, from a fresh kernel: counts 1..N."""
    problems = []
    expected = 1
    for index, cell in _code_cells(nb):
        count = cell.get("execution_count")
        if not _text(cell.get("source", "")).strip():
            if count is not None or cell.get("outputs"):
                problems.append(f"{_where(index, cell)} is empty but has a count or outputs")
            continue
        if count != expected:
            problems.append(f"{_where(index, cell)} has execution count {count}, not {expected}")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                if output.get("execution_count") != count:
                    problems.append(f"{_where(index, cell)}: result count differs from the cell's")
        expected += 1
    return problems


def error_problems(nb: dict[str, Any]) -> list[str]:
    """Errors only where a cell is tagged `raises-exception`, and such a cell does raise."""
    problems = []
    for index, cell in _code_cells(nb):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        tagged = "raises-exception" in _tags(cell)
        if errors and not tagged:
            problems.append(f"{_where(index, cell)} stores {errors[0].get('ename')}")
        if tagged and not errors:
            problems.append(f"{_where(index, cell)} is tagged raises-exception but stores no error")
    return problems


def stderr_problems(nb: dict[str, Any]) -> list[str]:
    """No warnings, font complaints or jieba log lines stored on stderr."""
    problems = []
    for index, cell in _code_cells(nb):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = _text(output.get("text", ""))
                if m := STDERR_NOISE.search(text):
                    problems.append(f"{_where(index, cell)} stores stderr noise: {m[0]!r}")
    return problems


def machine_path_problems(nb: dict[str, Any]) -> list[str]:
    """No stored output names this machine: temp or home folders, installs, memory addresses."""
    problems = []
    for index, cell in _code_cells(nb):
        for output in cell.get("outputs", []):
            for text in _output_texts(output):
                if m := MACHINE_PATH.search(text):
                    hint = " (for a traceback, try `%xmode Minimal`)" if "File" in text else ""
                    problems.append(f"{_where(index, cell)} stores {m[0]!r}{hint}")
    return problems


def metadata_problems(nb: dict[str, Any]) -> list[str]:
    """Kernelspec `python3`; no per-cell timing metadata."""
    problems = []
    name = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if name != KERNEL_NAME:
        problems.append(f"kernelspec is {name!r}, not {KERNEL_NAME!r}")
    for index, cell in enumerate(nb.get("cells", [])):
        if "execution" in cell.get("metadata", {}):
            problems.append(f"{_where(index, cell)} has timing metadata (`execution`)")
    return problems


NB_CHECKS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "execution counts": execution_count_problems,
    "errors": error_problems,
    "stderr": stderr_problems,
    "machine paths": machine_path_problems,
    "metadata": metadata_problems,
}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _report(path: Path, problems: list[str]) -> str:
    rerun = "re-run it with `python -m secondment execute " + path.relative_to(ROOT).as_posix()
    return f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(problems) + f"\n({rerun}`)"


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
