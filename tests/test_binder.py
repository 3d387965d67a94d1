"""What mybinder.org builds from this repository, the way it builds it, without Docker.

This is Binder's path; `python3 course.py lab` installs the same student lock another way
(alone, with uv), which tests/test_local_env.py checks.

1. repo2docker lints the repository: `jupyter-repo2docker --no-build --debug` prints the
   Dockerfile Binder would build (no Docker daemon needed). It must use the Python of
   `binder/runtime.txt` and the base environment tools/binder_base.py reads, install
   `binder/requirements.txt` with the pip command this test runs, as the image's user, and
   ignore any configuration at the top level of the repository (a `binder/` folder wins).
2. Binder's layers, rebuilt: repo2docker's base environment (its conda lock for the runtime's
   Python, as PyPI packages, put down with uv exactly as locked and handed to the image's
   user, as repo2docker hands it to jovyan), then, as that user (nobody, when the tests run as
   root), the base's own pip runs the Dockerfile's `pip install --no-cache-dir -r
   binder/requirements.txt` from the root of a clean copy of the repository that the user owns.
   Then `pip check` must be clean, what is installed must be the base with the lock's versions
   in place of the base's (nothing else), every lab extension must fit the course's JupyterLab,
   `python -m secondment doctor` must say ready, and notebook 00 and a student exercise
   notebook must run through with no error and nothing on stderr.

Deselect these tests locally with `-m "not binder"`. On CI (`CI` set) they never skip; elsewhere
they skip, with the reason, when a tool or the network is missing.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import binder_base
import pytest
from env_support import (
    NETWORK_ERRORS,
    REQUIREMENTS,
    RUNTIME,
    clean_copy,
    isolated_env,
    pick,
    runtime_python,
    tail,
    unavailable,
)
from packaging.specifiers import SpecifierSet

pytestmark = pytest.mark.binder

#: The pip command line repo2docker's Dockerfile installs the student lock with, from the
#: repository root (the first test holds the Dockerfile to it; the layers run it).
PIP_INSTALL = ("install", "--no-cache-dir", "-r", REQUIREMENTS)

#: mybinder.org builds as jovyan, uid 1000 (BinderHub passes it to repo2docker).
BINDER_USER = ("jovyan", 1000)

#: When the tests run as root, pip runs as nobody, with no groups, as the grader's kernels do
#: (uid 1000 may belong to someone on a test machine).
NOBODY = 65534

#: The student exercise notebook run in Binder's layers: the first found in this order. Exercise
#: 06 imports jieba, which behaves differently where setuptools is installed, as in Binder's base.
EXERCISE_ORDER = ("06", "05", "01", "02", "03", "04", "07")

#: Top-level files repo2docker would act on if there were no binder/ folder.
DECOYS = {
    "requirements.txt": "decoy-package-at-the-root==0.0.1\n",
    "runtime.txt": "python-3.10\n",
    "environment.yml": "dependencies:\n  - python=3.9\n  - decoy-conda-package\n",
    "apt.txt": "decoy-apt-package\n",
    "postBuild": "#!/bin/sh\necho decoy-post-build\n",
    "Dockerfile": "FROM scratch\n",
}


# ---------------------------------------------------------------- 1. repo2docker lint


def repo2docker(repo: Path, cwd: Path) -> tuple[str, str]:
    """The Dockerfile and the log of `jupyter-repo2docker --no-build --debug REPO`, as
    mybinder.org would run it (for jovyan, uid 1000)."""
    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    if not exe.exists():
        unavailable(f"{exe.name} is not installed next to {Path(sys.executable).name}")
    name, uid = BINDER_USER
    # cwd: repo2docker reads a repo2docker_config.py from its working directory, if any.
    done = subprocess.run(
        [str(exe), "--no-build", "--debug", "--user-id", str(uid), "--user-name", name, str(repo)],
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

    # The conda base environment is chosen by its lock file, environment.py-X.Y-….lock: the
    # very file tools/binder_base.py reads.
    unescaped = unescape(dockerfile)
    versions = set(re.findall(r"environment\.py-(\d+\.\d+)-", unescaped))
    assert versions == {python}, f"Dockerfile uses Python {versions or '?'}, not {python}"
    assert str(binder_base.lock_path(python)) in unescaped
    assert re.search(rf"^COPY .*\bsrc/{REQUIREMENTS} ", dockerfile, re.MULTILINE)
    # The repository belongs to the image's user, who runs pip with exactly PIP_INSTALL.
    uid = BINDER_USER[1]
    assert re.search(rf"^COPY --chown={uid}:{uid} src/ \$\{{REPO_DIR\}}/$", dockerfile, re.M)
    installs = re.findall(r"^RUN .*\bpip install\b.*$", dockerfile, re.MULTILINE)
    assert len(installs) == 1, f"expected one pip install, found {installs}"
    words = shlex.split(installs[0].removeprefix("RUN "))
    assert words[0].endswith("/bin/pip") and tuple(words[1:]) == PIP_INSTALL, installs[0]
    before = dockerfile[: dockerfile.index(installs[0])]
    assert re.findall(r"^USER (\S+)$", before, re.MULTILINE)[-1] == "${NB_USER}"


def test_repo2docker_ignores_top_level_configuration(tmp_path: Path) -> None:
    repo = clean_copy(tmp_path / "repo")
    plain, _ = repo2docker(repo, cwd=tmp_path)
    for name, text in DECOYS.items():
        (repo / name).write_text(text, encoding="utf-8")
    (repo / "postBuild").chmod(0o755)
    decorated, _ = repo2docker(repo, cwd=tmp_path)

    assert "decoy" not in decorated
    assert decorated == plain, "top-level configuration changed what Binder builds"


# ---------------------------------------------------------------- 2. Binder's layers


def as_user(uid: int | None) -> list[str]:
    """The command prefix that runs what follows as `uid`, with no groups (none: as is)."""
    if uid is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]


def image_user(version: str) -> tuple[int | None, str]:
    """Who runs pip, as jovyan does on Binder (nobody if the tests run as root, else the tests'
    own user), and a Python `version` interpreter that user can run."""
    candidates = [shutil.which(f"python{version}"), f"/usr/local/bin/python{version}"]
    candidates.append(f"/usr/bin/python{version}")
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.insert(0, getattr(sys, "_base_executable", sys.executable))
    found = list(dict.fromkeys(os.path.realpath(c) for c in candidates if c and os.path.isfile(c)))
    users: list[int | None] = [None]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        users.insert(0, NOBODY)  # root only where no Python is open to anyone else
    probe = "import sys; print('%d.%d' % sys.version_info[:2])"
    for uid in users:
        for interpreter in found:
            # Through a shell, as pip starts the venv's Python: setpriv itself may start a
            # program in a folder that the user cannot reach.
            done = subprocess.run(
                [*as_user(uid), "/bin/sh", "-c", '"$0" -c "$1"', interpreter, probe],
                cwd="/", capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            if done.stdout.strip() == version:
                return uid, interpreter
    unavailable(f"Binder uses Python {version}, which is not installed here")
    raise AssertionError  # unreachable: unavailable() skips or fails


def hand_over(path: Path, uid: int) -> None:
    """Give `uid` a tree: its folders, and its files but uv's hard links (which share their
    owner with uv's cache). Owning the folders is what lets pip replace any file."""
    os.lchown(path, uid, uid)
    for folder, dirs, names in os.walk(path):
        for name in dirs + names:
            target = os.path.join(folder, name)
            if name in dirs or os.lstat(target).st_nlink == 1:
                os.lchown(target, uid, uid)


