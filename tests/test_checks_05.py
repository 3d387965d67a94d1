"""Exercises 05 · Charting: every check accepts the right answer and explains wrong ones.

Charts are built here the way the solution builds them, then changed in one way at a time (no
value labels, no unit, the article's numbers, matplotlib's default style …) to show that the
check notices, from the Axes alone, and says what to fix.
"""

import re
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from checks_support import given
from matplotlib import colors

from secondment.article import load_article
from secondment.charts import alt_text, font_warnings, rank_bars
from secondment.checks import evaluate, ex05
from secondment.checks.expect import bars_of
from secondment.extract import find_ranks
from secondment.paths import require_course_root, second_report_path
from secondment.style import FONT_FAMILY, PALETTE, save_figure, use_course_style
from secondment.tables import cadres_table, home_level, ranks_table
from secondment.teach.exercises import BEGIN

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "05-charting-with-matplotlib-solutions.ipynb"
QUESTIONS = [f"05.{k}" for k in range(1, 9)]

use_course_style()

# The article's facts, read once from the article by hand: the charts below are drawn from these,
# not from the library calls the checker makes, so that a regression there cannot move both.
#: 我省百名挂职干部包括厅局级干部15名,县处级干部45名,乡科级干部28名,专业技术人才12名.
RANK_COUNTS = {"厅局级": 15, "县处级": 45, "乡科级": 28, "专业技术人才": 12}
TOTAL = 100
#: The eight named officials, in the article's order, and their home levels (省级 → 县级).
NAMES = ["张涛", "张国洪", "王普清", "张健", "奚献军", "段润保", "杨猛", "孙学军"]
LEVEL_COUNTS = {"省级": 6, "市级": 1, "县级": 1}
#: Question 8's other direction (北京赴冀), as the notebook gives it.
NEW = {"厅局级": 10, "县处级": 52, "乡科级": 26, "专业技术人才": 12}

RANKS = pd.DataFrame({"rank": list(RANK_COUNTS), "count": list(RANK_COUNTS.values())})
LEVELS = pd.Series(LEVEL_COUNTS, name="count")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- charts, right and wrong


def bars(labels, values, *, title="河北赴京挂职干部的级别 (共100名)", xlabel="级别",
         ylabel="人数 (名)", horizontal=False, value_labels=True):  # fmt: skip
    """A bar chart like the solution's, each part switchable to make a wrong one."""
    fig, ax = plt.subplots()
    drawn = (ax.barh if horizontal else ax.bar)(list(labels), list(values))
    if value_labels:
        ax.bar_label(drawn, padding=3)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def rank_chart(**changes):
    return bars(RANKS["rank"], RANKS["count"], **changes)


def level_chart(**changes):
    options = {"title": "文中点名的8名干部的原单位级别", "xlabel": "人数 (名)",
               "ylabel": "原单位级别", "horizontal": True} | changes  # fmt: skip
    return bars(LEVELS.index.astype(str), LEVELS.to_list(), **options)


def beijing_chart(**changes):
    """One direction only: the new report's ranks as plain bars (the old question's answer)."""
    options = {"title": f"北京赴冀挂职干部的级别 (共{sum(NEW.values())}名)"} | changes
    return bars(NEW, NEW.values(), **options)


HEBEI = RANK_COUNTS
HEBEI_LABEL, BEIJING_LABEL = (
    "河北赴京 Hebei officials in Beijing",
    "北京赴冀 Beijing officials in Hebei",
)


def grouped(*, width=0.4, offset=None, colours=(PALETTE[0], PALETTE[1]),
            labels=(HEBEI_LABEL, BEIJING_LABEL), legend=True, ticks=True, swap_sides=False,
            heights=None, title="京冀互派挂职干部的级别", ylabel="人数 (名) Officials"):  # fmt: skip
    """Question 8's grouped bars, like the solution's, each part switchable to make a wrong one."""
    ranks = list(NEW)
    offset = width / 2 if offset is None else offset
    sides = (offset, -offset) if swap_sides else (-offset, offset)
    hebei, beijing = heights or ([HEBEI[r] for r in ranks], [NEW[r] for r in ranks])
    fig, ax = plt.subplots()
    for side, values, colour, label in zip(sides, (hebei, beijing), colours, labels, strict=True):
        ax.bar([i + side for i in range(len(ranks))], values, width, color=colour, label=label)
    if ticks:
        ax.set_xticks(range(len(ranks)), ranks)
    if legend:
        ax.legend()
    ax.set_title(title)
    ax.set_xlabel("级别 Rank")
    ax.set_ylabel(ylabel)
    return ax


