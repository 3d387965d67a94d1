"""The bundled Chinese font and the chart style: coverage, rendering without tofu, stable bytes."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, fontManager

from secondment.paths import require_course_root
from secondment.style import (
    FONT_FAMILY,
    PALETTE,
    as_deuteranope,
    font_path,
    missing_glyphs,
    save_figure,
    use_course_style,
)

ROOT = require_course_root()
ARTICLE = ROOT / "datasets" / "000_1fbbca7256bb50ad.txt"
REBUILD = "run `python tools/build_font.py` to rebuild the font"
# Blocks a Chinese text draws on, plus the general punctuation it uses.
CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x31FF),  # kana, bopomofo
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x20000, 0x3FFFF),  # extensions B and later
)
CJK_PUNCTUATION = set("“”‘’—…·•")


def is_cjk(ch: str) -> bool:
    return ch in CJK_PUNCTUATION or any(lo <= ord(ch) <= hi for lo, hi in CJK_RANGES)


def _load_build_script() -> ModuleType:
    """tools/build_font.py, whose definitions of the subset and the course text the tests share."""
    spec = importlib.util.spec_from_file_location("build_font", ROOT / "tools" / "build_font.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_font = _load_build_script()


def chinese_chart() -> Figure:
    fig = Figure()
    ax = fig.add_subplot()
    ax.bar(["厅局级", "县处级", "乡科级"], [12, 63, 25], color=PALETTE[0])
    ax.set_title("挂职干部的级别(guàzhí, 2015年7月—12月)")
    ax.set_xlabel("级别")
    ax.set_ylabel("人数")
    ax.annotate("60多次", xy=(1, 63), ha="center", va="bottom")
    return fig


@pytest.fixture
def course_style() -> Iterator[None]:
    # rc_context restores rcParams afterwards, so other tests see matplotlib's defaults.
    with matplotlib.rc_context():
        use_course_style()
        yield


def test_font_file_is_bundled_and_within_budget() -> None:
    path = font_path()
    assert path.is_file(), f"{path} is missing; {REBUILD}"
    assert path.stat().st_size <= 3_000_000
    assert (path.parent / "LICENSE-OFL.txt").is_file()


def test_font_carries_its_own_family_name() -> None:
    with TTFont(font_path()) as font:
        names = font["name"]
        ps_names = font["CFF "].cff.fontNames
    for name_id in (1, 4, 16):
        assert names.getDebugName(name_id) == FONT_FAMILY
    assert names.getDebugName(6) == "SecondmentSansCJK-Regular"
    naming = [r.toUnicode() for r in names.names if r.nameID in {1, 3, 4, 6, 16, 17}]
    assert naming and not [text for text in naming if "Noto" in text]
    assert ps_names == ["SecondmentSansCJK-Regular"]


def test_font_covers_every_character_of_the_article() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    assert "挂职" in text and "、" in text and "“" in text
    assert missing_glyphs(text) == [], REBUILD


def test_font_covers_gb2312_level1() -> None:
    hanzi = build_font.gb2312_level1()
    assert len(hanzi) == 3755
    assert hanzi[0] == "啊" and hanzi[-1] == "座"
    assert missing_glyphs("".join(hanzi)) == []


def test_font_covers_the_cjk_text_of_the_course() -> None:
    problems = []
    for path in build_font.course_text_files():
        try:
            text = build_font.file_characters(path)
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue  # not text a chart could show
        for ch in missing_glyphs("".join(ch for ch in sorted(text) if is_cjk(ch))):
            problems.append(f"{ch} (U+{ord(ch):04X}) in {path.relative_to(ROOT)}")
    assert not problems, "no glyph in the bundled font for: " + "; ".join(problems) + f"; {REBUILD}"


def test_coverage_check_reports_a_character_outside_the_subset() -> None:
    # 龘 is in Noto but not in GB 2312 nor in the course, so the subset leaves it out.
    assert missing_glyphs("挂职龘 a\n") == ["龘"]
    assert is_cjk("龘") and not is_cjk("a")


def test_use_course_style_registers_the_bundled_font_once(course_style: None) -> None:
    use_course_style()
    entries = [e for e in fontManager.ttflist if Path(e.fname) == font_path()]
    assert len(entries) == 1
    assert entries[0].name == FONT_FAMILY
    found = findfont(FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    assert Path(found).resolve() == font_path().resolve()
    assert matplotlib.rcParams["font.family"] == [FONT_FAMILY, "DejaVu Sans"]


def test_palette_is_the_default_colour_cycle(course_style: None) -> None:
    assert len(PALETTE) == len(set(PALETTE)) == 8
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == list(PALETTE)
    ax = Figure().add_subplot()
    lines = [ax.plot([0, 1])[0] for _ in PALETTE]
    assert [line.get_color() for line in lines] == list(PALETTE)


def test_chinese_chart_saves_without_any_warning(
    course_style: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Garbage collection can surface another test's unclosed file at any moment here.
        warnings.simplefilter("ignore", ResourceWarning)
        fig = chinese_chart()
        save_figure(fig, tmp_path / "chart.png")
        save_figure(fig, tmp_path / "chart.svg")
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []
    ax = fig.axes[0]
    assert ax.get_title().startswith("挂职干部")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["厅局级", "县处级", "乡科级"]


def test_without_the_font_the_same_chart_warns_about_missing_glyphs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Shows that the capture in the test above would see tofu if there were any.
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with (
        matplotlib.rc_context({"font.family": ["DejaVu Sans"]}),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        save_figure(chinese_chart(), tmp_path / "tofu.png")
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert any("missing from font" in m for m in messages), messages


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_figure_gives_identical_bytes(course_style: None, tmp_path: Path, suffix: str) -> None:
    first = save_figure(chinese_chart(), tmp_path / f"first{suffix}")
    second = save_figure(chinese_chart(), tmp_path / f"second{suffix}")
    assert first == tmp_path / f"first{suffix}"
    assert (
        hashlib.sha256(first.read_bytes()).hexdigest()
        == hashlib.sha256(second.read_bytes()).hexdigest()
    )
    # Written through a temporary file in the same directory, which must not linger.
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"first{suffix}", f"second{suffix}"]
    data = first.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG") and b"Software" not in data
    else:
        assert b"<dc:date>" not in data and b"<svg" in data


def test_save_figure_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save_figure(Figure(), tmp_path / "chart.jpg")
    assert list(tmp_path.iterdir()) == []


def test_importing_the_style_module_does_not_load_matplotlib() -> None:
    code = (
        "import sys, secondment\n"
        "before = 'matplotlib' in sys.modules\n"
        "import secondment.style\n"
        "assert before or 'matplotlib' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize(
    ("colour", "seen"),
    [
        # Machado, Oliveira and Fernandes (2009) applied by hand to these sRGB colours.
        ("tab:red", "#8b7c1f"),
        ("tab:green", "#968838"),
        ("#0072B2", "#3b67b1"),
        ("#E69F00", "#cab411"),
        ("white", "#ffffff"),  # each row of the matrix adds up to 1: grey stays grey
        ("black", "#000000"),
    ],
)
def test_as_deuteranope_simulates_the_published_matrix(colour: str, seen: str) -> None:
    from matplotlib import colors

    simulated = as_deuteranope(colour)
    assert all(0.0 <= c <= 1.0 for c in simulated)
    assert colors.to_hex(simulated) == seen


def test_as_deuteranope_merges_red_and_green_but_not_the_palette() -> None:
    def distance(a: str, b: str) -> float:
        return sum((x - y) ** 2 for x, y in zip(as_deuteranope(a), as_deuteranope(b), strict=True))

    # Squared distance in RGB: red and green end up 50 times closer than blue and orange.
    assert distance("tab:red", "tab:green") < 0.02 < 0.5 < distance(PALETTE[0], PALETTE[1])
