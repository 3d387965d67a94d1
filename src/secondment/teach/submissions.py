"""Find and read submissions without trusting them: no symbolic link is followed, and a
notebook too big, too deep or malformed becomes a status row, never an exception.

The student is the top folder under the submissions folder (`submissions/leo/attempt-2/x.ipynb`
is leo's); the exercise is recognised from the notebook itself.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secondment.errors import SecondmentError
from secondment.teach import CHECK_CALL

__all__ = [
    "NOTEBOOK_LIMITS",
    "GradeError",
    "Submission",
    "find_submissions",
    "read_notebook",
    "recognise_exercise",
    "submissions",
]

#: Named caps on a notebook handed in (status `notebook-limit` when one is exceeded).
NOTEBOOK_LIMITS = {
    "bytes": 32 * 1024 * 1024,  # the course's notebooks with outputs are well under 2 MB
    "cells": 1000,  # the exercises have under 60
    "nesting": 64,  # JSON depth; a notebook needs about 6
}
#: How deep and how wide a submissions folder is searched.
MAX_FOLDER_DEPTH = 32
MAX_ENTRIES = 200_000


class GradeError(SecondmentError):
    """Grading cannot start: no submissions, or nowhere to write the gradebook."""


@dataclass
class Submission:
    """One notebook handed in: its path, whose it is, and how it is shown in the gradebook."""

    path: Path
    student: str
    shown: str
    root: Path | None = None  # the submissions folder it was found in (links below it refused)
    exercise: str = ""
    problem: str = ""
    problem_detail: str = ""
    mtime: float = 0.0
    nb: dict | None = field(default=None, repr=False)


# ---------------------------------------------------------------- finding


def find_submissions(folder: Path) -> list[Path]:
    """Every notebook under a submissions folder, however deep, and every symbolic link there
    (graded as `unreadable`, never followed); a GradeError if there is none."""
    folder = Path(folder)
    if not folder.exists():
        raise GradeError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise GradeError(f"{folder}: not a folder of submissions")
    found: list[Path] = []
    stack: list[tuple[Path, int]] = [(folder, 0)]
    seen = 0
    while stack:  # iterative: a folder tree thousands deep cannot exhaust the stack
        here, depth = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                raise GradeError(
                    f"{folder}: more than {MAX_ENTRIES} files; is this the right folder?"
                )
            if entry.name == ".ipynb_checkpoints":
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                # Reported, not followed: a link may point at anything root can read.
                if entry.name.endswith(".ipynb") or depth == 0:
                    found.append(path)
            elif entry.is_dir(follow_symlinks=False):
                if depth + 1 < MAX_FOLDER_DEPTH:
                    stack.append((path, depth + 1))
            elif entry.name.endswith(".ipynb") and entry.is_file(follow_symlinks=False):
                found.append(path)
    if not found:
        raise GradeError(f"{folder}: no notebooks (.ipynb) in this folder")
    return sorted(found)


# ---------------------------------------------------------------- reading


def _open_below(root: Path | None, path: Path) -> int:
    """A file descriptor of `path`, opened without following a symbolic link anywhere below
    `root` (the folder the instructor gave), nor at `path` itself."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    if root is None:
        return os.open(path, flags)
    rel = Path(os.path.abspath(path)).relative_to(root).parts
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in rel[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                            dir_fd=fd)  # fmt: skip
            os.close(fd)
            fd = inner
        return os.open(rel[-1], flags, dir_fd=fd)
    finally:
        os.close(fd)


def _depth(value: Any, cap: int) -> int:
    """The nesting depth of JSON data, counted without recursion, stopping past `cap`."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > cap:
            return depth
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _text(source: Any) -> str | None:
    """A cell's source as one string, or None when it is not text."""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    return None


def read_notebook(path: Path, root: Path | None = None) -> tuple[dict | None, str, str, float]:
    """(notebook, status, reason, mtime): the notebook as plain checked data, or None with a
    status (`unreadable`, `notebook-limit`) and a one-line reason."""
    try:
        fd = _open_below(root, path)
    except OSError as exc:
        if exc.errno in (40, 20):  # ELOOP, ENOTDIR: a link on the way
            return None, "unreadable", "a symbolic link: not followed", 0.0
        return None, "unreadable", f"cannot open it ({exc.strerror})", 0.0
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "unreadable", "not a regular file", 0.0
        if info.st_size > NOTEBOOK_LIMITS["bytes"]:
            mb = NOTEBOOK_LIMITS["bytes"] // 2**20
            return None, "notebook-limit", f"larger than {mb} MB", info.st_mtime
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(NOTEBOOK_LIMITS["bytes"] + 1)
    except OSError as exc:
        return None, "unreadable", f"cannot read it ({exc.strerror})", 0.0
    finally:
        os.close(fd)
    mtime = info.st_mtime
    if len(data) > NOTEBOOK_LIMITS["bytes"]:
        return None, "notebook-limit", "it grew while being read", mtime
    if not data.strip():
        return None, "unreadable", "empty file", mtime
    try:
        nb = json.loads(data.decode("utf-8"))
    except RecursionError:
        return (
            None,
            "notebook-limit",
            f"nested deeper than {NOTEBOOK_LIMITS['nesting']} levels",
            mtime,
        )
    except (UnicodeDecodeError, ValueError):
        return None, "unreadable", "not a notebook (invalid JSON)", mtime
    if _depth(nb, NOTEBOOK_LIMITS["nesting"]) > NOTEBOOK_LIMITS["nesting"]:
        return (
            None,
            "notebook-limit",
            f"nested deeper than {NOTEBOOK_LIMITS['nesting']} levels",
            mtime,
        )
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "unreadable", "not a notebook (no cells)", mtime
    if len(nb["cells"]) > NOTEBOOK_LIMITS["cells"]:
        return None, "notebook-limit", f"more than {NOTEBOOK_LIMITS['cells']} cells", mtime
    if nb.get("nbformat") != 4:
        return None, "unreadable", "not a version 4 notebook (save it from JupyterLab)", mtime
    for index, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            return None, "unreadable", f"not a notebook (cell {index} has no known type)", mtime
        source = _text(cell.get("source", ""))
        if source is None:
            return None, "unreadable", f"not a notebook (cell {index}'s source is not text)", mtime
        cell["source"] = source
    return nb, "", "", mtime