def without_course_style(make):
    """The same chart drawn with matplotlib's defaults (its fonts have no hanzi)."""

    def draw():
        with plt.style.context("default"):
            return make()

    return draw


def level_colours(style=None):
    """The colours of one ax.bar() call per level, as the solution of question 5 reads them."""
    with plt.style.context(style or {}):
        _, ax = plt.subplots()
        for level, count in LEVELS.items():
            ax.bar(str(level), count)
        return [colors.to_hex(bar.get_facecolor()) for bar in ax.patches]


def saved_twice(tmp_path, save=save_figure):
    """Question 7's answer for a save function."""
    fig, ax = plt.subplots(figsize=(5, 3.5))
    rank_bars(RANKS, ax=ax)
    same = {}
    for name in ex05.SAVED_7:
        path = Path(save(fig, tmp_path / name) or tmp_path / name)
        first = path.read_bytes()
        save(fig, path)
        same[path.name] = path.read_bytes() == first
    return same


def good_alt_text():
    order = RANKS.sort_values("count", ascending=False)
    pairs = ", ".join(f"{r} {c}" for r, c in zip(order["rank"], order["count"], strict=True))
    return (
        f"Bar chart of the {TOTAL} Hebei officials seconded to Beijing by rank, "
        f"from the largest group to the smallest: {pairs}."
    )