def scratch() -> Path:
    """A new folder for the layers (about 0.7 GB), in memory where there is room: on a busy
    disk, writing them costs pip seconds and removing them took up to 40 s more."""
    shm = Path("/dev/shm")
    roomy = shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 3e9
    # Not under pytest's own temporary folder: that is closed to every user but this one.
    top = Path(tempfile.mkdtemp(prefix="binder-layers-", dir=shm if roomy else None))
    top.chmod(0o755)
    return top


def user_env(venv: Path, home: Path) -> dict[str, str]:
    """The environment of the image's user: the venv first on PATH, a home of its own, and of
    this machine's pip settings only those that reach the index (certificates, proxies): no
    pip configuration file, whose extra indexes, wheel folders or constraints Binder has not."""
    reach = ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CERT", "PIP_CLIENT_CERT", "PIP_PROXY")
    reach += ("PIP_TRUSTED_HOST", "PIP_DEFAULT_TIMEOUT", "PIP_RETRIES")
    env = {
        k: v
        for k, v in isolated_env(venv).items()
        if not (k.startswith(("PIP_", "JUPYTER", "IPYTHON", "MPL", "XDG_")) and k not in reach)
    }
    env["HOME"] = str(home)
    env["PIP_CONFIG_FILE"] = os.devnull  # pip then reads no configuration file at all
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"  # only quieter
    return env


