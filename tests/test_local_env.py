"""The student lock as `python3 course.py lab` installs it: alone, with uv, in a fresh venv.

This is the local path, not Binder's (Binder installs the same lock with pip over repo2docker's
own environment: tests/test_binder.py). From the root of a clean copy of the repository, the
student lock goes into a fresh virtual environment with uv, as `course.py` does. What ends up
installed must be exactly the lock (no package missing from it, none left free), with no test
tools; `python -m secondment doctor` must say ready; and a lesson and an exercise solution must
pass nbval with their kernel in that environment. A notebook that imports a package the student
lock does not bring fails here, even though the test environment (which has more packages) runs
it happily. Deselect these tests locally with `-m "not binder"` (they install from the network).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from env_support import (
    NETWORK_ERRORS,
    REQUIREMENTS,
    clean_copy,
    isolated_env,
    lock_pins,
    pick,
    runtime_interpreter,
    runtime_python,
    tail,
    unavailable,
)

pytestmark = pytest.mark.binder

#: Generous upper bound for the installed student environment (mybinder.org gives 1-2 GB RAM,
#: and a big image is slow to start). Measured: about 0.4 GB without .pyc files.
MAX_ENV_BYTES = 1_500_000_000

#: The notebooks nbval runs with the local kernel, first found in this order: lesson 06 counts
#: words with jieba and draws a chart in the course font; solution 01 runs the self-checks.
#: (Every notebook's imports are tried in the local environment separately, which is cheaper.)
LESSON_ORDER = ("06", "05", "01", "02", "03", "04")
EXERCISE_ORDER = ("01", "02", "03", "04", "05", "06")


def folder_bytes(path: Path) -> int:
    """Disk space taken by the files under `path`, as `du` counts it where it can."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            total += getattr(st, "st_blocks", 0) * 512 or st.st_size
    return total


class LocalEnv:
    """A clean copy of the repository and the venv `course.py lab` would make for it."""

    def __init__(self, repo: Path, venv: Path) -> None:
        self.repo = repo
        self.venv = venv
        self.python = str(venv / "bin" / "python")
        self.env = isolated_env(venv)

    def run(self, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.python, *args],
            cwd=self.repo,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="module")