def recognise_exercise(nb: Any) -> str | None:
    """The exercise number (`03`) a notebook belongs to, from its check() calls or metadata."""
    cells = nb.get("cells") if isinstance(nb, dict) else None
    sources = []
    for c in cells if isinstance(cells, list) else []:
        if isinstance(c, dict) and c.get("cell_type") == "code":
            src = _text(c.get("source", ""))
            if src is not None:
                sources.append(src)
    numbers = Counter(m[0] for m in CHECK_CALL.findall("\n".join(sources)))
    if numbers:
        return numbers.most_common(1)[0][0]
    meta = nb.get("metadata") if isinstance(nb, dict) else None
    ours = meta.get("secondment") if isinstance(meta, dict) else None
    origin = ours.get("generated_from", "") if isinstance(ours, dict) else ""
    m = re.match(r"solutions/(\d\d)-", origin) if isinstance(origin, str) else None
    return m[1] if m else None


# ---------------------------------------------------------------- whose, and which


def questions_of(exercise: str) -> list[str]:
    """The question ids of one exercise, in order."""
    from secondment.checks import questions

    return [q for q in questions() if q.startswith(f"{exercise}.")]


def _student_of(path: Path, roots: Sequence[Path]) -> tuple[str, str, Path | None]:
    """(student, the path shown in the gradebook, the submissions folder): the student is the
    top folder under the submissions folder that holds the notebook."""
    for root in roots:
        try:
            rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
        except ValueError:
            continue
        student = rel.parts[0] if len(rel.parts) > 1 else path.stem
        return student, rel.as_posix(), Path(os.path.abspath(root))
    return path.parent.name, f"{path.parent.name}/{path.name}", None


def _examine(sub: Submission, only: str | None) -> None:
    nb, status, reason, sub.mtime = read_notebook(sub.path, sub.root)
    if nb is None:
        sub.exercise, sub.problem, sub.problem_detail = only or "", status, reason
        return
    # A notebook stripped of its check calls still belongs to the exercise asked for.
    exercise = recognise_exercise(nb) or only
    if exercise is None or not questions_of(exercise):
        sub.exercise, sub.problem = only or "", "unknown-exercise"
        sub.problem_detail = "no course exercise recognised in this notebook"
    elif only and exercise != only:
        sub.exercise, sub.problem = only, "wrong-exercise"
        sub.problem_detail = f"this is exercise {exercise}, not {only}"
    else:
        sub.exercise, sub.nb = exercise, nb


def submissions(paths: Iterable[Path], roots: Sequence[Path], only: str | None) -> list[Submission]:
    """Each path read and recognised inside its own guard; the later of two notebooks of one
    exercise from one student is graded, the other `superseded`."""
    subs = []
    for path in sorted(Path(p) for p in paths):
        student, shown, root = _student_of(path, roots)
        sub = Submission(path, student, shown, root)
        try:
            _examine(sub, only)
        except Exception as exc:  # one odd notebook must never stop the class
            sub.nb, sub.exercise = None, only or ""
            sub.problem = "grader-error"
            sub.problem_detail = f"{type(exc).__name__}: {exc}"[:200]
        subs.append(sub)
    latest: dict[tuple[str, str], Submission] = {}
    for sub in subs:
        if sub.nb is None:
            continue
        key = (sub.student, sub.exercise)
        best = latest.get(key)
        if best is None or (sub.mtime, sub.shown) > (best.mtime, best.shown):
            latest[key] = sub
    for sub in subs:
        best = latest.get((sub.student, sub.exercise))
        if sub.nb is not None and best is not sub and best is not None:
            sub.problem = "superseded"
            sub.problem_detail = (
                f"a later notebook of exercise {sub.exercise} is graded: {best.shown}"
            )
            sub.nb = None
    return subs
