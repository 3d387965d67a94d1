"""Lock the course's environments: every package, direct and indirect, at one exact version.

    python tools/lock.py            re-lock after editing pyproject.toml's dependencies
    python tools/lock.py --upgrade  move every package to its newest allowed version
    python tools/lock.py --check    fail, without the network, when a lock is out of date

pyproject.toml declares the dependencies once, as ranges. This writes, with `uv pip compile
--universal` (one lock for Linux, macOS and Windows):

- binder/requirements.txt: the student environment, `secondment[lab]`. Binder builds from it,
  and `course.py lab` installs it.
- requirements-test.txt: the test environment, `secondment[test]`, held to the student lock's
  versions wherever the two share a package. CI and `course.py test` install it.

Binder does not install the student lock alone: repo2docker first lays down a base environment
of its own (JupyterLab, notebook, jupyter_server, JupyterHub, ...; tools/binder_base.py reads it
from the jupyter-repo2docker the test lock pins), then pip installs the lock over it. A base
package the lock does not pin keeps its base version, so after writing the student lock this
installs it the same way over the base (from PyPI, into a throwaway venv) and runs `pip check`.
Each base package whose requirements are then unmet (notebook, when the course's JupyterLab is
newer than the base's notebook allows) joins the student lock's requirements, unversioned, and
the lock is made again, until `pip check` is clean. Those packages are named in the student
lock's header together with the repo2docker version, and required by the test lock too; a
re-lock starts from the ones already named, `--upgrade` from none. Checking needs Python 3.11
(binder/runtime.txt's) on this machine.

Each lock records a digest of the pyproject.toml tables it was made from, so `--check` (and a
test) can tell that the declarations changed after the last lock; `--check` also holds the
recorded repo2docker version to the one the test lock pins. Without `--upgrade`, uv keeps every
version already in a lock that still fits, so a re-lock changes only what it must.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import binder_base  # noqa: E402

from course import project_dependencies_digest  # noqa: E402  (course.py is standard library)

PYTHON = "3.11"
DIGEST_LINE = re.compile(r"^# pyproject\.toml dependencies: sha256 ([0-9a-f]{64})$", re.M)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(?:\s*;\s*(.+?))?\s*$")
RUNTIME = "binder/runtime.txt"
STUDENT_LOCK = "binder/requirements.txt"
#: The student lock's note of the Binder base it was checked against, and what it pins for it.
BASE_LINE = re.compile(
    r"^# Binder's base: jupyter-repo2docker (\S+), Python (\S+); "
    r"base packages pinned here to fit it: (.*)$",
    re.M,
)
#: Each round adds the base packages the previous lock left with unmet requirements.
MAX_ROUNDS = 4


@dataclass(frozen=True)
class Lock:
    """One locked environment: where it is written and what it installs."""

    path: str
    requirement: str
    constrained_by: str | None = None


LOCKS = (
    Lock("binder/requirements.txt", "-e .[lab]"),
    Lock("requirements-test.txt", "-e .[test]", constrained_by="binder/requirements.txt"),
)


class LockError(Exception):
    """A lock that is missing or out of date; the message says which and what to run."""


# `uv pip compile` notes where each constraint came from: `#   -c FILE`.
CONSTRAINT_NOTE = re.compile(r"^\s*#\s+-c (\S+)", re.M)


def pins(path: Path) -> dict[tuple[str, str], str]:
    """The `name==version ; marker` lines of a lock: {(normalised name, marker): version}.

    A package can be pinned twice, for different Pythons or platforms (numpy is), so the
    marker (empty when there is none) is part of the key.
    """
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := PIN.match(line.strip()):
            found[(normalise(m[1]), m[3] or "")] = m[2]
    return found


def normalise(name: str) -> str:
    """A package name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(root: Path = ROOT) -> dict[str, list[str]]:
    """pyproject.toml's requirements: `dependencies` and each extra, as written."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"dependencies": project["dependencies"], **project["optional-dependencies"]}


def runtime_python(root: Path = ROOT) -> str:
    """The Python version binder/runtime.txt asks Binder for, such as "3.11"."""
    text = (root / RUNTIME).read_text(encoding="utf-8").strip()
    if not (m := re.fullmatch(r"python-(\d+\.\d+)", text)):
        raise LockError(f"{RUNTIME} should hold one line like python-3.11, not {text!r}")
    return m[1]


def base_note(path: Path) -> tuple[str, str, list[str]] | None:
    """(repo2docker version, Python, base packages pinned for it) from a student lock's header."""
    m = BASE_LINE.search(path.read_text(encoding="utf-8"))
    if not m:
        return None
    return m[1], m[2], [] if m[3] == "none" else m[3].split(", ")


