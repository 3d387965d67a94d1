"""Checks for exercises 05 · Charting with matplotlib.

Charts are checked from the Axes the student returns (title, axis labels, tick labels, bar
heights, value labels, the font the text is set in), never from pixels. Expected values are
computed here: from the article's tables (`secondment.tables`), from matplotlib's own font, or
from the texts and numbers the exercise notebook gives (the constants below, the same there).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any, cast

from secondment.article import HAN_WIDE
from secondment.checks import Hint, question
from secondment.checks.expect import (
    answer_axes,
    bars_lying,
    bars_of,
    bars_upright,
    expect_axes_bars,
    expect_count,
    expect_type,
    shown,
)

# Question 2's chart title, drawn in DejaVu Sans (the notebook gives the same string).
TITLE_2 = "河北赴京挂职干部: 厅局级15名, 县处级45名"
# Question 7's file names.
SAVED_7 = ("ranks.png", "ranks.svg")
# Question 8: the rank breakdown of a report on the other half of the exchange, Beijing cadres
# seconded to Hebei (北京赴冀), as the notebook gives it.
BEIJING_RANKS = {"厅局级": 10, "县处级": 52, "乡科级": 26, "专业技术人才": 12}

# matplotlib's first colours before use_course_style() (its `tab10` cycle).
TAB10 = ("#1f77b4", "#ff7f0e", "#2ca02c")
RED_AND_GREEN = frozenset(
    {"#d62728", "#2ca02c", "#ff0000", "#008000", "#00ff00", "#00ff7f", "#ff6347", "#228b22"}
)

_HANZI = re.compile(HAN_WIDE)


# --------------------------------------------------------------------------- the truth


@functools.cache
def _ranks() -> tuple[tuple[str, int], ...]:
    from secondment.tables import ranks_table

    table = ranks_table()
    return tuple((str(r), int(c)) for r, c in zip(table["rank"], table["count"], strict=True))


@functools.cache
def _levels() -> tuple[tuple[str, int], ...]:
    """The named cadres per home level, 省级 → 县级 (levels with nobody left out)."""
    from secondment.tables import cadres_table, home_level

    counts = home_level(cadres_table()["home_post"]).value_counts(sort=False)
    return tuple((str(level), int(n)) for level, n in counts.items() if n)


@functools.cache
def dejavu_missing(text: str = TITLE_2) -> tuple[str, ...]:
    """Distinct characters of text (spaces aside) that matplotlib's DejaVu Sans has no glyph for."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    covered = set(FT2Font(path).get_charmap())
    return tuple(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered}))


# --------------------------------------------------------------------------- helpers


def _count(value: Any, what: str = "answer") -> int:
    return expect_count(
        value,
        what,
        not_a_number="{what} should be a whole number (an int), not a {type}",
        not_whole="{what} should be a whole number (a count), not {value}",
    )


def _values(ax: Any, horizontal: bool = False) -> list[float]:
    bars = bars_of(ax)
    return sorted(b.get_width() if horizontal else b.get_height() for b in bars)


def _same_values(ax: Any, values: Sequence[int], horizontal: bool = False) -> bool:
    return _values(ax, horizontal) == sorted(float(v) for v in values)


def expect_course_font(ax: Any, what: str = "the chart") -> None:
    """Hint unless the chart's Chinese text is set in the course font (use_course_style())."""
    from pathlib import Path

    from matplotlib import font_manager

    from secondment.charts import font_warnings
    from secondment.style import font_path

    texts = [ax.title, ax.xaxis.label, ax.yaxis.label]
    texts += list(ax.get_xticklabels()) + list(ax.get_yticklabels())
    chinese = [t for t in texts if _HANZI.search(t.get_text())]
    if not chinese:
        return
    course = font_path().resolve()
    # findfont logs a warning for each family name it cannot find: keep those off stderr.
    with font_warnings():
        for text in chinese:
            found = font_manager.findfont(text.get_fontproperties())
            if Path(found).resolve() != course:
                name = font_manager.get_font(found).family_name
                raise Hint(
                    f"{what} sets its Chinese in {name}, not the course font, so it may show "
                    "boxes (tofu): run use_course_style() before you draw"
                )


def _expect_value_labels(ax: Any, values: Sequence[int], what: str = "the chart") -> None:
    shown = {t.get_text().strip() for t in ax.texts}
    if not shown:
        raise Hint(f"{what} shows no value on its bars: add them with ax.bar_label(bars)")
    if not all(str(v) in shown for v in values):
        raise Hint(f"{what}: the values written on the bars should be the bar heights")


def _expect_unit(ax: Any, axis: str, what: str = "the chart") -> None:
    label = ax.get_ylabel() if axis == "y" else ax.get_xlabel()
    if not re.search(r"[(（].+[)）]", label):
        raise Hint(f"{what}: the {axis} axis label needs its unit in brackets, e.g. 人数 (名)")


