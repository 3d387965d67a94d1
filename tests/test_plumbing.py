"""course.py's decisions (when to create .venv, when pip must run) and the nbval set-up.

No virtual environment is created here: course.py's steps that would run a program are
replaced by recorders.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import nbformat
import nbformat.v4 as v4
import pytest

from secondment.execute import execute_notebook
from secondment.paths import require_course_root

ROOT = require_course_root()


def _load_course() -> ModuleType:
    spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


course = _load_course()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository shaped like the course's: test requirements include the Binder ones."""
    _write(tmp_path / "binder/requirements.txt", "pandas==3.1.1\n-e .\n")
    _write(tmp_path / "requirements-test.txt", "-r binder/requirements.txt\nruff==0.17.6\n")
    _write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\ndependencies = ["pandas>=2.2"]\n\n[tool.ruff]\nline-length = 100\n',
    )
    return tmp_path


# ---------------------------------------------------------------- pure decisions


@pytest.mark.parametrize(
    ("version", "ok"),
    [((3, 10, 12), False), ((3, 11, 0), True), ((3, 13, 1), True), ((2, 7), False)],
)
def test_python_supported(version: tuple[int, ...], ok: bool) -> None:
    assert course.python_supported(version) is ok


def test_venv_python_per_platform(tmp_path: Path) -> None:
    assert course.venv_python(tmp_path, windows=False) == tmp_path / "bin/python"
    assert course.venv_python(tmp_path, windows=True) == tmp_path / "Scripts/python.exe"


def test_venv_version_reads_pyvenv_cfg(tmp_path: Path) -> None:
    assert course.venv_version(tmp_path) is None
    _write(tmp_path / "pyvenv.cfg", "home = /usr/bin\nversion = 3.10.12\n")
    assert course.venv_version(tmp_path) == (3, 10)
    _write(tmp_path / "pyvenv.cfg", "include-system-site-packages = false\nversion_info = 3.12.1\n")
    assert course.venv_version(tmp_path) == (3, 12)


def test_requirement_files_follow_includes_once(project: Path) -> None:
    _write(project / "binder/requirements.txt", "-r ../requirements-test.txt\n-e .\n")
    files = course.requirement_files(project / "requirements-test.txt")
    assert files == [
        (project / "requirements-test.txt").resolve(),
        (project / "binder/requirements.txt").resolve(),
    ]


def test_fingerprint_covers_includes_and_project_dependencies(project: Path) -> None:
    prints = course.fingerprint(project / "requirements-test.txt", root=project)
    assert set(prints) == {
        "requirements-test.txt",
        "binder/requirements.txt",
        "pyproject.toml#dependencies",
    }
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in prints.values())


def test_no_project_digest_without_editable_install(project: Path) -> None:
    _write(project / "binder/requirements.txt", "pandas==3.1.1\n")
    assert "pyproject.toml#dependencies" not in course.fingerprint(
        project / "requirements-test.txt", root=project
    )


def test_unchanged_files_need_no_install(project: Path) -> None:
    current = course.fingerprint(project / "requirements-test.txt", root=project)
    assert not course.needs_install(current, dict(current))


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("requirements-test.txt", "-r binder/requirements.txt\nruff==0.18.0\n"),
        ("binder/requirements.txt", "pandas==3.1.2\n-e .\n"),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["pandas>=2.2", "jieba"]\n'),
        # A new version: the installed metadata, which __version__ reads, must follow.
        (
            "pyproject.toml",
            '[project]\nname = "x"\nversion = "1.1.0"\ndependencies = ["pandas>=2.2"]\n',
        ),
    ],
)
def test_a_changed_file_needs_install(project: Path, path: str, text: str) -> None:
    stamp = course.fingerprint(project / "requirements-test.txt", root=project)
    _write(project / path, text)
    current = course.fingerprint(project / "requirements-test.txt", root=project)
    assert course.needs_install(current, stamp)