def compile_lock(
    lock: Lock, upgrade: bool, root: Path = ROOT, extra: list[str] | None = None
) -> None:
    """Write one lock with `uv pip compile`, then record the pyproject digest in it.

    `extra`: base packages of Binder's that the lock must pin too (see binder_unmet).
    """
    target = root / lock.path
    extra = sorted(extra or [])
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "uv", "pip", "compile", "-", "--quiet", "--universal"]
        command += ["--python-version", PYTHON, "--no-header", "-o", str(target)]
        if upgrade:
            command.append("--upgrade")
        if lock.constrained_by:
            # A constraint file cannot hold `-e .`: keep only the pins.
            constraints = Path(tmp) / "constraints.txt"
            lines = (root / lock.constrained_by).read_text(encoding="utf-8").splitlines()
            constraints.write_text(
                "\n".join(line for line in lines if PIN.match(line.strip())) + "\n",
                encoding="utf-8",
            )
            command += ["-c", str(constraints)]
        requirements = "".join(f"{line}\n" for line in [lock.requirement, *extra])
        done = subprocess.run(command, input=requirements, text=True, cwd=root)
    if done.returncode != 0:
        raise LockError(f"uv pip compile failed for {lock.path} (see its messages above)")
    body = target.read_text(encoding="utf-8")
    if lock.constrained_by:  # name the student lock, not the temporary copy of its pins
        body = body.replace(f"-c {constraints}", f"-c {lock.constrained_by}")
    for name in extra:  # uv gives a requirement read from stdin no note of where it came from
        body = re.sub(
            rf"^({re.escape(name)}==\S+)\n(?!\s+#)",
            r"\1\n    # via Binder's base, whose own version would not fit this lock\n",
            body,
            flags=re.M | re.I,
        )
    digest = project_dependencies_digest(root / "pyproject.toml")
    header = (
        f"# The locked {'student' if lock.constrained_by is None else 'test'} environment: "
        f"{lock.requirement.removeprefix('-e ')}, every package at one version.\n"
        "# Generated by `python tools/lock.py` from pyproject.toml: do not edit by hand.\n"
        f"# pyproject.toml dependencies: sha256 {digest}\n"
    )
    if lock.constrained_by is None:
        header += (
            f"# Binder's base: {binder_base.REPO2DOCKER} {binder_base.repo2docker_version()}, "
            f"Python {runtime_python(root)}; base packages pinned here to fit it: "
            f"{', '.join(extra) or 'none'}\n"
        )
    target.write_text(header + body, encoding="utf-8")


def binder_unmet(root: Path = ROOT) -> list[str]:
    """Base packages left with unmet requirements when the student lock goes over Binder's base.

    Laid out as Binder lays it (the base, then the lock's versions in place of the base's), but
    with uv and without resolving, into a throwaway venv; then the base's own pip checks it.
    """
    python = runtime_python(root)
    pins = [
        line.strip()
        for line in (root / STUDENT_LOCK).read_text(encoding="utf-8").splitlines()
        if PIN.match(line.strip())
    ]
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "binder"
        binder_base.make_base_env(venv, binder_base.find_python(python), python)
        binder_base.install(venv, pins)
        checked = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "check"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    if checked.returncode == 0:
        return []
    if unmet := binder_base.unmet(checked.stdout):
        return unmet
    raise LockError(f"pip check failed over Binder's base: {checked.stdout}{checked.stderr}")


def lock_student(lock: Lock, upgrade: bool, root: Path = ROOT) -> list[str]:
    """Write the student lock so that it fits Binder's base; the base packages it had to pin.

    A re-lock starts from the base packages the lock already pins for Binder (so it never
    writes a lock it knows does not fit), `--upgrade` from none.
    """
    note = None if upgrade or not (root / lock.path).is_file() else base_note(root / lock.path)
    extra = note[2] if note else []
    for _ in range(MAX_ROUNDS):
        compile_lock(lock, upgrade, root, extra)
        unmet = binder_unmet(root)
        if not unmet:
            return extra
        locked = {name for name, _ in pins(root / lock.path)}
        if set(unmet) & (locked | set(extra)):  # pinning it did not help
            break
        print(f"lock: over Binder's base, {', '.join(unmet)} would not fit: pinning it too")
        extra += unmet
    raise LockError(
        f"{lock.path} does not fit Binder's base: `pip check` reports {', '.join(unmet)}"
    )


