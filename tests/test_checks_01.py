"""Exercise 01 · Reading the article: every check accepts the right answer and explains wrong ones."""

import re
import unicodedata

import nbformat
import pytest
from checks_support import given

from secondment.article import load_article, normalise, read_article_text
from secondment.checks import evaluate, ex01
from secondment.paths import article_path, require_course_root
from secondment.teach.exercises import BEGIN

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "01-reading-the-article-solutions.ipynb"

TEXT = normalise(read_article_text())
DATA = article_path().read_bytes()
HEADLINE = "河北百名干部挂职北京 5个多月干成了什么?"
CAPTION_LINE = next(line for line in TEXT.splitlines() if "    " in line)
CAPTION = CAPTION_LINE.strip().split("    ")[0]
LEDE = load_article().lede


def _clean(raw):
    return [line.strip() for line in normalise(raw).splitlines() if line.strip()]


# The right answer of each question, computed the way the solution computes it.
RIGHT = {
    "01.1": lambda data: (len(data), len(data.decode("utf-8"))),
    "01.2": (len(HEADLINE.encode("utf-8")), len(HEADLINE.encode("gbk"))),
    "01.3": ex01.MYSTERY.decode("gbk"),
    "01.4": lambda text: (text.count(","), text.count("，")),
    "01.5": "[,，]",
    "01.6": CAPTION,
    "01.7": (
        normalise(ex01.FULL_WIDTH),
        normalise(ex01.FULL_WIDTH) == unicodedata.normalize("NFKC", ex01.FULL_WIDTH),
    ),
    "01.8": _clean(ex01.RAW),
}

# Other ways of writing a right answer that must pass too.
ALSO_RIGHT = [
    ("01.1", lambda data: [len(data), len(data.decode("utf-8"))]),
    ("01.1", lambda data: (float(len(data)), len(normalise(data.decode("utf-8"))))),
    ("01.2", [57, 39]),
    ("01.3", normalise(ex01.MYSTERY.decode("gbk"))),
    ("01.3", ex01.MYSTERY.decode("gb18030") + "\n"),
    ("01.4", lambda text: [text.count(","), float(text.count("，"))]),
    ("01.4", lambda text: (len(re.findall(",", text)), len(re.findall("，", text)))),
    ("01.5", ",|，"),
    ("01.5", "[，,]"),
    ("01.5", re.compile("[,，]")),
    ("01.5", re.compile(", | ，", re.VERBOSE)),  # its flags are part of the answer
    ("01.6", " " + CAPTION + "\n"),
    ("01.7", [normalise(ex01.FULL_WIDTH), False]),
    ("01.8", tuple(_clean(ex01.RAW))),
]

_LINES = normalise(ex01.RAW).splitlines()

