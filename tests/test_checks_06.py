"""Exercises 06: each check passes the right answer and gives a fitting hint for usual mistakes."""

from collections import Counter

import matplotlib.pyplot as plt
import nbformat
import pytest

from secondment.article import load_article, read_article_text
from secondment.checks import evaluate, ex06
from secondment.checks.expect import bars_of
from secondment.extract import find_cadres
from secondment.paths import require_course_root
from secondment.words import (
    STOP_WORDS,
    char_counts,
    distinctive_words,
    organisations,
    tokenizer,
    top_words,
    user_dictionary,
    words,
)

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "06-words-and-frequencies-solutions.ipynb"
QUESTIONS = [f"06.{k}" for k in range(1, 9)]

ARTICLE = load_article()
BODY = ARTICLE.body
PLAIN = tokenizer()
TOK = tokenizer(user_dictionary(ARTICLE))
BODY_WORDS = words(BODY, TOK)
SENTENCE_2 = (
    "5个月以来,河北赴京挂职干部协调组织京冀交流对接活动60多次,促成京冀合作机制和合作项目50多个。"
)
PLACES = {"北京", "北京市", "河北"}

# The answers, read once by hand from what the lesson's steps give on the article and the
# notebook's texts, and written out: the right answers below are these literals, not the calls
# the checker makes, so that a regression in the library cannot move both together.
#: 06.1 the ten most frequent characters of the body, with their counts.
TOP_CHARS = [("京", 64), ("北", 55), ("的", 40), ("挂", 32), ("作", 31), ("市", 28), ("职", 27),
             ("干", 23), ("部", 23), ("工", 23)]  # fmt: skip
#: 06.2 the lede's sentence in words, with jieba alone (punctuation left out).
SENTENCE_2_WORDS = ["5个月", "以来", "河北", "赴京", "挂职", "干部", "协调", "组织", "京冀",
                    "交流", "对接", "活动", "60多次", "促成", "京冀", "合作", "机制", "和",
                    "合作项目", "50多个"]  # fmt: skip
#: 06.3 the new sentence cut with 常春林 as a user word: all its tokens, and its words.
SENTENCE_3_TOKENS = ["省", "发改委", "副", "主任", "常春林", "挂任", "北京市", "发改委", "副",
                     "主任", "，", "分管", "京冀", "协同", "发展", "工作", "。"]  # fmt: skip
SENTENCE_3_WORDS = [t for t in SENTENCE_3_TOKENS if t not in "，。"]
#: 06.4 挂职 in the body's words before and after 挂职干部 is a dictionary word.
GUAZHI = (23, 8)
#: 06.5 the ten most frequent words, stop words and the three places left out.
TOP_10 = [("工作", 18), ("挂职干部", 15), ("副", 12), ("推动", 10), ("发展", 9), ("对接", 9),
          ("建设", 9), ("挂任", 9), ("推进", 9), ("挂职", 8)]  # fmt: skip
#: 06.6 the five most frequent words (stop words left out), the bars of the chart.
TOP_5 = [("北京", 21), ("工作", 18), ("挂职干部", 15), ("河北", 14), ("北京市", 13)]
#: 06.7 the five words that set the first section apart (at least 3 times in it), with scores.
SECTION_1 = "他们是北京的一员"
DISTINCTIVE_1 = [("首钢", 2.55), ("临时", 2.228), ("新", 2.228), ("他", 1.813), ("企业", 1.55)]
#: 06.8 the new paragraph's two officials and its five most frequent words with them.
NAMES_8 = ["严冬梅", "于海涛"]
PARAGRAPH_TOP_5 = [("严冬梅", 4), ("于海涛", 3), ("交通", 3), ("对接", 3), ("项目", 3)]


def wrong(qid, answer, fragment):
    verdict = evaluate(qid, answer)
    assert not verdict.passed, f"{qid} accepted a wrong answer: {answer!r}"
    assert verdict.status == "wrong", verdict
    assert fragment in verdict.message, verdict.message


def right(qid, answer):
    verdict = evaluate(qid, answer)
    assert verdict.passed, verdict.message
    assert verdict.status == "correct"


