"""The README's promises: two quick-start commands, Binder links that open each lesson, CI calls them."""

import re

import pytest

from secondment.paths import notebooks, require_course_root
from secondment.teach.links import COURSE_REPO, binder_badge, binder_link, hub_link

ROOT = require_course_root()
README = (ROOT / "README.md").read_text(encoding="utf-8")
LESSONS = sorted(p.relative_to(ROOT).as_posix() for p in notebooks("lessons"))


def test_binder_link_opens_a_notebook_in_lab():
    assert binder_link("org/course", "v1.0") == (
        "https://mybinder.org/v2/gh/org/course/v1.0?urlpath=lab/tree/notebooks/00-start-here.ipynb"
    )


def test_hub_link_uses_nbgitpuller():
    link = hub_link("https://hub.example.edu/", "org/course", "main", "notebooks/03-x.ipynb")
    assert link.startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
    assert "repo=https%3A%2F%2Fgithub.com%2Forg%2Fcourse" in link
    assert "urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F03-x.ipynb" in link


@pytest.mark.parametrize("bad", ["course", "org/course/extra", "org course"])
def test_bad_repo_is_refused(bad):
    with pytest.raises(ValueError, match="OWNER/NAME"):
        binder_link(bad)


def test_readme_badge_opens_start_here():
    assert binder_badge(COURSE_REPO) in README


def test_readme_launch_links_cover_every_lesson():
    assert len(LESSONS) == 10  # eight steps, 03 and 04 in two parts each
    for nb in LESSONS:
        assert binder_link(COURSE_REPO, "main", nb) in README, nb
        assert f"]({nb})" in README, nb


def test_readme_links_point_at_files_that_exist():
    targets = re.findall(r"\]\(((?:notebooks|exercises|instructors|datasets)/[^)#]+)\)", README)
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert missing == []


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["python3 course.py lab", "python3 course.py test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 course.py test" in ci


def test_cli_prints_both_links(capsys):
    from secondment.teach.__main__ import main

    assert main(["links", "--repo", "org/course", "--hub", "https://hub.example.edu"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("https://mybinder.org/v2/gh/org/course/main?urlpath=lab/tree/")
    assert out[1].startswith("https://hub.example.edu/hub/user-redirect/git-pull?")


def _notebook_links():
    import json

    link = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s#]+)(?:#[^)]*)?\)")
    for folder in ("notebooks", "exercises", "exercises/solutions"):
        for nb in sorted((ROOT / folder).glob("*.ipynb")):
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
            for cell in cells:
                if cell["cell_type"] == "markdown":
                    for target in link.findall("".join(cell["source"])):
                        yield nb, target


def test_relative_links_in_notebooks_resolve():
    broken = [
        f"{nb.relative_to(ROOT)} → {target}"
        for nb, target in _notebook_links()
        if not (nb.parent / target).resolve().exists()
    ]
    assert broken == [], "write links from the notebook's own folder (solutions: ../../notebooks/…)"


def test_course_map_titles_match_the_notebooks():
    import json

    for nb in LESSONS:
        title = "".join(json.loads((ROOT / nb).read_text(encoding="utf-8"))["cells"][0]["source"])
        name = title.splitlines()[0].split("·", 1)[1].strip()
        assert f"[{name}]({nb})" in README, nb


# ---------------------------------------------------------------- one setting for the address


def _set_repository():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "set_repository", ROOT / "tools" / "set_repository.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["set_repository"] = module
    spec.loader.exec_module(module)
    return module


set_repository = _set_repository()


def _course_copy(tmp_path):
    import shutil

    names = [set_repository.LINKS, *set_repository.PAGES_LINKED, *set_repository.WORKFLOWS]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "notebooks").mkdir()
    for nb in LESSONS:
        (tmp_path / nb).write_text("{}", encoding="utf-8")
    return tmp_path, names


def test_every_link_follows_the_one_repository_setting():
    from secondment.teach.links import COURSE_BRANCH

    assert set_repository.setting(ROOT) == (COURSE_REPO, COURSE_BRANCH)
    assert set_repository.disagreements(ROOT) == []


def test_site_and_repository_urls():
    from secondment.teach.links import repository_url, site_url

    assert site_url("Org/course") == "https://org.github.io/course/"
    assert site_url("org/org.github.io") == "https://org.github.io/"
    assert repository_url("org/course") == "https://github.com/org/course"
    assert site_url() in README


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        (
            "README.md",
            f"{COURSE_REPO}/main?urlpath=lab/tree/notebooks/03",
            "a/b/main?urlpath=lab/tree/notebooks/03",
        ),
        ("README.md", "/main?urlpath=lab/tree/notebooks/00", "/dev?urlpath=lab/tree/notebooks/00"),
        (
            "CITATION.cff",
            'repository-code: "https://github.com/',
            'repository-code: "https://gitlab.com/',
        ),
        ("pyproject.toml", 'Homepage = "https://', 'Homepage = "http://'),
        (".github/workflows/binder.yml", f"== '{COURSE_REPO}'", "== 'a/b'"),
        (".github/workflows/site.yml", "branches: [main]", "branches: [main, dev]"),
        (".github/ISSUE_TEMPLATE/config.yml", ".github.io/secondment/", ".github.io/other/"),
    ],
)
def test_a_link_that_disagrees_is_caught(tmp_path, name, old, new):
    root, _ = _course_copy(tmp_path)
    text = (root / name).read_text(encoding="utf-8")
    assert old in text, old
    (root / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    found = set_repository.disagreements(root)
    assert found and all(problem.startswith(f"{name}: ") for problem in found), found


def test_a_fork_moves_every_link_with_one_command(tmp_path):
    root, names = _course_copy(tmp_path)
    assert set_repository.set_repository("some-one/my-course", "spring-2027", root) == []
    assert set_repository.setting(root) == ("some-one/my-course", "spring-2027")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert binder_badge("some-one/my-course", "spring-2027") in readme
    assert "https://some-one.github.io/my-course/" in readme
    for name in names:
        assert COURSE_REPO not in (root / name).read_text(encoding="utf-8"), name
    with pytest.raises(ValueError, match="OWNER/NAME"):
        set_repository.set_repository("not a repo", "main", root)


def test_binder_readme_names_the_base_the_lock_was_checked_against():
    import lock

    text = (ROOT / "binder" / "README.md").read_text(encoding="utf-8")
    version, python, extra = lock.base_note(ROOT / "binder" / "requirements.txt")
    assert f"**Checked against:** jupyter-repo2docker {version} (its Python {python} base)" in text
    pins = {name: v for (name, _), v in lock.pins(ROOT / "binder" / "requirements.txt").items()}
    for name in extra:
        assert f"`{name}` at {pins[name]}" in text, name
    assert "tests/test_binder.py" in text and "tests/test_local_env.py" in text
