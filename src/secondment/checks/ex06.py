"""Checks for exercises 06 · Words and frequencies.

Every expected value is computed here with `secondment.words`, from the article or from the
new text given in the exercise notebook (the constants below, the same strings as there).
The checker also computes the usual mistakes (plain tokenizer, stop words kept, whole file
instead of body, punctuation counted) so that a wrong answer gets the hint that fits it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from secondment.checks import Hint, question
from secondment.checks.expect import (
    answer_axes,
    bars_upright,
    course_article,
    expect_axes_bars,
    expect_count,
    expect_sequence,
    expect_type,
    shown,
)

# The new text of questions 3 and 8 (not from the article); the notebook gives the same strings.
SENTENCE_3 = "省发改委副主任常春林挂任北京市发改委副主任，分管京冀协同发展工作。"
NAME_3 = "常春林"
PARAGRAPH_8 = (
    "北京市交通委副主任、挂任河北省交通运输厅副厅长的严冬梅，到任半年来先后12次赴张家口、"
    "承德调研交通项目。在严冬梅的推动下，京礼高速延崇段等一批交通项目提前开工，两地交通部门"
    "建立了每月对接一次的工作机制。“交通先行，项目要一个一个落地。”严冬梅说。"
    "北京赴冀挂职干部于海涛同样忙碌。他是北京市海淀区副区长，挂任保定市副市长，"
    "分管科技创新和招商工作。半年来，于海涛组织保定与中关村对接活动20余次，促成合作项目10多个。"
    "严冬梅和于海涛都说，挂职干部不是“客人”，对接的成果要让两地群众看得见。"
)
# Definitional constants of the questions.
TERM = "挂职"  # question 4 counts this word
COMPOUND = "挂职干部"  # ... before and after this one becomes a dictionary word
PLACES = frozenset({"北京", "北京市", "河北"})  # question 5 leaves these out
SECTION_7 = 0  # question 7: the first section, 他们是北京的一员
MIN_COUNT_7 = 3

# --------------------------------------------------------------------------- the truth


@functools.cache
def _tokenizer(user_words: tuple[str, ...] = ()) -> Any:
    from secondment.words import tokenizer

    return tokenizer(user_words)


def _plain() -> Any:
    return _tokenizer(())


def _tok() -> Any:
    """The lesson's tokenizer: the article's user dictionary."""
    from secondment.words import user_dictionary

    return _tokenizer(tuple(user_dictionary(course_article())))


@functools.cache
def _body_words(user_words: tuple[str, ...] | None = None) -> tuple[str, ...]:
    from secondment.words import words

    tok = _tok() if user_words is None else _tokenizer(user_words)
    return tuple(words(course_article().body, tok))


def lede_sentence() -> str:
    """Question 2's sentence: the sentence of the lede that reports the 60多次 activities."""
    from secondment.article import sentences

    return next(s for s in sentences(course_article().lede) if "60多次" in s)


def sections() -> dict[str, list[str]]:
    """The lesson's sections: one token list per section, with the article's dictionary."""
    from secondment.words import words

    return {s.label: words("\n".join(s.paragraphs), _tok()) for s in course_article().sections}


def paragraph_dictionaries(paragraph: str = PARAGRAPH_8) -> list[list[str]]:
    """User dictionaries a student may reasonably derive from the paragraph's cadres."""
    from secondment.extract import find_cadres
    from secondment.words import COURSE_TERMS, organisations

    cadres = find_cadres(paragraph)
    names = [c.name for c in cadres]
    posts = [org for c in cadres for p in (c.home_post, c.host_post) for org in organisations(p)]
    return [
        names + posts + list(COURSE_TERMS),
        names + posts,
        names + list(COURSE_TERMS),
        names,
    ]


# --------------------------------------------------------------------------- helpers


def _is_hanzi(ch: str) -> bool:
    from secondment.article import HAN

    return bool(re.fullmatch(HAN, ch))


