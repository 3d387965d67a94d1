"""The course's charts: each function draws one chart on an Axes and returns that Axes.

    from secondment.style import use_course_style
    from secondment.charts import rank_bars
    use_course_style()          # the bundled Chinese font and the Okabe-Ito palette
    ax = rank_bars(ranks_table())

Call `use_course_style()` first, as every notebook's setup cell does: the functions take their
font from matplotlib's settings, so without it the Chinese labels are drawn as boxes. Pass
`ax=` to draw into a figure of your own (a panel of several charts); without it each function
makes a new figure. Nothing here calls `plt.show()`: that is the notebook's job.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import groupby
from typing import Any, cast

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.ticker import FuncFormatter, MaxNLocator

from secondment.article import Article
from secondment.style import PALETTE
from secondment.tables import split_post

__all__ = [
    "OPENING",
    "alt_text",
    "anatomy",
    "event_label",
    "event_span",
    "font_warnings",
    "host_bars",
    "host_kind",
    "host_organisation",
    "rank_bars",
    "timeline",
]

#: Label of the paragraphs before the first heading (section 0): 开头, the opening.
OPENING = "开头"

# Where a clause ends: the article's (normalised) punctuation and the full-width forms.
_CLAUSE_END = re.compile(r"[,。;:!?，；：！？]")


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


# ---------------------------------------------------------------- rank breakdown


def rank_bars(ranks: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bar chart of the rank breakdown (`rank`, `count`), value on each bar, total in the title."""
    ax = _axes(ax)
    labels = [str(rank) for rank in ranks["rank"]]
    counts = [int(count) for count in ranks["count"]]
    positions = list(range(len(labels)))
    bars = ax.bar(positions, counts, color=PALETTE[0])
    ax.set_xticks(positions, labels)
    ax.bar_label(bars, padding=3)
    ax.margins(y=0.12)  # room above the tallest bar for its label
    total = sum(counts)
    ax.set_title(
        f"河北赴京挂职干部的级别 (共{total}名)\nRanks of the {total} Hebei officials in Beijing"
    )
    ax.set_xlabel("级别 Rank")
    ax.set_ylabel("人数 (名) Officials")
    return ax


# ---------------------------------------------------------------- where cadres were posted


def host_organisation(post: str) -> str:
    """A post without its job title: `北京市发改委副主任` → `北京市发改委` (unchanged if no title).

    The split is lesson 04's `secondment.tables.split_post`: the job title is one or more known
    titles at the end of the post (镇长助理 = 镇长 + 助理, 副总工程师 is one title).
    """
    org = split_post(pd.Series([post], dtype="string"))["org"].iloc[0]
    return post.strip() if pd.isna(org) else str(org)


def host_kind(post: str) -> str:
    """The kind of host a post is in: 乡镇 (a town), 区 (a district) or 市级部门 (a city body)."""
    org = host_organisation(post)
    # The last unit named decides: 北京市顺义区南彩镇 is a town, though it names 市 and 区 first.
    if org.endswith(("镇", "乡")):
        return "乡镇"
    if org.endswith("区"):
        return "区"
    return "市级部门"  # a commission (委), bureau (局) or administrative committee (管委会)


# The y axis label for each way of grouping the hosts.
_HOST_AXIS: dict[Callable[[str], str], str] = {
    host_organisation: "挂职单位 Host organisation",
    host_kind: "挂职单位的类别 Kind of host",
}


def host_bars(
    cadres: pd.DataFrame, ax: Axes | None = None, by: Callable[[str], str] = host_organisation
) -> Axes:
    """Horizontal bars: how many named cadres each host (grouped `by`) took, names on the bars."""
    ax = _axes(ax)
    hosts = pd.DataFrame(
        {
            "org": [by(str(post)) for post in cadres["host_post"]],
            "name": [str(name) for name in cadres["name"]],
        }
    )
    # Hosts in order of first mention; the largest on top (a stable sort keeps ties).
    table = hosts.groupby("org", sort=False).agg(count=("name", "size"), names=("name", "、".join))
    table = table.sort_values("count", ascending=False, kind="stable")
    positions = list(range(len(table)))
    bars = ax.barh(positions, table["count"], color=PALETTE[0])
    ax.set_yticks(positions, list(table.index))
    ax.invert_yaxis()  # first row at the top, where reading starts
    ax.bar_label(bars, labels=list(table["names"]), label_type="center", color="white")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # people come in whole numbers
    n = len(hosts)
    ax.set_title(f"文中点名的{n}名干部在北京的挂职单位\nWhere the {n} named officials were posted")
    ax.set_xlabel("人数 (名) Officials")
    ax.set_ylabel(_HOST_AXIS.get(by, "挂职单位 Host"))
    return ax


