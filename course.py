#!/usr/bin/env python3
"""Set up the course environment in .venv and run the course from it.

    python3 course.py lab [--zh-CN] [JUPYTER OPTIONS...]
                                               open the course (or its Chinese edition)
    python3 course.py test [PYTEST ARGS...]     ruff and mypy, then every test and notebook
                                               check (paths relative to this folder)
    python3 course.py test --quick              ruff, mypy, the unit tests, and only the
                                               notebooks changed since main
    python3 course.py execute [NOTEBOOKS...]    re-run notebooks and store their outputs
    python3 course.py site [--out DIR]          build the course website into _site/
    python3 course.py setup [--lab]             only set up .venv

`lab` serves this folder and opens notebooks/00-start-here.ipynb (`lab --zh-CN`: the Chinese
edition's zh-CN/notebooks/00-start-here.ipynb); other options after it go to JupyterLab
(`--no-browser`, `--port 8890`). As root it adds `--allow-root` itself. Ctrl-C
(or SIGTERM) stops JupyterLab and its kernels. JupyterLab gets the course's Chinese font as a web
font, so that lessons show Chinese on a computer that has no Chinese font of its own.

The first run creates .venv with this Python (3.11 or newer) and installs a lock: every
package at one version, binder/requirements.txt for `lab` and `execute`, requirements-test.txt
for `test`, `site` and `setup`. It installs with uv (pinned in requirements-test.txt) and falls
back to pip where uv cannot run; COURSE_INSTALLER=pip forces pip. Later runs skip the install
while the locks are unchanged, so they start at once. Only the standard library is used here, so
this works before anything is installed.
"""

# Annotations are quoted (no `from __future__`), so that Python 3.6 to 3.10 can still read this
# file and say, in one line, that the course needs a newer Python.
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)
STAMP_NAME = "course-stamp.json"
START_NOTEBOOK = "notebooks/00-start-here.ipynb"
#: `lab --zh-CN` opens the Simplified Chinese edition's lesson 00 instead.
EDITION_OPTION = "--zh-CN"
EDITION_START = "zh-CN/notebooks/00-start-here.ipynb"

# What each command needs installed: the student environment, or that plus the test tools.
LAB_REQUIREMENTS = "binder/requirements.txt"
TEST_REQUIREMENTS = "requirements-test.txt"
# The site tools are in the test lock (the tests build the site), so `site` installs that.
NEEDS = {
    "lab": LAB_REQUIREMENTS,
    "execute": LAB_REQUIREMENTS,
    "test": TEST_REQUIREMENTS,
    "site": TEST_REQUIREMENTS,
}
# The test lock holds the student lock's versions and more (tools/lock.py makes it so, and a
# test checks it): once it is installed, the student environment is there too.
COVERS = {TEST_REQUIREMENTS: (LAB_REQUIREMENTS,)}
UV_PIN = re.compile(r"^uv==([^\s;]+)\s*$", re.MULTILINE)

_INCLUDE = re.compile(r"^\s*(?:-r|--requirement)[\s=]\s*(\S+)")
_EDITABLE_ROOT = re.compile(r"^\s*(?:-e|--editable)[\s=]\s*\.\s*$")


class CourseError(Exception):
    """An expected failure: reported in one line, without a traceback."""


# ---------------------------------------------------------------- decisions (no side effects)


def python_supported(version: "tuple[int, ...]") -> bool:
    """Whether a Python version can run the course."""
    return tuple(version[:2]) >= MIN_PYTHON


def venv_python(venv: Path, windows: "bool | None" = None) -> Path:
    """The interpreter inside a virtual environment."""
    if windows is None:
        windows = os.name == "nt"
    return venv / ("Scripts/python.exe" if windows else "bin/python")


def venv_version(venv: Path) -> "tuple[int, ...] | None":
    """The Python version a virtual environment was made with, read from its pyvenv.cfg."""
    try:
        text = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r"^\s*version(?:_info)?\s*=\s*(\d+)\.(\d+)", text, re.MULTILINE)
    return (int(m.group(1)), int(m.group(2))) if m else None