def tofu_messages(title):
    """The lesson's way: draw in DejaVu Sans and collect matplotlib's glyph complaints."""
    with font_warnings() as messages, plt.rc_context({"font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots()
        ax.set_title(title)
        fig.canvas.draw()
    return re.findall(r"Glyph (\d+)", "\n".join(messages))


# The right answer of each question; a callable is called for a fresh chart.
RIGHT = {
    "05.1": plt.rcParams["font.family"][0],
    "05.2": lambda: len(set(tofu_messages(ex05.TITLE_2))),
    "05.3": rank_chart,
    "05.4": level_chart,
    "05.5": level_colours,
    "05.6": good_alt_text,
    "05.7": {"ranks.png": True, "ranks.svg": True},
    "05.8": grouped,
}

ALSO_RIGHT = [
    ("05.1", f"  {FONT_FAMILY}\n"),
    ("05.2", lambda: len(ex05.dejavu_missing(ex05.TITLE_2))),
    ("05.3", lambda: rank_bars(RANKS)),  # the lesson's function draws the same chart
    ("05.3", lambda: rank_chart().figure),  # a figure with one Axes
    (
        "05.3",
        lambda: bars(
            RANKS.sort_values("count")["rank"],
            RANKS.sort_values("count")["count"],
            title="河北赴京挂职干部 (共100名)",
        ),
    ),  # fmt: skip
    ("05.4", lambda: level_chart(xlabel="人数 (人)", value_labels=False)),
    ("05.5", lambda: [c.upper() for c in PALETTE[:3]]),
    ("05.5", lambda: [colors.to_rgba(c) for c in PALETTE[:3]]),
    ("05.6", lambda: good_alt_text().replace("县处级 45", "县处级 (county/division level) 45")),
    (
        "05.6",
        "Bar chart, e.g. for slides: 100 officials, 县处级 45, 乡科级 28, 厅局级 15, 专业技术人才 12.",
    ),
    ("05.7", {"ranks.svg": True, "ranks.png": True}),
    ("05.8", lambda: grouped(swap_sides=True)),  # Beijing on the left: as good
    ("05.8", lambda: grouped(width=0.3)),  # narrower bars, a gap inside each pair
    ("05.8", lambda: grouped(labels=("Hebei → Beijing", "Beijing → Hebei"))),
    ("05.8", lambda: grouped().figure),
]

# (question, wrong answer, fragment of the hint it must get)
WRONG = [
    # 05.1 the font family
    ("05.1", "DejaVu Sans", "matplotlib's own font"),
    ("05.1", ["Secondment Sans CJK", "DejaVu Sans"], "is a list"),
    ("05.1", "sans-serif", "matplotlib's default"),
    ("05.1", "SecondmentSansCJK-Regular.otf", "font file"),
    ("05.1", "Noto Sans CJK SC", "family name of its own"),
    ("05.1", "SimHei", "system font"),
    ("05.1", FONT_FAMILY.lower(), "capitals"),
    ("05.1", 0, "should be a str"),
    # 05.2 the tofu count
    ("05.2", lambda: len(tofu_messages(ex05.TITLE_2)), "count each character once"),
    ("05.2", 0, "DejaVu Sans"),
    ("05.2", len(ex05.TITLE_2), "digits"),
    ("05.2", 3, "too few"),
    ("05.2", 40, "too many"),
    ("05.2", "14", "whole number"),
    ("05.2", 7.5, "whole number"),
    # 05.3 the rank chart by hand
    ("05.3", lambda: rank_chart(horizontal=True), "lie down"),
    ("05.3", lambda: rank_chart(value_labels=False), "ax.bar_label"),
    ("05.3", lambda: rank_chart(title="河北赴京挂职干部的级别"), "total"),
    ("05.3", lambda: rank_chart(title=""), "needs a title"),
    ("05.3", lambda: rank_chart(ylabel="人数"), "unit in brackets"),
    ("05.3", lambda: rank_chart(xlabel=""), "labels on both axes"),
    ("05.3", without_course_style(rank_chart), "use_course_style()"),
    ("05.3", lambda: bars(RANKS["rank"], RANKS["count"][::-1]), "heights do not match"),
    ("05.3", lambda: bars(RANKS["rank"][:3], RANKS["count"][:3]), "has 3 bars"),
    ("05.3", lambda: (rank_chart().figure, plt.gca()), "the Axes alone"),
    ("05.3", lambda: plt.subplots()[1].bar(RANKS["rank"], RANKS["count"]), "the bars ax.bar()"),
    # 05.4 horizontal bars per level
    ("05.4", lambda: level_chart(horizontal=False), "stand upright"),
    ("05.4", lambda: bars(NAMES, [1] * len(NAMES), horizontal=True), "one per cadre"),
    ("05.4", lambda: bars(["省", "市", "县"], LEVELS.to_list(), horizontal=True), "not 省"),
    ("05.4", lambda: bars(LEVELS.index.astype(str), [8, 0, 0], horizontal=True), "bar lengths"),
    ("05.4", lambda: level_chart(xlabel="人数"), "unit in brackets"),
    ("05.4", lambda: level_chart(title=""), "needs a title"),
    ("05.4", without_course_style(level_chart), "use_course_style()"),
    ("05.4", "省级 6", "should be an Axes"),
    # 05.5 the colour cycle
    ("05.5", lambda: level_colours("default"), "tab10"),
    ("05.5", ["tab:red", "tab:green", "tab:blue"], "red and green"),
    ("05.5", list(PALETTE[1:4]), "not the first three"),
    ("05.5", list(PALETTE[:3])[::-1], "order"),
    ("05.5", [PALETTE[0]] * 3, "share a colour"),
    ("05.5", [PALETTE[0], PALETTE[1], "#123456"], "not one of the course's colours"),
    ("05.5", list(PALETTE[:2]), "has 2 colours"),
    ("05.5", "#0072b2", "not one string"),
    ("05.5", ["blue-ish", PALETTE[1], PALETTE[2]], "not a colour"),
    # 05.6 alt text
    ("05.6", lambda: alt_text(rank_bars(RANKS)), "from the largest group to the smallest"),
    ("05.6", lambda: good_alt_text().replace(f"the {TOTAL} ", "the "), "total number"),
    ("05.6", lambda: good_alt_text().replace(", from", ". It goes from"), "more than one"),
    ("05.6", lambda: good_alt_text().replace("Bar chart", "Chart"), "what kind of chart"),
    ("05.6", lambda: good_alt_text().replace("县处级 45", "县处级 44"), "follow its name"),
    ("05.6", lambda: good_alt_text().replace("by rank, ", "by rank,\n"), "one line"),
    ("05.6", lambda: good_alt_text().rstrip("."), "full stop"),
    ("05.6", lambda: good_alt_text().replace("县处级", "county level"), "in Chinese"),
    ("05.6", lambda: [good_alt_text()], "should be a str"),
    # 05.7 saving twice
    ("05.7", {"ranks.png": True, "ranks.svg": False}, "changed between saves"),
    (
        "05.7",
        {"/tmp/tmpab12cd34/ranks.png": True, "/tmp/tmpab12cd34/ranks.svg": True},
        "file names",
    ),  # fmt: skip
    ("05.7", True, "should be a dict"),
    ("05.7", {"ranks.png": b"\x89PNG", "ranks.svg": b"<?xml"}, "not the bytes"),
    ("05.7", {"ranks.png": True}, "names of the 2 files"),
    ("05.7", {"ranks.png": "yes", "ranks.svg": "yes"}, "True or False"),
    # 05.8 the two directions as grouped bars
    ("05.8", beijing_chart, "only one direction"),  # the old question's single chart
    ("05.8", rank_chart, "only one direction"),  # the article's chart again
    ("05.8", lambda: grouped(offset=0), "overlap"),  # both directions at the same x
    ("05.8", lambda: grouped(legend=False), "ax.legend()"),
    ("05.8", lambda: grouped(labels=(BEIJING_LABEL, HEBEI_LABEL)), "swapped"),
    ("05.8", lambda: grouped(colours=(PALETTE[0], PALETTE[0])), "one colour of its own"),
    ("05.8", lambda: grouped(labels=("甲", "甲")), "two entries"),
    ("05.8", lambda: grouped(ticks=False), "put the ranks"),
    (
        "05.8",
        lambda: grouped(heights=([NEW[r] for r in NEW], [HEBEI[r] for r in NEW])),
        "swapped",
    ),  # the numbers swapped, the legend kept: the legend now names the wrong bars
    ("05.8", lambda: grouped(heights=([15, 45, 28, 12], [8, 50, 30, 12])), "do not match"),
    ("05.8", lambda: grouped(title=""), "needs a title"),
    ("05.8", lambda: grouped(ylabel="人数"), "unit in brackets"),
    ("05.8", without_course_style(grouped), "use_course_style()"),
    (
        "05.8",
        lambda: bars(list(NEW) * 2, [*HEBEI.values(), *NEW.values()], horizontal=True),
        "lie down",
    ),  # fmt: skip
]


def _value(answer):
    return answer() if callable(answer) else answer


@pytest.mark.parametrize("qid", QUESTIONS)
def test_right_answer_passes(qid):
    verdict = evaluate(qid, _value(RIGHT[qid]))
    assert verdict.passed, verdict.message
    assert verdict.status == "correct"


@pytest.mark.parametrize(("qid", "answer"), ALSO_RIGHT)
def test_other_forms_of_the_right_answer_pass(qid, answer):
    verdict = evaluate(qid, _value(answer))
    assert verdict.passed, verdict.message


@pytest.mark.parametrize(("qid", "answer", "fragment"), WRONG)
def test_wrong_answer_gets_a_hint(qid, answer, fragment):
    verdict = evaluate(qid, _value(answer))
    assert not verdict.passed, f"{qid} accepted a wrong answer"
    assert verdict.status == "wrong", verdict.message
    assert fragment in verdict.message, verdict.message


def test_every_check_is_tried_with_at_least_three_wrong_answers():
    counts = {qid: sum(1 for q, _, _ in WRONG if q == qid) for qid in QUESTIONS}
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize("qid", QUESTIONS)
def test_placeholder_is_unanswered(qid):
    verdict = evaluate(qid, ...)
    assert not verdict.passed and verdict.status == "unanswered"


@pytest.mark.parametrize("qid", QUESTIONS)
@pytest.mark.parametrize("odd", [None, 3.5, "text", [], {}], ids=repr)
def test_odd_values_get_a_hint_not_a_crash(qid, odd):
    verdict = evaluate(qid, odd)
    assert verdict.status == "wrong", verdict.message


def test_hints_do_not_give_the_answer_away():
    tofu = str(len(ex05.dejavu_missing(ex05.TITLE_2)))
    for qid, answer, _ in WRONG:
        message = evaluate(qid, _value(answer)).message
        assert FONT_FAMILY not in message, qid
        assert not (qid == "05.2" and re.search(rf"(?<!\d){tofu}(?!\d)", message)), message
        assert not (qid == "05.5" and any(c.lower() in message.lower() for c in PALETTE[:3]))
        plt.close("all")


def test_the_font_check_passes_only_the_course_font(caplog):
    ex05.expect_course_font(rank_chart())  # no hint
    with plt.rc_context({"font.family": ["SimHei", "DejaVu Sans"]}):
        system = rank_chart()  # a system font name most machines lack
    verdict = evaluate("05.3", system)
    assert not verdict.passed and "DejaVu Sans" in verdict.message
    assert "use_course_style()" in verdict.message
    # findfont's complaint about SimHei is kept out of the student's notebook (and this log)
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]


# ---------------------------------------------------------------- the facts the charts show


def test_the_facts_written_here_add_up():
    assert sum(RANK_COUNTS.values()) == TOTAL
    assert sum(LEVEL_COUNTS.values()) == len(NAMES) == 8
    assert sum(NEW.values()) == 100


def test_the_library_reads_the_article_as_written_here():
    """What the checker computes through the library: the same facts as the literals above."""
    ranks = ranks_table()
    assert list(zip(ranks["rank"], ranks["count"], strict=True)) == list(RANK_COUNTS.items())
    cadres = cadres_table()
    assert cadres["name"].tolist() == NAMES
    counts = home_level(cadres["home_post"]).value_counts(sort=False)
    assert list(counts.items()) == list(LEVEL_COUNTS.items())
    assert ex05._ranks() == tuple(RANK_COUNTS.items())
    assert ex05._levels() == tuple(LEVEL_COUNTS.items())
    assert ex05.BEIJING_RANKS == NEW
    ax = rank_bars(ranks)
    assert [bar.get_height() for bar in bars_of(ax)] == [15, 45, 28, 12]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "厅局级",
        "县处级",
        "乡科级",
        "专业技术人才",
    ]
    assert ax.get_title().startswith("河北赴京挂职干部的级别 (共100名)")