@pytest.mark.parametrize("qid", QUESTIONS)
def test_placeholder_is_unanswered(qid):
    assert evaluate(qid, ...).status == "unanswered"


def test_the_notebook_gives_the_texts_the_checks_use():
    sources = "\n".join(c.source for c in nbformat.read(SOLUTION, as_version=4).cells)
    assert ex06.lede_sentence() == SENTENCE_2
    for text in (SENTENCE_2, ex06.SENTENCE_3, ex06.NAME_3):
        assert text in sources
    # The paragraph is given as adjacent string literals: compare without quotes and breaks.
    flat = "".join(sources.replace('"', "").split())
    assert ex06.PARAGRAPH_8 in flat


def test_the_new_texts_need_the_user_dictionary():
    # The point of questions 3 and 8: jieba alone cuts these names.
    assert ex06.NAME_3 not in PLAIN.lcut(ex06.SENTENCE_3)
    names = [c.name for c in find_cadres(ex06.PARAGRAPH_8)]
    assert len(names) == 2 and all(len(n) == 3 for n in names)
    assert not any(n in PLAIN.lcut(ex06.PARAGRAPH_8) for n in names)


def test_the_library_gives_the_answers_written_here():
    """What the checker computes through the library: the same answers as the literals above."""
    assert char_counts(BODY).most_common(10) == TOP_CHARS
    assert words(SENTENCE_2, PLAIN) == SENTENCE_2_WORDS
    assert tokenizer([ex06.NAME_3]).lcut(ex06.SENTENCE_3) == SENTENCE_3_TOKENS
    assert words(ex06.SENTENCE_3, tokenizer([ex06.NAME_3])) == SENTENCE_3_WORDS
    assert _q4_answer() == GUAZHI
    # The lesson's way, with the article's dictionary with and without the term, agrees.
    without = tokenizer(user_dictionary(ARTICLE, terms=()))
    assert (Counter(without.lcut(BODY))["挂职"], Counter(TOK.lcut(BODY))["挂职"]) == GUAZHI
    assert top_words(BODY_WORDS, 10, STOP_WORDS | PLACES) == TOP_10
    assert top_words([w for w in BODY_WORDS if w not in PLACES], 10) == TOP_10
    assert top_words(BODY_WORDS, 5) == TOP_5
    assert [s.label for s in ARTICLE.sections][0] == SECTION_1
    assert distinctive_words(_sections(), 5, min_count=3)[SECTION_1] == DISTINCTIVE_1
    cadres = find_cadres(ex06.PARAGRAPH_8)
    assert [c.name for c in cadres] == NAMES_8
    posts = [o for c in cadres for p in (c.home_post, c.host_post) for o in organisations(p)]
    assert _paragraph_top(NAMES_8 + posts + ["挂职干部"]) == PARAGRAPH_TOP_5
    assert _paragraph_top(NAMES_8) == PARAGRAPH_TOP_5
    assert _paragraph_top(user_dictionary(ex06.PARAGRAPH_8)) == PARAGRAPH_TOP_5


# ---------------------------------------------------------------- 06.1 characters


def test_q1_right():
    import pandas as pd

    right("06.1", TOP_CHARS)
    right("06.1", pd.Series(dict(TOP_CHARS), name="count"))  # value_counts().head(10)
    right("06.1", [list(p) for p in sorted(TOP_CHARS, key=lambda p: (-p[1], p[0]))])


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (Counter(ch for ch in BODY if not ch.isspace()).most_common(10), "not a Chinese character"),
        (char_counts(read_article_text()).most_common(10), "whole file"),
        (dict(char_counts(BODY).most_common(10)), "not a dict"),
        (TOP_CHARS[:5], "has 5 pairs"),
        ([ch for ch, _ in TOP_CHARS], "should be a pair"),
        (TOP_CHARS[::-1], "highest count first"),
        (top_words(BODY_WORDS, 10), "not one character"),
    ],
)
def test_q1_wrong(answer, fragment):
    wrong("06.1", answer, fragment)


# ---------------------------------------------------------------- 06.2 segmenting


