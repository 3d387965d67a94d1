"""Binder's base environment: the Python packages repo2docker installs before the course's lock.

    python tools/binder_base.py [--python 3.11]   print the base's packages as PyPI pins

repo2docker builds a Python repository on a conda environment of its own (JupyterLab, notebook,
jupyter_server, JupyterHub's single-user server, ipywidgets, jupyter-resource-usage, ...), frozen
per Python in `repo2docker/buildpacks/conda/environment.py-X.Y-linux-64.lock`, and only then runs
`pip install --no-cache-dir -r binder/requirements.txt` on top of it. This module reads that file
from the installed jupyter-repo2docker (its version is pinned in requirements-test.txt) and
gives the base's Python packages under their PyPI names, so that tools/lock.py can hold the
student lock to them and tests/test_binder.py can rebuild the base from PyPI.

The conda lock also lists what is not a Python distribution: Python itself, Node.js, C
libraries, and conda-forge's metapackages that only pull in other entries of the lock. Those are
named in CONDA_ONLY and skipped; any other entry without a Python build is an error, so that a
new repo2docker cannot slip a package past this mapping unnoticed.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The distribution that holds the base environment's lock files.
REPO2DOCKER = "jupyter-repo2docker"
#: mybinder.org builds for x86-64.
PLATFORM = "linux-64"

#: Conda packages of the base that PyPI has no equivalent for, skipped on purpose.
CONDA_ONLY = frozenset(
    {
        # The interpreter, Node.js (JupyterLab's extension builder), and conda's own plumbing.
        "python",
        "python_abi",
        "nodejs",
        "_libgcc_mutex",
        "_openmp_mutex",
        # The time-zone database and CA bundle of the system (PyPI's tzdata and certifi are
        # other packages, and certifi is listed on its own).
        "tzdata",
        "ca-certificates",
        # C and C++ libraries.
        "bzip2",
        "icu",
        "keyutils",
        "krb5",
        "ld_impl_linux-64",
        "libedit",
        "libexpat",
        "libffi",
        "libgcc",
        "libgcc-ng",
        "libgomp",
        "liblzma",
        "libnsl",
        "libsodium",
        "libsqlite",
        "libstdcxx",
        "libstdcxx-ng",
        "libuuid",
        "libuv",
        "libxcrypt",
        "libzlib",
        "ncurses",
        "openssl",
        "readline",
        "tk",
        "yaml",
        "zeromq",
        "zlib",
        "zstd",
        # Metapackages: each only depends on other entries of the lock (its Python package is
        # listed under its own name).
        "bleach-with-css",  # bleach, tinycss2
        "cached-property",  # cached_property
        "jsonschema-with-format-nongpl",  # jsonschema and its format checkers
        "jupyterhub-singleuser",  # jupyterhub-base, jupyterlab
        "typing-extensions",  # typing_extensions
    }
)

#: Conda packages whose PyPI name differs (beyond `-`, `_` and case, which PyPI ignores).
PYPI_NAMES = {
    "brotli-python": "brotli",
    "jupyterhub-base": "jupyterhub",
    "nbconvert-core": "nbconvert",
    "python-fastjsonschema": "fastjsonschema",
}

# An explicit lock's lines: https://…/conda-forge/linux-64/NAME-VERSION-BUILD.conda#MD5
_ENTRY = re.compile(r"^https://\S+/(?:noarch|[\w-]+)/([^/#\s]+?)\.(?:conda|tar\.bz2)(?:#\S*)?$")


class BaseEnvError(Exception):
    """The base environment cannot be read: repo2docker missing, or a package not mapped."""


@dataclass(frozen=True)
class CondaPackage:
    """One entry of a conda lock."""

    name: str
    version: str
    build: str


def normalise(name: str) -> str:
    """A package name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def repo2docker_version() -> str:
    """The installed jupyter-repo2docker's version."""
    try:
        return md.version(REPO2DOCKER)
    except md.PackageNotFoundError:
        raise BaseEnvError(
            f"{REPO2DOCKER} is not installed: run `python3 course.py setup`"
        ) from None


def lock_path(python: str) -> Path:
    """The conda lock repo2docker builds Binder's base from, for a Python such as "3.11"."""
    repo2docker_version()
    found = Path(
        str(
            md.distribution(REPO2DOCKER).locate_file(
                f"repo2docker/buildpacks/conda/environment.py-{python}-{PLATFORM}.lock"
            )
        )
    )
    if not found.is_file():
        raise BaseEnvError(f"{REPO2DOCKER} {repo2docker_version()} has no base for Python {python}")
    return found


