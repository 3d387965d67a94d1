"""Shared pytest setup.

nbval's settings live in pyproject.toml, and the kernel environment it needs (`KERNEL_ENV`, the
same variables `python -m secondment execute` stores outputs with) comes from the plugin
`tools/nbval_course.py`, which pyproject.toml loads (`-p nbval_course`) so that
`pytest notebooks/NB.ipynb` gets it even though pytest never reads this file for that run. The
hook below repeats that set-up (it is idempotent) for runs that replace the configured options.
"""

from __future__ import annotations

import nbval_course
import pytest

from secondment.paths import NOTEBOOK_SETS, notebooks, require_course_root

ROOT = require_course_root()


def pytest_configure(config: pytest.Config) -> None:
    nbval_course.pytest_configure(config)


def pytest_report_header(config: pytest.Config) -> str:
    counts = ", ".join(
        f"{folder}/ {len(notebooks(name))}" for name, folder in NOTEBOOK_SETS.items()
    )
    return f"course notebooks: {counts}"