def test_q2_right():
    right("06.2", SENTENCE_2_WORDS)
    right("06.2", tuple(SENTENCE_2_WORDS))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (PLAIN.lcut(SENTENCE_2), "is punctuation"),
        (words(SENTENCE_2, TOK), "user dictionary"),
        ([t for t in PLAIN.lcut(SENTENCE_2) if t not in ",。"], "60多次 is cut in two"),
        ([ch for ch in SENTENCE_2 if ch.isalnum()], "single characters"),
        (SENTENCE_2, "not one string"),
        (SENTENCE_2_WORDS[:-1], "give back the sentence"),
    ],
)
def test_q2_wrong(answer, fragment):
    wrong("06.2", answer, fragment)


# ---------------------------------------------------------------- 06.3 a user word


def test_q3_right():
    right("06.3", SENTENCE_3_TOKENS)
    right("06.3", SENTENCE_3_WORDS)


def _split_name_by_hand():
    tokens = SENTENCE_3_TOKENS
    at = tokens.index(ex06.NAME_3)
    return tokens[:at] + [ex06.NAME_3[:1], ex06.NAME_3[1:]] + tokens[at + 1 :]


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (PLAIN.lcut(ex06.SENTENCE_3), "plain tokenizer"),
        (tokenizer(["常春"]).lcut(ex06.SENTENCE_3), "still in pieces"),
        (_split_name_by_hand(), "not one token yet"),
        (tokenizer([ex06.NAME_3, "省发改委"]).lcut(ex06.SENTENCE_3), "other tokens differ"),
        (tokenizer([ex06.NAME_3]).lcut(ex06.SENTENCE_3, HMM=False), "other tokens differ"),
        (" / ".join(SENTENCE_3_TOKENS), "not one string"),
        (tokenizer([ex06.NAME_3]).lcut(SENTENCE_2), "give back the sentence"),
    ],
)
def test_q3_wrong(answer, fragment):
    wrong("06.3", answer, fragment)


# ---------------------------------------------------------------- 06.4 挂职 before and after


def _q4_answer():
    before = words(BODY, PLAIN).count("挂职")
    after = words(BODY, tokenizer(["挂职干部"])).count("挂职")
    return before, after


def test_q4_right():
    before, after = GUAZHI
    assert before > after
    right("06.4", (before, after))
    right("06.4", [before, float(after)])


def _q4_wrong():
    before, after = GUAZHI
    text = read_article_text()
    return [
        ((after, before), "wrong way round"),
        (
            (PLAIN.lcut(text).count("挂职"), tokenizer(["挂职干部"]).lcut(text).count("挂职")),
            "whole file",
        ),
        ((before, BODY_WORDS.count("挂职干部")), "the second number counts 挂职干部"),
        ((BODY.count("挂职"), BODY.count("挂职")), "str.count"),
        ((before, before + 1), "second is not"),
        ((before, after, 0), "should have 2"),
        ("23, 8", "not a str"),
    ]


@pytest.mark.parametrize(("answer", "fragment"), _q4_wrong())
def test_q4_wrong(answer, fragment):
    wrong("06.4", answer, fragment)


# ---------------------------------------------------------------- 06.5 top words without places


def test_q5_right():
    right("06.5", TOP_10)
    right("06.5", tuple(TOP_10))


def _q5_by_insertion_order():
    # Counter.most_common breaks ties by first appearance, not by word.
    counts = Counter(w for w in BODY_WORDS if w not in STOP_WORDS | PLACES)
    answer = counts.most_common(10)
    assert answer != TOP_10
    return answer


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (top_words(BODY_WORDS, 10), "leave out the three place names"),
        (top_words(BODY_WORDS, 10, PLACES), "STOP_WORDS"),
        (_q5_by_insertion_order(), "sort"),
        (top_words(words(BODY, PLAIN), 10, STOP_WORDS | PLACES), "plain tokenizer"),
        (top_words(TOK.lcut(BODY), 10, STOP_WORDS | PLACES), "is punctuation"),
        (TOP_10[:9], "has 9 pairs"),
    ],
)
def test_q5_wrong(answer, fragment):
    wrong("06.5", answer, fragment)


# ---------------------------------------------------------------- 06.6 the chart


