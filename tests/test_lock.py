"""One declaration, two locks: pyproject.toml's ranges, and the exact versions made from them.

`tools/lock.py --check` needs no network: it compares each lock's recorded digest of
pyproject.toml's dependency tables, checks every declared requirement against the pins, and
holds the test lock to the student lock's versions and the student lock's note of Binder's base
to the repo2docker the test lock pins. The tests below run it on the repository and on copies
with one thing changed, so each kind of drift is seen to fail. That the student lock is
complete (nothing installed that it does not pin) is checked by installing it alone
(tests/test_local_env.py), and that it fits Binder's base by installing it over that base
(tests/test_binder.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import lock
import pytest

from secondment.paths import require_course_root

ROOT = require_course_root()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in (
        "pyproject.toml",
        "binder/requirements.txt",
        "binder/runtime.txt",
        "requirements-test.txt",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_locks_match_pyproject() -> None:
    assert lock.problems() == []


def test_the_student_lock_pins_everything_jupyterlab_needs_and_no_test_tool() -> None:
    pins = {name for name, _ in lock.pins(ROOT / "binder/requirements.txt")}
    # Direct, and the indirect packages whose drift broke builds before they were locked.
    assert {"pandas", "matplotlib", "jieba", "jupyterlab", "ipykernel", "pyzmq"} <= pins
    assert {"numpy", "tornado", "jupyter-server", "jupyter-client", "traitlets"} <= pins
    assert pins.isdisjoint({"pytest", "nbval", "pytest-xdist", "ruff", "hypothesis", "uv"})
    assert len(pins) > 90


def test_no_tool_of_the_test_or_site_groups_reaches_the_student_lock_but_through_a_student_package() -> (
    None
):
    from packaging.requirements import Requirement

    groups = lock.declared()
    tools = {
        lock.normalise(Requirement(r).name)
        for group, requirements in groups.items()
        if group not in ("dependencies", "lab")
        for r in requirements
    } - {"secondment"}
    assert {"pytest", "nbval", "mypy", "ruff", "playwright", "sphinx", "myst-nb"} <= tools
    text = (ROOT / "binder/requirements.txt").read_text(encoding="utf-8")
    pins = {name for name, _ in lock.pins(ROOT / "binder/requirements.txt")}
    for name in sorted(tools & pins):  # babel (for jupyterlab-server), fonttools (matplotlib)
        block = re.search(rf"^{re.escape(name)}==.*\n((?:\s+#.*\n)+)", text, re.M | re.I)
        assert block, f"{name} is in the student lock with no note of what needs it"
        via = set(re.findall(r"#\s+(?:via\s+)?([\w.-]+)\s*$", block[1], re.M)) - {"via"}
        assert via - {"secondment"}, f"only the course asks for {name} in the student lock"


def test_a_new_dependency_without_a_relock_fails(copy: Path) -> None:
    edit(copy / "pyproject.toml", '"jieba>=0.42",', '"jieba>=0.42",\n    "requests>=2",')
    found = lock.problems(copy)
    assert "binder/requirements.txt was made from other pyproject.toml dependencies" in found
    assert "requirements-test.txt was made from other pyproject.toml dependencies" in found


def test_a_pin_edited_by_hand_fails(copy: Path) -> None:
    edit(copy / "binder/requirements.txt", "\npandas==", "\npandas==0.1.")
    assert any("pandas" in p for p in lock.problems(copy))


def test_the_test_lock_disagreeing_with_the_student_lock_fails(copy: Path) -> None:
    text = (copy / "requirements-test.txt").read_text(encoding="utf-8")
    version = re.search(r"^tornado==(\S+)$", text, re.MULTILINE)[1]
    edit(copy / "requirements-test.txt", f"\ntornado=={version}", "\ntornado==1.0")
    assert any(p.startswith("requirements-test.txt pins tornado") for p in lock.problems(copy))


def test_a_lock_naming_a_temporary_file_fails(copy: Path) -> None:
    edit(copy / "requirements-test.txt", "-c binder/requirements.txt", "-c /tmp/tmpab12/c.txt")
    assert lock.problems(copy) == [
        "requirements-test.txt names /tmp/tmpab12/c.txt, which is not a file of the course"
    ]


def test_a_missing_lock_fails(copy: Path) -> None:
    (copy / "requirements-test.txt").unlink()
    assert lock.problems(copy) == ["requirements-test.txt is missing"]


def test_the_student_lock_was_checked_against_the_binder_base_the_test_lock_pins() -> None:
    import binder_base

    version, python, extra = lock.base_note(ROOT / "binder/requirements.txt")
    test = lock.pins(ROOT / "requirements-test.txt")
    assert test[("jupyter-repo2docker", "")] == version == binder_base.repo2docker_version()
    assert python == lock.runtime_python()
    student = {name: v for (name, marker), v in lock.pins(ROOT / "binder/requirements.txt").items()}
    base = binder_base.base_pins(python)
    # What the lock pins for Binder's base is a base package, at another version than the base's.
    for name in extra:
        assert name in base and student[name] != base[name], name


def test_a_lock_checked_against_another_repo2docker_fails(copy: Path) -> None:
    edit(
        copy / "binder/requirements.txt",
        "# Binder's base: jupyter-repo2docker ",
        "# Binder's base: jupyter-repo2docker 1",
    )
    found = lock.problems(copy)
    assert len(found) == 1 and "requirements-test.txt pins" in found[0], found


def test_a_lock_checked_against_another_python_fails(copy: Path) -> None:
    (copy / "binder/runtime.txt").write_text("python-3.12\n", encoding="utf-8")
    found = lock.problems(copy)
    assert found == [
        "binder/requirements.txt was checked against Binder's base for Python 3.11, "
        "binder/runtime.txt asks for 3.12"
    ]


def test_a_lock_without_its_binder_base_note_fails(copy: Path) -> None:
    text = (copy / "binder/requirements.txt").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if "Binder's base:" not in line]
    (copy / "binder/requirements.txt").write_text("".join(kept), encoding="utf-8")
    assert lock.problems(copy) == [
        "binder/requirements.txt does not say which Binder base it was checked against"
    ]


def test_a_base_package_the_note_names_but_the_lock_lacks_fails(copy: Path) -> None:
    _, _, extra = lock.base_note(copy / "binder/requirements.txt")
    if not extra:
        pytest.skip("the student lock pins no base package for Binder")
    edit(copy / "binder/requirements.txt", f"\n{extra[0]}==", f"\n# {extra[0]}==")
    assert any(f"no pin for {extra[0]}, which it says" in p for p in lock.problems(copy))


def test_lock_check_command_says_what_to_run(copy: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lock.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("match pyproject.toml")


@pytest.mark.skipif(os.name != "posix", reason="the wheel is checked on Linux and macOS")
def test_a_wheel_install_carries_the_article_tables_and_font(tmp_path: Path) -> None:
    """Installed without the repository (`pip install .`), the library still finds its data."""
    built = subprocess.run(
        [sys.executable, "-m", "uv", "build", "--wheel", "--quiet", "-o", str(tmp_path / "dist")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("secondment-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "secondment/datasets/000_1fbbca7256bb50ad.txt").read_bytes() == (
        ROOT / "datasets/000_1fbbca7256bb50ad.txt"
    ).read_bytes()

    # The wheel's copy comes first on the path, ahead of this checkout's editable install.
    probe = (
        "from secondment.article import course_root, datasets_dir, load_article\n"
        "from secondment.tables import load_table\n"
        "from secondment.style import font_path\n"
        f"print(course_root(), datasets_dir().relative_to({str(site)!r}).as_posix(),\n"
        "      len(load_table('cadres')), font_path().is_file(), load_article().title)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[:4] == ["None", "secondment/datasets", "8", "True"]