def requirement_files(requirements: Path) -> "list[Path]":
    """A requirements file and every file it includes with `-r`, each once, includer first."""
    seen: list[Path] = []

    def visit(path: Path) -> None:
        path = path.resolve()
        if path in seen:
            return
        seen.append(path)
        for line in path.read_text(encoding="utf-8").splitlines():
            m = _INCLUDE.match(line)
            if m:
                visit(path.parent / m.group(1))

    visit(requirements)
    return seen


def installs_project(files: "list[Path]") -> bool:
    """Whether any of these requirements files installs the repository itself (`-e .`)."""
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if _EDITABLE_ROOT.match(line):
                return True
    return False


def _sha256(data: "bytes") -> str:
    return hashlib.sha256(data).hexdigest()


def project_dependencies_digest(pyproject: Path) -> str:
    """A digest of what pip reads from pyproject.toml: build system, dependencies, version.

    Editing the tool settings (ruff, pytest) then does not trigger a reinstall; a new version
    does, since `secondment.__version__` is read from the installed package's metadata.
    """
    import tomllib

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    relevant = {
        "build-system": data.get("build-system", {}),
        "version": project.get("version"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python"),
        "scripts": project.get("scripts", {}),
    }
    return _sha256(json.dumps(relevant, sort_keys=True).encode())


def fingerprint(requirements: Path, root: Path = ROOT) -> "dict[str, str]":
    """What installing a requirements file depends on, as {name: sha256}.

    Every included requirements file counts, and so do pyproject.toml's dependencies when the
    files install the repository itself.
    """
    files = requirement_files(requirements)
    prints = {}
    for path in files:
        try:
            name = path.relative_to(root.resolve()).as_posix()
        except ValueError:
            name = str(path)
        prints[name] = _sha256(path.read_bytes())
    pyproject = root / "pyproject.toml"
    if installs_project(files) and pyproject.exists():
        prints["pyproject.toml#dependencies"] = project_dependencies_digest(pyproject)
    return prints


def read_stamp(path: Path) -> "dict[str, str]":
    """What the last successful install recorded; empty if nothing usable is there."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def needs_install(current: "dict[str, str]", stamp: "dict[str, str]") -> bool:
    """Whether an install must run: some file this install depends on is new or has changed."""
    return any(stamp.get(name) != digest for name, digest in current.items())


def uv_version(root: Path = ROOT) -> "str | None":
    """The uv version the test lock pins, which course.py installs with."""
    try:
        m = UV_PIN.search((root / TEST_REQUIREMENTS).read_text(encoding="utf-8"))
    except OSError:
        return None
    return m[1] if m else None


def jupyter_args(args: "list[str]", is_root: bool, root: Path = ROOT) -> "list[str]":
    """JupyterLab's arguments: the course folder served, lesson 00 opened, the user's options.

    A notebook path given on the command line would make its folder JupyterLab's root, and the
    links from the lessons to ../exercises would leave it; so the root is the course folder and
    lesson 00 is the page JupyterLab opens.
    """
    start = EDITION_START if EDITION_OPTION in args else START_NOTEBOOK
    args = [a for a in args if a != EDITION_OPTION]  # the course's option, not JupyterLab's
    opened = []
    if (root / start).exists():
        opened = [f"--LabApp.default_url=/lab/tree/{start}"]
    extra = ["--allow-root"] if is_root and "--allow-root" not in args else []
    # custom.css (see lab_environment) gives the lesson text the course's Chinese font.
    return [f"--ServerApp.root_dir={root}", *opened, "--LabApp.custom_css=True", *extra, *args]


def updated_stamp(current: "dict[str, str]", stamp: "dict[str, str]") -> "dict[str, str]":
    """The stamp after installing: earlier entries kept, this install's entries refreshed."""
    return {**stamp, **current}


def write_stamp(path: Path, stamp: "dict[str, str]") -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


# ---------------------------------------------------------------- actions


def step(message: str) -> None:
    print(f"course: {message}", flush=True)


def run(args: "list[str]", what: str, cwd: "Path | None" = ROOT) -> int:
    """Run a command, return its exit code; a missing program is a CourseError."""
    try:
        return subprocess.run(args, cwd=cwd).returncode
    except FileNotFoundError as exc:
        raise CourseError(f"cannot run {what}: {exc.filename} not found") from None


def _installed(requirements: str, venv: Path) -> bool:
    """Whether the stamp says `requirements`, or a lock that covers it, is installed."""
    stamp = read_stamp(venv / STAMP_NAME)
    candidates = [requirements] + [big for big, small in COVERS.items() if requirements in small]
    return any(not needs_install(fingerprint(ROOT / name), stamp) for name in candidates)


def _bootstrap_uv(python: Path) -> "list[str] | None":
    """uv inside .venv (installed by pip the first time), or None if pip must do the work."""
    if os.environ.get("COURSE_INSTALLER", "").lower() == "pip":
        return None
    version = uv_version()
    if version is None:
        return None
    uv = [str(python), "-m", "uv"]
    probe = subprocess.run([*uv, "--version"], capture_output=True, text=True)
    if probe.returncode == 0 and probe.stdout.split()[1:2] == [version]:
        return uv
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    done = subprocess.run([*pip, f"uv=={version}"], capture_output=True, text=True)
    if done.returncode != 0:
        step("uv is not available here; installing with pip instead (slower)")
        return None
    return uv


def install(requirements: str, python: Path, venv: Path) -> None:
    """Install a lock into .venv with uv, or with pip where uv cannot run."""
    uv = _bootstrap_uv(python)
    if uv is not None:
        command = [*uv, "pip", "install", "--quiet", "--python", str(python), "-r", requirements]
        # uv leaves compiling to Python's first import, which caches it, unless this machine
        # says never to (PYTHONDONTWRITEBYTECODE, common in containers and CI); then every
        # kernel would compile pandas and IPython again (3 s instead of 1 s), so compile once.
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            command.append("--compile-bytecode")
        what = "uv"
    else:
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
        command, what = [*pip, "-r", requirements], "pip"
    if run(command, what) != 0:
        raise CourseError(f"{what} could not install {requirements} (see its messages above)")


def ensure_venv(requirements: str, venv: Path = VENV) -> Path:
    """Create .venv if missing, install `requirements` unless the stamp says it is there."""
    python = venv_python(venv)
    if not venv.exists():
        version = ".".join(map(str, sys.version_info[:3]))
        step(f"creating .venv with Python {version}")
        if run([sys.executable, "-m", "venv", str(venv)], "venv") != 0:
            raise CourseError(
                "could not create .venv (on Debian or Ubuntu: apt install python3-venv)"
            )
    if not python.exists():
        raise CourseError(f"{venv.name} has no {python.relative_to(venv)}: delete .venv, rerun")
    made_with = venv_version(venv)
    if made_with is not None and not python_supported(made_with):
        found = ".".join(map(str, made_with))
        raise CourseError(f".venv was made with Python {found}: delete .venv and rerun")

    if _installed(requirements, venv):
        step(f".venv is up to date with {requirements}")
        return python
    step(f"installing {requirements} into .venv")
    started = time.perf_counter()
    install(requirements, python, venv)
    stamp_path = venv / STAMP_NAME
    write_stamp(stamp_path, updated_stamp(fingerprint(ROOT / requirements), read_stamp(stamp_path)))
    step(f"installed in {time.perf_counter() - started:.0f} s")
    return python


def cmd_setup(args: "list[str]") -> int:
    if args not in ([], ["--lab"]):
        raise CourseError("usage: python3 course.py setup [--lab]")
    ensure_venv(LAB_REQUIREMENTS if args else TEST_REQUIREMENTS)
    step("ready")
    return 0


# JupyterLab reads setting overrides from its app folder inside the environment: no pop-up
# asking students about Jupyter news, and no update check, in class.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}
}