def conda_packages(text: str) -> list[CondaPackage]:
    """The packages of an explicit conda lock, in its order."""
    found = []
    for line in text.splitlines():
        if m := _ENTRY.match(line.strip()):
            # Conda file names are NAME-VERSION-BUILD, and neither version nor build holds `-`.
            name, version, build = m[1].rsplit("-", 2)
            found.append(CondaPackage(name, version, build))
    return found


def pypi_pins(packages: list[CondaPackage]) -> dict[str, str]:
    """{normalised PyPI name: version} of the Python packages among conda packages."""
    pins: dict[str, str] = {}
    for package in packages:
        if package.name in CONDA_ONLY:
            continue
        # conda-forge builds Python packages as `py…` (noarch `pyh…`, compiled `py311h…`).
        if not package.build.startswith("py"):
            raise BaseEnvError(
                f"Binder's base has {package.name} {package.version} (build {package.build}), "
                "which is not a Python package: add it to CONDA_ONLY in tools/binder_base.py"
            )
        name = normalise(PYPI_NAMES.get(package.name, package.name))
        if pins.get(name, package.version) != package.version:
            raise BaseEnvError(f"Binder's base has two versions of {name}")
        pins[name] = package.version
    return dict(sorted(pins.items()))


def base_pins(python: str) -> dict[str, str]:
    """Binder's base environment for a Python, as {normalised PyPI name: version}."""
    return pypi_pins(conda_packages(lock_path(python).read_text(encoding="utf-8")))


def find_python(python: str) -> str:
    """An interpreter of Python `python` (such as "3.11"): this one, or one uv finds here."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == python:
        return sys.executable
    done = subprocess.run(
        [sys.executable, "-m", "uv", "python", "find", "--system", "--no-python-downloads", python],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if done.returncode != 0 or not done.stdout.strip():
        raise BaseEnvError(f"Binder runs Python {python}, which is not installed here")
    return done.stdout.strip()


def install(venv: Path, pins: list[str], timeout: int = 600) -> None:
    """Install `name==version` lines into a venv with uv exactly as given, without resolving,
    as conda lays out the base. The files are uv's hard links into its cache (copies are much
    slower on a busy disk): give another user the venv's folders, never its files."""
    with tempfile.TemporaryDirectory() as tmp:
        listed = Path(tmp) / "pins.txt"
        listed.write_text("\n".join(pins) + "\n", encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--no-deps"]
            + ["--python", str(venv / "bin" / "python"), "-r", str(listed)],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    if done.returncode != 0:
        # The first line names the package; the last, the cause (a network error, say).
        lines = done.stderr.strip().splitlines() or ["(no message)"]
        raise BaseEnvError(f"uv could not install into {venv.name}: {lines[0]} … {lines[-1]}")


def make_base_env(venv: Path, interpreter: str, python: str) -> dict[str, str]:
    """A fresh venv holding Binder's base for `python` (from PyPI), made with `interpreter`."""
    pins = base_pins(python)
    made = subprocess.run(
        [interpreter, "-m", "venv", "--without-pip", str(venv)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if made.returncode != 0:
        raise BaseEnvError(f"python -m venv failed: {made.stderr.strip()[-300:]}")
    install(venv, [f"{name}=={version}" for name, version in pins.items()])
    return pins


# `pip check` reports one problem a line, each starting with the package that has it:
# "notebook 7.4.7 has requirement jupyterlab<4.5,>=4.4.9, but you have jupyterlab 4.6.6."
# "x 1.0 requires y, which is not installed."
_CHECK_LINE = re.compile(r"^(\S+) \S+ (?:has requirement|requires|is not supported)")


def unmet(pip_check_output: str) -> list[str]:
    """The (normalised) packages whose requirements `pip check` says are not met."""
    return sorted(
        {
            normalise(m[1])
            for line in pip_check_output.splitlines()
            if (m := _CHECK_LINE.match(line))
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default="3.11", help="the runtime's Python (default 3.11)")
    args = parser.parse_args(argv)
    try:
        pins = base_pins(args.python)
    except BaseEnvError as exc:
        print(f"binder_base: error: {exc}", file=sys.stderr)
        return 1
    print(f"# Binder's base: {REPO2DOCKER} {repo2docker_version()}, Python {args.python}")
    print("\n".join(f"{name}=={version}" for name, version in pins.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
