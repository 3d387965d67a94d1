"""Chart style for the course: the bundled Chinese font, a colour-blind-safe palette, and
byte-stable saving.

    from secondment.style import use_course_style, save_figure
    use_course_style()
"""

from __future__ import annotations

import functools
import io
import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from secondment.files import write_atomically

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT_FAMILY = "Secondment Sans CJK"
FONT_FILE = "SecondmentSansCJK-Regular.otf"

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
# Yellow is late in the cycle because it is faint on white.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

# Machado, Oliveira and Fernandes (2009), severity 1: how a deuteranope's eye mixes linear RGB.
_DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)

_SAVE_METADATA = {
    # Without these, every save stamps the matplotlib version or the date into the file.
    ".png": {"Software": None},
    ".svg": {"Date": None},
}


def font_path() -> Path:
    """Path of the bundled font file (a subset of Noto Sans CJK SC, SIL OFL 1.1)."""
    return Path(__file__).resolve().parent / "fonts" / FONT_FILE


def _register_font() -> None:
    # matplotlib is imported here, not at module level: building its font cache on a fresh
    # machine takes seconds, and importing this module should not.
    from matplotlib import font_manager

    path = os.fsdecode(font_path())
    # Checking the manager rather than a module flag stays right if matplotlib's font
    # manager is ever rebuilt; the list has a few dozen entries, so this is cheap.
    if any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        return
    font_manager.fontManager.addfont(path)


def course_rc() -> dict[str, Any]:
    """The rcParams that use_course_style() applies, for use with matplotlib.rc_context()."""
    from cycler import cycler  # matplotlib's own dependency

    return {
        # DejaVu Sans (matplotlib's own) takes the few glyphs the subset lacks, such as ✓.
        "font.family": [FONT_FAMILY, "DejaVu Sans"],
        "font.size": 11,  # hanzi at 10 pt are hard to read on a projector
        "axes.titlesize": "large",
        "axes.titlepad": 10,
        "axes.labelsize": "medium",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "figure.dpi": 100,
        "figure.figsize": (7.0, 4.5),
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        # Outlines, not <text>: the SVG then renders without the font installed.
        "svg.fonttype": "path",
        # A fixed salt makes SVG clip-path and glyph ids the same on every save.
        "svg.hashsalt": "secondment",
    }


def use_course_style() -> None:
    """Register the bundled Chinese font and apply the course's chart defaults."""
    import matplotlib as mpl

    _register_font()
    # rcParams' stubs list its keys as literals; these keys are checked by matplotlib itself.
    mpl.rcParams.update(cast(Any, course_rc()))


def as_deuteranope(colour: str | tuple[float, float, float]) -> tuple[float, float, float]:
    """A colour as simulated for deuteranopia (no green cones): an sRGB triple from 0 to 1."""
    from matplotlib import colors

    # The matrix works on light intensities, so undo the sRGB curve first and redo it after.
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colors.to_rgb(colour)
    ]
    seen = [
        min(max(sum(m * c for m, c in zip(row, linear, strict=True)), 0.0), 1.0)
        for row in _DEUTERANOPIA
    ]
    red, green, blue = (
        12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in seen
    )
    return red, green, blue


def save_figure(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Save a figure as PNG or SVG (by suffix) with stable bytes, atomically; return the path."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _SAVE_METADATA:
        raise ValueError(
            f"{target}: save_figure writes .png or .svg, not {suffix or 'no suffix'!r}"
        )
    return write_atomically(target, figure_bytes(fig, suffix[1:]))


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """A figure as PNG or SVG bytes ("png", "svg"), the same on every call."""
    if f".{fmt}" not in _SAVE_METADATA:
        raise ValueError(f"figure_bytes makes 'png' or 'svg', not {fmt!r}")
    import matplotlib as mpl

    buffer = io.BytesIO()
    # The salt fixes the SVG's clip-path ids even when use_course_style() was not called.
    with mpl.rc_context({"svg.hashsalt": course_rc()["svg.hashsalt"]}):
        fig.savefig(buffer, format=fmt, metadata=_SAVE_METADATA[f".{fmt}"])
    return buffer.getvalue()


@functools.cache
def _font_codepoints() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(os.fsdecode(font_path())).get_charmap())


def missing_glyphs(text: str) -> list[str]:
    """Characters of text (whitespace and controls aside) that the bundled font cannot draw."""
    covered = _font_codepoints()
    return sorted(
        {
            ch
            for ch in text
            if ord(ch) not in covered
            and not ch.isspace()
            and not unicodedata.category(ch).startswith("C")
        }
    )
