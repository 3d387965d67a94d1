"""What mybinder.org builds from this repository, checked without Docker.

1. repo2docker lints the repository: `jupyter-repo2docker --no-build --debug` prints the
   Dockerfile Binder would build (no Docker daemon needed). It must use the Python of
   `binder/runtime.txt`, install `binder/requirements.txt`, and ignore any configuration at the
   top level of the repository (a `binder/` folder wins).
2. The Binder environment is the student lock, installed alone into a fresh virtual
   environment from the repository root. What ends up installed must be exactly the lock (no
   package missing from it, none left free), with no test tools; `python -m secondment doctor`
   must say ready; and a lesson and an exercise solution must pass nbval with their kernel in
   that environment. A notebook that imports a package the student lock does not bring fails
   here, even though the test environment (which has more packages) runs it happily.

Both work on a clean copy of the repository (the files git tracks, as a fresh clone has them),
so that nothing untracked, no `.venv` and no build leftovers take part. The install uses uv,
as `course.py` does (Binder itself uses pip; the lock is the same, and pip's reading of it is
checked by repo2docker's Dockerfile above). Deselect these tests locally with `-m "not binder"`.
On CI (`CI` set) they never skip; elsewhere they skip, with the reason, when a tool or the
network is missing.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from secondment.paths import require_course_root

pytestmark = pytest.mark.binder

ROOT = require_course_root()
ON_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

REQUIREMENTS = "binder/requirements.txt"
RUNTIME = "binder/runtime.txt"

#: Generous upper bound for the installed Binder environment (mybinder.org gives 1-2 GB RAM,
#: and a big image is slow to start). Measured: about 0.4 GB without .pyc files.
MAX_ENV_BYTES = 1_500_000_000

#: The notebooks nbval runs with the Binder kernel, first found in this order: lesson 06 counts
#: words with jieba and draws a chart in the course font; solution 01 runs the self-checks.
#: (Every notebook's imports are tried in the Binder environment separately, which is cheaper.)
LESSON_ORDER = ("06", "05", "01", "02", "03", "04")
EXERCISE_ORDER = ("01", "02", "03", "04", "05", "06")

#: Signs in pip's output that the package index could not be reached at all.
NETWORK_ERRORS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "ProxyError",
    "ConnectTimeoutError",
)

#: Top-level files repo2docker would act on if there were no binder/ folder.
DECOYS = {
    "requirements.txt": "decoy-package-at-the-root==0.0.1\n",
    "runtime.txt": "python-3.10\n",
    "environment.yml": "dependencies:\n  - python=3.9\n  - decoy-conda-package\n",
    "apt.txt": "decoy-apt-package\n",
    "postBuild": "#!/bin/sh\necho decoy-post-build\n",
    "Dockerfile": "FROM scratch\n",
}


def unavailable(reason: str) -> None:
    """Skip with a one-line reason, except on CI, where a missing tool is a failure."""
    if ON_CI:
        pytest.fail(f"{reason} (CI never skips this test)", pytrace=False)
    pytest.skip(reason)


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def clean_copy(dest: Path) -> Path:
    """Copy the files git tracks, as they are in the working tree, into `dest`."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        unavailable(f"cannot list the repository's files with git: {exc}")
    dest.mkdir(parents=True)
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():  # deleted, not yet committed
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    return dest


def runtime_python(repo: Path) -> str:
    """The Python version `binder/runtime.txt` asks Binder for, such as "3.11"."""
    text = (repo / RUNTIME).read_text(encoding="utf-8").strip()
    m = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert m, f"{RUNTIME} should hold one line like python-3.11, not {text!r}"
    return m[1]


# ---------------------------------------------------------------- 1. repo2docker lint


def repo2docker(repo: Path, cwd: Path) -> tuple[str, str]:
    """The Dockerfile and the log of `jupyter-repo2docker --no-build --debug REPO`."""
    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    if not exe.exists():
        unavailable(f"{exe.name} is not installed next to {Path(sys.executable).name}")
    # cwd: repo2docker reads a repo2docker_config.py from its working directory, if any.
    done = subprocess.run(
        [str(exe), "--no-build", "--debug", str(repo)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"repo2docker failed:\n{tail(done.stdout + done.stderr)}"
    return done.stdout, done.stderr


def unescape(dockerfile: str) -> str:
    """Undo repo2docker's escaping of build-script names (`-2e` is `.`, `-2d` is `-`)."""
    return re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m[1], 16)), dockerfile)