# (question, wrong answer, a fragment the hint must contain)
WRONG = [
    # 01.1: bytes and characters
    ("01.1", (9861, 3619), "your function itself"),  # the numbers lesson 01 prints
    (
        "01.1",
        lambda data: (len(data), len(data.decode("gbk"))),
        "UnicodeDecodeError on the article's bytes: gbk cannot read these bytes; the article "
        "file is UTF-8 (3 bytes per hanzi): read it with encoding='utf-8'",
    ),
    ("01.1", lambda data: (9861, 3619), "for the bytes of `mixed`, the number of bytes is too big"),
    ("01.1", lambda data: (len(data.decode()), len(data)), "swapped"),
    ("01.1", lambda data: (len(data), len(data)), "counts bytes too"),
    ("01.1", lambda data: (len(data.decode()),) * 2, "counts characters"),
    ("01.1", lambda data: (len(data), sum(not c.isascii() for c in data.decode())), "non-ASCII"),
    ("01.1", lambda data: (len(data) - 1, len(data.decode())), "too small"),
    ("01.1", lambda data: (len(data), len(data.decode()) + 0.5), "whole number"),
    ("01.1", lambda data: str(len(data)), "tuple of two values (bytes, characters), not a str"),
    ("01.1", lambda data: (len(data),), "two values"),
    # 01.2: one headline, two encodings
    ("01.2", (39, 57), "swapped"),
    ("01.2", (3, 2), "one hanzi"),
    ("01.2", (63, 42), "every character as a hanzi"),
    ("01.2", (21, 21), "number of characters"),
    ("01.2", (57, 57), "GBK bytes is too big"),
    ("01.2", (56, 39), "UTF-8 bytes is too small"),
    ("01.2", 57, "not an int"),
    # 01.3: decode the mystery bytes
    ("01.3", ex01.MYSTERY, "still bytes"),
    ("01.3", ex01.MYSTERY.decode("latin-1"), "mojibake"),
    ("01.3", ex01.MYSTERY.decode("big5"), "mojibake"),
    ("01.3", ex01.MYSTERY.decode("utf-8", errors="replace"), "errors='replace'"),
    ("01.3", ex01.MYSTERY.decode("gbk")[:10], "too short"),
    ("01.3", ["2016年3月"], "should be a str"),
    # 01.4: two commas
    ("01.4", (141, 0), "your function itself"),  # the numbers lesson 01 prints
    ("01.4", lambda text: (141, 0), "on `mixed`, the number of ASCII commas `,` is too big"),
    ("01.4", lambda text: (text.count("，"), text.count(",")), "swapped"),
    ("01.4", lambda text: (text.count(","), text.count("、")), "enumeration comma"),
    ("01.4", lambda text: (text.count(",") + 1, 0), "too big"),
    ("01.4", lambda text: (text.count(","), 1), "full-width commas `，` is too big"),
    ("01.4", lambda text: text.count(","), "tuple of two"),
    ("01.4", lambda text: (str(text.count(",")), "0"), "not the text"),
    ("01.4", lambda text: (text.count(",") + text.count("，"), 0), "only the ASCII commas"),
    # 01.5: a pattern for both commas
    ("01.5", ",", "misses 2 full-width"),
    ("01.5", "，", "finds only the full-width ，"),
    ("01.5", "[，]", "also uses the ASCII `,`"),
    ("01.5", "[,，、]", "not a comma: `、`"),
    ("01.5", "[,|，]", "| there means the character |"),
    ("01.5", ".", "not a comma"),
    ("01.5", "[,，]*", "empty text"),
    ("01.5", "[,，", "not a valid regular expression"),
    ("01.5", "([,，])", "no group"),
    ("01.5", "[,，]。?", "not a comma: `,。`"),
    ("01.5", "[,，]+", "each comma on its own"),
    ("01.5", re.compile(","), "misses 2 full-width"),
    ("01.5", re.compile("[,，]+"), "each comma on its own"),
    ("01.5", re.compile(", | ，"), "misses"),  # without re.VERBOSE the spaces count
    ("01.5", re.compile(rb"[,]"), "compiled from bytes"),
    ("01.5", b"[,]", "should be a str or a Pattern, but it is a bytes"),
    # 01.6: the doubled caption
    ("01.6", CAPTION_LINE.strip(), "twice"),
    ("01.6", LEDE, "first paragraph"),
    ("01.6", LEDE[: LEDE.index("。") + 1], "first paragraph"),
    ("01.6", CAPTION[:20], "too short"),
    ("01.6", CAPTION_LINE.strip().split("    "), "not a list"),
    ("01.6", CAPTION.replace(",", "，"), "full-width comma"),
    # 01.7: normalise vs NFKC
    ("01.7", (unicodedata.normalize("NFKC", ex01.FULL_WIDTH), False), "NFKC's result"),
    ("01.7", (ex01.FULL_WIDTH, False), "as given"),
    ("01.7", (ex01.FULL_WIDTH.replace("，", ","), False), "still contains full-width"),
    ("01.7", (normalise(ex01.FULL_WIDTH), True), "second value is wrong"),
    ("01.7", (normalise(ex01.FULL_WIDTH), "False"), "True or False"),
    ("01.7", normalise(ex01.FULL_WIDTH), "tuple of two"),
    # 01.8: clean a raw text
    ("01.8", [ln.strip() for ln in ex01.RAW.splitlines() if ln.strip()], "BOM"),
    ("01.8", [ln.strip() for ln in _LINES], "empty lines"),
    ("01.8", [ln for ln in _LINES if ln.strip()], "strip() each line"),
    (
        "01.8",
        [ln.strip() for ln in ex01.RAW.lstrip("\ufeff").splitlines() if ln.strip()],
        "U+3000",
    ),
    (
        "01.8",
        [
            ln.strip().replace("\u3000", " ")
            for ln in ex01.RAW.lstrip("\ufeff").splitlines()
            if ln.strip()
        ],
        "full-width",
    ),
    ("01.8", normalise(ex01.RAW), "not one str"),
    ("01.8", [s for ln in _clean(ex01.RAW) for s in ln.split("。") if s], "items"),
    ("01.8", _clean(ex01.RAW)[::-1], "not in their order"),
    ("01.8", [*_clean(ex01.RAW)[:2], "挂任河北省交通运输厅副厅长", _clean(ex01.RAW)[3]], "item 2"),
]