def _expect_total(ax: Any, total: int, what: str = "the chart") -> None:
    title = ax.get_title()
    if not re.search(rf"(?<!\d){total}(?!\d)", title):
        raise Hint(f"{what}: the title should give the total, computed from the table")


# --------------------------------------------------------------------------- questions


@question("05.1")
def q1(answer: Any) -> str:
    from secondment.style import FONT_FAMILY

    if isinstance(answer, (list, tuple)):
        raise Hint("font.family is a list: the answer is one name, its first item")
    expect_type(answer, str, what="answer")
    got = answer.strip()
    if got == FONT_FAMILY:
        return "right: registered by path, it draws the same glyphs on every machine"
    if got.casefold() == FONT_FAMILY.casefold():
        raise Hint("the name is right but not its capitals: copy it as matplotlib shows it")
    if got.casefold() == "dejavu sans":
        raise Hint(
            "DejaVu Sans is matplotlib's own font and has no hanzi; it comes second, "
            "for the symbols the first font lacks"
        )
    if got.casefold() == "sans-serif":
        raise Hint("sans-serif is matplotlib's default, before use_course_style(): read again")
    if got.casefold().endswith((".otf", ".ttf", ".ttc")) or "/" in got or "\\" in got:
        raise Hint("that is a font file; matplotlib finds fonts by their family name")
    if "noto" in got.casefold():
        raise Hint("the course font is cut from Noto Sans CJK SC, but has a family name of its own")
    if got.casefold() in {"simhei", "microsoft yahei", "pingfang sc", "heiti sc", "songti sc"}:
        raise Hint(f"{got} is a system font that many computers lack; the course bundles its own")
    raise Hint("that is not the family use_course_style() puts first: read plt.rcParams")


@question("05.2")
def q2(answer: Any) -> str:
    got = _count(answer)
    missing = dejavu_missing(TITLE_2)
    want = len(missing)
    if got == want:
        return f"right: all {want} distinct hanzi are tofu; the digits, : and , are drawn"
    occurrences = sum(1 for ch in TITLE_2 if ch in missing)
    if got == 0:
        raise Hint("0 means the title was drawn in a font with hanzi: draw it in DejaVu Sans")
    if got == occurrences:
        raise Hint("some characters appear twice in the title: count each character once")
    if got in (len(TITLE_2), len(TITLE_2.replace(" ", ""))):
        raise Hint("digits, ASCII punctuation and spaces have glyphs in DejaVu Sans: leave them")
    if got > occurrences:
        raise Hint("too many: was anything else drawn in the block? Count distinct characters")
    raise Hint("too few: draw the whole title inside the font_warnings() block, then count")


@question("05.3")
def q3(answer: Any) -> str:
    ax = answer_axes(answer)
    labels = [r for r, _ in _ranks()]
    counts = [c for _, c in _ranks()]
    if bars_lying(ax):
        raise Hint("the bars lie down: this chart has upright bars, ax.bar(ranks, counts)")
    expect_axes_bars(ax, labels, counts, what="the chart")
    _expect_unit(ax, "y")
    _expect_value_labels(ax, counts)
    _expect_total(ax, sum(counts))
    expect_course_font(ax)
    return "right: four bars with their values, axis labels with a unit, the total in the title"


@question("05.4")
def q4(answer: Any) -> str:
    ax = answer_axes(answer)
    levels = [level for level, _ in _levels()]
    counts = [n for _, n in _levels()]
    bars = bars_of(ax)
    if bars_upright(ax):
        raise Hint("the bars stand upright: draw horizontal bars with ax.barh(levels, counts)")
    if len(bars) > len(levels) and len(bars) == sum(counts):
        raise Hint(f"{len(bars)} bars, one per cadre: count the cadres of each level first")
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    if sorted(ticks) == sorted(level[0] for level in levels):
        raise Hint("label the bars with the levels as home_level() writes them: 省级, not 省")
    expect_axes_bars(ax, levels, counts, what="the chart", horizontal=True)
    _expect_unit(ax, "x")
    expect_course_font(ax)
    top = max(_levels(), key=lambda pair: pair[1])
    return f"right: {top[1]} of the {sum(counts)} named cadres came from {top[0]} posts"


