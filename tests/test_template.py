"""Every lesson follows one template: the same header, alt text directly under each chart, chart
titles in Chinese and English, and chart text dark enough to read (contrast of at least 4.5:1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import colors  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from secondment import charts  # noqa: E402
from secondment.article import load_article  # noqa: E402
from secondment.paths import notebooks  # noqa: E402
from secondment.style import use_course_style  # noqa: E402
from secondment.tables import load_table  # noqa: E402

LESSONS = notebooks("lessons")
HEADER = ("**You will learn to**", "**Time:**", "**Prerequisites:**")
HANZI = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _draws_a_chart(cell: dict) -> bool:
    return cell["cell_type"] == "code" and any(
        "image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
        for out in cell.get("outputs", [])
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_lesson_opens_with_the_same_header(path: Path) -> None:
    first = _source(_cells(path)[0])
    places = [first.find(words) for words in HEADER]
    missing = [words for words, at in zip(HEADER, places, strict=True) if at < 0]
    assert not missing, f"the first cell lacks {missing}"
    assert places == sorted(places), "header order: learn to, time, prerequisites"
    assert "Learning objectives" not in first


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_alt_text_comes_directly_under_each_chart(path: Path) -> None:
    cells = _cells(path)
    charts_drawn = [i for i, c in enumerate(cells) if _draws_a_chart(c)]
    for i in charts_drawn:
        below = cells[i + 1] if i + 1 < len(cells) else None
        text = _source(below).lstrip() if below and below["cell_type"] == "markdown" else ""
        assert text.startswith("*Alt text:"), (
            f"cell {i} draws a chart; the cell under it: {text[:60]!r}"
        )


def _titles_in_code(path: Path) -> list[str]:
    found = []
    for cell in _cells(path):
        if _draws_a_chart(cell):
            found += re.findall(r"set_title\(\s*f?\"([^\"]+)\"", _source(cell))
    return found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_chart_titles_written_in_a_lesson_are_chinese_then_english(path: Path) -> None:
    for title in _titles_in_code(path):
        first_hanzi, first_latin = HANZI.search(title), LATIN.search(title)
        assert first_hanzi and first_latin, f"{title!r}: a title in Chinese and English"
        assert first_hanzi.start() < first_latin.start(), f"{title!r}: Chinese first"


# ---------------------------------------------------------------- the library's charts


def _contrast(fg: str | tuple, bg: str | tuple) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: str | tuple) -> float:
        r, g, b = colors.to_rgb(c)
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _library_charts() -> dict[str, plt.Axes]:
    use_course_style()
    ranks, cadres, events = load_table("ranks"), load_table("cadres"), load_table("events")
    return {
        "rank_bars": charts.rank_bars(ranks),
        "host_bars": charts.host_bars(cadres),
        "timeline": charts.timeline(events),
        "anatomy": charts.anatomy(load_article()),
    }


@pytest.fixture(scope="module")
def library_charts() -> dict[str, plt.Axes]:
    made = _library_charts()
    yield made
    plt.close("all")


@pytest.mark.parametrize("name", ["rank_bars", "host_bars", "timeline", "anatomy"])
def test_library_chart_titles_are_chinese_then_english(library_charts, name: str) -> None:
    title = library_charts[name].get_title()
    assert HANZI.search(title) and LATIN.search(title), title
    assert HANZI.search(title).start() < LATIN.search(title).start(), title


@pytest.mark.parametrize("name", ["rank_bars", "host_bars", "timeline", "anatomy"])
def test_library_chart_text_has_enough_contrast(library_charts, name: str) -> None:
    ax = library_charts[name]
    background = ax.get_facecolor()
    texts = [t for t in ax.figure.findobj(Text) if t.get_text().strip() and t.get_visible()]
    assert texts
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    weak = []
    for text in texts:
        patch = text.get_bbox_patch()
        behind = patch.get_facecolor() if patch is not None else background
        # A label drawn inside a bar is read against the bar.
        box = text.get_window_extent(renderer)
        centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        for bar in ax.patches:
            if bar.get_window_extent(renderer).contains(*centre):
                behind = bar.get_facecolor()
        ratio = _contrast(text.get_color(), behind)
        if ratio < 4.5:
            weak.append(
                f"{text.get_text()[:20]!r} {colors.to_hex(text.get_color())}: {ratio:.1f}:1"
            )
    assert not weak, weak
