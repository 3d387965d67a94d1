"""What the two tests of the student environment share: Binder's path (tests/test_binder.py)
and the local path of `python3 course.py lab` (tests/test_local_env.py).

Both work on a clean copy of the repository (the files git tracks, as a fresh clone has them),
so that nothing untracked, no `.venv` and no build leftovers take part. On CI (`CI` set) they
never skip; elsewhere they skip, with the reason, when a tool or the network is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from secondment.paths import require_course_root

ROOT = require_course_root()
ON_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

REQUIREMENTS = "binder/requirements.txt"
RUNTIME = "binder/runtime.txt"

#: Signs in an installer's output that the package index could not be reached at all.
NETWORK_ERRORS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "ProxyError",
    "ConnectTimeoutError",
)


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


def runtime_interpreter(version: str) -> str:
    """A Python of the version Binder uses: this one, or `pythonX.Y` on the PATH."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    found = shutil.which(f"python{version}")
    if not found:
        unavailable(f"Binder uses Python {version}; this is {sys.version.split()[0]}")
    return found


def isolated_env(venv: Path) -> dict[str, str]:
    """This process's environment (proxies, certificates) with nothing of its Python leaking."""
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


def lock_pins(lock: Path) -> set[str]:
    """`name==version` of every pin of a lock that applies to this machine (as doctor reads it)."""
    from secondment.doctor import locked_versions

    return {f"{name}=={version}" for name, version in locked_versions(lock).items()}


def pick(paths: list[Path], order: tuple[str, ...]) -> Path | None:
    """The first notebook whose name starts with a number of `order`, in that order."""
    for number in order:
        for path in sorted(paths):
            if path.name.startswith(f"{number}-"):
                return path
    return None