@question("05.5")
def q5(answer: Any) -> str:
    from matplotlib import colors

    from secondment.style import PALETTE

    if isinstance(answer, str):
        raise Hint("answer should be a list of three colours, not one string")
    if isinstance(answer, dict) or not isinstance(answer, (list, tuple)):
        raise Hint(f"answer should be a list of three colours, not a {type(answer).__name__}")
    if len(answer) != 3:
        raise Hint(f"answer has {len(answer)} colours; it should have 3, one per level")
    got = []
    for index, colour in enumerate(answer):
        if not colors.is_color_like(colour):
            raise Hint(f"item {index} is not a colour matplotlib knows: {shown(colour)}")
        got.append(colors.to_hex(colour))
    want = [c.lower() for c in PALETTE[:3]]
    if got == want:
        return "right: use_course_style() made the Okabe–Ito colours matplotlib's own cycle"
    if got == list(TAB10):
        raise Hint(
            "these are matplotlib's default colours (tab10), not the course's: run "
            "use_course_style() before you draw"
        )
    if RED_AND_GREEN & set(got):
        raise Hint(
            "red and green look almost the same to 1 man in 12: take the colours from PALETTE"
        )
    palette = [c.lower() for c in PALETTE]
    outside = [c for c in got if c not in palette]
    if outside:
        raise Hint(f"{outside[0]} is not one of the course's colours in PALETTE")
    if len(set(got)) < 3:
        raise Hint("some levels share a colour: draw each level with its own ax.bar() call")
    if sorted(got) == sorted(want):
        raise Hint("the right colours, but not in the order they were drawn")
    raise Hint("colours of the palette, but not the first three matplotlib draws with")


@question("05.6")
def q6(answer: Any) -> str:
    expect_type(answer, str, what="answer")
    text = " ".join(answer.split())
    if "\n" in answer.strip():
        raise Hint("alt text is one sentence on one line: no line breaks")
    if not text.endswith((".", "。")):
        raise Hint("end the sentence with a full stop")
    inside = re.sub(r"\b(?:e\.g|i\.e|etc)\.", "", text[:-1])  # abbreviations end no sentence
    if re.search(r"[.!?]\s+\S|[。！？]\s*\S", inside):
        raise Hint("that is more than one sentence: join them into one")
    if len(text) > 300:
        raise Hint(f"{len(text)} characters is long for one sentence: keep it under 300")
    if not re.search(r"bar chart|条形图|柱状图|柱形图", text, re.IGNORECASE):
        raise Hint("say what kind of chart it is: a bar chart")
    ranks = _ranks()
    total = sum(c for _, c in ranks)
    if not re.search(rf"(?<!\d){total}(?!\d)", text):
        raise Hint("give the total number of officials the chart covers")
    for rank, count in ranks:
        if rank not in text:
            raise Hint("name every rank as the chart writes it, in Chinese")
        if not re.search(rf"{re.escape(rank)}\D{{0,40}}?(?<!\d){count}(?!\d)", text):
            raise Hint("each rank's count should follow its name, with no other number between")
    order = sorted(ranks, key=lambda pair: text.index(pair[0]))
    if [c for _, c in order] != sorted((c for _, c in ranks), reverse=True):
        raise Hint(
            "list the ranks from the largest group to the smallest: which group is largest "
            "is the chart's point"
        )
    return "right: a reader who cannot see the chart learns its numbers and its point"


@question("05.7")
def q7(answer: Any) -> str:
    if not isinstance(answer, dict):
        if isinstance(answer, (bool, list, tuple, set)):
            raise Hint("answer should be a dict: {file name: True or False}, one item per file")
        expect_type(answer, dict, what="answer")
    keys = [str(k) for k in answer]
    if any("/" in k or "\\" in k for k in keys) or any(not isinstance(k, str) for k in answer):
        raise Hint("the keys should be file names (path.name), not whole paths")
    if sorted(k.strip() for k in keys) != sorted(SAVED_7):
        raise Hint(f"the keys should be the names of the {len(SAVED_7)} files the question gives")
    values = list(answer.values())
    if any(isinstance(v, (bytes, bytearray)) for v in values):
        raise Hint("store whether the bytes stayed the same (first == again), not the bytes")
    if not all(type(v).__name__ in ("bool", "bool_") for v in values):
        raise Hint("each value should be True or False: compare the bytes with ==")
    changed = sorted(k.strip() for k, v in answer.items() if not v)
    if changed:
        raise Hint(
            f"{changed[0]} changed between saves: save with save_figure(fig, path), which "
            "leaves the date out; compare the bytes of the same file read after each save"
        )
    return "right: the same chart gives the same bytes, so git sees no change on a re-run"


def _pairs(ax: Any, ranks: Sequence[str]) -> dict[str, list[Any]]:
    """The bars of a grouped chart, each under the rank whose tick is nearest its centre."""
    ticks = [
        (loc, t.get_text()) for loc, t in zip(ax.get_xticks(), ax.get_xticklabels(), strict=False)
    ]
    named = [(loc, text) for loc, text in ticks if text in ranks]
    pairs: dict[str, list[Any]] = {rank: [] for rank in ranks}
    for bar in bars_of(ax):
        centre = bar.get_x() + bar.get_width() / 2
        _, rank = min(named, key=lambda tick: abs(tick[0] - centre))
        pairs[rank].append(bar)
    return pairs