@pytest.mark.parametrize("qid", list(RIGHT))
def test_right_answer_passes(qid):
    verdict = evaluate(qid, RIGHT[qid])
    assert verdict.passed, verdict.message
    assert verdict.status == "correct"


@pytest.mark.parametrize(("qid", "answer"), ALSO_RIGHT)
def test_other_forms_of_the_right_answer_pass(qid, answer):
    verdict = evaluate(qid, answer)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize(("qid", "answer", "fragment"), WRONG)
def test_wrong_answer_gets_a_hint(qid, answer, fragment):
    verdict = evaluate(qid, answer)
    assert not verdict.passed
    assert verdict.status == "wrong", verdict.message
    assert fragment in verdict.message


def test_every_check_is_tried_with_at_least_three_wrong_answers():
    counts = {qid: sum(1 for q, _, _ in WRONG if q == qid) for qid in RIGHT}
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize("qid", list(RIGHT))
def test_placeholder_is_unanswered(qid):
    verdict = evaluate(qid, ...)
    assert not verdict.passed and verdict.status == "unanswered"


def test_hints_do_not_give_the_answer_away():
    for qid, answer, _ in WRONG:
        message = evaluate(qid, answer).message
        right = RIGHT[qid]
        assert not (isinstance(right, str) and len(right) > 4 and right in message), qid
        assert "9861" not in message and "3619" not in message, qid


# ---------------------------------------------------------------- the notebook and its checks


def _cells():
    return [c for c in nbformat.read(SOLUTION, as_version=4).cells if c.cell_type == "code"]


def _given(name):
    return given(SOLUTION, name)


GIVEN = {
    "headline": HEADLINE,
    "mystery": ex01.MYSTERY,
    "mixed": ex01.MIXED,
    "full_width": ex01.FULL_WIDTH,
    "raw": ex01.RAW,
}


@pytest.mark.parametrize(("name", "value"), GIVEN.items(), ids=list(GIVEN))
def test_the_checks_use_the_texts_the_notebook_gives(name, value):
    assert _given(name) == value


def test_given_texts_have_the_traps_the_questions_promise():
    assert HEADLINE == load_article().title
    with pytest.raises(UnicodeDecodeError):
        ex01.MYSTERY.decode("utf-8")
    assert ex01.MIXED.count(",") >= 2 and ex01.MIXED.count("，") >= 2 and "、" in ex01.MIXED
    nfkc = unicodedata.normalize("NFKC", ex01.FULL_WIDTH)
    assert nfkc != normalise(ex01.FULL_WIDTH)
    raw = ex01.RAW
    assert raw.startswith("\ufeff") and "\r\n" in raw and "\u3000\u3000" in raw and "，" in raw


def test_each_solution_stands_alone():
    """The grader keeps counting later answers when an earlier cell fails: no solution may use
    another question's variables, only the setup cell and its own question's given text."""
    cells = _cells()
    first = next(i for i, c in enumerate(cells) if BEGIN in c.source)
    setup = "\n".join(c.source for c in cells[:first])
    asked = []
    for cell in cells[first:]:
        if BEGIN not in cell.source:
            continue
        namespace = {}
        exec(setup, namespace)
        exec(cell.source, namespace)
        asked.append(namespace["answer"])
    assert len(asked) == len(RIGHT)
    for qid, answer in zip(RIGHT, asked, strict=True):
        assert evaluate(qid, answer).passed, qid
