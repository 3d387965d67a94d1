"""The site's web font: the course font cut down to the characters its pages show.

Readers whose system has a CJK font use it (the stylesheet names the common ones first);
others get this subset of Secondment Sans CJK, shipped with the site as WOFF, so Chinese never
turns into boxes. Only characters beyond Latin-1 are kept: every system font has the rest.
WOFF rather than WOFF2: 10% larger, but compressed in 0.3 s instead of 2.2 s, on every build,
and every browser of the last ten years reads it. Only the OpenType features a browser applies
to horizontal text are kept: the course font's vertical forms, width variants, alternates and
Japanese, Korean and traditional glyphs (its `locl` forms) would double the glyphs and the size.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from pathlib import Path

FAMILY = "Secondment Sans CJK Web"
FILE = "secondment-sans-cjk-web.woff"
# What browsers apply to horizontal text by default (those the font lacks are ignored).
LAYOUT_FEATURES = ["ccmp", "kern", "liga", "clig", "calt", "rlig", "mark", "mkmk"]
# Latin system fonts (so that Latin text and `·` keep their Latin shapes), the common CJK system
# fonts, then the web font: a system font that has the glyph wins, so most readers download
# nothing.
FONT_STACK = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans", "Liberation Sans", "DejaVu Sans", '
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
    f'"{FAMILY}", sans-serif'
)

_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)


def page_characters(pages: Iterable[Path]) -> set[str]:
    """Characters beyond Latin-1 in the visible text of HTML pages."""
    chars: set[str] = set()
    for page in pages:
        text = html.unescape(_TAG.sub(" ", page.read_text(encoding="utf-8")))
        chars.update(ch for ch in text if ord(ch) > 0xFF)
    return chars


def unicode_ranges(codepoints: Iterable[int]) -> str:
    """A CSS unicode-range for exactly these code points, runs merged: `U+4E00-4E01, …`."""
    runs: list[list[int]] = []
    for cp in sorted(set(codepoints)):
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def build_web_font(source: Path, chars: set[str], target: Path) -> list[int]:
    """Write the WOFF subset of `source` for `chars`; return the code points it covers."""
    from fontTools import subset  # 1-2 s to import: only when a font is made

    # fontTools reports every table it subsets at INFO, which Sphinx's logging would show.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(str(source), options)
    cmap = font.getBestCmap()
    covered = sorted(ord(ch) for ch in chars if ord(ch) in cmap)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=covered)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)
    return covered


def font_css(covered: list[int], url: str = FILE) -> str:
    """The @font-face rule for the subset and the font stack of the page text."""
    return (
        "@font-face {\n"
        f'  font-family: "{FAMILY}";\n'
        f'  src: url("{url}") format("woff");\n'
        "  font-display: swap;\n"
        f"  unicode-range: {unicode_ranges(covered)};\n"
        "}\n"
        ":root {\n"
        f"  --pst-font-family-base: {FONT_STACK};\n"
        f"  --pst-font-family-heading: {FONT_STACK};\n"
        "}\n"
    )


def add_web_font(outdir: Path, source: Path) -> tuple[Path, int]:
    """Subset the font for every page under `outdir`; write it and its CSS to `_static/`."""
    chars = page_characters(outdir.rglob("*.html"))
    static = outdir / "_static"
    covered = build_web_font(source, chars, static / FILE)
    (static / "course-font.css").write_text(font_css(covered), encoding="utf-8")
    return static / FILE, len(covered)