def test_tool_settings_in_pyproject_need_no_install(project: Path) -> None:
    stamp = course.fingerprint(project / "requirements-test.txt", root=project)
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    _write(project / "pyproject.toml", text + "\n[tool.pytest.ini_options]\naddopts = ['-q']\n")
    current = course.fingerprint(project / "requirements-test.txt", root=project)
    assert not course.needs_install(current, stamp)


def test_test_install_covers_lab_but_not_the_reverse(project: Path) -> None:
    lab = course.fingerprint(project / "binder/requirements.txt", root=project)
    test = course.fingerprint(project / "requirements-test.txt", root=project)

    after_lab = course.updated_stamp(lab, {})
    assert not course.needs_install(lab, after_lab)
    assert course.needs_install(test, after_lab)

    after_test = course.updated_stamp(test, after_lab)
    assert not course.needs_install(lab, after_test)
    assert not course.needs_install(test, after_test)


def test_stamp_round_trip_and_bad_stamps(tmp_path: Path) -> None:
    path = tmp_path / "stamp.json"
    assert course.read_stamp(path) == {}
    course.write_stamp(path, {"a": "1"})
    assert course.read_stamp(path) == {"a": "1"}
    for bad in ("{not json", "[1, 2]", ""):
        path.write_text(bad, encoding="utf-8")
        assert course.read_stamp(path) == {}


def test_the_repository_fingerprint() -> None:
    prints = course.fingerprint(ROOT / "requirements-test.txt")
    assert set(prints) == {"requirements-test.txt", "pyproject.toml#dependencies"}
    assert course.COVERS == {"requirements-test.txt": ("binder/requirements.txt",)}
    assert course.NEEDS == {
        "lab": "binder/requirements.txt",
        "execute": "binder/requirements.txt",
        "test": "requirements-test.txt",
        "site": "requirements-test.txt",
    }


# ---------------------------------------------------------------- ensure_venv, with recorders


@pytest.fixture
def fake_venv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[list[str]]]:
    """A .venv that looks made by Python 3.11; commands are recorded, not run."""
    venv = tmp_path / ".venv"
    _write(course.venv_python(venv), "")
    _write(venv / "pyvenv.cfg", "version = 3.11.7\n")
    calls: list[list[str]] = []

    def record(args: list[str], what: str, cwd: Path | None = None) -> int:
        calls.append(list(args))
        return 0

    monkeypatch.setattr(course, "run", record)
    # These tests follow the plain-pip path; the uv path has its own test below.
    monkeypatch.setenv("COURSE_INSTALLER", "pip")
    return venv, calls


def test_ensure_venv_skips_pip_when_the_stamp_matches(fake_venv) -> None:
    venv, calls = fake_venv
    course.write_stamp(venv / course.STAMP_NAME, course.fingerprint(ROOT / "requirements-test.txt"))
    assert course.ensure_venv("requirements-test.txt", venv) == course.venv_python(venv)
    assert course.ensure_venv("binder/requirements.txt", venv) == course.venv_python(venv)
    assert calls == []


def test_ensure_venv_installs_then_stamps(fake_venv) -> None:
    venv, calls = fake_venv
    course.ensure_venv("binder/requirements.txt", venv)
    assert len(calls) == 1
    assert calls[0][1:4] == ["-m", "pip", "install"]
    assert calls[0][-2:] == ["-r", "binder/requirements.txt"]
    stamp = course.read_stamp(venv / course.STAMP_NAME)
    assert stamp == course.fingerprint(ROOT / "binder/requirements.txt")

    course.ensure_venv("binder/requirements.txt", venv)
    assert len(calls) == 1, "the second run should not call pip"
    course.ensure_venv("requirements-test.txt", venv)
    assert calls[1][-2:] == ["-r", "requirements-test.txt"]


