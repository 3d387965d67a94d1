"""The course's charts (`secondment.charts`) and the charting lesson that introduces them.

Charts are checked through their Axes (titles, tick labels, bar sizes, colours, fonts), never
through pixels. Expected values come from the tables and the article, and each chart is also
drawn from altered data, so that a chart with its numbers typed in fails. The lesson's code is
run here too, cell by cell with the Agg backend, and the charts it draws are inspected.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import colors, font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

import secondment.tables  # noqa: E402
from secondment.article import Article, load_article  # noqa: E402
from secondment.charts import (  # noqa: E402
    OPENING,
    alt_text,
    anatomy,
    event_label,
    event_span,
    font_warnings,
    host_bars,
    host_kind,
    host_organisation,
    rank_bars,
    timeline,
)
from secondment.paths import require_course_root
from secondment.style import FONT_FILE, PALETTE, save_figure, use_course_style  # noqa: E402
from secondment.tables import cadres_table, events_table, ranks_table  # noqa: E402

ROOT = require_course_root()
LESSON = ROOT / "notebooks" / "05-charting-with-matplotlib.ipynb"
HAN = re.compile(r"[\u4e00-\u9fff]")
PALETTE_HEX = {c.lower() for c in PALETTE}


@pytest.fixture(scope="module", autouse=True)
def course_style() -> None:
    use_course_style()


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def article() -> Article:
    return load_article()


@pytest.fixture(scope="module")
def ranks(article: Article) -> pd.DataFrame:
    return ranks_table(article)


@pytest.fixture(scope="module")
def cadres(article: Article) -> pd.DataFrame:
    return cadres_table(article)


@pytest.fixture(scope="module")
def events(article: Article) -> pd.DataFrame:
    return events_table(article)


# ---------------------------------------------------------------- helpers


def _ticks(labels: list[Any]) -> list[str]:
    return [t.get_text() for t in labels]


def _hex(colour: Any) -> str:
    return colors.to_hex(colour).lower()


def _date(value: float) -> pd.Timestamp:
    return pd.Timestamp(mdates.num2date(value)).tz_localize(None)


def _dots(ax: Axes) -> list[tuple[float, float]]:
    return [
        (x, y) for c in ax.collections if isinstance(c, PathCollection) for x, y in c.get_offsets()
    ]


def _complaints(action: Callable[[], object]) -> list[str]:
    """Every warning and matplotlib log record (WARNING and up) raised by action()."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("matplotlib")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            action()
    finally:
        logger.removeHandler(handler)
    return [str(w.message) for w in caught] + records


def _all_charts(article: Article) -> dict[str, Callable[..., Axes]]:
    """Each chart of the course drawn from the article's data; call with `ax=` or without."""
    return {
        "rank_bars": lambda ax=None: rank_bars(ranks_table(article), ax=ax),
        "host_bars": lambda ax=None: host_bars(cadres_table(article), ax=ax),
        "timeline": lambda ax=None: timeline(events_table(article), ax=ax),
        "anatomy": lambda ax=None: anatomy(article, ax=ax),
    }


CHARTS = ["rank_bars", "host_bars", "timeline", "anatomy"]


# ---------------------------------------------------------------- every chart


@pytest.mark.parametrize("name", CHARTS)
def test_chart_has_chinese_title_and_labelled_axes(name: str, article: Article) -> None:
    ax = _all_charts(article)[name]()
    assert isinstance(ax, Axes)
    assert HAN.search(ax.get_title()), f"{name}: title {ax.get_title()!r} is not Chinese"
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    assert HAN.search(ax.get_xlabel()) and HAN.search(ax.get_ylabel())


@pytest.mark.parametrize("name", CHARTS)
def test_chart_text_uses_the_course_font(name: str, article: Article) -> None:
    ax = _all_charts(article)[name]()
    ax.figure.canvas.draw()
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.texts]
    for text in texts:
        if HAN.search(text.get_text()):
            found = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
            assert Path(found).name == FONT_FILE, text.get_text()


@pytest.mark.parametrize("name", CHARTS)
def test_chart_colours_come_from_the_palette(name: str, article: Article) -> None:
    ax = _all_charts(article)[name]()
    used = {_hex(p.get_facecolor()) for p in ax.patches}
    used |= {_hex(c) for coll in ax.collections for c in coll.get_facecolors()}
    assert used, f"{name} drew nothing coloured"
    assert used <= PALETTE_HEX, f"{name} uses {sorted(used - PALETTE_HEX)}"


