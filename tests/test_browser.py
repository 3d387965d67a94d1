"""The course in a real browser: JupyterLab in headless Chromium, the way a student uses it.

A copy of the course is served by JupyterLab from this environment (the repository's notebooks
are never modified). In the page, the charting lesson is run with Run All Cells: no error, no
warning in red, every chart drawn, no missing-glyph message the stored notebook does not show
(the lesson shows one on purpose), and the kernel's charts use the bundled Chinese font.
Then a student exercise gets a right answer typed into its first `answer = ...` cell, and its
check prints ✅. Screenshots of both pages (and of each chart) go to artifacts/screenshots/,
also on failure.

Without Chromium (or Playwright) the test skips on a laptop, and fails under CI (`CI` set).
Set SECONDMENT_CHROMIUM to use a Chromium other than /usr/bin/chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from secondment.paths import notebooks, require_course_root
from secondment.style import FONT_FAMILY, FONT_FILE
from secondment.teach.exercises import BEGIN, END, PLACEHOLDER, student_name

pytestmark = pytest.mark.browser

ROOT = require_course_root()
LESSON = "notebooks/05-charting-with-matplotlib.ipynb"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
COPIED = ("notebooks", "exercises", "datasets")

# What a student must never see in red: a traceback, an error or warning, tofu.
BAD_STDERR = re.compile(r"Traceback|Error|Warning|Glyph|missing from font", re.IGNORECASE)
# What matplotlib says when a chart's text has no glyph in the font (tofu boxes).
TOFU = ("missing from font", "Glyph")

FONT_PROBE = """\
import json
from pathlib import Path
import matplotlib.pyplot as plt
from matplotlib import font_manager
family = plt.rcParams["font.family"][0]
found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
print(json.dumps({"family": family, "file": Path(found).name}))"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    """No browser: a skip on a laptop, a failure under CI."""
    if _in_ci():
        pytest.fail(f"CI needs the browser test: {reason}", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """JupyterLab serving a copy of the course; stopped even when a test fails."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-test.txt)")
    from jupyterlab_driver import CHROMIUM_ENV, LabServer, find_chromium

    if find_chromium() is None:
        _unavailable(f"no Chromium: install chromium or set {CHROMIUM_ENV} to its path")

    course = tmp_path_factory.mktemp("course")
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, course / name, ignore=shutil.ignore_patterns(".*"))
    server = LabServer(course)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(lab: Any) -> Iterator[Any]:
    """One headless Chromium tab for the tests of this module."""
    from jupyterlab_driver import browser, new_page

    with browser() as chromium:
        tab = new_page(chromium)
        try:
            yield tab
        finally:
            tab.context.close()


def _open(page: Any, lab: Any, path: str) -> Any:
    """Open a notebook: by URL the first time, then inside the JupyterLab already loaded."""
    from jupyterlab_driver import Notebook

    if page.url.startswith(lab.base_url) and page.evaluate("() => !!window.jupyterapp"):
        return Notebook.open_in_app(page, path)
    return Notebook.open(page, lab, path)


def _screenshot(page: Any, name: str) -> Path | None:
    """Save what the page shows; never let a failed screenshot hide the test's own failure."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    try:
        page.screenshot(path=str(path))
    except Exception:
        return None
    return path


# ---------------------------------------------------------------- what the page shows


def _problems(cells: list[dict[str, Any]]) -> list[str]:
    """Errors, unexpected stderr and cells that never ran, from the notebook's live model."""
    problems = []
    for cell in cells:
        if cell["type"] != "code" or not cell["source"].strip():
            continue
        where = f"cell {cell['index']}"
        if cell["count"] is None:
            problems.append(f"{where} did not run")
        for out in cell["outputs"]:
            if out["type"] == "error" and "raises-exception" not in cell["tags"]:
                problems.append(f"{where} raised {out['text']}")
            if (
                out["type"] == "stream"
                and out["name"] == "stderr"
                and BAD_STDERR.search(out["text"])
            ):
                problems.append(f"{where} wrote to stderr: {out['text'].strip()[:300]}")
    return problems


def _fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _output_text(out: Any) -> str:
    """The text of one stored output, as the page's model reports it."""
    if out.output_type == "stream":
        return out.text
    if out.output_type == "error":
        return f"{out.ename}: {out.evalue}"
    return out.get("data", {}).get("text/plain", "")


def _stored_texts(path: Path) -> list[str]:
    """Each cell's stored output text, by cell index."""
    nb = nbformat.read(path, as_version=4)
    return ["\n".join(_output_text(o) for o in c.get("outputs", [])) for c in nb.cells]


