"""Measure how long the course takes to run on this machine, against what it cannot go below.

    python tools/bench.py [--quick] [--out FILE]

In one run, each measured against a floor:

(a) every lesson, exercise and solution notebook, executed by nbclient in a temporary copy of
    the course with the kernel environment the tests use (`secondment.execute.KERNEL_ENV`):
    kernel start (launch until the kernel answers) apart from execution (first cell until the
    last output). Target: each notebook under 5 s in all.
(b) the floor of (a): as many notebooks that only `import pandas, matplotlib.pyplot,
    secondment` and draw nothing.
(c) the whole validation, `python3 course.py test` (ruff, then pytest: unit tests, nbval on
    every notebook, the browser test). Its floor is what any validation of this course must
    spend: pytest starting and collecting (`pytest --collect-only`), plus the notebooks' floor
    of (b) (nbval runs each notebook in a fresh kernel), plus the browser floor of (d) (the
    browser test starts JupyterLab and opens a notebook). Target: within 2x the floor.
(d) JupyterLab in headless Chromium: from launching `jupyter lab` until lesson 05's first
    chart is on screen after Run All Cells, against the same JupyterLab opening an empty
    notebook until its kernel is idle; each the best of two fresh starts. Target: within the
    floor + 5 s.

(e) setting up: `python3 course.py setup --lab` in a fresh clone (a new `.venv`, uv installed
    by pip, then the student lock) with an empty uv cache and with a warm one, and a re-sync
    after the lock changes two large packages. Target: the first install under 20 s.
(f) grading: 20 copies of exercise 03's solution graded by `secondment.teach.grade` with 2
    jobs (each kernel sandboxed under its budget and watchdog, each answer decided by a
    sandboxed decider), against executing the same 20 notebooks with 2 workers and no sandbox.
    Target: within 1.5x.

Also measured: what a kernel spends starting the course's libraries (imports, font, jieba's
dictionary). `--quick` skips (c) to (f). The table is printed and written to
benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import nbformat.v4 as v4

from secondment.execute import KERNEL_ENV, KERNELSPEC
from secondment.paths import NOTEBOOK_SETS, notebooks

__all__ = [
    "BrowserTiming",
    "GradingTiming",
    "InstallTiming",
    "NotebookTiming",
    "ValidationTiming",
    "course_notebooks",
    "floor_notebook",
    "format_table",
    "main",
    "render",
    "time_browser",
    "time_grading",
    "time_install",
    "time_notebook",
    "time_notebooks",
    "time_startup_costs",
    "time_validation",
]

NOTEBOOK_TARGET = 5.0  # seconds, kernel start included
VALIDATION_RATIO_TARGET = 2.0
CHART_MARGIN_TARGET = 5.0  # seconds above the browser floor
INSTALL_TARGET = 20.0  # seconds for a newcomer's first `course.py` set-up
GRADING_RATIO_TARGET = 1.5
GRADED_SOLUTION = "exercises/solutions/03-extracting-facts-solutions.ipynb"
LESSON_WITH_CHARTS = "notebooks/05-charting-with-matplotlib.ipynb"
FLOOR_SOURCE = "import pandas, matplotlib.pyplot, secondment"


def course_root() -> Path:
    from secondment.paths import require_course_root

    return require_course_root()


def course_notebooks(root: Path) -> list[Path]:
    """Lessons, exercises and solutions, in the order the course presents them."""
    return notebooks(*NOTEBOOK_SETS, root=root)


# ---------------------------------------------------------------- (a) and (b): notebooks


@dataclass
class NotebookTiming:
    """One notebook's run: seconds to start the kernel and to execute every cell."""

    name: str
    kernel_start: float = 0.0
    execution: float = 0.0
    error: str = ""

    @property
    def total(self) -> float:
        return self.kernel_start + self.execution

    @property
    def ok(self) -> bool:
        return not self.error and self.total < NOTEBOOK_TARGET


def floor_notebook() -> nbformat.NotebookNode:
    """A notebook that starts what every course notebook starts, and draws nothing."""
    nb = v4.new_notebook(cells=[v4.new_code_cell(FLOOR_SOURCE)])
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return nb