def test_ensure_venv_installs_with_the_pinned_uv(fake_venv, monkeypatch) -> None:
    venv, calls = fake_venv
    monkeypatch.delenv("COURSE_INSTALLER")
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.setattr(course, "_bootstrap_uv", lambda python: [str(python), "-m", "uv"])
    course.ensure_venv("binder/requirements.txt", venv)
    python = str(course.venv_python(venv))
    assert calls == [
        [python, "-m", "uv", "pip", "install", "--quiet", "--python", python]
        + ["-r", "binder/requirements.txt"]
    ]


def test_uv_compiles_bytecode_where_python_will_not_cache_it(fake_venv, monkeypatch) -> None:
    venv, calls = fake_venv
    monkeypatch.delenv("COURSE_INSTALLER")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setattr(course, "_bootstrap_uv", lambda python: [str(python), "-m", "uv"])
    course.ensure_venv("binder/requirements.txt", venv)
    assert calls[0][-1] == "--compile-bytecode"


def test_uv_version_is_the_test_locks_pin() -> None:
    text = (ROOT / "requirements-test.txt").read_text(encoding="utf-8")
    assert re.search(rf"^uv=={re.escape(course.uv_version())}$", text, re.MULTILINE)


def test_ensure_venv_creates_a_missing_venv(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COURSE_INSTALLER", "pip")
    venv = tmp_path / ".venv"
    calls: list[list[str]] = []

    def record(args: list[str], what: str, cwd: Path | None = None) -> int:
        calls.append(list(args))
        if args[1:3] == ["-m", "venv"]:
            _write(course.venv_python(venv), "")
        return 0

    monkeypatch.setattr(course, "run", record)
    course.ensure_venv("binder/requirements.txt", venv)
    assert calls[0] == [sys.executable, "-m", "venv", str(venv)]
    assert calls[1][1:4] == ["-m", "pip", "install"]


def test_a_failed_pip_writes_no_stamp(fake_venv, monkeypatch) -> None:
    venv, _ = fake_venv
    monkeypatch.setattr(course, "run", lambda args, what, cwd=None: 1)
    with pytest.raises(course.CourseError, match="pip could not install"):
        course.ensure_venv("binder/requirements.txt", venv)
    assert not (venv / course.STAMP_NAME).exists()


def test_an_old_venv_is_refused(fake_venv) -> None:
    venv, calls = fake_venv
    _write(venv / "pyvenv.cfg", "version = 3.10.12\n")
    with pytest.raises(course.CourseError, match=r"made with Python 3\.10.*delete \.venv"):
        course.ensure_venv("binder/requirements.txt", venv)
    assert calls == []


def test_main_refuses_an_old_python(capsys) -> None:
    assert course.main(["lab"], version=(3, 10, 12)) == 1
    err = capsys.readouterr().err
    assert err == "course: error: the course needs Python 3.11+, this is 3.10.12\n"


def test_site_command_builds_with_the_test_lock(fake_venv, monkeypatch) -> None:
    venv, calls = fake_venv
    installed = []

    def ensure(requirements: str) -> Path:
        installed.append(requirements)
        return course.venv_python(venv)

    monkeypatch.setattr(course, "ensure_venv", ensure)
    assert course.main(["site", "--out", "public"]) == 0
    assert installed == ["requirements-test.txt"]
    python = str(course.venv_python(venv))
    assert calls == [[python, str(ROOT / "website" / "site_build.py"), "--out", "public"]]


def test_course_py_reports_errors_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "course.py"), "setup", "--bogus"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr == "course: error: usage: python3 course.py setup [--lab]\n"
    assert "Traceback" not in result.stdout + result.stderr


# ---------------------------------------------------------------- stored outputs meet nbval


