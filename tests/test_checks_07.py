"""The capstone brief's checks: each piece passes when present and backed by data, fails otherwise."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from secondment.checks import evaluate  # noqa: E402
from secondment.style import use_course_style  # noqa: E402
from secondment.tables import ranks_table  # noqa: E402


def _wrong(qid, answer, fragment):
    verdict = evaluate(qid, answer)
    assert not verdict.passed and fragment in verdict.message, verdict.message


@pytest.mark.parametrize("qid", [f"07.{i}" for i in range(1, 7)])
def test_placeholder_is_unanswered(qid):
    assert evaluate(qid, ...).status == "unanswered"


def test_question():
    assert evaluate("07.1", "How senior were the 100 officials, by rank?").passed
    assert evaluate("07.1", "这一百名干部都去了北京哪些单位？").passed
    _wrong("07.1", "The officials by rank.", "question")
    _wrong("07.1", "Who?", "specific")
    _wrong("07.1", 42, "str")


def test_table():
    ranks = ranks_table()[["rank", "count"]]
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
    ranks = ranks_table()
    axes.bar(ranks["rank"], ranks["count"])
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

    assert [q for q in questions() if q.startswith("07.")] == [f"07.{i}" for i in range(1, 7)]