def test_the_charts_here_show_the_facts():
    assert [bar.get_height() for bar in bars_of(rank_chart())] == [15, 45, 28, 12]
    assert [bar.get_width() for bar in bars_of(level_chart())] == [6, 1, 1]
    level_ticks = [t.get_text() for t in level_chart().get_yticklabels()]
    assert level_ticks == ["省级", "市级", "县级"]
    heights = [bar.get_height() for bar in bars_of(grouped())]
    assert heights == [15, 45, 28, 12, 10, 52, 26, 12]  # Hebei's four bars, then Beijing's
    assert good_alt_text() == (
        "Bar chart of the 100 Hebei officials seconded to Beijing by rank, from the largest "
        "group to the smallest: 县处级 45, 乡科级 28, 厅局级 15, 专业技术人才 12."
    )


# ---------------------------------------------------------------- the notebook and its checks


def test_the_tofu_count_is_the_lessons_count():
    codes = tofu_messages(ex05.TITLE_2)
    assert sorted(chr(int(c)) for c in set(codes)) == list(ex05.dejavu_missing(ex05.TITLE_2))
    assert len(codes) > len(set(codes))  # a character repeats: counting messages is a trap


def test_save_figure_keeps_the_bytes(tmp_path):
    assert saved_twice(tmp_path) == RIGHT["05.7"]