def problems(root: Path = ROOT) -> list[str]:
    """Why the locks do not match pyproject.toml (empty when they do). Needs no network."""
    from packaging.requirements import Requirement

    digest = project_dependencies_digest(root / "pyproject.toml")
    found: list[str] = []
    locked: dict[str, dict[tuple[str, str], str]] = {}
    for lock in LOCKS:
        path = root / lock.path
        if not path.exists():
            found.append(f"{lock.path} is missing")
            continue
        text = path.read_text(encoding="utf-8")
        m = DIGEST_LINE.search(text)
        if not m or m[1] != digest:
            found.append(f"{lock.path} was made from other pyproject.toml dependencies")
        for named in sorted(set(CONSTRAINT_NOTE.findall(text))):
            if not (root / named).is_file():  # a temporary file, or a path of one machine
                found.append(f"{lock.path} names {named}, which is not a file of the course")
        locked[lock.path] = pins(path)
    if found:
        return found
    student, test = (locked[lock.path] for lock in LOCKS)
    found += base_problems(root, student, test)
    groups = declared(root)
    wanted = {
        "binder/requirements.txt": groups["dependencies"] + groups["lab"],
        "requirements-test.txt": [r for g in groups.values() for r in g],
    }
    for path, requirements in wanted.items():
        for text in requirements:
            req = Requirement(text)
            if normalise(req.name) == "secondment":
                continue
            versions = [v for (n, _), v in locked[path].items() if n == normalise(req.name)]
            if not versions:
                found.append(f"{path} has no pin for {req.name}")
            for version in versions:
                if not req.specifier.contains(version, prereleases=True):
                    found.append(f"{path} pins {req.name}=={version}, pyproject asks {req}")
    for (name, marker), version in student.items():
        where = f"{name}{' ; ' + marker if marker else ''}"
        if (name, marker) not in test:
            found.append(f"requirements-test.txt lacks {where}, which the student lock has")
        elif test[(name, marker)] != version:
            found.append(
                f"requirements-test.txt pins {where} at {test[(name, marker)]}, "
                f"binder/requirements.txt at {version}"
            )
    return found


def base_problems(
    root: Path, student: dict[tuple[str, str], str], test: dict[tuple[str, str], str]
) -> list[str]:
    """Why the student lock's note of Binder's base does not match the course (offline)."""
    note = base_note(root / STUDENT_LOCK)
    if note is None:
        return [f"{STUDENT_LOCK} does not say which Binder base it was checked against"]
    version, python, extra = note
    found = []
    pinned = sorted(v for (n, _), v in test.items() if n == normalise(binder_base.REPO2DOCKER))
    if pinned != [version]:
        found.append(
            f"{STUDENT_LOCK} was checked against Binder's base of {binder_base.REPO2DOCKER} "
            f"{version}, requirements-test.txt pins {', '.join(pinned) or 'none'} (install that "
            "with `python3 course.py setup` first)"
        )
    if python != runtime_python(root):
        found.append(
            f"{STUDENT_LOCK} was checked against Binder's base for Python {python}, "
            f"{RUNTIME} asks for {runtime_python(root)}"
        )
    names = {n for n, _ in student}
    found += [
        f"{STUDENT_LOCK} has no pin for {name}, which it says Binder's base needs"
        for name in extra
        if normalise(name) not in names
    ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="only check the locks, offline")
    group.add_argument("--upgrade", action="store_true", help="newest allowed versions")
    args = parser.parse_args(argv)
    try:
        if not args.check:
            student, test = LOCKS
            extra = lock_student(student, args.upgrade)
            compile_lock(test, args.upgrade, extra=extra)
            for lock in LOCKS:
                print(f"lock: wrote {lock.path} ({len(pins(ROOT / lock.path))} pins)")
        found = problems()
        if found:
            raise LockError("; ".join(found) + ": run `python tools/lock.py`")
    except (LockError, binder_base.BaseEnvError) as exc:
        print(f"lock: error: {exc}", file=sys.stderr)
        return 1
    print("lock: binder/requirements.txt and requirements-test.txt match pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