def write_lab_overrides(venv: Path = VENV) -> Path:
    """Write JupyterLab's setting overrides into the environment (idempotent)."""
    path = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LAB_OVERRIDES, indent=2) + "\n", encoding="utf-8")
    return path


# JupyterLab draws lesson text and code with the browser's fonts: on a computer with no Chinese
# font (a minimal Linux, some school images) every hanzi is a box, though the charts, drawn with
# the course font, are fine. So `lab` serves that font to the browser too: with
# --LabApp.custom_css=True, JupyterLab's page loads custom/custom.css from the Jupyter config
# folder, and the server serves that folder's custom/ files, the font among them. The course's
# own config folder holds nothing else; the user's stays on the search path for everything else.
LAB_FONT = ROOT / "src" / "secondment" / "fonts" / "SecondmentSansCJK-Regular.otf"
LAB_FONT_FAMILY = "Secondment Sans CJK"
# Chinese system fonts first (most computers have one), the course's font after them, then the
# generic family; Latin text keeps JupyterLab's fonts, which come first.
_CJK = f'"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "{LAB_FONT_FAMILY}"'
LAB_CSS = f"""/* From course.py lab: the course's Chinese font for JupyterLab's text and code. */
@font-face {{
  font-family: "{LAB_FONT_FAMILY}";
  src: url("{LAB_FONT.name}") format("opentype");
  font-display: swap;
}}

/* html:root outranks the theme's :root; a font chosen in JupyterLab's settings still wins. */
html:root {{
  --jp-ui-font-family: system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial,
    {_CJK}, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol";
  --jp-content-font-family: system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica,
    arial, {_CJK}, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol";
  --jp-code-font-family-default: menlo, consolas, "DejaVu Sans Mono", {_CJK}, monospace;
}}
"""


