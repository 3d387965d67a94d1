"""Exercises 06: each check passes the right answer and gives a fitting hint for usual mistakes."""

from collections import Counter

import matplotlib.pyplot as plt
import nbformat
import pytest

from secondment.article import load_article, read_article_text
from secondment.checks import evaluate, ex06
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


# ---------------------------------------------------------------- 06.1 characters


def test_q1_right():
    import pandas as pd

    right("06.1", char_counts(BODY).most_common(10))
    hanzi = pd.Series([ch for ch in BODY if "\u4e00" <= ch <= "\u9fff"])
    right("06.1", hanzi.value_counts().head(10))
    right(
        "06.1",
        [list(p) for p in sorted(char_counts(BODY).most_common(10), key=lambda p: (-p[1], p[0]))],
    )


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (Counter(ch for ch in BODY if not ch.isspace()).most_common(10), "not a Chinese character"),
        (char_counts(read_article_text()).most_common(10), "whole file"),
        (dict(char_counts(BODY).most_common(10)), "not a dict"),
        (char_counts(BODY).most_common(5), "has 5 pairs"),
        ([ch for ch, _ in char_counts(BODY).most_common(10)], "should be a pair"),
        (char_counts(BODY).most_common(10)[::-1], "highest count first"),
        (top_words(BODY_WORDS, 10), "not one character"),
    ],
)
def test_q1_wrong(answer, fragment):
    wrong("06.1", answer, fragment)


# ---------------------------------------------------------------- 06.2 segmenting


def test_q2_right():
    right("06.2", words(SENTENCE_2, PLAIN))
    right("06.2", tuple(words(SENTENCE_2, PLAIN)))


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (PLAIN.lcut(SENTENCE_2), "is punctuation"),
        (words(SENTENCE_2, TOK), "user dictionary"),
        ([t for t in PLAIN.lcut(SENTENCE_2) if t not in ",。"], "60多次 is cut in two"),
        ([ch for ch in SENTENCE_2 if ch.isalnum()], "single characters"),
        (SENTENCE_2, "not one string"),
        (words(SENTENCE_2, PLAIN)[:-1], "give back the sentence"),
    ],
)
def test_q2_wrong(answer, fragment):
    wrong("06.2", answer, fragment)


# ---------------------------------------------------------------- 06.3 a user word


def test_q3_right():
    tok = tokenizer([ex06.NAME_3])
    right("06.3", tok.lcut(ex06.SENTENCE_3))
    right("06.3", words(ex06.SENTENCE_3, tok))


def _split_name_by_hand():
    tokens = tokenizer([ex06.NAME_3]).lcut(ex06.SENTENCE_3)
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
        (" / ".join(tokenizer([ex06.NAME_3]).lcut(ex06.SENTENCE_3)), "not one string"),
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
    before, after = _q4_answer()
    assert before > after
    right("06.4", (before, after))
    right("06.4", [before, float(after)])
    # The lesson's way, with the article's dictionary with and without the term, agrees.
    without = tokenizer(user_dictionary(ARTICLE, terms=()))
    right("06.4", (Counter(without.lcut(BODY))["挂职"], Counter(TOK.lcut(BODY))["挂职"]))


def _q4_wrong():
    before, after = _q4_answer()
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
    right("06.5", top_words(BODY_WORDS, 10, STOP_WORDS | PLACES))
    right("06.5", top_words([w for w in BODY_WORDS if w not in PLACES], 10))


def _q5_by_insertion_order():
    # Counter.most_common breaks ties by first appearance, not by word.
    counts = Counter(w for w in BODY_WORDS if w not in STOP_WORDS | PLACES)
    answer = counts.most_common(10)
    assert answer != top_words(BODY_WORDS, 10, STOP_WORDS | PLACES)
    return answer


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (top_words(BODY_WORDS, 10), "leave out the three place names"),
        (top_words(BODY_WORDS, 10, PLACES), "STOP_WORDS"),
        (_q5_by_insertion_order(), "sort"),
        (top_words(words(BODY, PLAIN), 10, STOP_WORDS | PLACES), "plain tokenizer"),
        (top_words(TOK.lcut(BODY), 10, STOP_WORDS | PLACES), "is punctuation"),
        (top_words(BODY_WORDS, 9, STOP_WORDS | PLACES), "has 9 pairs"),
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
    top5 = top_words(BODY_WORDS, 5)
    right("06.6", _chart(top5))
    right("06.6", _chart(top5[::-1]))  # most frequent at the bottom is fine too
    right("06.6", _chart(top5).figure)


def _q6_wrong():
    top5 = top_words(BODY_WORDS, 5)
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
    first = ARTICLE.sections[0].label
    ranked = distinctive_words(_sections(), 5, min_count=3)[first]
    right("06.7", _first(ranked))
    right("06.7", ranked)


def _q7_wrong():
    labels = [s.label for s in ARTICLE.sections]
    sections = _sections()
    strict = distinctive_words(sections, 5, min_count=3)
    return [
        (_first(distinctive_words(sections, 5)[labels[0]]), "fewer than 3 times"),
        (_first(strict[labels[1]]), "another section"),
        (strict, "not the dict"),
        (_first(distinctive_words(sections, 8, min_count=3)[labels[0]]), "has 8 items"),
        (_first(strict[labels[0]])[::-1], "item 0 is not right"),
    ]


@pytest.mark.parametrize(("answer", "fragment"), _q7_wrong())
def test_q7_wrong(answer, fragment):
    wrong("06.7", answer, fragment)


# ---------------------------------------------------------------- 06.8 transfer: a new paragraph


def _paragraph_top(user_words, tokens=None, stop=STOP_WORDS):
    tok = tokenizer(user_words)
    return top_words(tokens(tok) if tokens else words(ex06.PARAGRAPH_8, tok), 5, stop)


def test_q8_right():
    cadres = find_cadres(ex06.PARAGRAPH_8)
    names = [c.name for c in cadres]
    posts = [o for c in cadres for p in (c.home_post, c.host_post) for o in organisations(p)]
    right("06.8", _paragraph_top(names + posts + ["挂职干部"]))
    right("06.8", _paragraph_top(names))
    right("06.8", _paragraph_top(user_dictionary(ex06.PARAGRAPH_8)))


def _q8_wrong():
    names = [c.name for c in find_cadres(ex06.PARAGRAPH_8)]
    tokens = words(ex06.PARAGRAPH_8, tokenizer(names))
    by_insertion = Counter(t for t in tokens if t not in STOP_WORDS).most_common(5)
    assert by_insertion != _paragraph_top(names)
    return [
        (_paragraph_top([]), "still cut in pieces"),
        (_paragraph_top(names, stop=()), "STOP_WORDS"),
        (_paragraph_top(names, tokens=lambda tok: tok.lcut(ex06.PARAGRAPH_8)), "is punctuation"),
        (top_words(BODY_WORDS, 5), "the article's top words"),
        (by_insertion, "sorted by word"),
        ({w: c for w, c in _paragraph_top(names)}, "not a dict"),
    ]


@pytest.mark.parametrize(("answer", "fragment"), _q8_wrong())
def test_q8_wrong(answer, fragment):
    wrong("06.8", answer, fragment)
