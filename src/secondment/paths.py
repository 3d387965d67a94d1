"""Where the course is: its folder, its datasets and its sets of notebooks, worked out once."""

from __future__ import annotations

from pathlib import Path

from secondment.errors import PathsError

__all__ = [
    "ARTICLE_FILE",
    "NOTEBOOK_SETS",
    "STORED_BY_EXECUTE",
    "article_path",
    "PathsError",
    "SECOND_REPORT_FILE",
    "course_root",
    "datasets_dir",
    "notebooks",
    "require_course_root",
    "second_report_path",
]

ARTICLE_FILE = "000_1fbbca7256bb50ad.txt"
#: The capstone's second report: the exchange the other way, Beijing officials in Hebei.
SECOND_REPORT_FILE = "beijing_to_hebei.txt"

#: The course's notebooks by role, as folders of the course (each set is `FOLDER/*.ipynb`).
NOTEBOOK_SETS: dict[str, str] = {
    "lessons": "notebooks",
    "exercises": "exercises",  # the student versions, generated from the solutions
    "solutions": "exercises/solutions",
    # The Simplified Chinese edition, generated from the English (tools/translate.py).
    "lessons-zh-CN": "zh-CN/notebooks",
    "exercises-zh-CN": "zh-CN/exercises",
}


#: The sets whose outputs `python -m secondment execute` stores when given no notebook: the
#: others are generated, and executed, by their own commands (`secondment.teach
#: build-exercises`, `tools/translate.py build`).
STORED_BY_EXECUTE: tuple[str, ...] = ("lessons", "solutions")


def course_root() -> Path | None:
    """The course folder (the one holding `datasets/` and `notebooks/`), or None.

    It is found from where the package is: an editable install (`pip install -e .`, what
    `course.py` and Binder do) lives inside it. A wheel installed elsewhere has no course folder,
    only the datasets it ships.
    """
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "datasets" / ARTICLE_FILE).is_file() and (parent / "src").is_dir():
            return parent
    return None


def require_course_root() -> Path:
    """The course folder, for commands that work on its notebooks; a PathsError without one."""
    root = course_root()
    if root is None:
        raise PathsError("this command works in a clone of the course (`pip install -e .`)")
    return root


def datasets_dir() -> Path:
    """The course's `datasets/` folder: in a clone, `datasets/` itself; else the shipped copy."""
    root = course_root()
    if root is not None:
        return root / "datasets"
    shipped = Path(__file__).resolve().parent / "datasets"
    if (shipped / ARTICLE_FILE).is_file():
        return shipped
    raise PathsError(
        "cannot find the course's datasets: reinstall the course package "
        "(`pip install -e .` from a clone of the repository)"
    )


def article_path() -> Path:
    """The path of the course article in `datasets/`."""
    return datasets_dir() / ARTICLE_FILE


def second_report_path() -> Path:
    """The path of the capstone's second report (Beijing officials in Hebei)."""
    return datasets_dir() / SECOND_REPORT_FILE


def notebooks(*sets: str, root: Path | None = None) -> list[Path]:
    """The notebooks of the named sets (`lessons`, `exercises`, `solutions`), each set sorted."""
    base = require_course_root() if root is None else root
    unknown = [s for s in sets if s not in NOTEBOOK_SETS]
    if unknown:
        raise PathsError(f"no notebook set {unknown[0]!r}: the sets are {', '.join(NOTEBOOK_SETS)}")
    return [p for s in sets for p in sorted((base / NOTEBOOK_SETS[s]).glob("*.ipynb"))]