def test_repo2docker_builds_binder_folder_with_runtime_python(tmp_path: Path) -> None:
    repo = clean_copy(tmp_path / "repo")
    python = runtime_python(repo)
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    requires = SpecifierSet(pyproject["project"]["requires-python"])
    assert f"{python}.0" in requires, f"{RUNTIME} asks for {python}, the course needs {requires}"

    start = time.perf_counter()
    dockerfile, log = repo2docker(repo, cwd=tmp_path)
    print(f"repo2docker --no-build: {time.perf_counter() - start:.1f} s")

    # The conda base environment is chosen by its lock file, environment.py-X.Y-….lock.
    versions = set(re.findall(r"environment\.py-(\d+\.\d+)-", unescape(dockerfile)))
    assert versions == {python}, f"Dockerfile uses Python {versions or '?'}, not {python}"
    assert re.search(rf"^COPY .*\bsrc/{REQUIREMENTS} ", dockerfile, re.MULTILINE)
    installs = re.findall(r"^RUN .*\bpip install\b.*$", dockerfile, re.MULTILINE)
    assert len(installs) == 1, f"expected one pip install, found {installs}"
    assert installs[0].rstrip().endswith(f'-r "{REQUIREMENTS}"'), installs[0]


def test_repo2docker_ignores_top_level_configuration(tmp_path: Path) -> None:
    repo = clean_copy(tmp_path / "repo")
    plain, _ = repo2docker(repo, cwd=tmp_path)
    for name, text in DECOYS.items():
        (repo / name).write_text(text, encoding="utf-8")
    (repo / "postBuild").chmod(0o755)
    decorated, _ = repo2docker(repo, cwd=tmp_path)

    assert "decoy" not in decorated
    assert decorated == plain, "top-level configuration changed what Binder builds"


# ---------------------------------------------------------------- 2. the Binder environment