@dataclass
class Layers:
    """Binder's environment, rebuilt: the base, then the student lock installed over it."""

    repo: Path
    venv: Path
    out: Path
    base: dict[str, str]
    uid: int | None
    env: dict[str, str]

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv's (`pip`, `python`, `jupyter`) as the image's user."""
        return subprocess.run(
            [*as_user(self.uid), str(self.venv / "bin" / args[0]), *args[1:]],
            cwd=self.repo, env=self.env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip


@pytest.fixture(scope="module")
def layers() -> Iterator[Layers]:
    """Binder's base for the runtime's Python, then `pip install --no-cache-dir -r
    binder/requirements.txt` over it as the image's user, from a clean copy of the repository."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Binder images are Linux; Binder's layers are rebuilt on Linux")
    top = scratch()
    try:
        repo = clean_copy(top / "repo")
        python = runtime_python(repo)
        uid, interpreter = image_user(python)

        start = time.perf_counter()
        try:
            base = binder_base.make_base_env(top / "venv", interpreter, python)
        except binder_base.BaseEnvError as exc:
            if any(sign in str(exc) for sign in NETWORK_ERRORS):
                unavailable(f"cannot lay down Binder's base (offline?): {exc}")
            pytest.fail(f"cannot lay down Binder's base: {exc}", pytrace=False)
        base_seconds = time.perf_counter() - start

        layers = Layers(repo, top / "venv", top / "out", base, uid, {})
        for folder in (top / "home", layers.out):
            folder.mkdir()
        if uid is not None:  # repo2docker: `chown -R` of the base, `COPY --chown` of the repo
            for path in (layers.venv, repo, top / "home", layers.out):
                hand_over(path, uid)
        layers.env = user_env(layers.venv, top / "home")

        start = time.perf_counter()
        done = layers.run("pip", *PIP_INSTALL, timeout=600)
        pip_seconds = time.perf_counter() - start
        output = done.stdout + done.stderr
        if done.returncode != 0:
            if any(sign in output for sign in NETWORK_ERRORS):
                unavailable("pip cannot reach the package index (offline?)")
            pytest.fail(f"pip {shlex.join(PIP_INSTALL)} failed:\n{tail(output)}", pytrace=False)
        who = "root" if uid is None and os.geteuid() == 0 else f"uid {uid or os.geteuid()}"
        print(
            f"Binder's layers ({binder_base.REPO2DOCKER} {binder_base.repo2docker_version()}, "
            f"Python {python}, as {who}, in {top.parent}): "
            f"base of {len(base)} packages with uv {base_seconds:.1f} s, "
            f"pip {shlex.join(PIP_INSTALL)} {pip_seconds:.1f} s"
        )
        yield layers
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_binder_layers_pass_pip_check(layers: Layers) -> None:
    done = layers.run("python", "-m", "pip", "check")
    assert done.returncode == 0, f"pip check, over Binder's base:\n{done.stdout}{done.stderr}"
    assert "No broken requirements found." in done.stdout