# ---------------------------------------------------------------- timeline


def event_span(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time an event covers: `2015-07-24` is that day, `2015-11` … `2016-05` whole months.

    Returns (first moment, moment just after): a day-precision event of one day has an end one
    day after its start, a month range ends on the first day of the month after `end`.
    """
    first = pd.Period(start, freq="M" if len(start) == 7 else "D")
    last = pd.Period(end, freq="M" if len(end) == 7 else "D")
    return first.start_time, (last + 1).start_time


def event_label(text: str, date_text: str, width: int = 18) -> str:
    """A short label for an event: the clause after its date, cut to `width` characters."""
    after = text.split(date_text, 1)[1] if date_text and date_text in text else text
    clauses = [c.strip() for c in _CLAUSE_END.split(after) if c.strip()]
    label = clauses[0] if clauses else after.strip()
    return label if len(label) <= width else label[: width - 1] + "…"


def _month_label(value: float, pos: int | None) -> str:
    # The year under the first month and under each January: narrow ticks that never collide.
    day = mdates.num2date(value)
    return f"{day.month}月\n{day.year}年" if pos == 0 or day.month == 1 else f"{day.month}月"


def timeline(events: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Dated events, one row each (event i at y = i, top down): a dot per day, a bar per range."""
    ax = _axes(ax, figsize=(9.0, 4.5))
    ax.xaxis_date()
    n = len(events)
    periods = [
        event_span(str(s), str(e)) for s, e in zip(events["start"], events["end"], strict=True)
    ]
    starts = [mdates.date2num(first) for first, _ in periods]
    stops = [mdates.date2num(after) for _, after in periods]
    days = [row for row in range(n) if stops[row] - starts[row] == 1]  # one whole day
    spans = [row for row in range(n) if row not in days]
    if days:
        ax.scatter([starts[r] for r in days], days, s=60, color=PALETTE[0], zorder=3,
                   label="某一天 a single day")  # fmt: skip
    if spans:
        ax.barh(spans, [stops[r] - starts[r] for r in spans], left=[starts[r] for r in spans],
                height=0.3, color=PALETTE[1], label="一段时间 (按月) a period")  # fmt: skip

    texts = events["text"] if "text" in events else [""] * n
    date_texts = events["date_text"] if "date_text" in events else [""] * n
    for row, (text, date_text) in enumerate(zip(texts, date_texts, strict=True)):
        ax.annotate(
            f"{date_text}\n{event_label(str(text), str(date_text))}",
            xy=(starts[row], row),
            xytext=(0, 9),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize="small",
            # A white backing keeps the label readable where a line added later crosses it.
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )

    # Whole months: from the first day of the first event's month to the end of the last.
    first = min(start for start, _ in periods).to_period("M")
    last = (max(after for _, after in periods) - pd.Timedelta(days=1)).to_period("M")
    ax.set_xlim(mdates.date2num(first.start_time), mdates.date2num((last + 1).start_time))
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(_month_label))
    ax.set_ylim(n - 0.4, -1.0)  # inverted: first event on top, with room for its label
    ax.set_yticks([])
    ax.legend(loc="lower left", frameon=False)
    ax.set_title(
        f"文中的日期: {first.year}年{first.month}月至{last.year}年{last.month}月\n"
        f"Dates in the article, {first:%B %Y} to {last:%B %Y}"
    )
    ax.set_xlabel("日期 (月) Date (month)")
    ax.set_ylabel("事件 (按文中顺序) Event")
    return ax


# ---------------------------------------------------------------- anatomy of the article