def time_notebook(
    path: Path, name: str | None = None, cwd: Path | None = None, timeout: int = 300
) -> NotebookTiming:
    """Execute a notebook with a fresh kernel, as the tests do; time kernel start and cells.

    Kernel start runs from launching the kernel until it answers; execution from the
    kernel-info request until the last cell's last output. The notebook file is not written.
    `cwd` is the kernel's working directory (default: the notebook's folder).
    """
    from secondment.execute import course_client

    path = Path(path)
    timing = NotebookTiming(name or path.name)
    nb = nbformat.read(path, as_version=4)
    client = course_client(nb, cwd or path.parent, timeout, allow_errors=False)
    client.reset_execution_trackers()
    start = time.perf_counter()
    try:
        with client.setup_kernel(env={**os.environ, **KERNEL_ENV}):
            ready = time.perf_counter()
            timing.kernel_start = ready - start
            try:
                client.wait_for_reply(client.kc.kernel_info())
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            finally:
                timing.execution = time.perf_counter() - ready
    except Exception as exc:  # a broken notebook is reported in the table, not raised
        timing.error = _one_line(exc)
    return timing


def _one_line(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    if evalue is None:
        evalue = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
    return f"{ename}: {evalue}"[:120]


def _course_copy(root: Path, dest: Path) -> Path:
    folders = sorted({folder.split("/")[0] for folder in NOTEBOOK_SETS.values()})
    for name in ("datasets", *folders):
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns(".*"))
    return dest


def time_notebooks(root: Path, paths: Sequence[Path] | None = None) -> list[NotebookTiming]:
    """(a): each notebook executed in a temporary copy of the course, in its own folder."""
    paths = course_notebooks(root) if paths is None else list(paths)
    with tempfile.TemporaryDirectory(prefix="secondment-bench-") as tmp:
        copy = _course_copy(root, Path(tmp))
        return [
            time_notebook(copy / p.relative_to(root), name=p.relative_to(root).as_posix())
            for p in paths
        ]


def time_floor(count: int) -> list[NotebookTiming]:
    """(b): `count` runs of the floor notebook, each with a fresh kernel."""
    with tempfile.TemporaryDirectory(prefix="secondment-bench-") as tmp:
        path = Path(tmp) / "floor.ipynb"
        nbformat.write(floor_notebook(), path)
        return [time_notebook(path, name=f"floor {i + 1}") for i in range(count)]


# ---------------------------------------------------------------- start-up costs

_STARTUP_PROBE = r"""
import time
t = time.perf_counter()
def lap(label):
    global t
    now = time.perf_counter()
    print(f"{label}\t{now - t:.3f}", flush=True)
    t = now
import pandas
lap("import pandas")
import matplotlib.pyplot
lap("import matplotlib.pyplot")
import secondment, secondment.article, secondment.tables
lap("import secondment (article, tables)")
from secondment.style import use_course_style
use_course_style()
lap("use_course_style() (register the font)")
fig, ax = matplotlib.pyplot.subplots()
ax.set_title("挂职干部")
fig.canvas.draw()
lap("first chart with Chinese text (font loading)")
import logging, jieba
jieba.setLogLevel(logging.WARNING)
lap("import jieba")
jieba.initialize()
lap("jieba dictionary (first call)")
"""


def time_startup_costs() -> list[tuple[str, float]]:
    """What a fresh interpreter spends on the course's libraries, step by step."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env={**os.environ, **KERNEL_ENV}, check=False)
    rows = [("python start (no imports)", time.perf_counter() - started)]
    out = subprocess.run(
        [sys.executable, "-c", _STARTUP_PROBE],
        env={**os.environ, **KERNEL_ENV, "MPLBACKEND": "agg"},
        capture_output=True,
        text=True,
    )
    for line in out.stdout.splitlines():
        label, _, seconds = line.partition("\t")
        rows.append((label, float(seconds)))
    if out.returncode != 0:
        rows.append((f"probe failed: {out.stderr.strip().splitlines()[-1:]}", float("nan")))
    return rows


# ---------------------------------------------------------------- (e): setting up


@dataclass
class InstallTiming:
    """(e): a newcomer's set-up, cold and warm, and a re-sync after the lock changes."""

    rows: list[tuple[str, float]] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.rows) and self.rows[0][1] <= INSTALL_TARGET


