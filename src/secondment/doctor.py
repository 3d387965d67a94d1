"""Tell a student, in plain words, whether their environment is ready for the course."""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Finding", "diagnose", "pinned_versions", "report"]

CORE = ("pandas", "matplotlib", "jieba", "jupyterlab", "ipykernel", "nbval")


@dataclass
class Finding:
    """One line of the report: what was checked, whether it is fine, and what to do if not."""

    ok: bool
    what: str
    fix: str = ""


def pinned_versions(requirements: Path | None = None) -> dict[str, str]:
    """The exact pins (`name==version`) of binder/requirements.txt, by lower-case name."""
    if requirements is None:
        from secondment.article import datasets_dir

        requirements = datasets_dir().parent / "binder" / "requirements.txt"
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line):
            pins[m[1].lower().replace("_", "-")] = m[2]
    return pins


def diagnose() -> list[Finding]:
    """Check Python, the pinned packages, the course font and the datasets."""
    out: list[Finding] = []
    py = sys.version_info
    # Only the verdict, not the exact version: the report is stored in notebook 00, and must
    # read the same on every machine that is ready.
    ok = py >= (3, 11)
    what = "Python 3.11 or newer" if ok else f"Python {py.major}.{py.minor} is too old"
    out.append(Finding(ok, what, "install Python 3.11 or newer"))
    try:
        pins = pinned_versions()
    except Exception:  # a wheel install has no binder/ folder; versions are then not compared
        pins = {}
    for name in CORE:
        try:
            have = md.version(name)
        except md.PackageNotFoundError:
            out.append(Finding(False, f"{name} is not installed", "run `python3 course.py lab`"))
            continue
        want = pins.get(name)
        if want and want != have:
            out.append(
                Finding(
                    False,
                    f"{name} {have} (the course pins {want})",
                    "run `python3 course.py lab` to get the course's versions",
                )  # fmt: skip
            )
        else:
            out.append(Finding(True, f"{name} {have}"))
    try:
        from secondment.style import FONT_FAMILY, font_path, use_course_style

        use_course_style()
        from matplotlib import font_manager

        found = font_manager.findfont(FONT_FAMILY, fallback_to_default=False)
        ok = Path(found).resolve() == font_path().resolve()
        out.append(Finding(ok, f"Chinese font {FONT_FAMILY}", "reinstall the course package"))
    except Exception as exc:
        out.append(Finding(False, f"Chinese font: {exc}", "reinstall the course package"))
    try:
        from secondment.article import load_article
        from secondment.tables import load_table

        art = load_article()
        n = len(load_table("cadres"))
        out.append(Finding(True, f"article readable ({art.title}); cadres.csv has {n} rows"))
    except Exception as exc:
        out.append(Finding(False, f"datasets: {exc}", "run `python -m secondment tables`"))
    return out


def report(findings: list[Finding]) -> str:
    """Format findings as a short checklist that ends with a one-line verdict."""
    lines = [
        ("✅ " if f.ok else "❌ ") + f.what + ("" if f.ok else f" → {f.fix}") for f in findings
    ]
    ready = all(f.ok for f in findings)
    lines.append("Ready for the course." if ready else "Not ready yet: fix the ❌ lines above.")
    return "\n".join(lines)