@pytest.mark.parametrize("name", CHARTS)
def test_chart_saves_without_missing_glyphs(name: str, article: Article, tmp_path: Path) -> None:
    ax = _all_charts(article)[name]()

    def save() -> None:
        save_figure(ax.figure, tmp_path / f"{name}.png")
        save_figure(ax.figure, tmp_path / f"{name}.svg")

    complaints = _complaints(save)
    assert not [m for m in complaints if "Glyph" in m or "findfont" in m], complaints
    assert (tmp_path / f"{name}.png").stat().st_size and (tmp_path / f"{name}.svg").stat().st_size


@pytest.mark.parametrize("name", CHARTS)
def test_chart_draws_into_a_given_axes(name: str, article: Article) -> None:
    fig, (left, right) = plt.subplots(1, 2)
    ax = _all_charts(article)[name](ax=right)
    assert ax is right and ax.figure is fig
    assert not left.has_data() and right.has_data()
    assert plt.get_fignums() == [fig.number]  # no figure of its own


# ---------------------------------------------------------------- rank_bars


def test_rank_bars_show_the_ranks_table(ranks: pd.DataFrame) -> None:
    ax = rank_bars(ranks)
    assert _ticks(ax.get_xticklabels()) == ranks["rank"].tolist()
    assert [p.get_height() for p in ax.patches] == ranks["count"].tolist()
    # The table itself is the article's: four ranks that add up to the hundred officials.
    assert ranks["rank"].tolist() == ["厅局级", "县处级", "乡科级", "专业技术人才"]
    assert ranks["count"].tolist() == [15, 45, 28, 12]
    assert "100" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == ["15", "45", "28", "12"]  # value labels


def test_rank_bars_follow_other_data(ranks: pd.DataFrame) -> None:
    other = pd.DataFrame({"rank": ["县处级", "厅局级", "乡科级"], "count": [7, 3, 20]})
    ax = rank_bars(other)
    assert _ticks(ax.get_xticklabels()) == ["县处级", "厅局级", "乡科级"]
    assert [p.get_height() for p in ax.patches] == [7, 3, 20]
    assert "共30名" in ax.get_title() and "100" not in ax.get_title()
    assert [p.get_height() for p in ax.patches] != ranks["count"].tolist()


def test_rank_bars_keep_repeated_labels_apart() -> None:
    ax = rank_bars(pd.DataFrame({"rank": ["A级", "A级"], "count": [1, 2]}))
    assert [p.get_height() for p in ax.patches] == [1, 2]
    assert len({p.get_x() for p in ax.patches}) == 2


# ---------------------------------------------------------------- host_bars


@pytest.mark.parametrize(
    ("post", "organisation"),
    [
        ("北京市发改委副主任", "北京市发改委"),
        ("北京市中关村科技园区管理委员会副主任", "北京市中关村科技园区管理委员会"),
        ("北京市顺义区南彩镇镇长助理", "北京市顺义区南彩镇"),
        ("北京市环保局副总工程师", "北京市环保局"),
        ("北京市丰台区副区长", "北京市丰台区"),
        ("石家庄市科技局局长", "石家庄市科技局"),
        ("没有职务的名称", "没有职务的名称"),  # no known title: unchanged
    ],
)
def test_host_organisation_strips_the_job_title(post: str, organisation: str) -> None:
    assert host_organisation(post) == organisation


def test_host_bars_one_bar_per_organisation(cadres: pd.DataFrame) -> None:
    ax = host_bars(cadres)
    organisations = list(dict.fromkeys(host_organisation(p) for p in cadres["host_post"]))
    assert len(ax.patches) == len(organisations) == 8
    assert sorted(_ticks(ax.get_yticklabels())) == sorted(organisations)
    assert sum(p.get_width() for p in ax.patches) == len(cadres) == 8
    names = " ".join(t.get_text() for t in ax.texts)
    assert all(name in names for name in cadres["name"])
    assert ax.yaxis_inverted()  # first organisation on top


@pytest.mark.parametrize(
    ("post", "kind"),
    [
        ("北京市发改委副主任", "市级部门"),
        ("北京市中关村科技园区管理委员会副主任", "市级部门"),  # 园区 inside, not at the end
        ("北京市顺义区南彩镇镇长助理", "乡镇"),  # names 市 and 区 before the town
        ("北京市丰台区副区长", "区"),
        ("北京市环保局副总工程师", "市级部门"),
    ],
)
def test_host_kind_reads_the_last_unit(post: str, kind: str) -> None:
    assert host_kind(post) == kind


