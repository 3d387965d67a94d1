"""Checks for the capstone brief (07): the pieces of a data story, not its ideas.

These checks confirm each piece is there and backed by the data; the story itself is graded
by hand with the rubric in the brief.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from typing import Any

from secondment.article import HAN_WIDE
from secondment.checks import Hint, question
from secondment.checks.expect import expect_type

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@functools.cache
def _known_figures(second: bool = False) -> frozenset[str]:
    """Every number a report's tables hold, as text (60, 100, 2015, 0.45 → 45 …).

    The course article by default; with second=True the capstone's second report.
    """
    from secondment.article import load_article
    from secondment.paths import second_report_path
    from secondment.tables import cadres_table, events_table, quantities_table, ranks_table

    article = load_article(second_report_path()) if second else load_article()
    figures: set[str] = set()
    ranks = ranks_table(article)
    total = int(ranks["count"].sum())
    for value in ranks["count"]:
        figures |= {str(int(value)), str(round(100 * value / total))}
    figures.add(str(total))
    for value in quantities_table(article)["value"]:
        figures.add(f"{value:g}")
    for col in ("start", "end"):
        for date in events_table(article)[col]:
            figures |= set(_NUMBER.findall(str(date).replace("-", " ")))
            figures |= {str(int(p)) for p in str(date).split("-")}
    figures.add(str(len(cadres_table(article))))
    return frozenset(figures)


@question("07.1")
def question_text(answer: Any) -> str:
    expect_type(answer, str, what="your question")
    text = answer.strip()
    if not text.endswith(("?", "？")):
        raise Hint("write it as a question, ending with ?")
    if len(text) < 15:
        raise Hint("make the question specific: who, what, when or how many, about the article")
    return "a clear question: now find the evidence"


@question("07.2")
def evidence_table(answer: Any) -> str:
    import pandas as pd

    expect_type(answer, pd.DataFrame, what="your table")
    if not 2 <= len(answer) <= 20:
        raise Hint(f"your table has {len(answer)} rows; a reader can take in 2 to 20")
    if answer.shape[1] < 2:
        raise Hint("a table needs at least two columns: a label and a value")
    if answer.isna().any().any():
        raise Hint("your table has missing values: drop or explain them")
    if not any(pd.api.types.is_numeric_dtype(answer[c]) for c in answer.columns):
        raise Hint("your table has no numeric column: what is the evidence?")
    return "a readable table"


@question("07.3")
def evidence_chart(answer: Any) -> str:
    from matplotlib.axes import Axes

    expect_type(answer, Axes, what="your chart (the Axes, e.g. `ax`)")
    if not answer.get_title():
        raise Hint("your chart needs a title that says what it shows")
    if not (answer.get_xlabel() and answer.get_ylabel()):
        raise Hint("label both axes, with units where there are any")
    marks = len(answer.patches) + len(answer.lines) + len(answer.collections)
    if marks == 0:
        raise Hint("your chart has no bars, lines or points yet")
    family = answer.title.get_fontfamily()
    if "Secondment Sans CJK" not in family:
        raise Hint("call use_course_style() before plotting, or Chinese will show as boxes")
    return "a titled, labelled chart in the course font"


@question("07.4")
def alt_text(answer: Any) -> str:
    expect_type(answer, str, what="your alt text")
    text = answer.strip()
    if not 40 <= len(text) <= 300:
        raise Hint(f"alt text of {len(text)} characters; aim for one sentence of 40 to 300")
    if not _NUMBER.search(text):
        raise Hint("say what the chart shows, with at least one of its figures")
    return "alt text a screen reader can use"


@question("07.5")
def sentences(answer: Any) -> str:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(s, str) for s in answer):
        raise Hint(f"give a list of sentences (strings), not a {type(answer).__name__}")
    if len(answer) != 3:
        raise Hint(f"write exactly three sentences; you have {len(answer)}")
    known = _known_figures()
    for i, sentence in enumerate(answer, 1):
        found = _NUMBER.findall(sentence)
        if not found:
            raise Hint(f"sentence {i} has no figure: back each claim with a number")
        if not any(f in known for f in found):
            raise Hint(f"sentence {i}: its figures are not in the course's tables; compute them")
    return "three sentences, each backed by a figure from the tables"


@question("07.6")
def caveats(answer: Any) -> str:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(s, str) for s in answer):
        raise Hint("give your caveats as a list of strings")
    real = [c for c in answer if len(c.strip()) >= 15]
    if len(real) < 2:
        raise Hint("name at least two limits of the evidence, each in a full sentence")
    return "caveats stated"


def _sentence_list(answer: Any, what: str) -> list[str]:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(s, str) for s in answer):
        raise Hint(f"give {what} as a list of sentences (strings), not a {type(answer).__name__}")
    return list(answer)


@question("07.7")
def comparison(answer: Any) -> str:
    sentences = _sentence_list(answer, "your comparison")
    if len(sentences) < 2:
        raise Hint("compare in at least two sentences: one thing each report counts or names")
    found = [set(_NUMBER.findall(s)) for s in sentences]
    for i, figures in enumerate(found, 1):
        if not figures:
            raise Hint(f"sentence {i} has no figure: back each comparison with a number")
    every = set().union(*found)
    ours, theirs = every & _known_figures(), every & _known_figures(second=True)
    if not ours:
        raise Hint("none of your figures is in the course article's tables: compute them")
    if not theirs:
        raise Hint(
            "none of your figures comes from the second report's tables: "
            "run the extractor on it (ranks_table(other), cadres_table(other)) and compare"
        )
    # One figure from each side, and not the same one: "100 and 100" compares nothing.
    if len(ours | theirs) < 2:
        raise Hint("set a figure of one report beside a different figure of the other")
    return "a comparison backed by figures from both reports"


_HANZI = re.compile(HAN_WIDE)


class _PageReader(HTMLParser):
    """What the checks need from a page, read without running anything in it."""

    # Elements that never have an end tag, so they never hold text or a language.
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "track", "wbr"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, its lang or None)
        self.html_lang: str | None = None
        self.charts: list[dict[str, Any]] = []  # one per <svg> or <img>
        self.figures: list[dict[str, Any]] = []  # one per <figure>: its caption text
        self.unmarked: list[str] = []  # Chinese text with no zh ancestor
        self.caption: list[str] | None = None

    def _in(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def _lang(self) -> str | None:
        return next((lang for _, lang in reversed(self.stack) if lang is not None), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.html_lang = attr.get("lang")
        if tag == "figure":
            self.figures.append({"caption": None})
        if tag == "figcaption" and self.figures:
            self.caption = []
        if tag in ("svg", "img") and not self._in("svg"):
            label = attr.get("alt") if tag == "img" else attr.get("aria-label")
            self.charts.append({
                "tag": tag, "in_figure": self._in("figure"), "role": attr.get("role"),
                "label": label, "figure": len(self.figures) - 1 if self._in("figure") else None,
            })  # fmt: skip
        if tag not in self.VOID:
            self.stack.append((tag, attr.get("lang")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <img/> and <path/>: nothing is opened, but an <img/> is still a chart
        if tag == "img":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption" and self.caption is not None and self.figures:
            self.figures[-1]["caption"] = " ".join("".join(self.caption).split())
            self.caption = None
        # Close up to the matching open tag; a stray end tag closes nothing.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.caption is not None:
            self.caption.append(data)
        # Text inside <title>, <style>, <script> or an SVG (drawn, not read) is not page text.
        if any(self._in(t) for t in ("head", "title", "style", "script", "svg")):
            return
        if _HANZI.search(data) and not (self._lang() or "").lower().startswith("zh"):
            self.unmarked.append(data.strip())


@question("07.8")
def accessible_page(answer: Any) -> str:
    expect_type(answer, str, what="your page (the HTML text, e.g. `page`)")
    if "<html" not in answer.lower():
        raise Hint("give the whole page, from <!DOCTYPE html> to </html>, as one string")
    reader = _PageReader()
    reader.feed(answer)
    reader.close()
    if not reader.html_lang:
        raise Hint('say the page\'s language: <html lang="en">')
    if not reader.charts:
        raise Hint("your page has no chart: add one as inline SVG (svg_of, chart_of)")
    for n, chart in enumerate(reader.charts, 1):
        if not chart["in_figure"]:
            raise Hint(f"chart {n} is not inside a <figure>: wrap each chart with its caption")
        caption = reader.figures[chart["figure"]]["caption"]
        if not caption:
            raise Hint(f"chart {n} has no <figcaption>: put its alt text there")
        if chart["tag"] == "svg" and chart["role"] != "img":
            raise Hint(f'chart {n}: give the <svg> role="img" so it is read as one image')
        if " ".join((chart["label"] or "").split()) != caption:
            where = "aria-label" if chart["tag"] == "svg" else "alt"
            raise Hint(f"chart {n}: its {where} should be the alt text in its <figcaption>")
    if reader.unmarked:
        raise Hint(
            f'Chinese text without lang="zh-CN" ({reader.unmarked[0][:20]!r}): '
            'wrap it in <span lang="zh-CN"> (story_page does this for you)'
        )
    return "an accessible page: every chart a captioned figure, its Chinese marked"