def test_binder_layers_are_the_base_with_the_locks_versions(layers: Layers) -> None:
    listed = layers.run("python", "-m", "pip", "list", "--format=json")
    assert listed.returncode == 0, listed.stderr
    installed = {binder_base.normalise(p["name"]): p["version"] for p in json.loads(listed.stdout)}
    # The lock's markers are evaluated by the venv's own Python, not by this one.
    read = "import json, pathlib, secondment.doctor as d; print(json.dumps(d.locked_versions("
    read += f"pathlib.Path({REQUIREMENTS!r}))))"
    reader = layers.run("python", "-c", read)
    assert reader.returncode == 0, reader.stderr
    locked = json.loads(reader.stdout)
    course = tomllib.loads((layers.repo / "pyproject.toml").read_text(encoding="utf-8"))

    expected = {**layers.base, **locked, "secondment": course["project"]["version"]}
    assert {n: v for n, v in installed.items() if expected.get(n) != v} == {}, "not as expected"
    assert {n: v for n, v in expected.items() if n not in installed} == {}, "missing"
    moved = sorted(n for n in locked if n in layers.base and locked[n] != layers.base[n])
    print(f"the lock moves {len(moved)} of the base's {len(layers.base)} packages: {moved}")


def test_binder_layers_lab_extensions_fit_the_course_jupyterlab(layers: Layers) -> None:
    done = layers.run("jupyter", "labextension", "list")
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)  # colours
    assert done.returncode == 0, text
    listed = re.findall(r"^\s+(\S+) v(\S+) (enabled|disabled)\s+(\S+)", text, re.MULTILINE)
    assert "@jupyter-notebook/lab-extension" in [name for name, *_ in listed], text
    assert [e for e in listed if e[2:] != ("enabled", "OK")] == [], text
    assert "incompatible" not in text, text


def test_binder_layers_pass_doctor(layers: Layers) -> None:
    done = layers.run("python", "-m", "secondment", "doctor")
    assert done.returncode == 0, f"doctor says not ready:\n{done.stdout}{tail(done.stderr)}"
    assert "Ready for the course." in done.stdout


def test_binder_layers_run_lesson_00_and_an_exercise(layers: Layers) -> None:
    repo = layers.repo
    lesson = repo / "notebooks" / "00-start-here.ipynb"
    exercise = pick(list(repo.glob("exercises/*-exercises.ipynb")), EXERCISE_ORDER)
    assert lesson.is_file() and exercise is not None
    chosen = [p.relative_to(repo).as_posix() for p in (lesson, exercise)]

    start = time.perf_counter()
    done = layers.run(
        "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(layers.out),
        "--ExecutePreprocessor.timeout=300", *chosen,
    )  # fmt: skip
    assert done.returncode == 0, f"{', '.join(chosen)} did not run:\n{tail(done.stderr)}"
    print(f"nbconvert --execute in Binder's layers: {time.perf_counter() - start:.1f} s, {chosen}")

    texts = {}
    for path in chosen:
        cells = json.loads((layers.out / Path(path).name).read_text(encoding="utf-8"))["cells"]
        outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
        bad = [
            o.get("ename") or "".join(o["text"])
            for o in outputs
            if o["output_type"] == "error" or o.get("name") == "stderr"
        ]
        assert bad == [], f"{path} shows errors or stderr in Binder's layers: {bad}"
        texts[path] = "".join("".join(o.get("text", "")) for o in outputs)
    assert "Ready for the course." in texts[chosen[0]]
