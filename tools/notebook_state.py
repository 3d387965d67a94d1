"""The stored state of every course notebook: what nbval alone does not check.

    python tools/notebook_state.py              every lesson, exercise and solution notebook
    python tools/notebook_state.py NB.ipynb...  only these (what the pre-commit hook passes)

nbval re-runs each notebook and compares outputs, but it passes a notebook that was never run,
one run out of order, and one whose stored outputs carry warnings or a laptop's paths. Each
check below is a function returning a list of problems: a clean restart-and-run-all (execution
counts 1..N), no stored error unless the cell is tagged `raises-exception`, no warnings or log
lines on stderr, no machine paths or memory addresses, kernelspec `python3` and no timing
metadata. tests/test_notebook_state.py runs them on every notebook and proves that each fails on
a notebook that has the problem. Fix a notebook with `python -m secondment execute NB.ipynb`.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat

from secondment.execute import KERNEL_NAME
from secondment.paths import NOTEBOOK_SETS, notebooks

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = tuple(NOTEBOOK_SETS.values())

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


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _shown(path: Path) -> str:
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def report(path: Path, problems: list[str]) -> str:
    """The problems of one notebook, and the command that fixes them."""
    rerun = f"re-run it with `python -m secondment execute {_shown(path)}`"
    return f"{_shown(path)}:\n  " + "\n  ".join(problems) + f"\n({rerun})"


def notebook_problems(path: Path) -> list[str]:
    """Every problem of one stored notebook: its format first, then each check on its state."""
    problems = format_problems(path)
    if problems:
        return problems
    nb = load(path)
    return [problem for check in NB_CHECKS.values() for problem in check(nb)]


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """The lessons, the student exercises and the solutions."""
    return notebooks(*NOTEBOOK_SETS, root=root)


def main(argv: list[str] | None = None) -> int:
    """Check the notebooks given (by default every course notebook); 1 if any has a problem."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    paths = [Path(a) for a in args] or course_notebooks()
    bad = 0
    for path in paths:
        if not path.exists():
            print(f"{path}: no such notebook", file=sys.stderr)
            bad += 1
        elif problems := notebook_problems(path):
            print(report(path, problems), file=sys.stderr)
            bad += 1
    if bad:
        return 1
    print(f"notebook_state: {len(paths)} notebooks stored cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