def anatomy(article: Article, ax: Axes | None = None) -> Axes:
    """Length in characters of each body paragraph, coloured and labelled by section."""
    ax = _axes(ax, figsize=(9.0, 4.5))
    labels = {0: OPENING} | {s.number: s.label for s in article.sections}
    body = [p for p in article.paragraphs if p.kind == "paragraph"]
    top = max((len(p.text) for p in body), default=0)
    for section, group in groupby(body, key=lambda p: p.section):
        paragraphs = list(group)
        positions = [p.index for p in paragraphs]
        lengths = [len(p.text) for p in paragraphs]
        colour = PALETTE[section % len(PALETTE)]
        ax.bar(positions, lengths, color=colour, label=labels.get(section, str(section)))
        ax.text(
            (positions[0] + positions[-1]) / 2,
            max(lengths) + 0.04 * top,
            labels.get(section, str(section)),
            ha="center",
            va="bottom",
            # The label names the section; the bars under it carry the colour. Text in the
            # section colour itself would fall below 4.5:1 contrast on white (orange is 2.3:1).
            color=plt.rcParams["text.color"],
        )
    ax.set_ylim(0, top * 1.18 if top else 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    n = len(body)
    ax.set_title(f"正文{n}段的长度 (按小节着色)\nLengths of the {n} body paragraphs, by section")
    ax.set_xlabel("段落在文中的位置 (标题为第0段) Paragraph position")
    ax.set_ylabel("长度 (字符) Length (characters)")
    return ax


# ---------------------------------------------------------------- accessibility and checks


def _bar_values(ax: Axes) -> list[tuple[str, float]]:
    """(label, value) of every bar, labels taken from the tick at the bar's centre."""
    out = []
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        horizontal = container.orientation == "horizontal"
        axis = ax.yaxis if horizontal else ax.xaxis
        ticks = {
            round(float(loc), 6): label.get_text()
            for loc, label in zip(axis.get_ticklocs(), axis.get_ticklabels(), strict=False)
        }
        for bar in container:
            centre = (
                bar.get_y() + bar.get_height() / 2
                if horizontal
                else bar.get_x() + bar.get_width() / 2
            )
            value = bar.get_width() if horizontal else bar.get_height()
            out.append((ticks.get(round(centre, 6)) or f"{centre:g}", value))
    return out


def _dated_marks(ax: Axes) -> list[tuple[float, float]]:
    """(start, end) in matplotlib date numbers of every dot and bar on a date x axis."""
    marks = [(x, x) for c in ax.collections for x, _ in cast(Any, c.get_offsets())]
    for container in ax.containers:
        if isinstance(container, BarContainer):
            marks += [(bar.get_x(), bar.get_x() + bar.get_width()) for bar in container]
    return marks


def alt_text(ax: Axes) -> str:
    """A one-sentence draft alt text from what the Axes shows: title, axes and bar values."""
    # A two-line title (Chinese, then English) reads as one line in a sentence.
    title = " ".join(ax.get_title().split("\n")) or "an untitled chart"
    axes = f"{ax.get_xlabel() or 'x'} across, {ax.get_ylabel() or 'y'} up"
    if isinstance(ax.xaxis.get_major_locator(), mdates.DateLocator):
        marks = _dated_marks(ax)
        if marks:
            first = mdates.num2date(min(start for start, _ in marks))
            last = mdates.num2date(max(end for _, end in marks) - 1e-6)
            return (
                f"Timeline “{title}”: {len(marks)} dated marks "
                f"from {first:%Y-%m-%d} to {last:%Y-%m-%d}."
            )
    bars = _bar_values(ax)
    if not bars:
        return f"Chart “{title}”: {axes}."
    if len(bars) <= 8:
        values = ", ".join(f"{label} {value:g}" for label, value in bars)
    else:
        low, high = min(v for _, v in bars), max(v for _, v in bars)
        values = f"{len(bars)} bars from {low:g} to {high:g}"
    return f"Bar chart “{title}” ({axes}): {values}."


@contextmanager
def font_warnings() -> Iterator[list[str]]:
    """Collect warnings and matplotlib's log warnings (font complaints) instead of printing them.

        with font_warnings() as messages:
            fig.canvas.draw()
        len(messages)   # 0 when every character had a glyph

    The list is filled when the block ends. Draw inside the block: matplotlib only looks for
    glyphs when it draws (`fig.canvas.draw()`, `savefig`, or `plt.show()` in a notebook).
    """
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("matplotlib")
    handler = _Collect(logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False  # nothing reaches the root logger, so nothing reaches stderr
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # every occurrence, even one seen before
            try:
                yield messages
            finally:
                messages.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
