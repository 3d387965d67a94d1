"""The theme, made light: what sphinx-book-theme ships that the site neither needs nor serves.

A Sphinx extension, with the templates in _templates/ and the icons in _static/icons.css:

- Font Awesome: the theme loads a 1.5 MB script holding every icon there is, to draw a dozen,
  and ships its icon fonts (256 KB) for the icons its stylesheet draws; the page layout
  (_templates/layout.html) leaves the script out, and icons.css draws those icons as SVG.
- Search: Sphinx's search tools and index (230 KB) load on the search page only.
- Accessibility (axe-core): the sidebar's search button is named by what it shows, its title
  link sits in a landmark, and each toggle of the navigation has a name (_templates/).
- Files: after the build, the theme's source maps (3.5 MB, for debugging the theme), its
  unrendered Jinja macros, the Font Awesome script and fonts, the logos of the theme's own launch
  buttons and its translation catalogues (read at build time) are removed from the output; the
  kept scripts and stylesheets no longer point to the removed maps, and the theme's stylesheet
  loses the font code of each of Font Awesome's 2,000 icons (66 KB).
- Pages and images: the indentation of the HTML Sphinx writes (100 KB over the site) is folded,
  outside `<pre>`, `<textarea>` and `<script>`, into the line break it follows, which HTML reads
  as the same white space; the PNG images are saved again with Pillow's lossless `optimize`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from site_notebooks import language_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: What the output's _static/ holds that no page uses.
UNSERVED = (
    "webpack-macros.html",
    "sbt-webpack-macros.html",
    "scripts/fontawesome.js",
    "scripts/fontawesome.js.LICENSE.txt",
    "vendor/fontawesome",  # the icon fonts: _static/icons.css draws the icons
    "images",  # the logos of sphinx-book-theme's launch buttons; the site has its own
    "locales",
)
# The code point of each of Font Awesome's 2,000 icons in its font, one rule each, in the
# theme's stylesheet: drawn from a font the site does not ship (icons.css draws its icons).
_ICON_CODES = re.compile(r'\.fa-[\w-]+(?:,\.fa-[\w-]+)*\{--fa:"[^"]*"\}')
THEME_CSS = "styles/pydata-sphinx-theme.css"
_MAP_COMMENT = re.compile(r"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ ?\*/)\s*$")
#: The name of a navigation toggle, in each language of the site.
TOGGLE_LABEL = {"en": "Show or hide its pages", "zh-CN": "展开或收起其下的页面"}


def trim(outdir: Path) -> list[str]:
    """Remove from a built site what it does not serve; return the paths removed."""
    static = outdir / "_static"
    removed = []
    for name in UNSERVED:
        path = static / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.is_file():
            path.unlink()
        else:
            continue
        removed.append(f"_static/{name}")
        if path.parent != static and not any(path.parent.iterdir()):
            path.parent.rmdir()  # vendor/, once Font Awesome has gone
    for source_map in sorted(outdir.rglob("*.map")):
        source_map.unlink()
        removed.append(source_map.relative_to(outdir).as_posix())
    for path in [*static.rglob("*.js"), *static.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        trimmed = _MAP_COMMENT.sub("", text)
        if path == static / THEME_CSS:
            trimmed = _ICON_CODES.sub("", trimmed)
        if trimmed != text:
            path.write_text(trimmed.rstrip("\n") + "\n", encoding="utf-8")
    return removed


# What keeps its white space as written: preformatted text, form fields, scripts.
_VERBATIM = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
_INDENTED_BREAK = re.compile(r"[ \t]*\n\s*")


def fold_html(text: str) -> str:
    """HTML with each run of white space that holds a line break made one line break, outside
    the elements that keep their white space: the page reads the same."""
    parts = _VERBATIM.split(text)
    # split() returns text, then the verbatim element and its tag name, then text again.
    return "".join(
        _INDENTED_BREAK.sub("\n", part) if i % 3 == 0 else part
        for i, part in enumerate(parts)
        if i % 3 != 2
    )


def compact(outdir: Path) -> int:
    """Fold the white space of every page and optimise every PNG; return the bytes saved."""
    from PIL import Image  # matplotlib's own dependency, so always there

    saved = 0
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        folded = fold_html(text)
        if folded != text:
            page.write_text(folded, encoding="utf-8")
            saved += len(text.encode()) - len(folded.encode())
    for image in outdir.rglob("*.png"):
        before = image.stat().st_size
        with Image.open(image) as png:
            png.load()
            png.save(image.with_suffix(".tmp.png"), "PNG", optimize=True)
        smaller = image.with_suffix(".tmp.png")
        if smaller.stat().st_size < before:
            saved += before - smaller.stat().st_size
            smaller.replace(image)
        else:
            smaller.unlink()
    return saved


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        trim(Path(app.outdir))
        compact(Path(app.outdir))


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["toggle_label"] = TOGGLE_LABEL[language_of(pagename)]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the trimming of the output and the label of the navigation's toggles."""
    app.connect("html-page-context", _on_html_page_context)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