def test_host_bars_by_kind_differ(cadres: pd.DataFrame) -> None:
    ax = host_bars(cadres, by=host_kind)
    # Counted here from the posts themselves: a town ends in 镇, a district in 区 (before the
    # job title), everything else is a city body.
    orgs = [re.sub(r"(副主任|镇长助理|副区长|副总工程师)$", "", p) for p in cadres["host_post"]]
    towns = sum(o.endswith("镇") for o in orgs)
    districts = sum(o.endswith("区") for o in orgs)
    assert (towns, districts, len(orgs) - towns - districts) == (1, 1, 6)
    assert [p.get_width() for p in ax.patches] == [6, 1, 1]  # largest on top, ties in order
    assert _ticks(ax.get_yticklabels()) == ["市级部门", "乡镇", "区"]
    assert [t.get_text() for t in ax.texts][1:] == ["张健", "杨猛"]
    assert len(ax.texts[0].get_text().split("、")) == 6
    assert "Kind" in ax.get_ylabel() and "8" in ax.get_title()


def test_host_bars_follow_other_data(cadres: pd.DataFrame) -> None:
    shared = cadres.copy()
    shared.loc[1, "host_post"] = shared.loc[0, "host_post"]  # two officials at one host
    ax = host_bars(shared)
    assert len(ax.patches) == 7
    assert sum(p.get_width() for p in ax.patches) == len(shared)
    top = min(ax.patches, key=lambda p: p.get_y())
    assert top.get_width() == 2
    assert _ticks(ax.get_yticklabels())[0] == host_organisation(cadres.loc[0, "host_post"])
    assert f"{cadres.loc[0, 'name']}、{cadres.loc[1, 'name']}" in [t.get_text() for t in ax.texts]


# ---------------------------------------------------------------- timeline


def test_event_span() -> None:
    assert event_span("2015-07-24", "2015-07-24") == (
        pd.Timestamp("2015-07-24"),
        pd.Timestamp("2015-07-25"),
    )
    assert event_span("2015-11", "2016-05") == (
        pd.Timestamp("2015-11-01"),
        pd.Timestamp("2016-06-01"),
    )


def test_event_label() -> None:
    text = "在某人参与推动下,2015年11月27日,京津冀环境执法联动工作机制正式建立,并确定了重点。"
    assert event_label(text, "2015年11月27日") == "京津冀环境执法联动工作机制正式建立"
    assert event_label("2015年8月28日，双方签约。", "2015年8月28日") == "双方签约"
    long = event_label(
        "2015年8月28日,保定市委、市政府相关负责人到中关村召开了座谈会", "2015年8月28日"
    )
    assert len(long) == 18 and long.endswith("…")


def test_timeline_spans_july_2015_to_may_2016(events: pd.DataFrame) -> None:
    ax = timeline(events)
    start, end = ax.get_xlim()
    assert _date(start) == pd.Timestamp("2015-07-01")
    assert _date(end) == pd.Timestamp("2016-06-01")  # the end of May 2016
    assert "2015年7月" in ax.get_title() and "2016年5月" in ax.get_title()
    assert events["start"].min() == "2015-07-24" and events["end"].max() == "2016-05"


def test_timeline_one_mark_per_event(events: pd.DataFrame) -> None:
    ax = timeline(events)
    dots, bars = _dots(ax), ax.patches
    assert len(dots) + len(bars) == len(events) == 4
    days = events[events["start"] == events["end"]]
    assert sorted(_date(x) for x, _ in dots) == sorted(pd.Timestamp(d) for d in days["start"])
    (bar,) = bars
    assert _date(bar.get_x()) == pd.Timestamp("2015-11-01")
    assert _date(bar.get_x() + bar.get_width()) == pd.Timestamp("2016-06-01")
    labels = [t.get_text() for t in ax.texts]
    assert len(labels) == len(events)
    assert all(date in label for date, label in zip(events["date_text"], labels, strict=True))


def test_timeline_follows_other_data(events: pd.DataFrame) -> None:
    more = pd.concat(
        [
            events,
            pd.DataFrame(
                {"start": ["2016-08-02"], "end": ["2016-08-02"], "precision": ["day"],
                 "date_text": ["2016年8月2日"], "text": ["2016年8月2日,挂职工作总结会召开。"]}
            ),
        ],
        ignore_index=True,
    )  # fmt: skip
    ax = timeline(more)
    assert len(_dots(ax)) + len(ax.patches) == 5
    assert _date(ax.get_xlim()[1]) == pd.Timestamp("2016-09-01")
    assert "2016年8月" in ax.get_title()
    assert "挂职工作总结会召开" in ax.texts[-1].get_text()


