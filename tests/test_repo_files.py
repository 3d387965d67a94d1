"""The files around the course on its code host: workflows, issue forms, citation, changelog.

Workflows, issue forms and CITATION.cff are validated against their published schemas by
`tools/check_schemas.py` (check-jsonschema, with its vendored schemas: no network), and each
check is seen to fail on a copy broken on purpose. The workflows are read as YAML to hold them
to what the course needs: one CI script, the supported Pythons, artefacts, cancelled runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import binder_warmup
import check_schemas
import pytest
import yaml

from secondment.paths import require_course_root

ROOT = require_course_root()
WORKFLOWS = ROOT / ".github" / "workflows"
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads a bare `on:` key as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


# ---------------------------------------------------------------- schemas


def test_every_workflow_form_and_citation_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    groups = check_schemas.files_to_check(ROOT)
    names = {p.relative_to(ROOT).as_posix() for paths in groups.values() for p in paths}
    assert {
        ".github/workflows/ci.yml",
        ".github/workflows/site.yml",
        ".github/workflows/binder.yml",
        ".github/ISSUE_TEMPLATE/config.yml",
        "CITATION.cff",
    } <= names
    assert len([n for n in names if n.startswith(".github/ISSUE_TEMPLATE/")]) >= 3
    assert check_schemas.check(groups) == 0, capsys.readouterr().out


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    copy = tmp_path / name
    copy.parent.mkdir(parents=True, exist_ok=True)
    text = (ROOT / name).read_text(encoding="utf-8")
    assert old in text, old
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("name", "old", "new", "reported"),
    [
        (".github/workflows/ci.yml", "    runs-on: ubuntu-latest\n", "", "'runs-on' is a required"),
        (".github/workflows/site.yml", "  push:", "  pushed:", "pushed"),
        ("CITATION.cff", 'version: "1.0.0"', "version: [1, 0]", "version"),
        ("CITATION.cff", "cff-version: 1.2.0", "cff-version: 9.9.9", "cff-version"),
        (".github/ISSUE_TEMPLATE/lesson.yml", "type: dropdown", "type: menu", "type"),
    ],
    ids=["workflow without runs-on", "unknown trigger", "cff version", "cff schema", "form"],
)
def test_a_broken_file_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str, reported: str
) -> None:
    copy = _broken(tmp_path, name, old, new)
    assert check_schemas.main([str(copy)], root=tmp_path) == 1
    assert reported in capsys.readouterr().out


def test_the_schema_check_command_runs_standalone(tmp_path: Path) -> None:
    """What the pre-commit hook runs: a file with no schema is ignored, not an error."""
    assert check_schemas.main([str(ROOT / "README.md")]) == 0
    assert check_schemas.schema_for(".github/workflows/ci.yml") == "vendor.github-workflows"
    assert check_schemas.schema_for("notebooks/00-start-here.ipynb") is None


# ---------------------------------------------------------------- CI


def test_ci_runs_the_one_ci_script_on_push_and_pull_request() -> None:
    ci = _yaml(WORKFLOWS / "ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert ci["permissions"] == {"contents": "read"}
    job = ci["jobs"]["test"]
    assert job["runs-on"].startswith("ubuntu")
    runs = [step.get("run", "") for step in job["steps"]]
    assert "bash .ci/run" in runs
    # No second copy of what .ci/run does: the test command is run by .ci/run alone.
    assert not any("course.py test" in run or "pytest" in run for run in runs)


def _supported_pythons() -> list[str]:
    prefix = "Programming Language :: Python :: 3."
    minors = [
        int(c[len(prefix) :]) for c in PYPROJECT["project"]["classifiers"] if c.startswith(prefix)
    ]
    return [f"3.{min(minors)}", f"3.{max(minors)}"]


def test_ci_tests_the_oldest_and_newest_supported_python() -> None:
    matrix = _yaml(WORKFLOWS / "ci.yml")["jobs"]["test"]["strategy"]["matrix"]["python"]
    oldest, newest = _supported_pythons()
    assert PYPROJECT["project"]["requires-python"] == f">={oldest}"
    assert matrix == [oldest, newest]


def test_ci_caches_uv_downloads_keyed_on_the_locks_and_uploads_artefacts() -> None:
    steps = _steps(_yaml(WORKFLOWS / "ci.yml"), "test")
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    cache = uses["actions/cache"]["with"]
    assert cache["path"] == "~/.cache/uv"
    assert "hashFiles('requirements-test.txt', 'binder/requirements.txt')" in cache["key"]
    upload = uses["actions/upload-artifact"]
    assert upload["if"] == "always()"
    assert "artifacts/screenshots/" in upload["with"]["path"]
    bench = next(step["run"] for step in steps if "tools/bench.py" in step.get("run", ""))
    out = bench.split("--out", 1)[1].split()[0]
    assert (
        out.startswith("artifacts/benchmarks/")
        and "artifacts/benchmarks/" in upload["with"]["path"]
    )
    # The screenshots go where the browser test writes them.
    assert '"artifacts" / "screenshots"' in (ROOT / "tests" / "test_browser.py").read_text("utf-8")


def _run_ci_script(tmp_path: Path, uid: int, have_chromium: bool) -> list[str]:
    """Run .ci/run with recorders for id, sudo, apt-get and python3; return what they saw."""
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log = tmp_path / "log"
    fakes = {
        "id": f"echo {uid}",
        "sudo": 'echo "sudo $*" >> "$LOG"; [ "$1" = --non-interactive ] && shift; exec "$@"',
        "apt-get": 'echo "apt-get $*" >> "$LOG"',
        "python3": 'echo "python3 $*" >> "$LOG"',
        "npm": 'echo "npm $*" >> "$LOG"',
    }
    for name, body in fakes.items():
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_ / name).chmod(0o755)
    chromium = tmp_path / "chromium"
    if have_chromium:
        chromium.write_text("#!/bin/sh\n", encoding="utf-8")
        chromium.chmod(0o755)
    env = {
        "PATH": f"{bin_}:/usr/bin:/bin",
        "LOG": str(log),
        "CI_CHROMIUM": str(chromium),
        "CI_NOTO_FONTS": str(tmp_path / "no-fonts"),
        "CI_BWRAP": str(tmp_path / "no-bwrap"),
        # Java and npm are there when Chromium is, in these two runs.
        "CI_JAVA": str(chromium),
        "CI_NPM": str(chromium),
    }
    done = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return log.read_text(encoding="utf-8").splitlines()


def test_ci_script_installs_through_sudo_when_not_root(tmp_path: Path) -> None:
    log = _run_ci_script(tmp_path, uid=1001, have_chromium=True)
    assert log[0].startswith("sudo --non-interactive env DEBIAN_FRONTEND=noninteractive apt-get")
    install = next(line for line in log if line.startswith("apt-get install"))
    assert "fonts-noto-cjk" in install and "bubblewrap" in install and "chromium" not in install
    assert "npm" not in install.split() and "default-jre-headless" not in install.split()
    assert log[-2:] == [
        "npm ci --ignore-scripts --no-audit --no-fund --prefix tools/site-checkers",
        "python3 course.py test",
    ]


def test_ci_script_installs_directly_as_root(tmp_path: Path) -> None:
    log = _run_ci_script(tmp_path, uid=0, have_chromium=False)
    assert not any(line.startswith("sudo") for line in log)
    install = next(line for line in log if line.startswith("apt-get install"))
    assert "chromium" in install.split() and "fonts-noto-cjk" in install.split()
    # The site's checkers: npm installs them, and the HTML checker runs on Java.
    assert "npm" in install.split() and "default-jre-headless" in install.split()
    assert log[-2].startswith("npm ci ") and log[-2].endswith("--prefix tools/site-checkers")
    assert log[-1] == "python3 course.py test"


# ---------------------------------------------------------------- site and Binder


def test_site_builds_with_the_course_command_and_deploys_to_pages() -> None:
    site = _yaml(WORKFLOWS / "site.yml")
    assert site["on"]["push"]["branches"] == ["main"]
    build = _steps(site, "build")
    assert any(step.get("run") == "python3 course.py site" for step in build)
    upload = next(
        s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "_site"
    deploy = site["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert _steps(site, "deploy")[0]["uses"].startswith("actions/deploy-pages@")
    assert site["permissions"] == {"contents": "read"}


def test_binder_warm_up_requests_a_build_of_the_pushed_commit() -> None:
    binder = _yaml(WORKFLOWS / "binder.yml")
    assert binder["on"]["push"]["branches"] == ["main"]
    run = _steps(binder, "warm-up")[-1]["run"]
    assert run == 'python3 tools/binder_warmup.py --repo "$GITHUB_REPOSITORY" --ref "$GITHUB_SHA"'
    assert "vars.BINDER_WARMUP == 'true'" in binder["jobs"]["warm-up"]["if"]


# A BinderHub build stream as mybinder.org sends it: keep-alive comments, one event per step.
STREAM = [
    ": keep-alive\n",
    'data: {"phase": "waiting", "message": "Waiting for build to start...\\n"}\n',
    "\n",
    'data: {"phase": "building", "message": "Step 1/20 : FROM docker.io/library/buildpack-deps"}\n',
    'data: {"phase": "building", "message": "Successfully pushed the image"}\n',
    'data: {"phase": "built", "message": "Built image, launching...\\n", "imageName": "x"}\n',
    'data: {"phase": "launching", "message": "Launching server...\\n"}\n',
    'data: {"phase": "ready", "message": "server running at https://hub.example/user/x/\\n", '
    '"url": "https://hub.example/user/x/", "token": "t"}\n',
]


def test_binder_warm_up_follows_the_build_until_the_image_exists() -> None:
    said: list[str] = []
    assert binder_warmup.follow(binder_warmup.events(STREAM), said.append) is True
    phases = [line.split(": ", 1)[1] for line in said if line.startswith("binder: ")]
    assert phases == ["waiting", "building", "built"]  # it stops before the launch
    assert "Successfully pushed the image" in said


def test_binder_warm_up_accepts_an_image_built_before() -> None:
    found = ['data: {"phase": "built", "message": "Found built image, launching...\\n"}\n']
    assert binder_warmup.follow(binder_warmup.events(STREAM[:2] + found), [].append) is True


@pytest.mark.parametrize(
    "stream",
    [
        STREAM[:3] + ['data: {"phase": "failed", "message": "Error during build"}\n'],
        STREAM[:5],  # the connection closed half-way
        ["data: not json\n", ": keep-alive\n"],
    ],
    ids=["failed", "cut short", "garbage"],
)
def test_binder_warm_up_fails_unless_ready(stream: list[str]) -> None:
    said: list[str] = []
    assert binder_warmup.follow(binder_warmup.events(stream), said.append) is False


@pytest.fixture
def fake_binder():
    """A BinderHub on localhost that answers every build request with `stream`."""
    import http.server
    import threading

    seen: list[tuple[str, str]] = []
    stream: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("Accept", "")))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for line in stream:
                self.wfile.write(line.encode())
                self.wfile.flush()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", stream, seen
    server.shutdown()
    server.server_close()


def test_binder_warm_up_command_over_http(fake_binder, capsys: pytest.CaptureFixture[str]) -> None:
    url, stream, seen = fake_binder
    sha = "4fdd2fb4081ef55eb45f45dd967891b21759ad2d"
    stream[:] = STREAM
    argv = ["--repo", "org/course", "--ref", sha, "--binder", url, "--timeout", "10"]
    assert binder_warmup.main(argv) == 0
    assert seen == [(f"/build/gh/org/course/{sha}", "text/event-stream")]
    assert capsys.readouterr().out.splitlines()[-1].startswith("binder: ready after ")
    stream[:] = STREAM[:3] + ['data: {"phase": "failed", "message": "Error during build"}\n']
    assert binder_warmup.main(argv) == 1
    assert "Error during build" in capsys.readouterr().out


def test_binder_warm_up_requests_the_build_api_for_the_commit() -> None:
    sha = "4fdd2fb4081ef55eb45f45dd967891b21759ad2d"
    assert (
        binder_warmup.build_url("org/course", sha)
        == f"https://mybinder.org/build/gh/org/course/{sha}"
    )
    with pytest.raises(ValueError, match="OWNER/NAME"):
        binder_warmup.build_url("course", "main")


# ---------------------------------------------------------------- files people look for


def test_citation_version_is_the_package_version() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    import secondment

    assert cff["version"] == PYPROJECT["project"]["version"] == secondment.__version__
    assert cff["license"] == "MIT"


def test_the_version_is_read_from_the_package_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    import secondment

    src = (ROOT / "src" / "secondment" / "__init__.py").read_text(encoding="utf-8")
    assert not re.search(r"\d+\.\d+\.\d+", src), "the version is written only in pyproject.toml"
    assert secondment.__version__ == importlib.metadata.version("secondment")

    # Imported from a checkout that was never installed: pyproject.toml still says it.
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert secondment.__version__ == PYPROJECT["project"]["version"]


def test_changelog_has_unreleased_and_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert headings[1] == PYPROJECT["project"]["version"]


def test_lesson_form_offers_every_notebook() -> None:
    form = yaml.safe_load((FORMS / "lesson.yml").read_text(encoding="utf-8"))
    menu = next(item for item in form["body"] if item.get("id") == "notebook")
    offered = [o for o in menu["attributes"]["options"] if o.endswith(".ipynb")]
    course = sorted(
        p.relative_to(ROOT).as_posix()
        for folder in ("notebooks", "exercises")
        for p in (ROOT / folder).glob("*.ipynb")
    )
    assert sorted(offered) == course
    assert any(item.get("id") == "cell" for item in form["body"])


def test_contributor_files_name_the_commands_that_exist() -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in (
        "python -m secondment.teach build-exercises",
        "python3 course.py execute",
        "python3 course.py test",
        "python tools/lock.py",
        "pre-commit install",
    ):
        assert command in contributing, command
    conduct = (ROOT / "CODE_OF_CONDUCT.md").read_text(encoding="utf-8")
    assert "Contributor Covenant" in conduct and "version 2.1" in conduct


def test_readme_links_the_contributor_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "CHANGELOG.md", "CITATION.cff"):
        assert f"]({name})" in readme, name
        assert (ROOT / name).exists()