def write_lab_config(venv: Path = VENV, font: Path = LAB_FONT) -> Path:
    """Write the course's Jupyter config folder: custom/custom.css and the font it loads."""
    config = venv / "etc" / "course-jupyter"
    custom = config / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    (custom / "custom.css").write_text(LAB_CSS, encoding="utf-8")
    copy = custom / font.name
    if not copy.exists() or copy.read_bytes() != font.read_bytes():
        shutil.copyfile(font, copy)
    return config


def lab_environment(config: Path, environ: "dict[str, str]", home: Path) -> "dict[str, str]":
    """JupyterLab's environment: the course's config folder first, the user's own kept.

    The user's folder (JUPYTER_CONFIG_DIR, or ~/.jupyter) moves to JUPYTER_CONFIG_PATH, where its
    settings still apply, and JupyterLab keeps its settings and workspaces there.
    """
    user = environ.get("JUPYTER_CONFIG_DIR") or str(home / ".jupyter")
    env = dict(environ)
    env["JUPYTER_CONFIG_DIR"] = str(config)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (user, environ.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    env.setdefault("JUPYTERLAB_SETTINGS_DIR", str(Path(user) / "lab" / "user-settings"))
    env.setdefault("JUPYTERLAB_WORKSPACES_DIR", str(Path(user) / "lab" / "workspaces"))
    return env


def serve(command: "list[str]", grace: float = 10.0, env: "dict[str, str] | None" = None) -> int:
    """Run JupyterLab until it exits, or until Ctrl-C or SIGTERM, which stop it and its kernels.

    JupyterLab runs in a process group of its own, so that a Ctrl-C reaches only this script
    (JupyterLab would otherwise ask "Shutdown this Jupyter server (y/[n])?"); this script then
    asks it to stop with SIGTERM, which shuts its kernels down, and kills the group if it has
    not finished within `grace` seconds.
    """
    posix = os.name == "posix"
    try:
        server = subprocess.Popen(command, cwd=ROOT, start_new_session=posix, env=env)
    except FileNotFoundError as exc:
        raise CourseError(f"cannot run JupyterLab: {exc.filename} not found") from None

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        step("stopping JupyterLab and its kernels")
        server.terminate()
        try:
            server.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            server.kill()
        if posix:
            try:  # anything the server left in its group, such as a kernel
                os.killpg(server.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        server.wait()
        step("stopped")
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_lab(args: "list[str]") -> int:
    python = ensure_venv(NEEDS["lab"])
    write_lab_overrides()
    env = lab_environment(write_lab_config(), dict(os.environ), Path.home())
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and "--allow-root" not in args:
        step("running as root (as in many containers): passing --allow-root to JupyterLab")
    arguments = jupyter_args(args, is_root)
    step(" ".join(["jupyter lab", *arguments]))
    return serve([str(python), "-m", "jupyterlab", *arguments], env=env)


#: Where the notebooks live that the tests check (pyproject.toml's testpaths, besides tests/).
NOTEBOOK_FOLDERS = ("notebooks/", "exercises/", "zh-CN/")
#: What `test --quick` leaves out of the unit tests: the integration suites, which install the
#: environment, drive a browser, build the website or grade a class in sandboxes.
QUICK_MARKS = "not binder and not browser and not integration"


def quick_pytest_args(changed: "list[str]", root: Path = ROOT) -> "list[str]":
    """pytest's arguments for `test --quick`: the unit tests, and the changed notebooks that
    still exist (paths relative to the course folder)."""
    notebooks = sorted(
        {
            path
            for path in changed
            if path.endswith(".ipynb")
            and path.startswith(NOTEBOOK_FOLDERS)
            and (root / path).is_file()
        }
    )
    return ["-m", QUICK_MARKS, "tests", *notebooks]


def changed_since_main(root: Path = ROOT) -> "list[str]":
    """Files changed since this branch left main (committed or not), and new files; [] when git
    cannot tell."""

    def git(*args: str) -> "list[str]":
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.splitlines() if done.returncode == 0 else []

    base = git("merge-base", "main", "HEAD")
    if not base:
        return []
    return git("diff", "--name-only", base[0]) + git("ls-files", "--others", "--exclude-standard")


def cmd_test(args: "list[str]") -> int:
    python = ensure_venv(NEEDS["test"])
    if "--quick" in args:
        args = [a for a in args if a != "--quick"]
        args = [*quick_pytest_args(changed_since_main()), *args]
    ruff = [str(python), "-m", "ruff"]
    step("ruff check .")
    if run([*ruff, "check", "."], "ruff") != 0:
        raise CourseError("ruff check found problems (try: .venv/bin/ruff check --fix .)")
    step("ruff format --check .")
    if run([*ruff, "format", "--check", "."], "ruff") != 0:
        raise CourseError("some files are not formatted (run: .venv/bin/ruff format .)")
    step("mypy")
    if run([str(python), "-m", "mypy"], "mypy") != 0:
        raise CourseError("mypy found type errors in src/ (see above; run: .venv/bin/mypy)")
    step(" ".join(["pytest", *args]))
    return run([str(python), "-m", "pytest", *args], "pytest")


def cmd_execute(args: "list[str]") -> int:
    python = ensure_venv(NEEDS["execute"])
    step(" ".join(["python -m secondment execute", *args]))
    # Paths are the caller's, so this runs where the caller is.
    return run([str(python), "-m", "secondment", "execute", *args], "secondment", cwd=None)


def cmd_site(args: "list[str]") -> int:
    python = ensure_venv(NEEDS["site"])
    step(" ".join(["python website/site_build.py", *args]))
    return run([str(python), str(ROOT / "website" / "site_build.py"), *args], "the site build")


COMMANDS = {
    "lab": cmd_lab,
    "test": cmd_test,
    "execute": cmd_execute,
    "site": cmd_site,
    "setup": cmd_setup,
}


def main(argv: "list[str] | None" = None, version: "tuple[int, ...] | None" = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    version = tuple(sys.version_info) if version is None else version
    usage = "usage:\n" + __doc__.strip().split("\n\n")[1]
    if not argv or argv[0] in ("-h", "--help"):
        print(usage)
        return 0 if argv else 2
    if argv[0] not in COMMANDS:
        print(f"course: error: unknown command {argv[0]!r}\n{usage}", file=sys.stderr)
        return 2
    if not python_supported(version):
        found = ".".join(map(str, version[:3]))
        print(f"course: error: the course needs Python 3.11+, this is {found}", file=sys.stderr)
        return 1
    try:
        return COMMANDS[argv[0]](argv[1:])
    except CourseError as exc:
        print(f"course: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
