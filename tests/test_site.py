"""The course website: built once from a clean checkout, then read as files and in Chromium.

The site is built a single time per test run (a session fixture; every site test is in this
file, so xdist's loadfile keeps them on one worker) from a copy of the files git tracks, with
`website/site_build.py`, the program `python3 course.py site` runs. Then: every page the course
needs is there, every internal link and image resolves, no page loads anything from another
host, no solution code reaches any page, each notebook page has its launch buttons, download,
alt texts and header, the search index knows Chinese words, the web font covers the pages.
One Chromium opens the home page, a lesson with charts, the glossary and two searches, over
HTTP, and saves screenshots to artifacts/screenshots/.

The site stays light and clean, measured with tools/site_audit.py: no source maps or theme
templates shipped, at most 8 MB in all, a home page that loads at most 1 MB on a cold cache
(web font included, as for a reader whose system has no Chinese font), no violation that
axe-core finds on a page of each kind, and no error the Nu Html Checker (vnu) finds on any
page. The two checkers come from tools/site-checkers/ (`npm ci --ignore-scripts --prefix
tools/site-checkers`, which CI's .ci/run does): without them these tests are skipped, or fail
in CI.
"""

from __future__ import annotations

import csv
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest

from secondment.paths import notebooks, require_course_root
from secondment.teach.exercises import BEGIN, END, solution_lines
from secondment.teach.links import COURSE_REPO, binder_link, hub_link

ROOT = require_course_root()
sys.path.insert(0, str(ROOT / "website"))

import site_audit  # noqa: E402
import site_font  # noqa: E402
import site_notebooks  # noqa: E402
import site_pages  # noqa: E402
import site_theme  # noqa: E402

pytestmark = pytest.mark.integration

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
BUILD_BUDGET = 45.0  # seconds, on 2 cores
FONT_BUDGET = 500_000  # bytes of web font
SITE_BUDGET = 8_000_000  # bytes of the whole site
HOME_BUDGET = 1_000_000  # bytes the home page loads, everything it needs included
CHECK_MIME = "application/vnd.secondment.check+json"
HUB = "https://hub.example.edu"


@dataclass
class Site:
    """A built site: where it is, where its sources were, how long the build took."""

    out: Path
    checkout: Path
    seconds: float  # wall clock
    cpu: float  # CPU time of the build process
    log: str

    def pages(self) -> list[Path]:
        return sorted(p for p in self.out.rglob("*.html") if "_static" not in p.parts)

    def page(self, rel: str) -> str:
        return (self.out / rel).read_text(encoding="utf-8")


def _tracked_files() -> list[str]:
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        pytest.skip("not a git checkout: cannot copy the files git tracks")
    return [name for name in done.stdout.decode().split("\0") if name]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site, built once from a copy of exactly the files git tracks."""
    checkout = tmp_path_factory.mktemp("checkout")
    for name in _tracked_files():
        source = ROOT / name
        if source.is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, checkout / name)
    out = tmp_path_factory.mktemp("site") / "_site"
    before = _child_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(checkout / "website" / "site_build.py"), "--out", str(out)],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
    )
    seconds = time.perf_counter() - started
    cpu = _child_cpu() - before if before is not None else seconds
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    return Site(out, checkout, seconds, cpu, log)


def _child_cpu() -> float | None:
    """CPU seconds used so far by this process's finished children (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- reading pages


