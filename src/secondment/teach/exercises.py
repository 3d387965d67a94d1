"""Generate student exercise notebooks from the solution notebooks (the one source of truth).

In `exercises/solutions/NN-…-solutions.ipynb`, solution code stands between the lines
`### BEGIN SOLUTION` and `### END SOLUTION`, and its last statement assigns the answer
(`answer = …`). The student version `exercises/NN-…-exercises.ipynb` keeps every other line and
replaces each block with `answer = ...  # your code here`, then is executed so that its stored
outputs show `❌ not answered yet`.

Every cell keeps its id, so an answer cell has the same id in the solution, the student version
and the Chinese edition. `src/secondment/checks/answer_cells.json`, written with the student
versions, says which question each answer cell answers (the code cell before its check cell):
a kernel told the id of the cell it runs can then judge each question by its own answer cell.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import tempfile
import textwrap
from pathlib import Path

import nbformat

from secondment.errors import SecondmentError
from secondment.paths import notebooks
from secondment.teach import CHECK_CALL

__all__ = [
    "ANSWER_CELLS",
    "BEGIN",
    "END",
    "ExerciseError",
    "answer_cells",
    "answer_cells_text",
    "build_exercises",
    "out_of_sync",
    "solution_lines",
    "student_name",
    "student_source",
    "student_version",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "...  # your code here"
#: The table {answer cell id: question}, relative to the course root.
ANSWER_CELLS = Path("src", "secondment", "checks", "answer_cells.json")


class ExerciseError(SecondmentError, ValueError):
    """A solution notebook that does not follow the BEGIN/END SOLUTION convention."""


def _targets(block: list[str], where: str) -> str:
    """The assignment target(s) of a block's last statement, as source text."""
    code = textwrap.dedent("\n".join(block))
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise ExerciseError(f"{where}: the solution does not parse ({exc.msg})") from None
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Assign) and len(last.targets) == 1:
        return ast.get_source_segment(code, last.targets[0]) or ast.unparse(last.targets[0])
    if isinstance(last, ast.AnnAssign):
        return ast.get_source_segment(code, last.target) or ast.unparse(last.target)
    raise ExerciseError(f"{where}: a solution block must end by assigning the answer (answer = …)")


def student_source(source: str, where: str = "cell") -> str:
    """Replace each solution block of a code cell's source with its placeholder."""
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            if block is not None:
                raise ExerciseError(f"{where}: {BEGIN} inside another solution block")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if block is None:
                raise ExerciseError(f"{where}: {END} without {BEGIN}")
            if not any(b.strip() for b in block):
                raise ExerciseError(f"{where}: an empty solution block")
            out.append(f"{indent}{_targets(block, where)} = {PLACEHOLDER}")
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise ExerciseError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def student_name(solution: Path) -> Path:
    """`exercises/solutions/03-x-solutions.ipynb` → `exercises/03-x-exercises.ipynb`."""
    name = re.sub(r"-solutions\.ipynb$", "-exercises.ipynb", solution.name)
    if name == solution.name:
        raise ExerciseError(f"{solution}: solution notebooks are named NN-…-solutions.ipynb")
    return solution.parent.parent / name


def student_version(solution_nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The student notebook of a solution notebook, with outputs cleared (not yet executed)."""
    nb = copy.deepcopy(solution_nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            # Solutions sit one folder deeper: `../../notebooks/…` there is `../notebooks/…` here.
            cell.source = cell.source.replace("](../../", "](../")
            continue
        if cell.cell_type != "code":
            continue
        cell.source = student_source(cell.source, f"{name}, cell {index + 1}")
        cell.outputs = []
        cell.execution_count = None
    nb.metadata["secondment"] = {"generated_from": f"solutions/{name}"}
    return nb


def solution_lines(solution_nb: nbformat.NotebookNode) -> list[str]:
    """Every non-blank line inside the solution blocks (what must never reach students)."""
    lines: list[str] = []
    for cell in solution_nb.cells:
        if cell.cell_type != "code":
            continue
        inside = False
        for line in cell.source.split("\n"):
            if line.strip() == BEGIN:
                inside = True
            elif line.strip() == END:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def answer_cells(root: Path) -> dict[str, str]:
    """{cell id: question} of every answer cell: the code cell before each check cell."""
    table: dict[str, str] = {}
    for solution in notebooks("solutions", root=root):
        previous = None
        for cell in nbformat.read(solution, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            m = CHECK_CALL.match(cell.source)
            if m and previous is not None:
                qid = f"{m[1]}.{m[2]}"
                if BEGIN not in previous.source:
                    raise ExerciseError(
                        f"{solution.name}: the cell before check({qid!r}) has no solution block"
                    )
                if table.get(previous.id, qid) != qid:
                    raise ExerciseError(f"{solution.name}: cell id {previous.id} is used twice")
                table[previous.id] = qid
            previous = cell
    return table


def answer_cells_text(root: Path) -> str:
    """The text of `ANSWER_CELLS`, in the order of the questions."""
    table = answer_cells(root)
    order = sorted(table, key=lambda k: tuple(int(p) for p in table[k].split(".")))
    return json.dumps({k: table[k] for k in order}, indent=1) + "\n"


def _stale_table(root: Path) -> str | None:
    """The text `ANSWER_CELLS` should hold, or None when it already does."""
    text = answer_cells_text(root)
    table = root / ANSWER_CELLS
    return None if table.exists() and table.read_text(encoding="utf-8") == text else text


def _sources(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in nb.cells]


def out_of_sync(root: Path) -> list[str]:
    """Solution notebooks whose student version is missing or differs in any cell's source,
    and the table of answer cells when it is not the one the solutions give."""
    problems = []
    for solution in notebooks("solutions", root=root):
        student = student_name(solution)
        if not student.exists():
            problems.append(f"{student.name} is missing")
            continue
        want = student_version(nbformat.read(solution, as_version=4), solution.name)
        have = nbformat.read(student, as_version=4)
        if _sources(want) != _sources(have):
            problems.append(f"{student.name} differs from {solution.name}")
    if _stale_table(root) is not None:
        problems.append(f"{ANSWER_CELLS.as_posix()} is out of date")
    return problems


def build_exercises(root: Path, execute: bool = True) -> list[tuple[Path, bool]]:
    """Write every student notebook from its solution, and the table of answer cells; return
    (path, changed) for each."""
    from secondment.execute import execute_notebook
    from secondment.files import write_atomically

    results = []
    for solution in notebooks("solutions", root=root):
        student = student_name(solution)
        nb = student_version(nbformat.read(solution, as_version=4), solution.name)
        # Not named *.ipynb, so that tests globbing the folder never see a half-built file.
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{student.stem}.", suffix=".tmp", dir=student.parent
        )
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            nbformat.write(nb, tmp)
            if execute:
                execute_notebook(tmp)
            new = tmp.read_bytes()
            changed = not student.exists() or student.read_bytes() != new
            if changed:
                os.replace(tmp, student)
            results.append((student, changed))
        finally:
            tmp.unlink(missing_ok=True)
    text = _stale_table(root)
    if text is not None:
        write_atomically(root / ANSWER_CELLS, text.encode("utf-8"))
    results.append((root / ANSWER_CELLS, text is not None))
    return results
