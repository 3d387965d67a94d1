"""Tell a student, in plain words, whether their environment is ready for the course."""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.requirements import Requirement

__all__ = ["Finding", "diagnose", "locked_versions", "report"]

#: The student environment's lock, relative to the course folder.
LOCK = "binder/requirements.txt"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(?:\s*;\s*(.+?))?\s*$")


@dataclass
class Finding:
    """One line of the report: what was checked, whether it is fine, and what to do if not."""

    ok: bool
    what: str
    fix: str = ""


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock: Path) -> dict[str, str]:
    """The versions a lock file pins for this machine's Python and platform, by package name."""
    from packaging.markers import Marker

    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(line.strip())
        if m and (m[3] is None or Marker(m[3]).evaluate()):
            pins[_name(m[1])] = m[2]
    return pins


def declared_requirements() -> list[Requirement]:
    """What the installed course package declares it needs, JupyterLab (`[lab]`) included."""
    from packaging.requirements import Requirement

    found = []
    for text in md.requires("secondment") or []:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": "lab"}):
            found.append(req)
    return found


def _packages() -> list[Finding]:
    from secondment.paths import course_root

    root = course_root()
    lock = root / LOCK if root is not None else None
    pins = locked_versions(lock) if lock is not None and lock.is_file() else {}
    fix = "run `python3 course.py lab` to get the course's versions"
    out = []
    for req in declared_requirements():
        try:
            have = md.version(req.name)
        except md.PackageNotFoundError:
            out.append(Finding(False, f"{req.name} is not installed", fix))
            continue
        want = pins.get(_name(req.name))
        if want is not None and want != have:
            out.append(Finding(False, f"{req.name} {have} (the course locks {want})", fix))
        elif not req.specifier.contains(have, prereleases=True):
            out.append(Finding(False, f"{req.name} {have} (the course needs {req.specifier})", fix))
        else:
            out.append(Finding(True, f"{req.name} {have}"))
    return out


def _datasets() -> Finding:
    """The article reads, and datasets/ holds exactly the tables the library derives from it."""
    import tempfile

    from secondment.article import load_article
    from secondment.paths import datasets_dir
    from secondment.tables import TABLE_FILES, write_tables

    fix = "restore them with `git checkout datasets/` (or `python -m secondment refresh-datasets`)"
    try:
        article = load_article()
        with tempfile.TemporaryDirectory() as tmp:
            write_tables(article, tmp)
            differ = [
                name
                for name in TABLE_FILES
                if not (datasets_dir() / name).is_file()
                or (datasets_dir() / name).read_bytes() != (Path(tmp) / name).read_bytes()
            ]
    except Exception as exc:  # the report must finish whatever is broken
        return Finding(False, f"datasets: {exc}", "reinstall the course package")
    if differ:
        return Finding(False, f"datasets/ {', '.join(differ)} differ from the article", fix)
    return Finding(True, f"article readable ({article.title}); datasets/ tables match it")


def diagnose() -> list[Finding]:
    """Check Python, the course's packages against its lock, the course font and the datasets."""
    out: list[Finding] = []
    py = sys.version_info
    # Only the verdict, not the exact version: the report is stored in notebook 00, and must
    # read the same on every machine that is ready.
    ok = py >= (3, 11)
    what = "Python 3.11 or newer" if ok else f"Python {py.major}.{py.minor} is too old"
    out.append(Finding(ok, what, "install Python 3.11 or newer"))
    out += _packages()
    try:
        from secondment.style import FONT_FAMILY, font_path, use_course_style

        use_course_style()
        from matplotlib import font_manager

        found = font_manager.findfont(FONT_FAMILY, fallback_to_default=False)
        ok = Path(found).resolve() == font_path().resolve()
        out.append(Finding(ok, f"Chinese font {FONT_FAMILY}", "reinstall the course package"))
    except Exception as exc:
        out.append(Finding(False, f"Chinese font: {exc}", "reinstall the course package"))
    out.append(_datasets())
    return out


def report(findings: list[Finding]) -> str:
    """Format findings as a short checklist that ends with a one-line verdict."""
    lines = [
        ("✅ " if f.ok else "❌ ") + f.what + ("" if f.ok else f" → {f.fix}") for f in findings
    ]
    ready = all(f.ok for f in findings)
    lines.append("Ready for the course." if ready else "Not ready yet: fix the ❌ lines above.")
    return "\n".join(lines)
