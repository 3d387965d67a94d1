"""A data story as one accessible, self-contained HTML page (the capstone's export).

    from secondment.story import Section, chart_of, story_page
    page = story_page("Who went?", [Section("By rank", ["…"], chart=chart_of(fig, "A bar chart…"))])

The page is English (`<html lang="en">`); every run of Chinese in its text is wrapped in
`<span lang="zh-CN">` so that screen readers and browsers read and draw it as Chinese. Each
chart is inline SVG inside a `<figure>`, named for assistive technology by `role="img"` and
`aria-label`, with the same alt text shown in its `<figcaption>`. All text is HTML-escaped, and
the same story gives the same bytes on every call: no dates, no matplotlib version, and SVG ids
that are fixed and unique across the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secondment.article import HAN_WIDE
from secondment.style import figure_bytes

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["Chart", "Section", "chart_of", "chinese_runs", "mark_chinese", "story_page", "svg_of"]

# CJK punctuation (、。《》「」…), full-width forms (，：？) and the marks Chinese text uses.
_CJK_MARK = "\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
# A run starts with digits or a hanzi (60多次), after an opening mark if any (“桥”), and ends
# with a hanzi or a Chinese mark. Inside it may hold digits, spaces and some ASCII punctuation
# (河北百名干部挂职北京 5个多月干成了什么), but never a Latin letter, and an ASCII comma, colon or
# semicolon ends it: in "15 厅局级, 45 县处级" each label is a run and the figures stay English.
_RUN = re.compile(
    rf"[“‘《「『（]?[0-9]*{HAN_WIDE}"
    rf"(?:(?:{HAN_WIDE}|[{_CJK_MARK}0-9 ?!()%.\-])*(?:{HAN_WIDE}|[{_CJK_MARK}]))?"
)
# matplotlib's SVG ids (glyphs, clip paths, markers) repeat from one figure to the next.
_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')

_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}figure{margin:1.5rem 0}figure svg{max-width:100%;height:auto}"
    "figcaption{font-size:.9rem;color:#333}table{border-collapse:collapse}"
    "th,td{border-bottom:1px solid #ccc;padding:.2rem .6rem;text-align:left}"
)


@dataclass(frozen=True)
class Chart:
    """A chart for the page: its SVG text and the alt text that names and captions it."""

    svg: str
    alt: str


@dataclass(frozen=True, eq=False)
class Section:
    """One part of the story: a heading, paragraphs, and optionally a chart and a table."""

    heading: str
    paragraphs: Sequence[str] = ()
    chart: Chart | None = None
    table: pd.DataFrame | None = None
    notes: Sequence[str] = field(default_factory=tuple)  # a bulleted list, e.g. the caveats


def chinese_runs(text: str) -> list[str]:
    """The runs of Chinese in text, in order: 'the 厅局级 rank' → ['厅局级']."""
    return [m[0] for m in _RUN.finditer(text)]


def mark_chinese(text: str) -> str:
    """Text as escaped HTML, each Chinese run wrapped in <span lang="zh-CN">."""
    out: list[str] = []
    last = 0
    for m in _RUN.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        out.append(f'<span lang="zh-CN">{html.escape(m[0])}</span>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def svg_of(fig: Figure) -> str:
    """A figure as inline SVG text: no XML prologue, no metadata (it names matplotlib's version)."""
    text = figure_bytes(fig, "svg").decode("utf-8")
    text = text[text.index("<svg") :]
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)


def chart_of(fig: Figure, alt: str) -> Chart:
    """A Chart from a matplotlib figure and its alt text."""
    if not alt.strip():
        raise ValueError("a chart on the page needs alt text: say what it shows")
    return Chart(svg_of(fig), alt.strip())


def _figure(chart: Chart, number: int) -> str:
    # Each chart's ids get their own prefix, so that two charts' glyphs never share an id.
    prefix = f"chart{number}-"
    svg = _SVG_ID.sub(lambda m: f"{m[1]}{prefix}{m[2]}", chart.svg.strip())
    label = html.escape(chart.alt, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return (
        f'<figure id="figure-{number}">\n{svg}\n'
        f"<figcaption>{mark_chinese(chart.alt)}</figcaption>\n</figure>"
    )


def _is_missing(value: object) -> bool:
    # NaN is the one value unequal to itself; pd.NA answers NA, which refuses to be a bool.
    try:
        return bool(value != value)
    except TypeError:
        return True


def _cell(value: object) -> str:
    if value is None or _is_missing(value):
        return ""
    if isinstance(value, float):
        return mark_chinese(f"{value:g}")
    return mark_chinese(str(value))


def _table(table: pd.DataFrame) -> str:
    head = "".join(f'<th scope="col">{_cell(c)}</th>' for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>\n"
        for row in table.itertuples(index=False)
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"


def story_page(
    title: str, sections: Sequence[Section], *, intro: Sequence[str] = (), source: str = ""
) -> str:
    """The story as a complete HTML5 page: English, Chinese runs marked, charts as figures."""
    parts = [f"<h1>{mark_chinese(title)}</h1>"]
    parts += [f"<p>{mark_chinese(p)}</p>" for p in intro]
    number = 0
    for section in sections:
        parts.append(f"<section>\n<h2>{mark_chinese(section.heading)}</h2>")
        parts += [f"<p>{mark_chinese(p)}</p>" for p in section.paragraphs]
        if section.chart is not None:
            number += 1
            parts.append(_figure(section.chart, number))
        if section.table is not None:
            parts.append(_table(section.table))
        if section.notes:
            items = "".join(f"<li>{mark_chinese(n)}</li>\n" for n in section.notes)
            parts.append(f"<ul>\n{items}</ul>")
        parts.append("</section>")
    if source:
        parts.append(f"<footer><p>{mark_chinese(source)}</p></footer>")
    body = "\n".join(parts)
    # <title> cannot hold markup, so its Chinese stays unmarked; the <h1> carries the marks.
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
