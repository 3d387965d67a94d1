"""The benchmark's own parts: timing one notebook, and the table it prints (fast)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import bench
import nbformat
import nbformat.v4 as v4

from secondment.execute import KERNELSPEC


def _notebook(path: Path, *sources: str) -> Path:
    nb = v4.new_notebook(cells=[v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nbformat.write(nb, path)
    return path


def test_time_notebook_separates_kernel_start_from_execution(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "small.ipynb", "import time\ntime.sleep(0.2)", "print('done')")
    before = path.read_bytes()
    timing = bench.time_notebook(path)
    assert timing.error == ""
    assert timing.kernel_start > 0
    assert timing.execution >= 0.2
    assert timing.total == timing.kernel_start + timing.execution
    assert path.read_bytes() == before  # timed, never rewritten


def test_time_notebook_reports_an_error_instead_of_raising(tmp_path: Path) -> None:
    timing = bench.time_notebook(_notebook(tmp_path / "broken.ipynb", "1 / 0"))
    assert timing.error.startswith("ZeroDivisionError")
    assert not timing.ok


def test_format_table_is_markdown_that_lines_up() -> None:
    table = bench.format_table(["name", "s"], [["a", 1.234], ["longer name", 12.0]])
    lines = table.splitlines()
    assert lines == [
        "| name        |     s |",
        "| ----------- | ----: |",
        "| a           |  1.23 |",
        "| longer name | 12.00 |",
    ]
    assert len({len(line) for line in lines}) == 1


def test_render_flags_every_missed_target() -> None:
    fast = bench.NotebookTiming("notebooks/fast.ipynb", 0.5, 1.0)
    slow = bench.NotebookTiming("notebooks/slow.ipynb", 1.0, 4.5)
    broken = bench.NotebookTiming("notebooks/broken.ipynb", 1.0, 0.5, "NameError: x")
    floor = [bench.NotebookTiming(f"floor {i}", 0.5, 0.5) for i in range(3)]
    validation = bench.ValidationTiming(seconds=30.0, summary="9 passed in 29s", floor=11.0)
    browser = bench.BrowserTiming(floor_server=2, floor_ready=6, server=2, ready=7,
                                  stored_chart=6.5, chart=12.0)  # fmt: skip
    install = bench.InstallTiming(rows=[("first set-up, empty uv cache", 25.0)])
    grading = bench.GradingTiming(copies=20, jobs=2, seconds=40.0, floor=20.0)
    text = bench.render(
        [fast, slow, broken], floor, [("import pandas", 0.4)], validation, browser, install, grading
    )

    def row(start: str) -> str:
        return next(line for line in text.splitlines() if line.startswith(f"| {start}"))

    assert row("notebooks/fast.ipynb").rstrip(" |").endswith("ok")
    assert "**MISS**" in row("notebooks/slow.ipynb")
    assert "**ERROR** NameError: x" in row("notebooks/broken.ipynb")
    validation_ratio, grading_ratio = (
        line for line in text.splitlines() if line.startswith("| ratio")
    )
    assert "2.73×" in validation_ratio and "**MISS**" in validation_ratio
    assert "≤ 11.0" in row("lesson 05: Run All") and "**MISS**" in row("lesson 05: Run All")
    assert "**MISS**" in row("first set-up, empty uv cache")
    assert "2.00×" in grading_ratio and "**MISS**" in grading_ratio
    assert "20.00" in row("floor: 20 copies of") and "40.00" in row("the same 20 graded")
    assert f"{os.cpu_count()} CPU cores" in text
    assert str(Path.home()) not in text and platform.node() not in text


def test_render_passes_grading_within_its_target_and_says_why_it_was_not_measured() -> None:
    within = bench.GradingTiming(copies=20, jobs=2, seconds=29.0, floor=20.0)
    text = bench.render([], [], [], grading=within)
    assert "1.45× ok" in text and "**MISS**" not in text
    refused = bench.GradingTiming(copies=20, jobs=2, error="GradeError: install bubblewrap")
    text = bench.render([], [], [], grading=refused)
    assert "Not measured: GradeError: install bubblewrap." in text
    assert not refused.ok