def local_env(tmp_path_factory: pytest.TempPathFactory) -> LocalEnv:
    """A clean copy of the repository and a fresh venv holding the student lock only."""
    if os.name == "nt":
        pytest.skip("the local install is checked on Linux and macOS")
    base = tmp_path_factory.mktemp("local")
    repo = clean_copy(base / "repo")
    interpreter = runtime_interpreter(runtime_python(repo))
    env = LocalEnv(repo, base / "venv")

    start = time.perf_counter()
    made = subprocess.run(
        [interpreter, "-m", "venv", "--without-pip", str(env.venv)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if made.returncode != 0:
        unavailable(f"python -m venv failed: {tail(made.stderr, 1)}")
    venv_seconds = time.perf_counter() - start

    # From the repository root (so `-e .` is the copy), as course.py installs it.
    start = time.perf_counter()
    uv = subprocess.run(
        [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", env.python]
        + ["-r", REQUIREMENTS],
        cwd=repo, env=env.env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    install_seconds = time.perf_counter() - start
    output = uv.stdout + uv.stderr
    if uv.returncode != 0:
        if any(sign in output for sign in NETWORK_ERRORS):
            unavailable("uv cannot reach the package index (offline?)")
        pytest.fail(f"uv pip install -r {REQUIREMENTS} failed:\n{tail(output)}", pytrace=False)

    size = folder_bytes(env.venv)
    print(
        f"local environment: venv {venv_seconds:.1f} s, uv pip install {install_seconds:.1f} s, "
        f"{size / 1e6:.0f} MB installed"
    )
    assert size < MAX_ENV_BYTES, f"the local environment takes {size / 1e6:.0f} MB"
    return env


def test_local_env_is_exactly_the_student_lock(local_env: LocalEnv) -> None:
    frozen = subprocess.run(
        [sys.executable, "-m", "uv", "pip", "freeze", "--python", local_env.python],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    installed = {re.sub(r"[-_.]+", "-", n.split("==")[0]).lower() + "==" + n.split("==")[1]
                 for n in frozen if "==" in n}  # fmt: skip
    editable = [line for line in frozen if line.startswith("-e ")]
    locked = lock_pins(local_env.repo / REQUIREMENTS)

    assert installed - locked == set(), "installed but not in the lock"
    assert locked - installed == set(), "in the lock but not installed"
    assert [Path(e.split("file://", 1)[1]).name for e in editable] == ["repo"]
    names = {pin.split("==")[0] for pin in installed}
    assert names.isdisjoint(
        {"pytest", "nbval", "ruff", "hypothesis", "playwright", "mypy", "sphinx", "myst-nb"}
    )


def test_local_env_passes_doctor(local_env: LocalEnv) -> None:
    done = local_env.run("-m", "secondment", "doctor", timeout=300)
    assert done.returncode == 0, f"doctor says not ready:\n{done.stdout}{tail(done.stderr)}"
    assert "Ready for the course." in done.stdout


def nbval_options(repo: Path) -> list[str]:
    """The configured pytest options, minus xdist's and the current-environment kernel."""
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = list(pyproject["tool"]["pytest"]["ini_options"].get("addopts", []))
    kept: list[str] = []
    skip_next = False
    for opt in addopts:
        if skip_next:
            skip_next = False
        elif opt in ("-n", "--numprocesses", "--dist", "--maxprocesses"):
            skip_next = True
        elif opt != "--nbval-current-env" and not re.match(
            r"^(-n\d|--numprocesses=|--dist=|--maxprocesses=)", opt
        ):
            kept.append(opt)
    return kept


def local_kernel(venv: Path, folder: Path) -> dict[str, str]:
    """A kernelspec `local` whose kernel is the local environment's Python; the env for it."""
    spec = folder / "kernels" / "local"
    spec.mkdir(parents=True)
    argv = [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Local", "language": "python"}),
        encoding="utf-8",
    )
    env = {**os.environ, "JUPYTER_PATH": str(folder)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as in isolated_env
    return env


def notebook_imports(repo: Path) -> list[str]:
    """Every import statement in the code cells of every lesson, exercise and solution."""
    found: set[str] = set()
    for nb in sorted(repo.glob("notebooks/*.ipynb")) + sorted(repo.rglob("exercises/**/*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            try:
                tree = ast.parse("".join(cell["source"]))
            except SyntaxError:  # a cell a lesson shows failing on purpose
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                    found.add(ast.unparse(node))
    return sorted(found)


def test_every_notebook_import_works_in_the_local_env(local_env: LocalEnv) -> None:
    imports = notebook_imports(local_env.repo)
    assert any("secondment" in line for line in imports) and len(imports) > 20
    # The self-checks load one module per exercise when check() first runs.
    script = "\n".join(imports) + (
        "\nimport importlib, pkgutil, secondment.checks as c"
        "\nfor m in pkgutil.iter_modules(c.__path__): importlib.import_module(f'{c.__name__}.{m.name}')"
    )
    done = local_env.run("-c", script, timeout=300)
    assert done.returncode == 0, f"an import fails in the local environment:\n{tail(done.stderr)}"


def test_local_env_runs_a_lesson_and_an_exercise(local_env: LocalEnv, tmp_path: Path) -> None:
    repo = local_env.repo
    lesson = pick(list(repo.glob("notebooks/0[1-6]-*.ipynb")), LESSON_ORDER)
    exercise = pick(list(repo.glob("exercises/solutions/*.ipynb")), EXERCISE_ORDER)
    chosen = [p.relative_to(repo).as_posix() for p in (lesson, exercise) if p is not None]
    assert chosen, "no lesson 01-06 and no exercise solution"

    # nbval runs here, in the test environment (the student lock has no pytest); each cell runs
    # in a kernel of the local environment, which sees only the student lock's packages.
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider",
         *nbval_options(repo), "--nbval-kernel-name", "local", "-q", *chosen],
        cwd=repo, env=local_kernel(local_env.venv, tmp_path / "jupyter"),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"nbval failed in the local environment on {', '.join(chosen)}:\n"
        f"{tail(done.stdout + done.stderr, 60)}"
    )
    assert re.search(r"\d+ passed", done.stdout)
    print(f"nbval in the local environment: {time.perf_counter() - start:.1f} s, {chosen}")


def test_a_local_kernel_cannot_import_test_tools(local_env: LocalEnv) -> None:
    done = local_env.run("-c", "import pytest", timeout=60)
    assert done.returncode != 0 and "No module named 'pytest'" in done.stderr