def _fresh_clone(root: Path, dest: Path) -> Path:
    """The files git tracks, copied to `dest`: what `git clone` gives a newcomer."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        if (root / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, dest / name)
    return dest


def time_install(root: Path) -> InstallTiming:
    """(e): `course.py setup --lab` in fresh clones with an empty, then a warm, uv cache; then
    a re-sync after pandas and numpy change (removed, so the lock brings them back)."""
    timing = InstallTiming()
    with tempfile.TemporaryDirectory(prefix="secondment-install-") as tmp:
        env = {**os.environ, "UV_CACHE_DIR": str(Path(tmp) / "uv-cache")}
        env.pop("VIRTUAL_ENV", None)
        # A newcomer's laptop caches bytecode as Python imports; course.py compiles it at
        # install only where the machine forbids that cache (see course.py's install).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for name, label in [("cold", "first set-up, empty uv cache"),
                            ("warm", "first set-up, warm uv cache")]:  # fmt: skip
            clone = _fresh_clone(root, Path(tmp) / name)
            started = time.perf_counter()
            run = subprocess.run(
                [sys.executable, "course.py", "setup", "--lab"],
                cwd=clone, env=env, capture_output=True, text=True,
            )  # fmt: skip
            if run.returncode != 0:
                timing.error = f"{label}: {run.stderr.strip()[-300:]}"
                return timing
            timing.rows.append((label, time.perf_counter() - started))
        python = str(clone / ".venv" / "bin" / "python")
        uv = [python, "-m", "uv", "pip"]
        subprocess.run([*uv, "uninstall", "-q", "--python", python, "pandas", "numpy"],
                       env=env, check=True, capture_output=True)  # fmt: skip
        started = time.perf_counter()
        subprocess.run([*uv, "install", "-q", "--python", python, "-r", "binder/requirements.txt"],
                       cwd=clone, env=env, check=True, capture_output=True)  # fmt: skip
        timing.rows.append(
            ("re-sync after the lock changes pandas and numpy", time.perf_counter() - started)
        )
    return timing


# ---------------------------------------------------------------- (f): grading


@dataclass
class GradingTiming:
    """(f): copies of one correct submission graded, against executing them unsandboxed."""

    copies: int = 0
    jobs: int = 0
    seconds: float = 0.0
    floor: float = 0.0
    error: str = ""

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor if self.floor else float("nan")

    @property
    def ok(self) -> bool:
        return not self.error and self.ratio <= GRADING_RATIO_TARGET


def time_grading(root: Path, copies: int = 20, jobs: int = 2) -> GradingTiming:
    """(f): grade `copies` copies of exercise 03's solution with `jobs` at once; the floor is
    executing the same copies with as many workers, in the course's ordinary kernels."""
    from concurrent.futures import ThreadPoolExecutor

    from secondment.execute import execute_notebook
    from secondment.teach.grade import find_submissions, grade

    timing = GradingTiming(copies=copies, jobs=jobs)
    notebook = root / GRADED_SOLUTION
    with tempfile.TemporaryDirectory(prefix="secondment-grade-bench-") as tmp:
        subs, runs = Path(tmp) / "submissions", Path(tmp) / "runs"
        for i in range(copies):
            for folder in (subs / f"student-{i:02d}", runs / f"{i:02d}"):
                folder.mkdir(parents=True)
                shutil.copyfile(notebook, folder / notebook.name)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(execute_notebook, sorted(runs.rglob("*.ipynb"))))
        timing.floor = time.perf_counter() - started
        started = time.perf_counter()
        try:
            rows = grade(find_submissions(subs), root=subs, jobs=jobs)
        except Exception as exc:  # the grader refused to run here (no isolation): say so
            timing.error = _one_line(exc)
            return timing
        timing.seconds = time.perf_counter() - started
    wrong = sorted({f"{r.student} {r.question}: {r.status}" for r in rows if not r.passed})
    if wrong:
        timing.error = f"{len(wrong)} answers of a correct solution failed, e.g. {wrong[0]}"
    return timing