def _words_list(answer: Any, what: str = "answer") -> list[str]:
    """A list (or tuple) of strings, whitespace around each ignored."""
    if isinstance(answer, str):
        raise Hint(f"{what} should be a list of words, not one string: lcut() returns a list")
    expect_type(answer, list, tuple, what=what)
    if not all(isinstance(w, str) for w in answer):
        bad = next(w for w in answer if not isinstance(w, str))
        raise Hint(
            f"every item of {what} should be a word (a str), but one is a {type(bad).__name__}"
        )
    return [w.strip() for w in answer]


def _pairs(answer: Any, n: int, item: str, what: str = "answer") -> list[tuple[str, int]]:
    """A ranked list of n (item, count) pairs, as tuples or lists (or a pandas Series)."""
    if type(answer).__name__ == "Series" and hasattr(answer, "items"):
        answer = list(answer.items())  # value_counts(): the index holds the items
    if isinstance(answer, dict):
        raise Hint(
            f"{what} should be a list of ({item}, count) pairs, not a {type(answer).__name__}: "
            "Counter's .most_common() or top_words() gives such a list"
        )
    if isinstance(answer, str):
        raise Hint(f"{what} should be a list of ({item}, count) pairs, not a string")
    expect_type(answer, list, tuple, what=what)
    out = []
    for pair in answer:
        if isinstance(pair, str) or not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise Hint(f"each item of {what} should be a pair ({item}, count), e.g. ('字', 3)")
        key, count = pair
        if not isinstance(key, str):
            raise Hint(f"each pair should start with the {item} (a str), then its count")
        out.append((key.strip(), expect_count(count, f"the count of {shown(key)}")))
    if len(out) != n:
        raise Hint(f"{what} has {len(out)} pairs; it should have {n}")
    return out


def _expect_ranking(
    got: list[tuple[str, int]],
    want: list[tuple[str, int]],
    counts: Counter[str] | dict[str, int],
    item: str = "word",
    ties_any_order: bool = False,
) -> None:
    """Hint unless got is the ranking want; counts are the true counts of every item."""
    if got == want:
        return
    order = [c for _, c in got]
    if order != sorted(order, reverse=True):
        raise Hint("the pairs are not in order: highest count first")
    if sorted(got) == sorted(want):
        if ties_any_order:
            return
        raise Hint(f"right pairs, but equal counts should be sorted by {item}, as top_words() does")
    right_counts = all(counts.get(k, 0) == c for k, c in got)
    if right_counts and order == [c for _, c in want]:
        raise Hint(
            f"the counts are right, but where several {item}s share a count the tie rule "
            f"decides which come first and which make the list: sort equal counts by {item}"
        )
    if sorted(k for k, _ in got) == sorted(k for k, _ in want):
        raise Hint(f"the right {item}s, but some counts are not right")
    right = len({k for k, _ in got} & {k for k, _ in want})
    raise Hint(f"{right} of the {len(want)} {item}s are right; the others are not")


def _diagnose(got: Any, mistakes: Iterable[tuple[Callable[[], Any], str]]) -> None:
    """Raise the hint of the first known mistake whose result equals the answer."""
    for compute, hint in mistakes:
        if got == compute():
            raise Hint(hint)


def _top(tokens: Iterable[str], n: int, stop: Iterable[str] | None = None) -> list[tuple[str, int]]:
    from secondment.words import STOP_WORDS, top_words

    return top_words(tokens, n, STOP_WORDS if stop is None else stop)