@pytest.mark.integration  # runs nbval on notebooks in a kernel of its own
def test_outputs_stored_by_execute_pass_nbval_from_any_folder(tmp_path: Path) -> None:
    """`execute_notebook` stores outputs; nbval, configured by pyproject.toml alone, agrees.

    The run starts outside the repository, so tests/conftest.py is not read: the kernel
    environment, the trailing-`;` fix and the sanitize file must come from the plugin.
    """
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_code_cell("import os, warnings\nos.environ['IPYKERNEL_CELL_NAME']"),
        v4.new_code_cell("'hidden by the semicolon';"),
        v4.new_code_cell("object()"),  # a memory address, sanitized
        v4.new_code_cell("import matplotlib.pyplot as plt\nplt.figure()"),
        v4.new_code_cell("int('六十')", metadata={"tags": ["raises-exception"]}),
    ]
    good = tmp_path / "good.ipynb"
    nbformat.write(nb, good)
    execute_notebook(good)
    stored = json.loads(good.read_text(encoding="utf-8"))
    assert stored["cells"][1]["outputs"] == []

    tampered = tmp_path / "tampered.ipynb"
    stored["cells"][0]["outputs"][0]["data"]["text/plain"] = "'something else'"
    tampered.write_text(json.dumps(stored), encoding="utf-8")

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            "-p",
            "no:cacheprovider",
            "-n",
            "0",  # two small files outside the rootdir: xdist would gain nothing
            "-q",
            "good.ipynb",
            "tampered.ipynb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert re.search(r"^1 failed, 9 passed\b", output, re.MULTILINE), output
    mismatch = '''"'something else'" == "'<cell>'"'''
    assert mismatch in output, output  # the tampered cell, and only it
    assert "without encryption" not in output


def test_lab_overrides_switch_off_the_news_pop_up(tmp_path):
    path = course.write_lab_overrides(tmp_path / "venv")
    assert path.relative_to(tmp_path).as_posix() == "venv/share/jupyter/lab/settings/overrides.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert course.write_lab_overrides(tmp_path / "venv").read_text(
        encoding="utf-8"
    ) == path.read_text(encoding="utf-8")