# ---------------------------------------------------------------- (c): the whole validation


@dataclass
class ValidationTiming:
    """(c): the README's test command, pytest's start-up, and the same command's floor."""

    seconds: float = 0.0
    returncode: int = 0
    summary: str = ""
    slowest: list[tuple[float, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    collect: float = 0.0  # `pytest --collect-only` of the real suite: start-up and collection
    collected: str = ""
    floor: float = 0.0  # the same pytest set-up on import-only notebooks and an empty notebook
    floor_summary: str = ""

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor if self.floor else float("nan")

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.ratio <= VALIDATION_RATIO_TARGET


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s+(call|setup|teardown)\s+(\S.*)$")

_FLOOR_BROWSER_TEST = """\
import nbformat.v4 as v4, nbformat

from secondment.execute import KERNELSPEC
from jupyterlab_driver import LabServer, Notebook, browser, find_chromium, new_page


def test_jupyterlab_opens_an_empty_notebook(tmp_path):
    if find_chromium() is None:
        import pytest

        pytest.skip("no Chromium")
    nb = v4.new_notebook(cells=[v4.new_code_cell("")], metadata={"kernelspec": KERNELSPEC})
    nbformat.write(nb, tmp_path / "empty.ipynb")
    with LabServer(tmp_path) as lab, browser() as chromium:
        Notebook.open(new_page(chromium), lab, "empty.ipynb")
"""


def _pytest_summary(output: str) -> str:
    lines = [line.strip("= ") for line in output.splitlines() if line.startswith("=")]
    for line in reversed(lines):
        if " in " in line and any(w in line for w in ("passed", "failed", "error", "skipped")):
            return line
    return ""


def _slowest(output: str, count: int) -> list[tuple[float, str]]:
    found = [
        (float(m[1]), f"{m[2]} {m[3]}") for m in map(_DURATION.match, output.splitlines()) if m
    ]
    return sorted(found, reverse=True)[:count]


def time_validation(root: Path, notebook_count: int, slowest: int = 10) -> ValidationTiming:
    """(c): `python3 course.py test` as the README says (plus `--durations`, which only
    reports), pytest's start-up and collection alone, and the floor of the same command.

    The floor is the project's own pytest configuration (the same plugins, xdist workers, nbval
    options and environment) run on `notebook_count` notebooks that only import the course's
    libraries plus one browser test that opens an empty notebook in JupyterLab: what the
    validation costs before any lesson, exercise or unit test does real work.
    `course.py setup` runs first, untimed, so that no timed run includes pip.
    """
    course = [sys.executable, str(root / "course.py")]
    subprocess.run([*course, "setup"], cwd=root, check=True, capture_output=True)
    python = str(root / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    timing = ValidationTiming()

    started = time.perf_counter()
    run = subprocess.run(
        [*course, "test", f"--durations={slowest}"], cwd=root, capture_output=True, text=True
    )
    timing.seconds = time.perf_counter() - started
    timing.returncode = run.returncode
    timing.summary = _pytest_summary(run.stdout) or run.stderr.strip()[-200:]
    timing.slowest = _slowest(run.stdout, slowest)
    timing.failures = [
        line.split(" - ")[0]
        for line in run.stdout.splitlines()
        if line.startswith(("FAILED", "ERROR"))
    ]

    started = time.perf_counter()
    collect = subprocess.run(
        [python, "-m", "pytest", "--collect-only", "-q"], cwd=root, capture_output=True, text=True
    )
    timing.collect = time.perf_counter() - started
    timing.collected = next(
        (line for line in reversed(collect.stdout.splitlines()) if "collected" in line), ""
    ).strip()

    with tempfile.TemporaryDirectory(prefix="secondment-bench-") as tmp:
        folder = Path(tmp)
        for i in range(notebook_count):
            nbformat.write(floor_notebook(), folder / f"floor-{i:02d}.ipynb")
        (folder / "test_floor_browser.py").write_text(_FLOOR_BROWSER_TEST, encoding="utf-8")
        started = time.perf_counter()
        run = subprocess.run(
            [python, "-m", "pytest", "-c", "pyproject.toml", "-p", "no:cacheprovider", tmp],
            cwd=root,  # the project's pytest configuration and its relative paths
            capture_output=True,
            text=True,
        )
        timing.floor = time.perf_counter() - started
        timing.floor_summary = _pytest_summary(run.stdout) or run.stderr.strip()[-200:]
    return timing


# ---------------------------------------------------------------- (d): the browser


@dataclass
class BrowserTiming:
    """Seconds from launching `jupyter lab`, for the empty notebook and for lesson 05."""

    floor_server: float = 0.0  # /api/status answers
    floor_ready: float = 0.0  # empty notebook shown, kernel idle
    server: float = 0.0
    ready: float = 0.0  # lesson 05 shown, kernel idle
    stored_chart: float = 0.0  # its first stored chart decoded on the page
    chart: float = 0.0  # Run All Cells: the first chart drawn again
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.chart <= self.floor_ready + CHART_MARGIN_TARGET


_FIRST_IMAGE = """p => { const panel = window.__course.panel(p);
  return !!panel && Array.from(panel.node.querySelectorAll('.jp-OutputArea-output img'))
    .some(img => img.complete && img.naturalWidth > 0); }"""


def time_browser(root: Path) -> BrowserTiming:
    """(d): two fresh JupyterLab servers, one per measurement, driven by headless Chromium."""
    timing = BrowserTiming()
    if not (root / LESSON_WITH_CHARTS).exists():
        timing.error = f"{LESSON_WITH_CHARTS} does not exist yet"
        return timing
    try:
        _time_browser(root, timing)
    except Exception as exc:  # no Chromium, no Playwright, a page that never got there
        timing.error = _one_line(exc)
    return timing


def _time_browser(root: Path, timing: BrowserTiming, rounds: int = 2) -> None:
    """Alternate the floor and the lesson `rounds` times; keep the best time of each."""
    from jupyterlab_driver import browser

    with browser() as chromium, tempfile.TemporaryDirectory(prefix="secondment-bench-") as tmp:
        empty = Path(tmp) / "empty"
        empty.mkdir()
        nb = v4.new_notebook(cells=[v4.new_code_cell("")])
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
        nbformat.write(nb, empty / "empty.ipynb")
        course = _course_copy(root, Path(tmp) / "course")
        floors = [_browser_floor(chromium, empty) for _ in range(rounds)]
        lessons = [_browser_lesson(chromium, course) for _ in range(rounds)]
    timing.floor_server, timing.floor_ready = (min(f[i] for f in floors) for i in range(2))
    timing.server, timing.stored_chart, timing.ready, timing.chart = (
        min(r[i] for r in lessons) for i in range(4)
    )


def _browser_floor(chromium: Any, folder: Path) -> tuple[float, float]:
    """(server answers, empty notebook open with an idle kernel), seconds from launch."""
    from jupyterlab_driver import LabServer, Notebook, new_page

    with LabServer(folder) as lab:
        page = new_page(chromium)
        try:
            Notebook.open(page, lab, "empty.ipynb")
            return lab.ready_at - lab.started_at, time.perf_counter() - lab.started_at
        finally:
            page.context.close()


def _browser_lesson(chromium: Any, course: Path) -> tuple[float, float, float, float]:
    """(server answers, first stored chart shown, kernel idle, first chart after Run All)."""
    from jupyterlab_driver import LabServer, Notebook, new_page

    with LabServer(course) as lab:
        page = new_page(chromium)
        try:
            server = lab.ready_at - lab.started_at
            page.goto(lab.url(f"lab/tree/{LESSON_WITH_CHARTS}"), wait_until="domcontentloaded")
            lesson = Notebook(page, LESSON_WITH_CHARTS)
            lesson.wait_for(_FIRST_IMAGE, "the first stored chart")
            stored = time.perf_counter() - lab.started_at
            lesson.wait_ready()
            ready = time.perf_counter() - lab.started_at
            lesson.clear_outputs()
            page.evaluate(  # not awaited: the first chart comes long before the last cell
                "() => { window.__course.command('notebook:run-all-cells', {}, 300000); }"
            )
            lesson.wait_for(_FIRST_IMAGE, "the first chart after Run All Cells", timeout=120)
            chart = time.perf_counter() - lab.started_at
            lesson.wait_for("p => window.__course.kernelIdle(p)", "the kernel", timeout=300)
            return server, stored, ready, chart
        finally:
            page.context.close()


# ---------------------------------------------------------------- the table


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]], digits: int = 2) -> str:
    """A Markdown table: numbers with `digits` decimals and right-aligned, columns padded so
    that the plain text lines up too; NaN shows as a dash."""

    def cell(value: object) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return "–" if value != value else f"{value:.{digits}f}"
        return str(value).replace("|", "\\|")

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]
    numeric = [
        bool(body) and all(_is_number(r[i]) for r in body if r[i]) for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        padded = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = [
        ("-" * (w - 1) + ":") if num else "-" * w for w, num in zip(widths, numeric, strict=True)
    ]
    return "\n".join([line(headers), line(rule), *(line(r) for r in body)])


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("×"))
    except ValueError:
        return text == "–"
    return True


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("jupyterlab", "ipykernel", "pandas", "matplotlib", "jieba", "pytest", "nbval"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "**MISS**"


def _notebook_rows(timings: Sequence[NotebookTiming]) -> list[list[object]]:
    rows: list[list[object]] = []
    for t in timings:
        verdict = f"**ERROR** {t.error}" if t.error else _verdict(t.ok)
        rows.append([t.name, t.kernel_start, t.execution, t.total, verdict])
    return rows


def _sum(timings: Sequence[NotebookTiming]) -> float:
    return sum(t.total for t in timings)


def render(
    notebooks: Sequence[NotebookTiming],
    floor: Sequence[NotebookTiming],
    startup: Sequence[tuple[str, float]],
    validation: ValidationTiming | None = None,
    browser_timing: BrowserTiming | None = None,
    install: InstallTiming | None = None,
    grading: GradingTiming | None = None,
) -> str:
    """The results as Markdown: machine, notebooks, floor, validation, browser, set-up,
    grading, start-up costs."""
    out = ["# Benchmark results", ""]
    command = "python tools/bench.py" + (" --quick" if validation is None else "")
    out.append(
        f"Measured by `{command}` on {os.cpu_count()} CPU cores, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}, {_versions()}."
    )
    out += ["", "## (a) Notebooks, each in a fresh kernel (target: under 5 s in all)", ""]
    headers = ["notebook", "kernel start s", "execution s", "total s", "target < 5 s"]
    rows = _notebook_rows(notebooks)
    if floor:
        n = len(floor)
        rows.append(
            [
                f"(b) floor, mean of {n}: `{FLOOR_SOURCE}`",
                sum(t.kernel_start for t in floor) / n,
                sum(t.execution for t in floor) / n,
                _sum(floor) / n,
                "",
            ]
        )
        rows.append([f"all {len(notebooks)} notebooks", "", "", _sum(notebooks), ""])
        rows.append([f"floor × {n}", "", "", _sum(floor), ""])
    out.append(format_table(headers, rows))
    if not notebooks:
        out += ["", "No notebooks yet."]

    if validation is not None:
        v = validation
        outcome = "passed" if v.returncode == 0 else f"exit {v.returncode}"
        out += ["", "## (c) The whole validation (target: within 2× its floor)", ""]
        out.append(
            format_table(
                ["run", "seconds", "note"],
                [
                    ["`python3 course.py test`", v.seconds, f"{outcome}: {v.summary}"],
                    ["pytest start-up and collection alone", v.collect, v.collected],
                    [
                        f"floor: the same pytest on {len(notebooks)} import-only notebooks "
                        "and an empty notebook in JupyterLab",
                        v.floor,
                        v.floor_summary,
                    ],  # fmt: skip
                    ["ratio", f"{v.ratio:.2f}×", _verdict(v.ok)],
                ],
            )
        )
        if v.failures:
            out += ["", "Failed in that run:", ""]
            out += [f"- `{line}`" for line in v.failures]
        if v.slowest:
            out += ["", "Slowest parts of the validation (pytest `--durations`):", ""]
            out.append(format_table(["seconds", "test"], [[s, name] for s, name in v.slowest]))

    if browser_timing is not None:
        b = browser_timing
        out += ["", "## (d) JupyterLab in headless Chromium, best of 2 (target: floor + 5 s)", ""]
        if b.error:
            out.append(f"Not measured: {b.error}.")
        else:
            out.append(
                format_table(
                    ["seconds from launching `jupyter lab` until", "seconds", "target"],
                    [
                        ["floor: the server answers", b.floor_server, ""],
                        ["floor: an empty notebook is open, kernel idle", b.floor_ready, ""],
                        ["lesson 05: the server answers", b.server, ""],
                        ["lesson 05: its first stored chart is on the page", b.stored_chart, ""],
                        ["lesson 05: open, kernel idle", b.ready, ""],
                        [
                            "lesson 05: Run All Cells draws the first chart",
                            b.chart,
                            f"≤ {b.floor_ready + CHART_MARGIN_TARGET:.1f} {_verdict(b.ok)}",
                        ],
                    ],
                )
            )

    if install is not None:
        out += ["", f"## (e) Setting up (target: a first set-up under {INSTALL_TARGET:.0f} s)", ""]
        if install.error:
            out.append(f"Not measured: {install.error}.")
        else:
            rows = [[label, seconds, ""] for label, seconds in install.rows]
            rows[0][2] = _verdict(install.ok)
            out.append(format_table(["`python3 course.py setup --lab`", "seconds", "target"], rows))

    if grading is not None:
        g = grading
        out += ["", f"## (f) Grading (target: within {GRADING_RATIO_TARGET}× its floor)", ""]
        if g.error:
            out.append(f"Not measured: {g.error}.")
        else:
            out.append(
                format_table(
                    ["run", "seconds"],
                    [
                        [
                            f"floor: {g.copies} copies of `{GRADED_SOLUTION}` executed, "
                            f"{g.jobs} at once",
                            g.floor,
                        ],
                        [f"the same {g.copies} graded as submissions, {g.jobs} at once", g.seconds],
                        ["ratio", f"{g.ratio:.2f}× {_verdict(g.ok)}"],
                    ],
                )
            )

    out += ["", "## Start-up costs in a fresh interpreter, step by step", ""]
    out.append(format_table(["step", "seconds"], [[label, s] for label, s in startup]))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python tools/bench.py",
        description="Time every course notebook, the whole validation and JupyterLab against "
        "their floors; print the table and write it to benchmarks/results.md.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="skip the whole validation, the browser, the set-up and grading",
    )
    parser.add_argument("--out", help="Markdown file to write (default benchmarks/results.md)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 if every target is met, 1 if any is missed."""
    args = build_parser().parse_args(argv)
    root = course_root()
    out = Path(args.out) if args.out else root / "benchmarks" / "results.md"
    notebooks = course_notebooks(root)

    def say(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    say("start-up costs")
    startup = time_startup_costs()
    time_floor(1)  # warm the disk cache, so that the first notebook measured is not penalised
    say(f"{len(notebooks)} notebooks")
    timed = time_notebooks(root, notebooks)
    say(f"floor: {len(notebooks)} import-only notebooks")
    floor = time_floor(len(notebooks))
    validation = browser_timing = install = grading = None
    if not args.quick:
        say("the whole validation: python3 course.py test")
        validation = time_validation(root, len(notebooks))
        say("JupyterLab in headless Chromium")
        browser_timing = time_browser(root)
        say("grading: 20 copies of a correct submission")
        grading = time_grading(root)
        # Last: it fills and then deletes a uv cache, whose disk traffic would slow what follows.
        say("setting up: course.py setup --lab in fresh clones")
        install = time_install(root)
    text = render(timed, floor, startup, validation, browser_timing, install, grading)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    say(f"wrote {out}")
    met = all(t.ok for t in timed)
    if validation is not None:
        met = met and validation.ok
    if browser_timing is not None:
        met = met and browser_timing.ok
    if install is not None:
        met = met and install.ok
    if grading is not None:
        met = met and grading.ok
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