def _chart(top, horizontal=True, title=True, labels=True):
    fig, ax = plt.subplots()
    names = [w for w, _ in reversed(top)]
    counts = [c for _, c in reversed(top)]
    if horizontal:
        ax.barh(names, counts)
    else:
        ax.bar(names, counts)
    if title:
        ax.set_title("The 5 most frequent words")
    if labels:
        ax.set_xlabel("Occurrences")
        ax.set_ylabel("Word")
    plt.close(fig)
    return ax


def test_q6_right():
    top5 = TOP_5
    assert [bar.get_width() for bar in bars_of(_chart(top5))] == [13, 14, 15, 18, 21]
    right("06.6", _chart(top5))
    right("06.6", _chart(top5[::-1]))  # most frequent at the bottom is fine too
    right("06.6", _chart(top5).figure)


def _q6_wrong():
    top5 = TOP_5
    bars = plt.subplots()[1].barh([w for w, _ in top5], [c for _, c in top5])
    plt.close("all")
    return [
        (_chart(top5, horizontal=False), "stand upright"),
        (_chart(top_words(BODY_WORDS, 15)), "has 15 bars"),
        (_chart(top_words(BODY_WORDS, 5, ())), "STOP_WORDS"),
        (_chart(top5, title=False), "needs a title"),
        (_chart(top5, labels=False), "labels on both axes"),
        (_chart([(w, c + 1) for w, c in top5]), "bar lengths do not match"),
        (bars, "the Axes"),
    ]


@pytest.mark.parametrize(("answer", "fragment"), _q6_wrong())
def test_q6_wrong(answer, fragment):
    wrong("06.6", answer, fragment)


# ---------------------------------------------------------------- 06.7 distinctive words


def _sections(tok=TOK):
    return {s.label: words("\n".join(s.paragraphs), tok) for s in ARTICLE.sections}


def _first(ranked):
    return [w for w, _ in ranked]


def test_q7_right():
    right("06.7", _first(DISTINCTIVE_1))
    right("06.7", DISTINCTIVE_1)


def _q7_wrong():
    labels = [s.label for s in ARTICLE.sections]
    sections = _sections()
    strict = distinctive_words(sections, 5, min_count=3)
    return [
        (_first(distinctive_words(sections, 5)[labels[0]]), "fewer than 3 times"),
        (_first(strict[labels[1]]), "another section"),
        (strict, "not the dict"),
        (_first(distinctive_words(sections, 8, min_count=3)[labels[0]]), "has 8 items"),
        (_first(DISTINCTIVE_1)[::-1], "item 0 is not right"),
    ]


@pytest.mark.parametrize(("answer", "fragment"), _q7_wrong())
def test_q7_wrong(answer, fragment):
    wrong("06.7", answer, fragment)


# ---------------------------------------------------------------- 06.8 transfer: a new paragraph


def _paragraph_top(user_words, tokens=None, stop=STOP_WORDS):
    tok = tokenizer(user_words)
    return top_words(tokens(tok) if tokens else words(ex06.PARAGRAPH_8, tok), 5, stop)


def test_q8_right():
    right("06.8", PARAGRAPH_TOP_5)
    right("06.8", [list(pair) for pair in PARAGRAPH_TOP_5])


def _q8_wrong():
    names = NAMES_8
    tokens = words(ex06.PARAGRAPH_8, tokenizer(names))
    by_insertion = Counter(t for t in tokens if t not in STOP_WORDS).most_common(5)
    assert by_insertion != _paragraph_top(names)
    return [
        (_paragraph_top([]), "still cut in pieces"),
        (_paragraph_top(names, stop=()), "STOP_WORDS"),
        (_paragraph_top(names, tokens=lambda tok: tok.lcut(ex06.PARAGRAPH_8)), "is punctuation"),
        (top_words(BODY_WORDS, 5), "the article's top words"),
        (by_insertion, "sorted by word"),
        (dict(PARAGRAPH_TOP_5), "not a dict"),
    ]


@pytest.mark.parametrize(("answer", "fragment"), _q8_wrong())
def test_q8_wrong(answer, fragment):
    wrong("06.8", answer, fragment)