# ---------------------------------------------------------------- anatomy


def test_anatomy_one_bar_per_body_paragraph(article: Article) -> None:
    ax = anatomy(article)
    body = [p for p in article.paragraphs if p.kind == "paragraph"]
    assert len(ax.patches) == len(body) == article.to_dict()["paragraph_count"] == 24
    bars = sorted(ax.patches, key=lambda p: p.get_x())
    assert [b.get_height() for b in bars] == [len(p.text) for p in body]
    for bar, paragraph in zip(bars, body, strict=True):
        assert _hex(bar.get_facecolor()) == PALETTE[paragraph.section].lower()
    labels = [t.get_text() for t in ax.texts]
    assert labels == [OPENING] + [s.label for s in article.sections]
    assert labels[1:] == ["他们是北京的一员", "他们是对接联络员", "他们是项目推进员"]


def test_anatomy_follows_other_data(article: Article) -> None:
    shorter = dataclasses.replace(article, paragraphs=article.paragraphs[:13])
    ax = anatomy(shorter)
    assert len(ax.patches) == sum(p.kind == "paragraph" for p in article.paragraphs[:13]) == 10
    assert "10" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == [OPENING, article.sections[0].label]


# ---------------------------------------------------------------- alt text and font warnings


def test_alt_text_names_the_data(article: Article, ranks: pd.DataFrame) -> None:
    text = alt_text(rank_bars(ranks))
    # The two-line title (Chinese, then English) joined into one line of the sentence.
    assert text.startswith("Bar chart “河北赴京挂职干部的级别 (共100名) Ranks of the 100 ")
    assert "\n" not in text
    for rank, count in zip(ranks["rank"], ranks["count"], strict=True):
        assert f"{rank} {count}" in text
    assert "2015-07-24" in alt_text(timeline(events_table(article)))
    assert "2016-05-31" in alt_text(timeline(events_table(article)))
    assert "24 bars from 40 to 210" in alt_text(anatomy(article))
    assert alt_text(plt.subplots()[1]) == "Chart “an untitled chart”: x across, y up."