def _origin(label: str) -> str:
    """Where a legend label says the officials came from: 河北 or 北京 ('' if it does not say)."""
    start = re.match(r"\s*(河北|冀|hebei|北京|京|beijing)", label, re.IGNORECASE)
    if not start:
        return ""
    return "河北" if start[1].casefold() in {"河北", "冀", "hebei"} else "北京"


@question("05.8")
def q8(answer: Any) -> str:
    ax = answer_axes(answer)
    ranks = list(BEIJING_RANKS)
    article = dict(_ranks())
    bars = bars_of(ax)
    if not bars:
        raise Hint("the chart has no bars: draw them with ax.bar(...)")
    if bars_lying(ax):
        raise Hint("the bars lie down: draw upright bars, two side by side for each rank")
    if len(bars) == len(ranks) and (
        _same_values(ax, list(BEIJING_RANKS.values())) or _same_values(ax, list(article.values()))
    ):
        raise Hint(
            "only one direction is drawn: the chart compares the article's officials with the "
            "new report's, so it needs one ax.bar() call for each"
        )
    if len(bars) != 2 * len(ranks):
        raise Hint(f"the chart has {len(bars)} bars; two per rank makes {2 * len(ranks)}")
    shown = sorted(t.get_text() for t in ax.get_xticklabels() if t.get_text())
    if shown != sorted(ranks):
        raise Hint(
            "put the ranks, as written, under their pairs of bars: one tick per rank, set with "
            "ax.set_xticks(positions, labels)"
        )
    pairs = _pairs(ax, ranks)
    if any(len(pair) != 2 for pair in pairs.values()):
        raise Hint("each rank's label should sit between its two bars: centre the pair on it")
    for left, right in (sorted(pair, key=lambda b: b.get_x()) for pair in pairs.values()):
        if left.get_x() + left.get_width() > right.get_x() + 1e-6:
            raise Hint(
                "the two bars of a rank overlap: shift one direction left and the other right "
                "of the rank's position, each by half a bar's width"
            )
    hebei, beijing = [], []
    for rank, pair in pairs.items():
        want = sorted([float(article[rank]), float(BEIJING_RANKS[rank])])
        if sorted(b.get_height() for b in pair) != want:
            raise Hint(
                f"the bars of {rank} do not match: one is the article's count, the other the "
                "new report's"
            )
        if article[rank] == BEIJING_RANKS[rank]:
            continue  # the same count both ways (专业技术人才 12): its bars tell no direction
        hebei += [b for b in pair if b.get_height() == article[rank]]
        beijing += [b for b in pair if b.get_height() == BEIJING_RANKS[rank]]
    hebei_colours = {_hex(b.get_facecolor()) for b in hebei}
    beijing_colours = {_hex(b.get_facecolor()) for b in beijing}
    if len(hebei_colours) > 1 or len(beijing_colours) > 1 or hebei_colours == beijing_colours:
        raise Hint("give each direction one colour of its own, the same in every pair")
    if len({h.get_x() < b.get_x() for h, b in zip(hebei, beijing, strict=True)}) > 1:
        raise Hint("keep each direction on the same side in every pair, so that pairs compare")
    legend = ax.get_legend()
    entries = (
        [
            (t.get_text().strip(), _hex(cast(Any, h).get_facecolor()))  # rebuilt: Rectangles
            for t, h in zip(legend.get_texts(), legend.legend_handles, strict=False)
        ]
        if legend is not None
        else []
    )
    if not entries:
        raise Hint(
            "the reader cannot tell which colour is which direction: give each ax.bar() call "
            "a label= and add ax.legend()"
        )
    if (
        len(entries) != 2
        or len({text for text, _ in entries}) != 2
        or not all(t for t, _ in entries)
    ):
        raise Hint("the legend should have two entries with different labels, one per direction")
    said = {colour: _origin(text) for text, colour in entries}
    if (
        said.get(next(iter(hebei_colours))) == "北京"
        and said.get(next(iter(beijing_colours))) == "河北"
    ):
        raise Hint(
            "the legend's labels are swapped: the article's numbers are the Hebei officials in "
            "Beijing"
        )
    if not ax.get_title():
        raise Hint("the chart needs a title")
    if not (ax.get_xlabel() and ax.get_ylabel()):
        raise Hint("the chart needs labels on both axes")
    _expect_unit(ax, "y")
    expect_course_font(ax)
    return "right: side by side, the two directions differ rank by rank, not in their total"


def _hex(colour: Any) -> str:
    from matplotlib import colors

    return colors.to_hex(colour)