def _ranked_counts(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _stop_word_in(keys: Sequence[str]) -> None:
    from secondment.words import STOP_WORDS

    stop = [k for k in keys if k in STOP_WORDS]
    if stop:
        raise Hint(f"{stop[0]} is one of the course's STOP_WORDS: remove stop words first")


def _punctuation_in(keys: Sequence[str]) -> None:
    punct = [k for k in keys if not any(ch.isalnum() for ch in k)]
    if punct:
        raise Hint(f"{shown(punct[0])} is punctuation: words() leaves it out, lcut() does not")


# --------------------------------------------------------------------------- questions


@question("06.1")
def q1(answer: Any) -> str:
    from secondment.article import read_article_text
    from secondment.words import char_counts

    got = _pairs(answer, 10, "character")
    long = [k for k, _ in got if len(k) != 1]
    if long:
        raise Hint(f"{shown(long[0])} is not one character: count characters here, not words")
    other = [k for k, _ in got if not _is_hanzi(k)]
    if other:
        raise Hint(f"{shown(other[0])} is not a Chinese character: keep only hanzi, no punctuation")
    counts = char_counts(course_article().body)
    whole = char_counts(read_article_text())
    if any(counts[k] != c for k, c in got) and all(whole[k] == c for k, c in got):
        raise Hint("these are counts of the whole file, page chrome included: count article.body")
    _expect_ranking(got, _ranked_counts(counts, 10), counts, "character", ties_any_order=True)
    first, second = (k for k, _ in _ranked_counts(counts, 2))
    return f"right: {first} and {second} lead, though neither is a word on its own here"


@question("06.2")
def q2(answer: Any) -> str | None:
    from secondment.words import words

    got = _words_list(answer)
    sentence = lede_sentence()
    want = words(sentence, _plain())
    if got == want:
        return "right: 60多次 and 50多个 stay whole, and the commas are gone"
    _punctuation_in(got)
    if COMPOUND in got:
        raise Hint(
            f"{COMPOUND} is one token, so your tokenizer has a user dictionary; "
            "this question asks for the plain one"
        )
    if got and all(len(w) == 1 for w in got):
        raise Hint("these are single characters: segment the sentence into words with words()")
    if "60" in got or "多次" in got:
        raise Hint("60多次 is cut in two: words() keeps numbers with their measure words whole")
    if "".join(got) != "".join(want):
        raise Hint("joined together, the words should give back the sentence without punctuation")
    expect_sequence(got, want, what="answer")
    return None  # every check above passed: decide() reports plain "correct"


@question("06.3")
def q3(answer: Any) -> str:
    from secondment.words import words

    got = _words_list(answer)
    plain = _plain()
    if got in (plain.lcut(SENTENCE_3), words(SENTENCE_3, plain)):
        raise Hint(
            "the name is still in pieces, as the plain tokenizer cuts it: "
            "give tokenizer() the whole name as a user word"
        )
    tok = _tokenizer((NAME_3,))
    if got in (tok.lcut(SENTENCE_3), words(SENTENCE_3, tok)):
        return f"right: {NAME_3} is one token, and 挂任 is whole again"
    if "".join(got) not in ("".join(tok.lcut(SENTENCE_3)), "".join(words(SENTENCE_3, tok))):
        raise Hint("joined together, your tokens should give back the sentence")
    if NAME_3 not in got:
        raise Hint(f"the name {NAME_3} is not one token yet: add it to the tokenizer's words")
    raise Hint(
        "the name is whole, but other tokens differ: give tokenizer() only the name, then lcut()"
    )


@question("06.4")
def q4(answer: Any) -> str:
    from secondment.article import read_article_text

    if isinstance(answer, (str, dict)) or not isinstance(answer, (tuple, list)):
        raise Hint(
            f"answer should be a tuple of two counts (before, after), not a {type(answer).__name__}"
        )
    if len(answer) != 2:
        raise Hint(f"answer has {len(answer)} items; it should have 2: (before, after)")
    got = tuple(expect_count(v, "each count") for v in answer)
    before = Counter(_body_words(()))[TERM]
    after_words = Counter(_body_words((COMPOUND,)))
    want = (before, after_words[TERM])
    if got == want:
        return f"right: {TERM} falls from {want[0]} to {want[1]} once {COMPOUND} is a word"
    text = read_article_text()
    _diagnose(
        got,
        [
            (lambda: want[::-1], "the two counts are the wrong way round: (before, after)"),
            (
                lambda: (
                    Counter(_plain().lcut(text))[TERM],
                    Counter(_tokenizer((COMPOUND,)).lcut(text))[TERM],
                ),
                "these are counts in the whole file: count the tokens of article.body",
            ),
            (
                lambda: (before, after_words[COMPOUND]),
                f"the second number counts {COMPOUND}; the question asks how often {TERM} is left",
            ),
            (
                lambda: (course_article().body.count(TERM),) * 2,
                f"str.count finds {TERM} inside {COMPOUND} too: count tokens, not substrings",
            ),
        ],
    )
    if got[0] == got[1]:
        raise Hint(f"both counts are equal: the second tokenizer must know the word {COMPOUND}")
    if got[0] != want[0]:
        raise Hint("the first count (plain tokenizer) is not right yet")
    raise Hint("the first count is right; the second is not yet")


@question("06.5")
def q5(answer: Any) -> str:
    from secondment.words import STOP_WORDS

    got = _pairs(answer, 10, "word")
    keys = [k for k, _ in got]
    place = [k for k in keys if k in PLACES]
    if place:
        raise Hint(f"{place[0]} is still in the list: leave out the three place names as well")
    _stop_word_in(keys)
    _punctuation_in(keys)
    stop = STOP_WORDS | PLACES
    want = _top(_body_words(), 10, stop)
    if got != want:
        _diagnose(
            got,
            [
                (
                    lambda: _top(_body_words(()), 10, stop),
                    "these are the plain tokenizer's words: count body_words, made with tok",
                ),
            ],
        )
    counts = Counter(t for t in _body_words() if t not in stop)
    _expect_ranking(got, want, counts)
    return f"right: without the places, {want[0][0]} and {want[1][0]} lead"


@question("06.6")
def q6(answer: Any) -> str:
    ax = answer_axes(answer, drawn_by="ax.barh()")
    want = _top(_body_words(), 5)
    labels = [w for w, _ in want]
    counts = [c for _, c in want]
    if bars_upright(ax):
        raise Hint("the bars stand upright: draw horizontal bars with ax.barh(words, counts)")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    _stop_word_in(ticks)
    expect_axes_bars(ax, labels, counts, what="the chart", horizontal=True)
    return "right: five bars, their lengths the counts, with a title and axis labels"


@question("06.7")
def q7(answer: Any) -> str | None:
    from secondment.words import distinctive_words

    if isinstance(answer, dict):
        raise Hint("answer should be the list of one section, not the dict of all three")
    got = _words_list(
        [a[0] if isinstance(a, (list, tuple)) and len(a) == 2 else a for a in answer]
        if isinstance(answer, (list, tuple))
        else answer
    )
    parts = sections()
    label = list(parts)[SECTION_7]
    want = [w for w, _ in distinctive_words(parts, 5, min_count=MIN_COUNT_7)[label]]
    if got == want:
        return f"right: only words used at least {MIN_COUNT_7} times in the section compete now"
    for other, ranked in distinctive_words(parts, 5, min_count=MIN_COUNT_7).items():
        if other != label and got == [w for w, _ in ranked]:
            raise Hint(f"these words set another section apart; section 1 is {label}")
    for count in range(1, MIN_COUNT_7):
        if got == [w for w, _ in distinctive_words(parts, 5, min_count=count)[label]]:
            raise Hint(
                f"this list lets in words used fewer than {MIN_COUNT_7} times in the section: "
                "ask distinctive_words for a higher minimum count"
            )
    _stop_word_in(got)
    expect_sequence(got, want, what="answer")
    return None  # every check above passed: decide() reports plain "correct"


@question("06.8")
def q8(answer: Any) -> str | None:
    from secondment.words import words

    got = _pairs(answer, 5, "word")
    keys = [k for k, _ in got]
    _punctuation_in(keys)
    _stop_word_in(keys)
    plain_top = _top(words(PARAGRAPH_8, _plain()), 5)
    rights = [_top(words(PARAGRAPH_8, _tokenizer(tuple(d))), 5) for d in paragraph_dictionaries()]
    if got in rights:
        return "right: the names are whole, thanks to a dictionary found in the text itself"
    if got == plain_top or any(k in ("严冬", "海涛") for k in keys):
        raise Hint(
            "a name is still cut in pieces: make the tokenizer from the cadres find_cadres finds"
        )
    if got == _top(_body_words(), 5):
        raise Hint("these are the article's top words: count the words of the new paragraph")
    counts = Counter(words(PARAGRAPH_8, _tokenizer(tuple(paragraph_dictionaries()[0]))))
    _expect_ranking(got, rights[0], counts)
    return None  # every check above passed: decide() reports plain "correct"
