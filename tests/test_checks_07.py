"""The capstone brief's checks: each piece passes when present and backed by data, fails otherwise."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from secondment.article import load_article  # noqa: E402
from secondment.checks import evaluate, ex07  # noqa: E402
from secondment.paths import second_report_path  # noqa: E402
from secondment.story import Section, chart_of, story_page  # noqa: E402
from secondment.style import use_course_style  # noqa: E402
from secondment.tables import cadres_table, ranks_table  # noqa: E402

# The facts of the two reports, read once from them by hand and written out: the answers below
# are built from these, not from the library calls the checker makes.
#: The course article: 厅局级干部15名,县处级干部45名,乡科级干部28名,专业技术人才12名.
RANKS = {"厅局级": 15, "县处级": 45, "乡科级": 28, "专业技术人才": 12}
#: The capstone's second report (Beijing's), the same four ranks with its own counts.
SECOND_RANKS = {"厅局级": 10, "县处级": 52, "乡科级": 26, "专业技术人才": 12}
#: The officials each report names: 8 in the article, 5 in the second report.
NAMED, SECOND_NAMED = 8, 5
#: Every figure the checks of 07.5 and 07.7 accept from each report's tables, as text.
FIGURES = {"1", "3", "05", "5", "07", "7", "08", "8", "11", "12", "15", "16", "20", "24", "27",
           "28", "45", "50", "60", "72", "89", "100", "200", "1000", "2015", "2016"}  # fmt: skip
SECOND_FIGURES = {"01", "1", "5", "6", "06", "08", "8", "10", "12", "25", "26", "28", "52",
                  "100", "2015", "2016"}  # fmt: skip


def ranks_frame():
    return pd.DataFrame({"rank": list(RANKS), "count": list(RANKS.values())})


def test_the_facts_written_here_add_up():
    assert sum(RANKS.values()) == sum(SECOND_RANKS.values()) == 100
    assert {"100", "45", "60", str(NAMED), *map(str, RANKS.values())} <= FIGURES
    assert {str(SECOND_NAMED), *map(str, SECOND_RANKS.values())} <= SECOND_FIGURES
    assert not {"61", "73", "99"} & (FIGURES | SECOND_FIGURES)  # the wrong answers' figures


def test_the_library_reads_the_reports_as_written_here():
    """What the checker computes through the library: the same facts as the literals above."""
    second = load_article(second_report_path())
    for table, want in ((ranks_table(), RANKS), (ranks_table(second), SECOND_RANKS)):
        assert list(zip(table["rank"], table["count"], strict=True)) == list(want.items())
    assert (len(cadres_table()), len(cadres_table(second))) == (NAMED, SECOND_NAMED)
    assert ex07._known_figures() == FIGURES
    assert ex07._known_figures(second=True) == SECOND_FIGURES


def _wrong(qid, answer, fragment):
    verdict = evaluate(qid, answer)
    assert not verdict.passed and fragment in verdict.message, verdict.message


@pytest.mark.parametrize("qid", [f"07.{i}" for i in range(1, 9)])
def test_placeholder_is_unanswered(qid):
    assert evaluate(qid, ...).status == "unanswered"


def test_question():
    assert evaluate("07.1", "How senior were the 100 officials, by rank?").passed
    assert evaluate("07.1", "这一百名干部都去了北京哪些单位？").passed
    _wrong("07.1", "The officials by rank.", "question")
    _wrong("07.1", "Who?", "specific")
    _wrong("07.1", 42, "str")


def test_table():
    ranks = ranks_frame()
    assert evaluate("07.2", ranks).passed
    _wrong("07.2", ranks.head(1), "1 rows")
    _wrong("07.2", ranks[["rank"]], "two columns")
    _wrong("07.2", ranks.assign(share=[0.1, None, 0.3, 0.4]), "missing")
    _wrong("07.2", ranks.astype(str), "numeric")
    _wrong("07.2", ranks.to_dict(), "DataFrame")


@pytest.fixture
def axes():
    use_course_style()
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_chart(axes):
    axes.bar(list(RANKS), list(RANKS.values()))
    axes.set_title("河北赴京挂职干部的级别")
    axes.set_xlabel("rank")
    axes.set_ylabel("officials")
    assert evaluate("07.3", axes).passed
    axes.set_ylabel("")
    _wrong("07.3", axes, "label both axes")
    axes.set_ylabel("officials")
    axes.set_title("")
    _wrong("07.3", axes, "title")
    _wrong("07.3", axes.figure, "Axes")


def test_chart_without_marks_or_course_font():
    fig, ax = plt.subplots()
    ax.set_title("empty")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    _wrong("07.3", ax, "no bars")
    plt.close(fig)
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.bar(["a"], [1])
        ax.set_title("t")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        _wrong("07.3", ax, "use_course_style")
        plt.close(fig)


def test_alt_text():
    assert evaluate("07.4", "A bar chart of the 100 officials by rank, largest group 45.").passed
    _wrong("07.4", "A chart.", "characters")
    _wrong("07.4", "A bar chart of the officials by rank, showing the largest group.", "figures")
    _wrong("07.4", ["A bar chart of the 100 officials"], "str")


def test_sentences():
    good = [
        "Hebei seconded 100 officials to Beijing.",
        "The largest group, 45 people, were county level.",
        "There were more than 60 exchange activities.",
    ]
    assert evaluate("07.5", good).passed
    _wrong("07.5", good[:2], "exactly three")
    _wrong("07.5", [*good[:2], "Many activities took place."], "sentence 3 has no figure")
    _wrong("07.5", [*good[:2], "There were 61 activities."], "not in the course's tables")
    _wrong("07.5", " ".join(good), "list of sentences")


def test_caveats():
    good = ["One source, Hebei's own newspaper.", "Only 8 of the 100 are named."]
    assert evaluate("07.6", good).passed
    _wrong("07.6", good[:1], "at least two")
    _wrong("07.6", ["bias", "small"], "at least two")
    _wrong("07.6", "One source.", "list")


def test_questions_are_registered():
    from secondment.checks import questions

    assert [q for q in questions() if q.startswith("07.")] == [f"07.{i}" for i in range(1, 9)]


def test_comparison_needs_a_figure_from_each_report():
    senior = [RANKS["厅局级"], SECOND_RANKS["厅局级"]]
    named = [NAMED, SECOND_NAMED]
    good = [
        f"Hebei's report counts {senior[0]} bureau-level officials, Beijing's {senior[1]}.",
        f"Hebei's names {named[0]} officials, Beijing's {named[1]}.",
    ]
    assert evaluate("07.7", good).passed
    _wrong("07.7", good[:1], "at least two")
    _wrong("07.7", [good[0], "Beijing's names more."], "sentence 2 has no figure")
    _wrong("07.7", [f"Hebei: {senior[0]}.", f"Hebei: {max(RANKS.values())}."], "second")
    _wrong("07.7", ["Both count 100.", "Both sent 100."], "different figure")
    _wrong("07.7", ["There were 61 and 73.", "And 99."], "course article's tables")
    _wrong("07.7", " ".join(good), "list of sentences")


@pytest.fixture
def page(axes):
    axes.bar(list(RANKS), list(RANKS.values()))
    alt = "A bar chart of the 100 officials by rank: 45 were 县处级 (county level)."
    section = Section("Who went?", ["The largest group: 县处级."], chart=chart_of(axes.figure, alt))
    return story_page("河北百名干部挂职北京", [section])


def test_accessible_page(page):
    assert evaluate("07.8", page).passed
    assert "captioned figure" in evaluate("07.8", page).message


def test_page_without_figures_captions_role_or_label(page):
    bare = page.replace("<figure", "<div").replace("</figure>", "</div>")
    _wrong("07.8", bare, "not inside a <figure>")
    no_caption = re.sub(r"<figcaption>.*?</figcaption>", "", page, flags=re.DOTALL)
    _wrong("07.8", no_caption, "no <figcaption>")
    _wrong("07.8", page.replace(' role="img"', ""), 'role="img"')
    _wrong("07.8", re.sub(r'aria-label="[^"]*"', 'aria-label="a chart"', page), "aria-label")
    _wrong("07.8", page.replace('<html lang="en">', "<html>"), 'lang="en"')
    _wrong(
        "07.8", page.replace("<svg", "<!-- no chart --><x").replace("</svg>", "</x>"), "no chart"
    )


def test_page_with_unmarked_chinese(page):
    unmarked = page.replace('<span lang="zh-CN">县处级</span>.</p>', "县处级.</p>")
    _wrong("07.8", unmarked, "zh-CN")
    # Chinese in the <title> cannot be marked up, and is not asked to be.
    assert "<title>河北百名干部挂职北京</title>" in page


def test_an_img_chart_is_named_by_its_alt():
    caption = "A bar chart of the 100 officials by rank."
    img = f'<html lang="en"><body><figure><img src="c.svg" alt="{caption}"><figcaption>{caption}</figcaption></figure></body></html>'
    assert evaluate("07.8", img).passed
    _wrong("07.8", img.replace(f'alt="{caption}"', 'alt=""'), "alt")


def test_the_page_is_parsed_never_run():
    hostile = '<html lang="en"><body><script>raise SystemExit</script><svg role="img"></svg></body></html>'
    _wrong("07.8", hostile, "not inside a <figure>")
    _wrong("07.8", "print('hi')", "whole page")
    _wrong("07.8", b"<html></html>", "str")