class _Page(HTMLParser):
    """The links, images, ids and visible text of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, dict[str, str]]] = []  # (tag, url, attributes)
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("script", "style"):
            self._skip += 1
        for key in ("href", "src"):
            if key in a and not (tag == "a" and key == "src"):
                self.links.append((tag, a[key], a))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@functools.cache
def _parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def _nb_cells(path: Path) -> list[Any]:
    return nbformat.read(path, as_version=4).cells


def _lesson_and_exercise_paths(root: Path) -> list[str]:
    found = sorted((root / "notebooks").glob("[0-9][0-9]*-*.ipynb"))
    found += sorted((root / "exercises").glob("[0-9][0-9]-*-exercises.ipynb"))
    return [p.relative_to(root).as_posix() for p in found]


# ---------------------------------------------------------------- the pieces, without a build


def test_a_fork_gets_its_own_launch_links() -> None:
    bar = site_notebooks.launch_bar(
        "notebooks/03a-people-and-posts.ipynb",
        "a-college/chinese-news",
        "spring",
        "https://hub.a.edu",
    )
    assert (
        html.escape(
            binder_link("a-college/chinese-news", "spring", "notebooks/03a-people-and-posts.ipynb")
        )
        in bar
    )
    assert (
        'href="https://hub.a.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fa-college%2Fchinese-news&amp;branch=spring'
        in bar
    )
    assert "data-ask-hub" not in bar  # a site built with a hub links to it directly
    assert 'href="03a-people-and-posts.ipynb" download' in bar
    assert COURSE_REPO not in bar
    assert "data-ask-hub" in site_notebooks.launch_bar("notebooks/x.ipynb", COURSE_REPO, "main", "")


def test_notebook_rewrite_sets_alt_text_and_replaces_self_checks() -> None:
    chart = {
        "output_type": "display_data",
        "data": {"image/png": "iVBOR", "text/plain": "<Figure>"},
    }
    check = {
        "output_type": "display_data",
        "data": {
            CHECK_MIME: {"question": "05.2", "passed": False},
            "text/plain": "❌ 05.2: not answered yet",
        },
    }
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "A chart. ![badge](https://example.org/b.svg)"},
            {"cell_type": "code", "source": "plot()", "metadata": {}, "outputs": [chart]},
            {"cell_type": "markdown", "source": ["*Alt text: Four bars,\n", "15 to 45.*"]},
            {
                "cell_type": "code",
                "source": "check('05.2', answer)",
                "metadata": {},
                "outputs": [check],
            },
        ]
    }
    cells = site_notebooks.rewrite(nb)["cells"]
    assert cells[0]["source"] == "A chart. badge"  # nothing loaded from another host
    assert cells[1]["metadata"]["mystnb"]["image"]["alt"] == "Four bars, 15 to 45."
    (note,) = cells[3]["outputs"]
    assert CHECK_MIME not in note["data"] and "not answered" not in json.dumps(note)
    assert note["data"]["text/plain"].startswith("Self-check 05.2: run this notebook")


def test_the_build_never_replaces_a_folder_it_did_not_make(tmp_path: Path) -> None:
    import site_build

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(site_build.SiteError, match="not a site built here"):
        site_build.build(tmp_path, root=tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_unicode_ranges_merge_runs() -> None:
    assert site_font.unicode_ranges([0x4E01, 0x4E00, 0x4E02, 0x6302, 0x804C]) == (
        "U+4E00-4E02, U+6302, U+804C"
    )


def test_course_order_puts_each_exercise_after_its_lesson() -> None:
    order = site_pages.course_order(ROOT)
    lessons = [p for p in order if p.startswith("notebooks/")]
    assert lessons == sorted(lessons) and len(lessons) == 10
    for index, name in enumerate(order):
        if name.startswith("exercises/"):
            # After its lesson, or after the second part of a lesson in two (03b for 03).
            before = order[index - 1].split("/")[1]
            assert (
                order[index - 1].startswith("notebooks/") and before[:2] == name.split("/")[1][:2]
            )
            assert index + 1 == len(order) or order[index + 1].split("/")[1][:2] != before[:2]
    assert [p.split("/")[1][:2] for p in order if p.startswith("exercises/")] == [
        f"{n:02d}" for n in range(1, 8)
    ]
    assert not [p for p in order if "solutions" in p]


def test_pandas_tables_lose_their_scoped_style_and_empty_header_cells() -> None:
    import pandas as pd

    table = pd.DataFrame({"count": [15, 45]}, index=pd.Index(["厅局级", "县处级"], name="rank"))
    shown = table._repr_html_()  # what a notebook stores as the cell's text/html
    assert "<style scoped>" in shown and "<th></th>" in shown
    cleaned = site_notebooks.table_html(shown)
    assert "<style" not in cleaned and "<th></th>" not in cleaned
    assert cleaned.count("<td></td>") == shown.count("<th></th>")
    assert "<th>rank</th>" in cleaned and "<td>45</td>" in cleaned
    # Whatever else a cell shows in HTML is kept as it is.
    assert site_notebooks.table_html('<p class="self-check">x</p>') == '<p class="self-check">x</p>'


def test_the_site_pages_link_files_that_exist_in_the_repository() -> None:
    # A Markdown link in website/ is a link to a file, here as on the site (a page of the site
    # only is named with {doc}, which Sphinx checks).
    link = re.compile(r"\]\((?![a-z]+:|#)([^)\s#]+)")
    for page in sorted((ROOT / "website").glob("*.md")):
        for target in link.findall(page.read_text(encoding="utf-8")):
            assert (page.parent / unquote(target)).exists(), f"{page.name}: {target}"


def test_trim_removes_what_the_site_does_not_serve(tmp_path: Path) -> None:
    static = tmp_path / "_static"
    files = {
        "webpack-macros.html": "{% macro head_pre_assets() %}{% endmacro %}",
        "scripts/fontawesome.js": "icons()\n//# sourceMappingURL=fontawesome.js.map",
        "scripts/fontawesome.js.map": "{}",
        "scripts/bootstrap.js": "bootstrap()\n//# sourceMappingURL=bootstrap.js.map",
        "scripts/bootstrap.js.map": "{}",
        "vendor/fontawesome/webfonts/fa-solid-900.woff2": "font",
        "locales/fr/LC_MESSAGES/booktheme.mo": "catalogue",
        site_theme.THEME_CSS: '.a{color:red}.fa-bars{--fa:"\\f0c9"}.fa-x,.fa-y{--fa:"x"}'
        ".fa-lg{font-size:1.25em}\n/*# sourceMappingURL=pydata-sphinx-theme.css.map*/",
        "course.css": "p{margin:0}",
    }
    for name, text in files.items():
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_text(text, encoding="utf-8")
    removed = site_theme.trim(tmp_path)
    assert "_static/scripts/fontawesome.js" in removed and "_static/vendor/fontawesome" in removed
    assert not (static / "vendor").exists()
    left = sorted(p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file())
    assert left == ["course.css", "scripts/bootstrap.js", site_theme.THEME_CSS]
    assert (static / "scripts/bootstrap.js").read_text(encoding="utf-8") == "bootstrap()\n"
    css = (static / site_theme.THEME_CSS).read_text(encoding="utf-8")
    assert css == ".a{color:red}.fa-lg{font-size:1.25em}\n"


# ---------------------------------------------------------------- the build and its pages


def test_the_site_builds_from_a_clean_checkout_within_budget(site: Site) -> None:
    # The build is one process, so its CPU time is the wall time it takes on an idle machine
    # with 2 cores; the wall time itself also counts whatever else shares the cores (the other
    # test worker), so it has twice the margin.
    assert site.cpu < BUILD_BUDGET, f"the build used {site.cpu:.1f} s of CPU"
    assert site.seconds < 2 * BUILD_BUDGET, f"the build took {site.seconds:.1f} s"
    assert "site:" in site.log and "pages" in site.log
    assert "WARNING" not in site.log, site.log[-3000:]
    # Nothing written into the checkout but build/ (the staging folder and Sphinx's cache).
    assert not (site.checkout / "_site").exists()
    assert not (site.checkout / "jupyter_execute").exists()
    assert (site.out / ".nojekyll").exists()


def test_every_page_of_the_course_is_there_and_no_solutions(site: Site) -> None:
    root = site.checkout
    wanted = ["index", "setup", "glossary", "licence", "README", "datasets/README"]
    wanted += [p.removesuffix(".ipynb") for p in _lesson_and_exercise_paths(root)]
    wanted += [
        p.relative_to(root).with_suffix("").as_posix() for p in root.glob("instructors/*.md")
    ]
    missing = [name for name in wanted if not (site.out / f"{name}.html").is_file()]
    assert not missing
    assert len(wanted) >= 10 + 7 + 7 + 6
    assert not (site.out / "exercises" / "solutions").exists()
    assert not [p for p in site.out.rglob("*solutions*")], "a solution file reached the site"


def test_every_internal_link_and_image_resolves(site: Site) -> None:
    broken = []
    checked = 0
    for page in site.pages():
        for tag, url, _ in _parse(page).links:
            if _external(url) or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            parts = urlsplit(url)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            where = f"{page.relative_to(site.out)}: <{tag}> {url}"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in _parse(target).ids:
                    broken.append(f"{where} (no such anchor)")
    assert checked > 500
    assert not broken, "\n".join(broken[:30])


def test_no_page_loads_anything_from_another_host(site: Site) -> None:
    loads = []
    for page in site.pages():
        for tag, url, attrs in _parse(page).links:
            loaded = tag in ("img", "script", "iframe", "source") or (
                tag == "link" and "stylesheet" in attrs.get("rel", "")
            )
            if loaded and _external(url):
                loads.append(f"{page.relative_to(site.out)}: <{tag}> {url}")
    for css in site.out.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?(https?:[^'\")]+)", css.read_text(errors="replace")):
            loads.append(f"{css.relative_to(site.out)}: url({url})")
    assert not loads, "\n".join(loads[:20])


def test_no_page_contains_solution_code(site: Site) -> None:
    root = site.checkout
    # Lines a student may see anyway (in a lesson or an exercise) are not secrets.
    public = set()
    for rel in _lesson_and_exercise_paths(root):
        for cell in _nb_cells(root / rel):
            public.update(line.strip() for line in cell.source.split("\n"))
    secrets = set()
    for path in notebooks("solutions", root=root):
        secrets.update(
            line for line in solution_lines(nbformat.read(path, as_version=4)) if line not in public
        )
    # A line of brackets or a bare name (`],`, `answer`) says nothing of a solution, and shows up
    # in any code example: a secret has at least six characters and a letter or a hanzi.
    secrets = {s for s in secrets if len(s) >= 6 and re.search(r"[A-Za-z\u4e00-\u9fff]", s)}
    assert len(secrets) > 30, "the solutions should have code of their own"
    leaks = []
    for page in site.pages():
        text = html.unescape("".join(_parse(page).text))
        lines = {line.strip() for line in text.split("\n")}
        leaks += [f"{page.relative_to(site.out)}: {s}" for s in secrets if s in lines]
        if page.parent.name in ("notebooks", "exercises"):
            # A guide may name the markers; a notebook page with one shows a solution cell.
            assert BEGIN not in text and END not in text, page
    for copied in site.out.rglob("*.ipynb"):
        source = copied.read_text(encoding="utf-8")
        assert BEGIN not in source, copied
    assert not leaks, "\n".join(leaks[:20])


def test_the_site_ships_only_what_it_serves_within_budget(site: Site) -> None:
    found = site_audit.folder(site.out)
    assert found.source_maps == {}
    assert found.templates == []  # the theme's Jinja macros, copied as they were
    static = site.out / "_static"
    assert not (static / "scripts" / "fontawesome.js").exists()
    assert not (static / "vendor").exists() and not (static / "locales").exists()
    assert found.bytes <= SITE_BUDGET, f"the site is {found.bytes:,} bytes"


_ICON_PREFIXES = {"fa", "fas", "far", "fab", "fa-solid", "fa-regular", "fa-brands"}
# Classes of Font Awesome that size or place an icon rather than name one.
_ICON_MODIFIERS = {"fa-lg", "fa-fw", "fa-xs", "fa-sm", "fa-xl", "fa-2x", "fa-spin"}


def test_every_icon_a_page_shows_is_drawn_by_the_site(site: Site) -> None:
    css = (site.out / "_static" / "icons.css").read_text(encoding="utf-8")
    drawn = set(re.findall(r"^\.(fa-[\w-]+) \{", css, re.MULTILINE))
    used: set[str] = set()
    for page in site.pages():
        for classes in re.findall(r'<(?:i|span)\b[^>]*\bclass="([^"]+)"', page.read_text("utf-8")):
            names = set(classes.split())
            if names & _ICON_PREFIXES:
                used |= {n for n in names - _ICON_PREFIXES - _ICON_MODIFIERS if n.startswith("fa-")}
    assert {"fa-bars", "fa-magnifying-glass", "fa-github"} <= used
    assert not used - drawn, f"icons without a rule in icons.css: {sorted(used - drawn)}"


def test_only_the_search_page_loads_the_search_index(site: Site) -> None:
    loading = [
        page.relative_to(site.out).as_posix()
        for page in site.pages()
        if any(tag == "script" and "searchindex.js" in url for tag, url, _ in _parse(page).links)
    ]
    assert loading == ["search.html"]
    for page in site.pages():
        text = page.read_text(encoding="utf-8")
        assert "fontawesome.js" not in text and "<style scoped>" not in text, page


# ---------------------------------------------------------------- notebook pages


def test_each_notebook_page_has_launch_buttons_download_and_its_header(site: Site) -> None:
    for rel in _lesson_and_exercise_paths(site.checkout):
        page = site.out / rel.replace(".ipynb", ".html")
        text = page.read_text(encoding="utf-8")
        bar = re.search(r'<nav class="launch-bar".*?</nav>', text, re.DOTALL)
        assert bar, f"{rel}: no launch bar"
        links = {a["class"].split()[-1]: a["href"] for tag, _, a in _parse(page).links if tag == "a"
                 and "launch" in a.get("class", "").split()}  # fmt: skip
        assert links["binder"] == binder_link(COURSE_REPO, "main", rel)
        hub = urlsplit(links["hub"])
        assert hub.path == "/hub/user-redirect/git-pull"
        query = {k: v[0] for k, v in parse_qs(hub.query).items()}
        name = COURSE_REPO.split("/")[1]
        assert query == {
            "repo": f"https://github.com/{COURSE_REPO}",
            "branch": "main",
            "urlpath": f"lab/tree/{name}/{rel}",
        }
        download = page.parent / links["download"]
        stored = json.loads((site.checkout / rel).read_bytes())
        assert json.loads(download.read_bytes()) == site_notebooks.cleared(stored)
        assert all(not c.get("outputs") for c in json.loads(download.read_bytes())["cells"])
        # The launch bar sits under the title, and the time comes before the first code cell.
        title = text.index("<h1")
        assert title < bar.start() < text.index("Time:") < text.index('class="cell docutils')


def test_charts_carry_the_alt_text_written_beside_them(site: Site) -> None:
    lesson = "notebooks/05-charting-with-matplotlib"
    cells = _nb_cells(site.checkout / f"{lesson}.ipynb")
    written = [
        " ".join(m[1].split())
        for c in cells
        if c.cell_type == "markdown"
        for m in re.finditer(r"\*Alt text:\s*(.+?)\*\s*$", c.source, re.DOTALL | re.MULTILINE)
    ]
    images = [a for tag, _, a in _parse(site.out / f"{lesson}.html").links if tag == "img"]
    charts = [a for a in images if "_images/" in a["src"]]
    assert len(charts) >= 6
    assert [a.get("alt", "") for a in charts] == written[: len(charts)]
    for page in site.pages():
        for tag, url, a in _parse(page).links:
            if tag == "img" and "_images/" in url:
                assert a.get("alt", "").strip(), f"{page.relative_to(site.out)}: {url} has no alt"


def test_self_checks_show_what_they_do_not_a_stored_cross(site: Site) -> None:
    rel = "exercises/03-extracting-facts-exercises"
    stored = sum(
        CHECK_MIME in out.get("data", {})
        for c in _nb_cells(site.checkout / f"{rel}.ipynb")
        if c.cell_type == "code"
        for out in c.outputs
    )
    text = site.page(f"{rel}.html")
    assert stored >= 5
    assert text.count('class="self-check"') == stored
    assert "not answered yet" not in text
    assert "Self-check 03.1: run this notebook" in text


# ---------------------------------------------------------------- home, navigation, glossary


def test_home_page_has_the_course_map_with_times(site: Site) -> None:
    home = site.page("index.html")
    teach = practise = 0
    for path in sorted((site.checkout / "notebooks").glob("[0-9][0-9]*-*.ipynb")):
        first = _nb_cells(path)[0].source
        time_line = re.search(r"^\*\*Time:\*\*\s*(.+?)\s*$", first, re.MULTILINE)[1]
        assert f'href="notebooks/{path.stem}.html"' in home
        assert html.escape(time_line, quote=False) in home, time_line
        minutes = [int(n) for n in re.findall(r"(\d+) min", time_line)]
        teach, practise = teach + minutes[0], practise + minutes[1]
    assert "capstone brief" in home
    assert f"{teach} min teaching · {practise} min practice" in home
    assert "basic Python" in home  # who it is for, from the README


def test_previous_and_next_follow_the_course_order(site: Site) -> None:
    def neighbours(rel: str) -> tuple[str | None, str | None]:
        text = site.page(rel)
        prev = re.search(r'class="left-prev"\s+href="([^"]+)"', text)
        nxt = re.search(r'class="right-next"\s+href="([^"]+)"', text)
        return (prev[1] if prev else None, nxt[1] if nxt else None)

    assert neighbours("notebooks/01-reading-the-article.html") == (
        "../setup.html",
        "../exercises/01-reading-the-article-exercises.html",
    )
    assert neighbours("exercises/01-reading-the-article-exercises.html")[1] == (
        "../notebooks/02-parsing-structure.html"
    )
    assert neighbours("notebooks/07-capstone-data-story.html")[1] == (
        "../exercises/07-capstone-data-story-exercises.html"
    )
    assert neighbours("exercises/07-capstone-data-story-exercises.html")[1] == (
        "../instructors/README.html"
    )


def test_glossary_page_has_every_term(site: Site) -> None:
    with (site.checkout / "datasets" / "glossary.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    text = html.unescape("".join(_parse(site.out / "glossary.html").text))
    assert len(rows) > 50
    for row in rows:
        assert row["term"] in text and row["pinyin"] in text, row["term"]


# ---------------------------------------------------------------- the Chinese edition

_SWITCH = re.compile(r'<p class="language-switch"><a href="([^"]+)" hreflang="([^"]+)"')
_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]+)\"")


def test_the_chinese_edition_is_there_and_every_page_switches_language(site: Site) -> None:
    edition = site.checkout / "zh-CN"
    twins = [p.removesuffix(".ipynb") for p in _lesson_and_exercise_paths(edition)]
    assert len(twins) == 10 + 7
    for rel in [*twins, "index", "glossary", "setup", "README"]:
        text = site.page(f"zh-CN/{rel}.html")
        assert _LANG.search(text)[1] == "zh-CN", rel
        href, lang = _SWITCH.search(text).groups()
        assert lang == "en"
        # A lesson or an exercise switches to itself in English.
        expected = rel if rel in twins else ("index" if rel == "index" else None)
        if expected is not None:
            target = (site.out / "zh-CN" / rel).parent / href
            assert target.resolve() == (site.out / f"{expected}.html").resolve(), (rel, href)
    switched = 0
    for page in site.pages():
        rel = page.relative_to(site.out).as_posix()
        if rel in ("search.html", "genindex.html"):
            continue
        text = page.read_text(encoding="utf-8")
        found = _SWITCH.search(text)
        assert found, f"{rel}: no language switch"
        assert (page.parent / found[1]).is_file(), f"{rel}: the switch goes to {found[1]}"
        chinese = rel.startswith("zh-CN/")
        assert found[2] == ("en" if chinese else "zh-CN") and _LANG.search(text)[1] == (
            "zh-CN" if chinese else "en"
        ), rel
        switched += 1
    assert switched >= 2 * len(twins)
    lesson = site.page("notebooks/05-charting-with-matplotlib.html")
    assert _SWITCH.search(lesson)[1] == "../zh-CN/notebooks/05-charting-with-matplotlib.html"


def test_the_chinese_pages_speak_chinese(site: Site) -> None:
    home = site.page("zh-CN/index.html")
    assert "课程地图" in home and "讲授" in home and "练习" in home
    assert 'href="notebooks/05-charting-with-matplotlib.html"' in home
    lesson = site.page("zh-CN/notebooks/05-charting-with-matplotlib.html")
    assert "用 matplotlib 绘制中文图表" in lesson and "在 Binder 中启动" in lesson
    exercise = site.page("zh-CN/exercises/01-reading-the-article-exercises.html")
    assert "自检 01.1" in exercise and "Self-check" not in exercise
    sys.path.insert(0, str(site.checkout / "tools"))
    import translate

    glossary = html.unescape("".join(_parse(site.out / "zh-CN" / "glossary.html").text))
    for row in translate.glossary_rows(site.checkout):
        assert row["term"] in glossary and row["explanation"] in glossary, row["term"]


# ---------------------------------------------------------------- search and font


def _search_index(site: Site) -> dict[str, Any]:
    text = site.page("searchindex.js")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def _pages_with(index: dict[str, Any], term: str) -> set[str]:
    """The pages whose text or titles have the word, by the search index."""
    found: set[str] = set()
    for table in (index["terms"], index["titleterms"]):
        files = table.get(term, [])
        found |= {index["docnames"][i] for i in ([files] if isinstance(files, int) else files)}
    return found


def test_the_search_index_knows_chinese_words(site: Site) -> None:
    index = _search_index(site)

    def pages_with(term: str) -> set[str]:
        return _pages_with(index, term)

    assert len(pages_with("挂职")) >= 10
    assert "notebooks/03a-people-and-posts" in pages_with("张国洪")
    assert "zh-CN/notebooks/03a-people-and-posts" in pages_with("张国洪")
    assert pages_with("段润保"), "the course's names are in jieba's user dictionary"


def test_the_web_font_covers_the_pages_and_stays_small(site: Site) -> None:
    from fontTools.ttLib import TTFont

    static = site.out / "_static"
    woff = static / "secondment-sans-cjk-web.woff"
    assert 20_000 < woff.stat().st_size < FONT_BUDGET
    assert (static / "LICENSE-OFL.txt").is_file()
    cmap = TTFont(woff).getBestCmap()
    used = set()
    for page in site.pages():
        used.update(ch for ch in "".join(_parse(page).text) if "\u4e00" <= ch <= "\u9fff")
    assert len(used) > 500
    missing = sorted(ch for ch in used if ord(ch) not in cmap)
    assert not missing, "".join(missing[:50])
    # Only what the pages use: far fewer than the course font's 3,755 level-1 hanzi.
    assert sum(1 for cp in cmap if 0x4E00 <= cp <= 0x9FFF) < len(used) + 50

    css = (static / "course-font.css").read_text(encoding="utf-8")
    stack = re.search(r"--pst-font-family-base:\s*([^;]+);", css)[1]
    order = [name.strip().strip('"') for name in stack.split(",")]
    web = order.index("Secondment Sans CJK Web")
    for system_font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert order.index(system_font) < web
    assert "unicode-range" in css and 'url("secondment-sans-cjk-web.woff")' in css
    for page in (site.out / "index.html", site.out / "notebooks/00-start-here.html"):
        assert "course-font.css" in page.read_text(encoding="utf-8")


# ---------------------------------------------------------------- in the browser


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(reason: str) -> None:
    """Skip a test whose tool is missing here; in CI, where .ci/run installs it, fail it."""
    pytest.fail(reason) if _in_ci() else pytest.skip(reason)


def _need_chromium() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright is not installed (pip install -r requirements-test.txt)")
    from jupyterlab_driver import CHROMIUM_ENV, find_chromium

    if find_chromium() is None:
        _missing(f"no Chromium: install chromium or set {CHROMIUM_ENV} to its path")


def test_the_home_page_loads_at_most_a_megabyte(site: Site) -> None:
    _need_chromium()
    # A reader whose system has no Chinese font loads the most: the web font as well.
    with site_audit.serve(site.out) as base, site_audit.browser_without_cjk_fonts() as chromium:
        weight = site_audit.page_weight(chromium, f"{base}/index.html")
    files = {url.removeprefix(base): size for url, size in weight.files.items()}
    assert any(site_font.FILE in url for url in files), "the web font was not needed"
    assert weight.bytes <= HOME_BUDGET, sorted(files.items(), key=lambda kv: -kv[1])[:8]
    assert not [url for url in files if "searchindex" in url or "fontawesome" in url]


def test_axe_core_finds_no_accessibility_violations(site: Site) -> None:
    _need_chromium()
    if not site_audit.axe_available():
        _missing(f"axe-core is not installed: {site_audit.INSTALL_HINT}")
    from jupyterlab_driver import browser

    found = {}
    with site_audit.serve(site.out) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        for rel in site_audit.AXE_PAGES:
            page.goto(f"{base}/{rel}", wait_until="load")
            found[rel] = site_audit.axe_violations(page)
            # Every icon shown is painted: its SVG mask is set (icons.css has its rule).
            unpainted = page.evaluate(
                "Array.from(document.querySelectorAll('.fa-solid, .fab'))"
                ".filter(e => e.getClientRects().length)"
                ".filter(e => getComputedStyle(e).maskImage === 'none').map(e => e.className)"
            )
            assert not unpainted, (rel, unpainted)
    assert found == dict.fromkeys(site_audit.AXE_PAGES, []), json.dumps(found, indent=1)


def test_the_html_checker_finds_no_errors(site: Site) -> None:
    if not site_audit.vnu_available():
        _missing(f"the Nu Html Checker needs Java and vnu-jar: {site_audit.INSTALL_HINT}")
    errors = site_audit.vnu_messages(site.out)
    shown = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in errors[:20]
    ]
    assert not errors, "\n".join(shown)


def test_the_site_in_chromium(site: Site) -> None:
    _need_chromium()
    from jupyterlab_driver import browser

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with site_audit.serve(site.out) as base, browser() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        # A request the next navigation cuts short (the favicon, as the switch is clicked) is
        # aborted, not failed; a missing file still shows as an HTTP error below.
        page.on(
            "requestfailed",
            lambda r: (
                None if r.failure == "net::ERR_ABORTED" else problems.append(f"failed: {r.url}")
            ),
        )
        page.on(
            "response",
            lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((base, "data:", HUB))
                else problems.append(f"another host: {r.url}")
            ),
        )
        # The reader's hub, answered here: the test never leaves this machine.
        hub_requests: list[str] = []
        page.route(
            f"{HUB}/**",
            lambda route: (
                hub_requests.append(route.request.url),
                route.fulfill(status=200, body="hub", content_type="text/plain"),
            ),
        )

        def visit(rel: str, shot: str) -> dict[str, Any]:
            page.goto(f"{base}/{rel}", wait_until="load")
            page.evaluate("document.fonts.ready.then(() => null)")
            images = page.evaluate(
                "Array.from(document.images).map(i => ({src: i.src, ok: i.complete &&"
                " i.naturalWidth > 0, alt: i.alt}))"
            )
            broken = [i["src"] for i in images if not i["ok"]]
            assert not broken, f"{rel}: broken images {broken}"
            page.screenshot(path=str(SCREENSHOTS / f"site-{shot}.png"))
            return {"images": images}

        visit("index.html", "home")
        assert "Course map" in page.inner_text("main")

        lesson = visit("notebooks/05-charting-with-matplotlib.html", "lesson-05")
        charts = [i for i in lesson["images"] if "_images/" in i["src"]]
        assert len(charts) >= 6 and all(i["alt"] for i in charts)
        # The web font is served and usable, whatever the system has.
        loaded = page.evaluate(
            "document.fonts.load('16px \"Secondment Sans CJK Web\"', '挂职')"
            ".then(faces => faces.map(f => f.status))"
        )
        assert loaded == ["loaded"], loaded
        page.locator("img[src*='_images/']").nth(2).scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "site-lesson-05-chart.png"))

        # Built without a hub, the JupyterHub button asks for the reader's and opens the
        # nbgitpuller link of secondment.teach.links there.
        page.once("dialog", lambda dialog: dialog.accept(HUB))
        page.click("a.launch.hub")
        page.wait_for_url(f"{HUB}/**")
        lesson_path = "notebooks/05-charting-with-matplotlib.ipynb"
        assert hub_requests == [hub_link(HUB, COURSE_REPO, "main", lesson_path)]

        # The switch at the top leads to the same lesson in Chinese, and back.
        page.goto(f"{base}/notebooks/05-charting-with-matplotlib.html", wait_until="load")
        page.click("p.language-switch a")
        page.wait_for_url("**/zh-CN/notebooks/05-charting-with-matplotlib.html")
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert "用 matplotlib 绘制中文图表" in page.inner_text("main")
        page.screenshot(path=str(SCREENSHOTS / "site-lesson-05-zh-CN.png"))
        page.click("p.language-switch a")
        page.wait_for_url("**/notebooks/05-charting-with-matplotlib.html")
        assert "/zh-CN/" not in page.url

        visit("glossary.html", "glossary")
        assert "挂职" in page.inner_text("main")

        def search(query: str, shot: str) -> list[str]:
            page.goto(f"{base}/search.html?q={query}", wait_until="load")
            # searchtools.js writes its summary once every result is listed; each result's
            # excerpt is fetched afterwards, so only the result titles are compared.
            page.wait_for_function(
                "() => /Search finished|did not match/.test("
                "document.querySelector('#search-results .search-summary')?.innerText || '')",
                timeout=20_000,
            )
            page.screenshot(path=str(SCREENSHOTS / f"site-search-{shot}.png"))
            return page.locator("#search-results ul.search li > a").all_inner_texts()

        found = search("挂职", "guazhi")
        assert len(found) >= 5, found
        # Written without a space, the query finds what the two words find together: the pages
        # that have both, as the index says.
        index = _search_index(site)
        both = set(_pages_with(index, "张国洪")) & set(_pages_with(index, "挂职"))
        together = search("张国洪挂职", "zhang-guohong-guazhi")
        assert together == search("张国洪 挂职", "zhang-guohong-space-guazhi")
        assert len(together) == len(both) < len(found), (together, both)
        assert any("03a · Extracting facts" in hit for hit in together), together
        context.close()
    assert not problems, "\n".join(problems[:20])


def test_folding_a_page_keeps_preformatted_text_and_scripts_as_written() -> None:
    from site_theme import fold_html

    page = "<div>\n    <p>a\n   b</p>\n<pre>  x\n    y</pre>\n  <script>\n  var a;\n</script>\n  <i>z</i>"
    assert fold_html(page) == (
        "<div>\n<p>a\nb</p>\n<pre>  x\n    y</pre>\n<script>\n  var a;\n</script>\n<i>z</i>"
    )