def test_nbformat_loads_without_the_slow_iri_grammar_under_pytest() -> None:
    """The pytest plugin keeps jsonschema from building rfc3987_syntax's parsers (~0.8 s)."""
    probe = (
        "import sys, time\n"
        "import nbval_course, nbformat, nbformat.v4 as v4\n"
        "nbformat.validate(v4.new_notebook(cells=[v4.new_code_cell('1')]))\n"
        "print('lark' in sys.modules, sys.modules['rfc3987_syntax'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "None"]


def test_the_package_students_import_patches_nothing_of_other_packages() -> None:
    """No `sys.modules` edits and no replaced attributes of other packages in src/."""
    for path in sorted((ROOT / "src" / "secondment").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "sys.modules[" not in text and "sys.modules.setdefault" not in text, path
        assert not re.search(r"^\s*(nbval|nbclient|jupyter_client|IPython)\.[\w.]+ = ", text, re.M)


def test_nbval_kernels_get_the_course_environment_from_a_kernelspec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kernelspec that `--nbval-kernel-name` selects: this interpreter, `KERNEL_ENV`."""
    from jupyter_client.kernelspec import KernelSpecManager
    from nbval_course import KERNEL_NAME, install_kernelspec

    from secondment.execute import KERNEL_ENV

    monkeypatch.setenv("JUPYTER_PATH", "")  # put back after the test
    install_kernelspec(tmp_path)
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert spec.env == KERNEL_ENV
    assert spec.argv[0] == sys.executable
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"--nbval-kernel-name", "{KERNEL_NAME}"' in pyproject


@pytest.mark.integration  # runs nbval on notebooks in a kernel of its own
def test_nbval_still_has_the_internals_the_course_patches() -> None:
    """configure_nbval replaces two nbval internals; if nbval changes them, this says so.

    It runs in a fresh interpreter, where nothing has patched nbval yet.
    """
    from nbval_course import NBVAL_CHECKED

    probe = (
        "import importlib.metadata, inspect, nbval.kernel, nbval.plugin\n"
        "print(importlib.metadata.version('nbval'))\n"
        "print(inspect.signature(nbval.kernel.RunningKernel.execute_cell_input))\n"
        "print(inspect.signature(nbval.plugin.IPyNbCell.__init__))\n"
        "print('store_history=False' in inspect.getsource(nbval.kernel.RunningKernel))\n"
        "print('self.output_timeout = 5' in inspect.getsource(nbval.plugin.IPyNbCell))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        NBVAL_CHECKED,
        "(self, cell_input, allow_stdin=None)",
        "(self, name, parent, cell_num, cell, options)",
        "True",  # nbval still hides a trailing `;` from IPython: change 1 still needed
        "True",  # nbval still waits a fixed 5 s per output: change 2 still needed
    ], "nbval changed: review tools/nbval_course.py against it"


def _record_test_steps(monkeypatch: pytest.MonkeyPatch, failing: str = "") -> list[list[str]]:
    """Run `course.py test` with every command recorded; the one named `failing` exits 1."""
    calls: list[list[str]] = []

    def record(args: list[str], what: str, cwd: Path | None = None) -> int:
        calls.append(list(args[1:]))
        return 1 if what == failing else 0

    monkeypatch.setattr(course, "ensure_venv", lambda requirements: Path("python"))
    monkeypatch.setattr(course, "run", record)
    return calls


def test_the_test_command_lints_then_type_checks_then_runs_pytest(monkeypatch) -> None:
    calls = _record_test_steps(monkeypatch)
    assert course.cmd_test(["-q"]) == 0
    assert calls == [
        ["-m", "ruff", "check", "."],
        ["-m", "ruff", "format", "--check", "."],
        ["-m", "mypy"],
        ["-m", "pytest", "-q"],
    ]


def test_a_type_error_stops_the_test_command_before_pytest(monkeypatch) -> None:
    calls = _record_test_steps(monkeypatch, failing="mypy")
    with pytest.raises(course.CourseError, match=r"mypy found type errors.*\.venv/bin/mypy"):
        course.cmd_test([])
    assert ["-m", "mypy"] in calls
    assert not any("pytest" in call for call in calls)


def test_mypy_checks_the_installed_package_with_a_cache_git_ignores() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["files"] == ["src/secondment"]
    assert config["check_untyped_defs"] and config["disallow_incomplete_defs"]
    assert ".mypy_cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split("\n")


def test_lab_config_serves_the_course_font_and_keeps_the_users_folder(tmp_path):
    config = course.write_lab_config(tmp_path / "venv")
    custom = config / "custom"
    assert (custom / course.LAB_FONT.name).read_bytes() == course.LAB_FONT.read_bytes()
    css = (custom / "custom.css").read_text(encoding="utf-8")
    assert f'src: url("{course.LAB_FONT.name}") format("opentype")' in css
    for variable in ("--jp-ui-font-family", "--jp-content-font-family", "--jp-code-font-family"):
        declared = css.split(f"{variable}", 1)[1].split(";", 1)[0]
        assert f'"{course.LAB_FONT_FAMILY}"' in declared, variable
    assert course.write_lab_config(tmp_path / "venv") == config  # again: nothing to do

    home = tmp_path / "home"
    env = course.lab_environment(config, {"PATH": "/bin"}, home)
    assert env["JUPYTER_CONFIG_DIR"] == str(config)
    assert env["JUPYTER_CONFIG_PATH"] == str(home / ".jupyter")
    assert env["JUPYTERLAB_SETTINGS_DIR"] == str(home / ".jupyter" / "lab" / "user-settings")
    assert env["PATH"] == "/bin"
    own = {"JUPYTER_CONFIG_DIR": "/mine", "JUPYTER_CONFIG_PATH": "/shared"}
    env = course.lab_environment(config, own, home)
    assert env["JUPYTER_CONFIG_PATH"] == os.pathsep.join(["/mine", "/shared"])
    assert env["JUPYTERLAB_WORKSPACES_DIR"] == str(Path("/mine") / "lab" / "workspaces")


def test_lab_opens_lesson_00_or_with_zh_cn_the_chinese_edition(tmp_path):
    for start in (course.START_NOTEBOOK, course.EDITION_START):
        (tmp_path / start).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / start).write_text("{}", encoding="utf-8")
    english = course.jupyter_args(["--port", "8890"], is_root=False, root=tmp_path)
    chinese = course.jupyter_args(["--zh-CN", "--port", "8890"], is_root=True, root=tmp_path)
    assert english == [
        f"--ServerApp.root_dir={tmp_path}",
        "--LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb",
        "--LabApp.custom_css=True",
        "--port",
        "8890",
    ]
    assert chinese == [
        f"--ServerApp.root_dir={tmp_path}",
        "--LabApp.default_url=/lab/tree/zh-CN/notebooks/00-start-here.ipynb",
        "--LabApp.custom_css=True",
        "--allow-root",
        "--port",
        "8890",
    ]


def test_pytest_collects_the_tests_and_every_notebook_set_by_the_folders_paths_names() -> None:
    import tomllib

    from secondment.paths import NOTEBOOK_SETS, STORED_BY_EXECUTE

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    testpaths = config["tool"]["pytest"]["ini_options"]["testpaths"]
    tops = {folder.split("/")[0] for folder in NOTEBOOK_SETS.values()}
    assert testpaths[0] == "tests" and set(testpaths[1:]) == tops
    assert set(STORED_BY_EXECUTE) <= set(NOTEBOOK_SETS)


def test_the_cell_id_sender_copies_the_execute_request_jupyter_client_builds() -> None:
    import inspect

    from jupyter_client.client import KernelClient

    # secondment.execute rebuilds `KernelClient.execute`'s message to add the cell's id: a new
    # parameter or content field there must be copied too.
    params = list(inspect.signature(KernelClient.execute).parameters)
    assert params == [
        "self", "code", "silent", "store_history", "user_expressions", "allow_stdin",
        "stop_on_error",
    ]  # fmt: skip
    source = inspect.getsource(KernelClient.execute)
    content = re.search(r"content = \{(.*?)\}", source, re.S)
    assert content, "KernelClient.execute no longer builds a content dict"
    assert re.findall(r'"(\w+)":', content[1]) == params[1:]
    assert 'self.session.msg("execute_request", content)' in source


def test_quick_tests_take_the_unit_tests_and_only_the_changed_notebooks(tmp_path: Path) -> None:
    for path in ("notebooks/01-a.ipynb", "zh-CN/exercises/02-b.ipynb", "tests/data/x.ipynb"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("{}", encoding="utf-8")
    changed = [
        "zh-CN/exercises/02-b.ipynb",
        "notebooks/01-a.ipynb",
        "notebooks/01-a.ipynb",  # committed, then changed again
        "notebooks/gone.ipynb",  # deleted on the branch
        "tests/data/x.ipynb",  # not a course notebook
        "src/secondment/article.py",
    ]
    assert course.quick_pytest_args(changed, tmp_path) == [
        "-m", "not binder and not browser and not integration", "tests",
        "notebooks/01-a.ipynb", "zh-CN/exercises/02-b.ipynb",
    ]  # fmt: skip


def test_the_quick_test_command_lints_and_types_before_the_quick_pytest(monkeypatch) -> None:
    calls = _record_test_steps(monkeypatch)
    monkeypatch.setattr(course, "changed_since_main", lambda: ["notebooks/00-start-here.ipynb"])
    assert course.main(["test", "--quick", "-x"]) == 0
    assert calls[-1] == [
        "-m", "pytest", "-m", "not binder and not browser and not integration", "tests",
        "notebooks/00-start-here.ipynb", "-x",
    ]  # fmt: skip
    assert [c[:2] for c in calls[:-1]] == [["-m", "ruff"], ["-m", "ruff"], ["-m", "mypy"]]