def test_the_new_report_reads_as_the_dict_says():
    ranks = find_ranks(_given("report"))
    assert {r.rank: r.count for r in ranks} == NEW
    assert list(NEW) == RANKS["rank"].tolist()  # the same ranks, other numbers
    assert list(NEW.values()) != RANKS["count"].tolist()
    # The counts are those of the second report the course ships (lesson 07).
    second = ranks_table(load_article(second_report_path()))
    assert dict(zip(second["rank"], second["count"], strict=True)) == NEW


def test_grouped_bars_pass_only_when_each_pair_sits_on_its_rank():
    ax = grouped()
    ax.set_xticks([i + 0.5 for i in range(len(NEW))], list(NEW))  # labels between the pairs
    assert "between its two bars" in evaluate("05.8", ax).message


def _cells():
    return [c for c in nbformat.read(SOLUTION, as_version=4).cells if c.cell_type == "code"]


def _given(name):
    return given(SOLUTION, name)


def test_the_checks_use_what_the_notebook_gives():
    assert _given("title") == ex05.TITLE_2
    assert _given("beijing") == NEW
    sources = "\n".join(c.source for c in nbformat.read(SOLUTION, as_version=4).cells)
    assert all(name in sources for name in ex05.SAVED_7)


def test_each_solution_stands_alone():
    """The grader keeps counting later answers when an earlier cell fails: no solution may use
    another question's variables, only the setup cell and its own question's given lines."""
    cells = _cells()
    first = next(i for i, c in enumerate(cells) if BEGIN in c.source)
    setup = "\n".join(c.source for c in cells[:first])
    qids = iter(QUESTIONS)
    previous = ""
    for cell in cells[first:]:
        if BEGIN not in cell.source:
            previous = cell.source
            continue
        qid = next(qids)
        namespace = {}
        exec(setup, namespace)
        if "check(" not in previous:
            exec(previous, namespace)  # the question's own given cell, just above
        exec(cell.source, namespace)
        verdict = evaluate(qid, namespace["answer"])
        assert verdict.passed, (qid, verdict.message)
        plt.close("all")
    assert next(qids, None) is None