def binder_interpreter(version: str) -> str:
    """A Python of the version Binder uses: this one, or `pythonX.Y` on the PATH."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    found = shutil.which(f"python{version}")
    if not found:
        unavailable(f"Binder uses Python {version}; this is {sys.version.split()[0]}")
    return found


def isolated_env(venv: Path) -> dict[str, str]:
    """This process's environment (proxies, pip settings) with nothing of its Python leaking."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")
        and not k.startswith("PYTEST_")
    }
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env["PYTHONNOUSERSITE"] = "1"
    # Binder's pip compiles bytecode at install; uv does not, so let Python cache it on first
    # import here, or every process in this environment compiles pandas and IPython again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def folder_bytes(path: Path) -> int:
    """Disk space taken by the files under `path`, as `du` counts it where it can."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            total += getattr(st, "st_blocks", 0) * 512 or st.st_size
    return total


class BinderEnv:
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


def lock_pins(lock: Path) -> set[str]:
    """`name==version` of every pin of a lock that applies to this machine (as doctor reads it)."""
    from secondment.doctor import locked_versions

    return {f"{name}=={version}" for name, version in locked_versions(lock).items()}


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory: pytest.TempPathFactory) -> BinderEnv:
    """A clean copy of the repository and a fresh venv holding the student lock only."""
    if os.name == "nt":
        pytest.skip("Binder images are Linux; the Binder install is checked on Linux and macOS")
    base = tmp_path_factory.mktemp("binder")
    repo = clean_copy(base / "repo")
    interpreter = binder_interpreter(runtime_python(repo))
    env = BinderEnv(repo, base / "venv")

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

    # From the repository root (so `-e .` is the copy), as repo2docker's Dockerfile does.
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
        f"Binder environment: venv {venv_seconds:.1f} s, uv pip install {install_seconds:.1f} s, "
        f"{size / 1e6:.0f} MB installed"
    )
    assert size < MAX_ENV_BYTES, f"the Binder environment takes {size / 1e6:.0f} MB"
    return env


def test_binder_environment_is_exactly_the_student_lock(binder_env: BinderEnv) -> None:
    frozen = subprocess.run(
        [sys.executable, "-m", "uv", "pip", "freeze", "--python", binder_env.python],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    installed = {re.sub(r"[-_.]+", "-", n.split("==")[0]).lower() + "==" + n.split("==")[1]
                 for n in frozen if "==" in n}  # fmt: skip
    editable = [line for line in frozen if line.startswith("-e ")]
    locked = lock_pins(binder_env.repo / REQUIREMENTS)

    assert installed - locked == set(), "installed but not in the lock"
    assert locked - installed == set(), "in the lock but not installed"
    assert [Path(e.split("file://", 1)[1]).name for e in editable] == ["repo"]
    names = {pin.split("==")[0] for pin in installed}
    assert names.isdisjoint(
        {"pytest", "nbval", "ruff", "hypothesis", "playwright", "mypy", "sphinx", "myst-nb"}
    )


def test_binder_environment_passes_doctor(binder_env: BinderEnv) -> None:
    done = binder_env.run("-m", "secondment", "doctor", timeout=300)
    assert done.returncode == 0, f"doctor says not ready:\n{done.stdout}{tail(done.stderr)}"
    assert "Ready for the course." in done.stdout


def pick(paths: list[Path], order: tuple[str, ...]) -> Path | None:
    """The first notebook whose name starts with a number of `order`, in that order."""
    for number in order:
        for path in sorted(paths):
            if path.name.startswith(f"{number}-"):
                return path
    return None


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


def binder_kernel(venv: Path, folder: Path) -> dict[str, str]:
    """A kernelspec `binder` whose kernel is the Binder environment's Python; the env for it."""
    spec = folder / "kernels" / "binder"
    spec.mkdir(parents=True)
    argv = [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Binder", "language": "python"}),
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


def test_every_notebook_import_works_in_the_binder_environment(binder_env: BinderEnv) -> None:
    imports = notebook_imports(binder_env.repo)
    assert any("secondment" in line for line in imports) and len(imports) > 20
    # The self-checks load one module per exercise when check() first runs.
    script = "\n".join(imports) + (
        "\nimport importlib, pkgutil, secondment.checks as c"
        "\nfor m in pkgutil.iter_modules(c.__path__): importlib.import_module(f'{c.__name__}.{m.name}')"
    )
    done = binder_env.run("-c", script, timeout=300)
    assert done.returncode == 0, f"an import fails in the Binder environment:\n{tail(done.stderr)}"


def test_binder_environment_runs_a_lesson_and_an_exercise(
    binder_env: BinderEnv, tmp_path: Path
) -> None:
    repo = binder_env.repo
    lesson = pick(list(repo.glob("notebooks/0[1-6]-*.ipynb")), LESSON_ORDER)
    exercise = pick(list(repo.glob("exercises/solutions/*.ipynb")), EXERCISE_ORDER)
    chosen = [p.relative_to(repo).as_posix() for p in (lesson, exercise) if p is not None]
    assert chosen, "no lesson 01-06 and no exercise solution"

    # nbval runs here, in the test environment (the student lock has no pytest); each cell runs
    # in a kernel of the Binder environment, which sees only the student lock's packages.
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider",
         *nbval_options(repo), "--nbval-kernel-name", "binder", "-q", *chosen],
        cwd=repo, env=binder_kernel(binder_env.venv, tmp_path / "jupyter"),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"nbval failed in the Binder environment on {', '.join(chosen)}:\n"
        f"{tail(done.stdout + done.stderr, 60)}"
    )
    assert re.search(r"\d+ passed", done.stdout)
    print(f"nbval in the Binder environment: {time.perf_counter() - start:.1f} s, {chosen}")


def test_a_binder_kernel_cannot_import_test_tools(binder_env: BinderEnv) -> None:
    done = binder_env.run("-c", "import pytest", timeout=60)
    assert done.returncode != 0 and "No module named 'pytest'" in done.stderr