def test_font_warnings_collects_tofu_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    with font_warnings() as messages, plt.rc_context({"font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots()
        ax.set_title("挂职")
        fig.canvas.draw()
    glyphs = {chr(int(n)) for n in re.findall(r"Glyph (\d+)", "\n".join(messages))}
    assert glyphs == {"挂", "职"}
    assert capfd.readouterr().err == ""


def test_font_warnings_collects_log_records(capfd: pytest.CaptureFixture[str]) -> None:
    # A family matplotlib has never looked up, so its "not found" is logged (lookups are cached).
    with font_warnings() as messages, plt.rc_context({"font.family": ["Missing Probe Sans 05"]}):
        fig, ax = plt.subplots()
        ax.set_title("Probe")
        fig.canvas.draw()
    assert any("findfont" in m and "Missing Probe Sans 05" in m for m in messages), messages
    assert capfd.readouterr().err == ""
    assert logging.getLogger("matplotlib").propagate  # restored


# ---------------------------------------------------------------- the lesson's own code


def _code_cells() -> list[str]:
    nb = nbformat.read(LESSON, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def run_lesson() -> dict[str, Any]:
    """Run the lesson's code cells in order in a fresh namespace, as the kernel would.

    `plt.show()` draws and closes each new figure, as the notebook's inline backend does; the
    figures are kept, in order, under "shown". After each cell the names `ax` and `bars` are
    recorded under "after".
    """
    shown: list[Any] = []

    def show(*args: object, **kwargs: object) -> None:
        for number in plt.get_fignums():
            fig = plt.figure(number)
            fig.canvas.draw()
            shown.append(fig)
            plt.close(fig)

    namespace: dict[str, Any] = {"__name__": "__lesson__"}
    after: list[dict[str, Any]] = []
    plt.close("all")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plt, "show", show)
        for index, source in enumerate(_code_cells()):
            # IPython-only lines: magics, shell commands and `name??` (show the source).
            lines = [
                ln
                for ln in source.splitlines()
                if not ln.lstrip().startswith(("%", "!")) and not ln.rstrip().endswith("?")
            ]
            exec(compile("\n".join(lines), f"<lesson cell {index}>", "exec"), namespace)
            after.append(
                {"source": source, "ax": namespace.get("ax"), "bars": namespace.get("bars")}
            )
    return {"namespace": namespace, "after": after, "shown": shown}


def _hand_built(run: dict[str, Any]) -> Axes:
    """The Axes of the first cell that builds a chart with `plt.subplots()` and `ax.bar_label`."""
    for step in run["after"]:
        if "plt.subplots(" in step["source"] and "ax.bar_label(" in step["source"]:
            return step["ax"]
    raise AssertionError("no cell builds the rank chart by hand with ax.bar_label")


@pytest.fixture(scope="module")
def lesson() -> dict[str, Any]:
    """One run of the lesson, with every warning and log record it let through."""
    result: dict[str, Any] = {}
    complaints = _complaints(lambda: result.update(run_lesson()))
    return {**result, "complaints": complaints}


def test_lesson_hand_built_chart_shows_the_table(lesson: dict[str, Any]) -> None:
    ranks = ranks_table()
    ax = _hand_built(lesson)
    assert _ticks(ax.get_xticklabels()) == ranks["rank"].tolist()
    assert [p.get_height() for p in ax.patches] == ranks["count"].tolist() == [15, 45, 28, 12]
    assert f"共{ranks['count'].sum()}名" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == [str(c) for c in ranks["count"]]
    assert ax.get_xlabel() and ax.get_ylabel()


def test_lesson_hand_built_chart_follows_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ranks_table()
    other = real.assign(count=[10, 50, 28, 12])  # still 100 in all, but other bars
    real_load = secondment.tables.load_table

    def load(name: str):  # the lesson reads the ranks from datasets/; give it other ones
        return other.copy() if name == "ranks" else real_load(name)

    monkeypatch.setattr(secondment.tables, "load_table", load)
    ax = _hand_built(run_lesson())
    assert [p.get_height() for p in ax.patches] == [10, 50, 28, 12]
    assert [p.get_height() for p in ax.patches] != real["count"].tolist()


def test_lesson_charts_are_complete(lesson: dict[str, Any]) -> None:
    nb = nbformat.read(LESSON, as_version=4)
    stored = sum(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    assert len(lesson["shown"]) == stored == 8
    for fig in lesson["shown"]:
        for ax in fig.axes:
            assert HAN.search(ax.get_title()), ax.get_title()
            assert ax.get_xlabel() and ax.get_ylabel(), ax.get_title()


def test_lesson_warns_only_in_its_tofu_demo(lesson: dict[str, Any]) -> None:
    # The tofu demo's own warnings are collected by font_warnings() inside the lesson.
    assert lesson["complaints"] == []
    missing = lesson["namespace"]["missing"]
    assert missing and all(HAN.fullmatch(ch) for ch in missing)
    assert set("".join(ranks_table()["rank"])) <= set(missing)
    tofu = lesson["shown"][0].axes[0]
    assert "DejaVu Sans" in tofu.get_title()


def test_lesson_saves_identical_bytes(lesson: dict[str, Any]) -> None:
    namespace = lesson["namespace"]
    assert namespace["first"] == namespace["again"]
    assert namespace["png"].name == "ranks.png" and namespace["svg"].name == "ranks.svg"


def test_lesson_builds_each_chart_before_its_function(lesson: dict[str, Any]) -> None:
    """Build, then reveal: a hand-built chart is shown before the library function is used."""
    sources = [step["source"] for step in lesson["after"]]
    for name in ("host_bars", "timeline", "anatomy"):
        first_call = next(i for i, src in enumerate(sources) if f"{name}(" in src)
        built = [i for i, src in enumerate(sources[:first_call]) if "plt.subplots(" in src]
        assert built, f"{name} is used before any chart of its kind is built by hand"
        assert f"{name}??" in sources, f"the lesson does not show {name}'s code"
    host = lesson["after"][next(i for i, s in enumerate(sources) if "ax.barh(positions" in s)]
    widths = [bar.get_width() for bar in host["bars"]]
    assert len(set(widths)) > 1, widths  # bars that differ


def test_lesson_every_chart_has_alt_text_beside_it() -> None:
    cells = nbformat.read(LESSON, as_version=4).cells
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.outputs):
            following = cells[index + 1]
            assert following.cell_type == "markdown", f"cell {index}: no markdown after the chart"
            assert following.source.startswith("*Alt text: "), f"cell {index}: no alt text"


def test_lesson_header_and_links() -> None:
    text = "\n".join(c.source for c in nbformat.read(LESSON, as_version=4).cells)
    assert text.startswith("# 05 · Charting with matplotlib, in Chinese")
    assert "**Time:** " in text  # its minutes follow the rule: tests/test_instructors.py
    assert "](../exercises/05-charting-with-matplotlib-exercises.ipynb)" in text
    assert "](06-words-and-frequencies.ipynb)" in text
    assert "## Key points" in text
