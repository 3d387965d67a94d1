"""Build the course website into _site/: `python website/site_build.py [--out DIR]`.

Sphinx reads a staging folder, build/website/src/, made of hard links to the course's own
folders and files (copies where the system cannot link), the pages of website/, and the pages
generated from the course's data (the glossary). Nothing is executed and nothing is downloaded:
the notebooks' stored outputs are the pages' outputs. Afterwards the course font is cut down to
the characters the pages show, as the site's web font.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import site_font  # noqa: E402
import site_pages  # noqa: E402

# Before Sphinx and myst-nb load nbformat: the course's way of sparing every process the
# ~1 s rfc3987_syntax costs jsonschema at import (see secondment.execute).
import secondment.execute  # noqa: E402, F401

# What the site shows of the course, linked into the staging folder with its own path, so that
# the relative links between lessons, exercises, guides and README.md work as in the repository.
LINKED = (
    "notebooks",
    "exercises",
    "instructors",
    "datasets",
    "README.md",
    "LICENSE",
    *site_pages.ABOUT_PAGES,
    "CITATION.cff",  # the README links to it: a download on the site
    site_pages.EDITION,  # the Chinese edition, laid out as the course is
)
PAGES = ("index.md", "setup.md", "licence.md")
FONTS = Path("src/secondment/fonts")
COURSE_FONT = FONTS / "SecondmentSansCJK-Regular.otf"
FONT_LICENCE = FONTS / "LICENSE-OFL.txt"
SEARCH_DICT = "_search_dict.txt"


class SiteError(Exception):
    """The site could not be built; the message says why."""


def staging_dir(root: Path = ROOT) -> Path:
    """Where Sphinx reads the site's sources from."""
    return root / "build" / "website" / "src"


def _link(target: Path, link: Path) -> None:
    """A hard link to each file (Sphinx resolves symbolic links, which would leave the
    staging folder); a copy where hard links cannot be made (another drive)."""
    files = sorted(target.rglob("*")) if target.is_dir() else [target]
    for path in files:
        rel = path.relative_to(target)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        made = link / rel if target.is_dir() else link
        made.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, made)
        except OSError:
            shutil.copyfile(path, made)


def stage(root: Path = ROOT) -> Path:
    """Make the staging folder afresh; return its path."""
    src = staging_dir(root)
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for name in LINKED:
        if (root / name).exists():
            _link(root / name, src / name)
    for name in PAGES:
        _link(HERE / name, src / name)
    _link(root / FONT_LICENCE, src / "_licences" / FONT_LICENCE.name)
    (src / "glossary.md").write_text(site_pages.glossary_page(root), encoding="utf-8")
    if (root / site_pages.EDITION / "README.md").is_file():
        edition = src / site_pages.EDITION
        (edition / "index.md").write_text(site_pages.edition_index(root), encoding="utf-8")
        glossary = site_pages.glossary_page(root, site_pages.EDITION, _edition_glossary(root))
        (edition / "glossary.md").write_text(glossary, encoding="utf-8")
    (src / SEARCH_DICT).write_text(site_pages.search_dictionary(root), encoding="utf-8")
    return src


def _edition_glossary(root: Path) -> list[dict[str, str]]:
    """The glossary with its explanations from the Chinese catalogue."""
    sys.path.insert(0, str(root / "tools"))
    import translate

    return translate.glossary_rows(root)


def _check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that is neither empty nor a site this program built."""
    if out.is_file() or (out.is_dir() and any(out.iterdir()) and not (out / ".nojekyll").is_file()):
        raise SiteError(f"{out} exists and is not a site built here: choose another --out")


def build(out: Path, root: Path = ROOT, quiet: bool = True) -> float:
    """Build the site into `out`; return the seconds it took. Warnings are errors."""
    _check_replaceable(out)
    from sphinx.cmd.build import build_main

    started = time.perf_counter()
    src = stage(root)
    work = root / "build" / "website"
    # Sphinx builds next to the staging folder, then the site moves to `out`: myst-nb writes
    # its own folder (jupyter_execute/) beside the output folder, which is not for `out`'s.
    html = work / "html"
    for old in (html, out):
        if old.exists():
            shutil.rmtree(old)
    args = ["-b", "html", "-c", str(HERE), "-d", str(work / "doctrees"), "-E", "-W"]
    args += ["--keep-going", "-q"] if quiet else ["--keep-going"]
    if build_main([*args, str(src), str(html)]) != 0:
        raise SiteError("Sphinx reported problems (see above)")
    site_font.add_web_font(html, root / COURSE_FONT)
    # The OFL travels with the font it licenses.
    shutil.copyfile(root / FONT_LICENCE, html / "_static" / FONT_LICENCE.name)
    # A site served from a web space with Jekyll (GitHub Pages) would hide _static/ otherwise.
    (html / ".nojekyll").write_text("", encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(html, out)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Build the site; print where it is, its size and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_site")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    try:
        seconds = build(args.out.resolve(), quiet=not args.verbose)
    except SiteError as exc:
        print(f"site: error: {exc}", file=sys.stderr)
        return 1
    pages = sum(1 for p in args.out.rglob("*.html") if "_static" not in p.parts)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"site: {pages} pages, {size / 1e6:.1f} MB in {args.out} ({seconds:.1f} s)")
    print(f"site: open {(args.out / 'index.html').resolve().as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