def _new_tofu(cells: list[dict[str, Any]], stored: list[str]) -> list[str]:
    """Missing-glyph messages in the page that the stored notebook does not show.

    A lesson may print one on purpose (lesson 05 shows what DejaVu Sans does to hanzi); nbval
    checks those. Any other is a chart that lost its Chinese in the browser.
    """
    problems = []
    for cell in cells:
        text = "\n".join(o["text"] for o in cell["outputs"])
        before = stored[cell["index"]] if cell["index"] < len(stored) else ""
        for marker in TOFU:
            if marker in text and marker not in before:
                problems.append(f"cell {cell['index']} shows {marker!r}: {text.strip()[:300]}")
    return problems


def _stored_charts(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )


def _first_answer(student: Path, solution: Path) -> tuple[int, str, int]:
    """(index of the first placeholder cell, its right answer as typed, index of its check)."""
    have = nbformat.read(student, as_version=4).cells
    want = nbformat.read(solution, as_version=4).cells
    for index, cell in enumerate(have):
        if cell.cell_type == "code" and PLACEHOLDER in cell.source:
            answer = "\n".join(
                line for line in want[index].source.split("\n") if line.strip() not in (BEGIN, END)
            )
            for later in range(index, len(have)):
                if have[later].cell_type == "code" and "check(" in have[later].source:
                    return index, answer, later
            raise AssertionError(f"{student.name}: no check(...) cell after cell {index}")
    raise AssertionError(f"{student.name}: no `answer = {PLACEHOLDER}` cell")


# ---------------------------------------------------------------- the tests


def _exercise_pairs() -> list[tuple[Path, Path]]:
    """(student notebook, its solutions notebook), for every exercise: a student notebook that
    is missing fails here, not quietly later."""
    solutions = notebooks("solutions")
    assert solutions, "no solution notebooks in exercises/solutions/"
    missing = [student_name(s).name for s in solutions if not student_name(s).exists()]
    assert not missing, f"student notebooks missing (run build-exercises): {missing}"
    return [(student_name(s), s) for s in solutions]


def test_lesson_charts_render_in_jupyterlab(lab: Any, page: Any) -> None:
    name = Path(LESSON).stem
    try:
        nb = _open(page, lab, LESSON)
        nb.clear_outputs()
        nb.run_all()
        cells = nb.cells()
        red = [f"the page shows: {t.strip()[:300]}" for t in nb.rendered_stderr()]
        _fail_on(_problems(cells) + [t for t in red if BAD_STDERR.search(t)])

        images = nb.images()
        expected = _stored_charts(ROOT / LESSON)
        assert len(images) >= expected, f"{len(images)} charts on the page, {expected} stored"
        blank = [i for i, img in enumerate(images) if not (img["complete"] and img["width"] > 0)]
        assert not blank, f"charts {blank} did not load"
        _fail_on(_new_tofu(cells, _stored_texts(ROOT / LESSON)))

        toasts = page.locator(".Toastify__toast").all_inner_texts()
        assert not [t for t in toasts if "news" in t.lower()], f"a news pop-up: {toasts}"

        printed = nb.add_cell_and_run(FONT_PROBE)
        try:
            probe = json.loads(printed.strip().splitlines()[-1])
        except (ValueError, IndexError):
            pytest.fail(f"the font probe printed {printed!r}", pytrace=False)
        assert probe == {"family": FONT_FAMILY, "file": FONT_FILE}

        first_chart = next(
            c["index"] for c in cells if any("image/png" in o["mimes"] for o in c["outputs"])
        )
        nb.show_output_of(first_chart)
        _screenshot(page, name)
        for number, chart in enumerate(nb.chart_locators(), start=1):
            chart.screenshot(path=str(SCREENSHOTS / f"{name}-chart-{number}.png"))
    except BaseException:
        _screenshot(page, f"{name}-failure")
        raise


def test_exercise_check_turns_green(lab: Any, page: Any) -> None:
    student, solution = _exercise_pairs()[0]
    path = student.relative_to(ROOT).as_posix()
    try:
        nb = _open(page, lab, path)
        index, answer, check = _first_answer(student, solution)
        nb.clear_outputs()
        nb.run_all_above(index)

        def verdict(code: str) -> str:
            nb.type_into_cell(index, code)
            nb.run_cells_from(index, check - index + 1)
            cells = nb.cells()
            _fail_on(_problems(cells[: check + 1]))
            return "\n".join(o["text"] for o in cells[check]["outputs"])

        wrong = verdict("answer = None")
        assert "❌" in wrong and "✅" not in wrong, f"a wrong answer shows {wrong!r}"
        right = verdict(answer)
        assert "✅" in right, f"cell {check} of {student.name} shows {right!r}"
        nb.show_output_of(check)
        _screenshot(page, student.stem)
    except BaseException:
        _screenshot(page, f"{student.stem}-failure")
        raise
