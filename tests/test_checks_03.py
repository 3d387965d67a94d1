"""Checks of exercises 03: right answers pass, realistic wrong answers get a helpful hint."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

import nbformat
import pytest
from checks_support import hint, passes

from secondment.article import load_article, normalise, sentences
from secondment.checks import evaluate
from secondment.checks.ex03 import (
    DIGIT_QUANTITIES,
    NEW_REPORT,
    NUMERAL_QUANTITIES,
    SENTENCE,
    UNSEEN_CADRE_TEXTS,
    UNSEEN_FIGURE_TEXTS,
    UNSEEN_REPORTS,
    UNSEEN_SHAPE_1,
)
from secondment.checks.language import translate
from secondment.extract import find_cadres, find_events, find_quantities, find_ranks
from secondment.paths import require_course_root

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "03-extracting-facts-solutions.ipynb"

ARTICLE = load_article()
BODY_SENTENCES = [s for p in ARTICLE.paragraphs for s in sentences(p.text)]
HAN = r"[\u4e00-\u9fff]"
POST = "[^,，、。;；:：!！?？“”()（）]"


# ---------------------------------------------------------------- the notebook's given texts


def given(name):
    """The value a non-solution cell of the solution notebook assigns to `name`."""
    for cell in nbformat.read(SOLUTION, as_version=4).cells:
        if cell.cell_type == "code" and cell.source.startswith(f"{name} = "):
            space = {}
            exec(cell.source, space)
            return space[name]
    raise AssertionError(f"no cell assigns {name}")


def test_the_notebook_gives_the_texts_the_checks_use():
    assert given("sentence") == SENTENCE
    assert tuple(given("texts")) == DIGIT_QUANTITIES
    assert tuple(given("numeral_texts")) == NUMERAL_QUANTITIES
    assert given("report") == NEW_REPORT


def test_the_new_report_is_read_right_by_the_library():
    """The truth of 03.8 comes from find_cadres: it must be right on this report."""
    assert [(c.name, c.home_post, c.host_post, c.shape) for c in find_cadres(NEW_REPORT)] == [
        ("李卫东", "北京市发改委副处长", "廊坊市发改委副主任", "appositive"),
        ("刘晓燕", "北京市教委基础教育处副处长", "保定市教育局副局长", "dash"),
        ("赵明", "北京市卫生计生委医政处处长", "张家口市卫生计生委副主任", "appositive"),
    ]
    assert "，" in NEW_REPORT and "," not in NEW_REPORT  # full-width only
    assert [q.text for q in find_quantities(NEW_REPORT)][2:4] == ["30余次", "40多个"]


@pytest.mark.parametrize("qid", [f"03.{n}" for n in range(1, 9)])
def test_placeholder_is_unanswered(qid):
    assert evaluate(qid, ...).status == "unanswered"


@pytest.mark.parametrize("qid", [f"03.{n}" for n in range(1, 9)])
@pytest.mark.parametrize("odd", [None, 0, "", [], {}, object()])
def test_odd_values_get_a_hint_not_a_crash(qid, odd):
    verdict = evaluate(qid, odd)
    assert not verdict.passed and verdict.status == "wrong", verdict.message


# ---------------------------------------------------------------- 03.1 · named groups


def shape_1(name_part=rf"{HAN}{{2,3}}", host_part=f"{POST}+?"):
    return re.compile(rf"(?P<home>{POST}+)、挂任(?P<host>{host_part})的(?P<name>{name_part})")


def test_q1_the_unseen_sentences_are_shape_1_with_one_cadre_each():
    for sentence in (SENTENCE, *UNSEEN_SHAPE_1):
        (cadre,) = find_cadres(sentence)
        found = shape_1().search(sentence).groupdict()
        assert found == {"home": cadre.home_post, "host": cadre.host_post, "name": cadre.name}


def test_q1_right_answers_pass():
    passes("03.1", shape_1())
    passes("03.1", shape_1().pattern)  # the pattern as a str is read the same way
    passes("03.1", shape_1(rf"{HAN}{{2,3}}", f"{POST}+"))
    reordered = re.compile(rf"(?P<home>{POST}+)、挂任(?P<host>{POST}+?)的(?P<name>{HAN}{{2,3}})")
    passes("03.1", reordered)


def test_q1_what_the_pattern_finds_is_not_the_answer():
    found = shape_1().search(SENTENCE)
    typed = {"home": "省交通运输厅副厅长", "host": "北京市交通委副主任", "name": "王普清"}
    for answer in (found.groupdict(), typed):
        assert hint("03.1", answer) == (
            "answer is what .groupdict() gives: the answer is the pattern itself "
            "(answer = shape_1); the check reads its groups"
        )
    assert "answer is a match" in hint("03.1", found)
    assert "with named groups" in hint("03.1", found.groups())
    assert "answer is None" in hint("03.1", None)


def test_q1_wrong_answers_get_hints():
    assert "runs on" in hint("03.1", shape_1(rf"{HAN}{{2,4}}"))
    numbered = re.compile(rf"({POST}+)、挂任({POST}+?)的({HAN}{{2,3}})")
    assert "no group named home, host, name" in hint("03.1", numbered)
    swapped = re.compile(rf"(?P<host>{POST}+)、挂任(?P<home>{POST}+?)的(?P<name>{HAN}{{2,3}})")
    assert "swapped" in hint("03.1", swapped)
    with_de = re.compile(rf"(?P<home>{POST}+)、挂任(?P<host>{POST}+?的)(?P<name>{HAN}{{2,3}})")
    assert "host still contains punctuation or 的" in hint("03.1", with_de)
    with_comma = re.compile(rf"(?P<home>[^,。]+)挂任(?P<host>{POST}+?)的(?P<name>{HAN}{{2,3}})")
    assert "home still contains" in hint("03.1", with_comma)
    extra = re.compile(
        rf"(?P<home>{POST}+)、挂任(?P<host>{POST}+?)的(?P<name>{HAN}{{2,3}})(?P<title>)"
    )
    assert "extra named group(s) title" in hint("03.1", extra)
    assert "not a valid regular expression" in hint("03.1", "(?P<home>")


def test_q1_a_name_cut_short_is_explained_by_what_the_pattern_says():
    # The hint names the quantifier the student wrote, and no other.
    assert hint("03.1", shape_1(".+?")) == (
        "the name is cut short: your name group ends in the non-greedy +?, "
        "which takes as few characters as it can"
    )
    assert hint("03.1", shape_1(rf"{HAN}{{2,3}}?")) == (
        "the name is cut short: your name group ends in the non-greedy {2,3}?, "
        "which takes as few characters as it can"
    )
    assert hint("03.1", shape_1(rf"(?:{HAN}){{2}}")) == (
        "the name is cut short: your name group stops after 2 character(s), 王普"
    )
    # A group that holds a class with a closing parenthesis is read to its own end.
    assert hint("03.1", shape_1(r"[^)）的]{1}")) == (
        "the name is cut short: your name group stops after 1 character(s), 王"
    )


def test_q1_a_pattern_typed_for_the_one_sentence_fails_on_the_others():
    literal = "(?P<home>省交通运输厅副厅长)、挂任(?P<host>北京市交通委副主任)的(?P<name>王普清)"
    assert hint("03.1", literal) == (
        "the pattern finds nothing in the sentence 北京市水务局副局长、挂任…: "
        "print it and test it there"
    )
    anything = re.compile(rf"(?P<home>.+)、挂任(?P<host>{POST}+?)的(?P<name>{HAN}{{2,3}})")
    assert hint("03.1", anything) == (
        "in the sentence “两地要多走动。”沧州市… you have not seen, "
        "home still contains punctuation or 的: stop the group before it"
    )


# ---------------------------------------------------------------- 03.2 · the officials of a text


TITLES = "副厅长 厅长 副主任 主任 副局长 局长 副市长 市长 副巡视员 总工程师".split()
AFTER_NAME = set("在说等是和与任的")


def four_shapes(
    text,
    comma="[,，]",
    name=rf"{HAN}{{2,4}}",
    resolve=True,
    zai="(?:在)?",
    shapes=("appositive", "dash", "joined", "he_is"),
    normalised=True,
):
    """Lesson 03a's four shapes, resolve_name and first mention wins, over a text."""

    def resolve_name(run):
        two, three = run[:2], run[:3]
        if len(run) == 2 or run[2] in AFTER_NAME:
            return two
        if len(run) == 3 or run[3] in AFTER_NAME:
            return three
        return three if text.count(three) == text.count(two) else two

    title = "(?:" + "|".join(TITLES) + ")"
    patterns = {
        "appositive": rf"{zai}(?P<home>{POST}+)、挂任(?P<host>{POST}+?)的(?P<name>{name})",
        "dash": rf"——(?P<name>{HAN}{{2,3}}){comma}(?P<home>{POST}+){comma}挂任(?P<host>{POST}+)",
        "joined": rf"(?P<home>{POST}+?{title})(?P<name>{HAN}{{2,3}})挂任(?P<host>{POST}+)",
    }
    he_is = re.compile(rf"他是(?P<home>{POST}+){comma}挂任(?P<host>{POST}+)")
    split = sentences if normalised else (lambda line: re.findall(r"[^。]+。?", line))
    found, previous = {}, ""
    for s in [s for line in text.splitlines() for s in split(line.strip())]:
        for shape, pattern in patterns.items():
            for m in re.finditer(pattern, s) if shape in shapes else ():
                who = resolve_name(m["name"]) if resolve else m["name"]
                found.setdefault(who, (who, m["home"], m["host"]))
        for m in he_is.finditer(s) if "he_is" in shapes else ():
            names = re.findall(rf"干部({HAN}{{2,4}})", previous)
            if names:
                who = resolve_name(names[-1])
                found.setdefault(who, (who, m["home"], m["host"]))
        previous = s
    return list(found.values())


def finder(**options):
    """A student's officials(text) function: the lesson's four shapes, on any text."""
    return lambda text: four_shapes(text, **options)


def on_the_body(rows):
    """A function that gives `rows` for the article's body and reads other texts right."""
    return lambda text: rows if text == ARTICLE.body else four_shapes(text)


def answer_2():
    return [(c.name, c.home_post, c.host_post) for c in find_cadres(ARTICLE)]


def test_q2_the_unseen_texts_hold_the_four_shapes_in_either_width():
    for text in UNSEEN_CADRE_TEXTS:
        cadres = find_cadres(text)
        assert sorted(c.shape for c in cadres) == ["appositive", "dash", "he_is", "joined"]
        assert four_shapes(text) == [(c.name, c.home_post, c.host_post) for c in cadres]
        assert not {c.name for c in cadres} & {name for name, _, _ in answer_2()}
    ascii_text, wide_text = UNSEEN_CADRE_TEXTS
    assert "," in ascii_text and "，" not in ascii_text
    assert "，" in wide_text and "," not in wide_text


def test_q2_right_answers_pass():
    right = answer_2()
    assert len(right) == 8 and four_shapes(ARTICLE.body) == right
    passes("03.2", finder())
    passes("03.2", lambda text: four_shapes(text)[::-1])
    passes("03.2", lambda text: [list(row) for row in four_shapes(text)])
    passes("03.2", lambda text: tuple((n + " ", h, b) for n, h, b in four_shapes(text)))


def test_q2_a_list_typed_in_or_the_library_does_not_pass():
    assert hint("03.2", answer_2()) == (
        "answer should be your function itself (answer = officials), not its results: "
        "the check runs it on texts you have not seen"
    )
    assert hint("03.2", "张涛") == (
        "answer should be your function itself (answer = officials), not a str: "
        "the check runs it on texts you have not seen"
    )
    # The article's list, returned whatever the text, is right for the article only.
    rows = answer_2()
    assert hint("03.2", lambda text: rows) == (
        "张涛 is not one of the seconded officials named in the text 近日,省发改委副主任、挂任北…"
    )
    library = "your function calls the library's find_cadres: write your own pattern"
    assert hint("03.2", find_cadres) == library
    assert (
        hint("03.2", lambda text: [(c.name, c.home_post, c.host_post) for c in find_cadres(text)])
        == library
    )


def test_q2_wrong_functions_get_hints():
    right = answer_2()
    assert "张涛 appears 2 times" in hint("03.2", on_the_body([right[0], *right]))
    assert hint("03.2", finder(shapes=("appositive", "dash", "joined"))) == (
        "7 officials; the article names 8: look for every sentence shape (and both widths of comma)"
    )
    assert hint("03.2", finder(resolve=False)) == (
        "the name 张涛在中 runs on into the word after it: where does a name end?"
    )
    assert hint("03.2", finder(name=rf"{HAN}{{2,3}}?", resolve=False)) == (
        "the name 王普 is cut short: it goes on; where does a name end?"
    )
    assert "starts with 在" in hint("03.2", finder(zai=""))
    assert "swapped" in hint("03.2", on_the_body([(n, b, h) for n, h, b in right]))
    assert "Cadre records" in hint("03.2", on_the_body(find_cadres(ARTICLE)))
    assert "not a dict" in hint("03.2", on_the_body([{"name": n} for n, _, _ in right]))
    assert "3 parts" in hint("03.2", on_the_body([(n, h) for n, h, _ in right]))
    assert "赵建 is not one of" in hint("03.2", on_the_body([*right, ("赵建", "记者", "")]))
    he_is = right[1]
    tail = [right[0], (he_is[0], he_is[1], he_is[2] + ",直接分管推动新首钢建设"), *right[2:]]
    assert "still contains punctuation" in hint("03.2", on_the_body(tail))
    assert "empty" in hint("03.2", lambda text: [])
    assert hint("03.2", lambda text: {name: (home, host) for name, home, host in right}) == (
        "what your function returns should be a list, but it is a dict"
    )
    # Right on the article's ASCII commas, blind to the full-width ones it has not seen.
    ascii_only = finder(comma=",", normalised=False)
    assert ascii_only(ARTICLE.body) == right
    assert hint("03.2", ascii_only) == (
        "2 officials; the text 省商务厅副厅长、挂任北京市商… names 4: look for every sentence "
        "shape (and both widths of comma)"
    )
    assert hint("03.2", lambda text: [] if "，" in text else four_shapes(text)) == (
        "no officials found in the text 省商务厅副厅长、挂任北京市商…: it uses full-width (，：) "
        "punctuation; does your pattern accept both widths, or did you normalise() the text first?"
    )


# ---------------------------------------------------------------- 03.3 · digits


QUANTITY = re.compile(
    r"(?P<num>\d+)(?P<more>[多余])?(?P<ge>个)?(?P<more2>多)?(?P<unit>次|个|项|家|月)"
)


def parse(text, pattern=QUANTITY, convert=int):
    m = pattern.fullmatch(text)
    qualifier = "more_than" if m["more"] or m["more2"] else "exact"
    return (convert(m["num"]), qualifier, m["unit"])


def parser(pattern=QUANTITY, convert=int, change=lambda text, row: row):
    """A student's parse_quantity function built on a pattern, its rows changed by `change`."""
    return lambda text: change(text, parse(text, pattern, convert))


def test_q3_right_answers_pass():
    assert parse(DIGIT_QUANTITIES[0]) == (1000, "more_than", "家")
    passes("03.3", parser())
    passes("03.3", parser(convert=float))
    passes("03.3", parser(change=lambda text, row: list(row)))


def test_q3_wrong_answers_get_hints():
    assert "your function itself" in hint("03.3", [parse(t) for t in DIGIT_QUANTITIES])
    assert "'1000' is text" in hint("03.3", parser(convert=str))
    no_more2 = re.compile(
        r"(?P<num>\d+)(?P<more>[多余])?(?P<ge>个)?(?P<more2>)(?P<unit>多?月|次|个|项|家)"
    )
    assert "5个多月: 多 or 余" in hint("03.3", parser(no_more2))
    always_exact = parser(change=lambda text, row: (row[0], "exact", row[2]))
    assert "1000余家: 多 or 余 right after the number means more_than" in hint("03.3", always_exact)
    unit_with_more = re.compile(
        r"(?P<num>\d+)(?P<more>)(?P<ge>)(?P<more2>)(?P<unit>[多余]?个?多?[次个项家月])"
    )

    def more_in_unit(text):
        m = unit_with_more.fullmatch(text)
        return (int(m["num"]), "more_than" if "多" in text or "余" in text else "exact", m["unit"])

    assert "1000余家: the unit is the measure word alone" in hint("03.3", more_in_unit)
    ge_as_unit = parser(change=lambda text, row: (*row[:2], "个" if "个" in text else row[2]))
    assert "5个多月: here 个 sits between" in hint("03.3", ge_as_unit)
    assert "3 parts" in hint("03.3", parser(change=lambda text, row: row[:2]))
    assert "not a str" in hint("03.3", lambda text: text)
    # Right on the six texts given, wrong on the ones it has not seen.
    seen = {t: parse(t) for t in DIGIT_QUANTITIES}
    assert "30余次" in hint("03.3", lambda text: seen.get(text, (0, "exact", "")))
    library = hint(
        "03.3", lambda t: [(q.value, q.qualifier, q.unit) for q in find_quantities(t)][0]
    )
    assert "library's find_quantities" in library


# ---------------------------------------------------------------- 03.4 · numerals


DIGITS = dict(zip("零一二两三四五六七八九", [0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9], strict=True))
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(numeral, bare_unit_counts_one=True):
    total, digit = 0, 0
    for ch in numeral:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (digit or (1 if bare_unit_counts_one else 0)) * MULTIPLIERS[ch]
            digit = 0
    return total + digit


def digit_by_digit(numeral):
    """A wrong converter: reads each character as a digit and skips 十 百 千."""
    digits = "".join(str(DIGITS[ch]) for ch in numeral if ch in DIGITS)
    return int(digits or "0")


NUMERAL = re.compile(
    r"(?P<num>\d+|[零一二两三四五六七八九十百千]+)(?P<more>[多余])?(?P<ge>个)?(?P<more2>多)?"
    r"(?P<unit>小时|次|个|项|家|名|月)(?P<about>左右)?"
)


def parse_numeral(text, convert=chinese_to_int, about=True):
    m = NUMERAL.fullmatch(text)
    qualifier = "about" if m["about"] and about else "exact"
    return (convert(m["num"]), qualifier, m["unit"])


def numerals(convert=chinese_to_int, about=True, change=lambda text, row: row):
    """A student's parse_any_quantity function, its rows changed by `change`."""
    return lambda text: change(text, parse_numeral(text, convert, about))


def test_q4_right_answers_pass():
    right = [parse_numeral(t) for t in NUMERAL_QUANTITIES]
    assert right == [
        (3, "about", "小时"),
        (2, "exact", "名"),
        (15, "exact", "名"),
        (100, "exact", "名"),
        (350, "exact", "家"),
        (105, "exact", "项"),
    ]
    passes("03.4", numerals())
    passes("03.4", numerals(change=lambda text, row: (float(row[0]), *row[1:])))


def test_q4_wrong_answers_get_hints():
    assert "your function itself" in hint("03.4", [parse_numeral(t) for t in NUMERAL_QUANTITIES])
    bare_zero = numerals(lambda n: chinese_to_int(n, bare_unit_counts_one=False))
    assert "十五名: the value is not right; a 十, 百 or 千 with no digit" in hint("03.4", bare_zero)
    assert "十五名: the value is not right" in hint("03.4", numerals(digit_by_digit))
    no_about = numerals(about=False)
    assert "三个小时左右: 左右 after the measure word means about" in hint("03.4", no_about)

    def only(text, row, wrong, target="一百零五项"):
        return wrong if text == target else row

    wrong_zero = numerals(change=lambda t, r: only(t, r, (150, "exact", "项")))
    assert "零 (zero)" in hint("03.4", wrong_zero)
    with_about = numerals(change=lambda t, r: only(t, r, (3, "about", "小时左右"), "三个小时左右"))
    assert "measure word alone" in hint("03.4", with_about)
    ge_unit = numerals(change=lambda t, r: only(t, r, (3, "about", "个"), "三个小时左右"))
    assert "个 sits between" in hint("03.4", ge_unit)
    odd = numerals(change=lambda t, r: only(t, r, (3, "approx", "小时"), "三个小时左右"))
    assert "one of exact, more_than, about" in hint("03.4", odd)
    seen = {t: parse_numeral(t) for t in NUMERAL_QUANTITIES}
    assert "二十名" in hint("03.4", lambda text: seen.get(text, (0, "exact", "")))


# ---------------------------------------------------------------- 03.5 · facts, not mentions


FIGURE = re.compile(
    r"(?<![\d第])(?P<num>\d+|[零一二两三四五六七八九十百千]+)(?P<more>[多余])?(?P<ge>个)?"
    r"(?P<more2>多)?(?P<unit>小时|次|个|项|家|名|年|月)(?P<about>左右)?"
)


def figures_of(text, pattern=FIGURE, dates=False):
    """Lesson 03b's quantities of a text, as written (months and years left out unless asked)."""
    found = []
    for m in pattern.finditer(text):
        calendar_word = (m["unit"] == "月" and not m["ge"]) or (
            m["unit"] == "年" and len(m["num"]) == 4
        )
        if dates or not calendar_word:
            found.append(m[0])
    return found


def counter(facts=lambda found: len(set(found)), result=lambda m, f: (m, f), **options):
    """A student's count_figures(text) function, its facts and result changeable."""
    return lambda text: result(len(figures_of(text, **options)), facts(figures_of(text, **options)))


def test_q5_the_unseen_texts_have_repeats_and_what_only_looks_like_a_quantity():
    for text in (ARTICLE.body, *UNSEEN_FIGURE_TEXTS):
        assert figures_of(text) == [q.text for q in find_quantities(text)]
    ascii_text, wide_text = UNSEEN_FIGURE_TEXTS
    assert "," in ascii_text and "，" not in ascii_text
    assert "，" in wide_text and "," not in wide_text
    assert all(word in ascii_text for word in ("第3次", "多次", "两地"))
    assert {"五十名", "50名"} <= set(figures_of(ascii_text))
    for text in UNSEEN_FIGURE_TEXTS:
        found = figures_of(text)
        assert len(found) > len(set(found))  # a figure repeated
        assert len(figures_of(text, dates=True)) > len(found)  # a year or a month


def test_q5_right_answers_pass():
    assert counter()(ARTICLE.body) == (33, 21)
    passes("03.5", counter())
    passes("03.5", counter(result=lambda m, f: [m, f]))
    passes("03.5", counter(result=lambda m, f: (float(m), f)))
    assert evaluate("03.5", counter()).message == (
        "33 mentions of 21 figures: 5个多月 alone is written 4 times"
    )


def test_q5_a_pair_typed_in_or_the_library_does_not_pass():
    itself = (
        "answer should be your function itself (answer = count_figures), not its results: "
        "the check runs it on texts you have not seen"
    )
    assert hint("03.5", (33, 21)) == itself  # copied from a lesson's output
    assert hint("03.5", [33, 21]) == itself
    assert hint("03.5", 33) == (
        "answer should be your function itself (answer = count_figures), not an int: "
        "the check runs it on texts you have not seen"
    )
    assert hint("03.5", lambda text: (33, 21)) == (
        "your function gives (33, 21) for every text: count the quantities of the text it is given"
    )

    def by_the_library(text):
        figures = [q.text for q in find_quantities(text)]
        return (len(figures), len(set(figures)))

    assert hint("03.5", by_the_library) == (
        "your function calls the library's find_quantities: write your own pattern"
    )


def test_q5_wrong_functions_get_hints():
    assert hint("03.5", counter(dates=True)) == (
        "too many mentions in the body: your function counts 5 in the sentence "
        "2015年7月24日,京冀两…, which has 3; print what your pattern finds there"
    )
    no_ordinal_rule = re.compile(FIGURE.pattern.replace("(?<![\\d第])", ""))
    assert hint("03.5", counter(pattern=no_ordinal_rule)) == (
        "too many mentions in the text 半年来,50名挂职干部组织两…: your function counts 2 in the "
        "sentence 2015年12月,第3次座谈…, which has 1; print what your pattern finds there"
    )
    no_year = re.compile(FIGURE.pattern.replace("|年", ""))
    assert hint("03.5", counter(pattern=no_year)).startswith("too few mentions in the body:")
    assert hint("03.5", counter(facts=len)) == (
        "in the body, facts equals mentions: a figure written several times is one fact"
    )

    def value(figure):
        num = FIGURE.fullmatch(figure)["num"]
        return int(num) if num.isdigit() else chinese_to_int(num)

    by_value = counter(facts=lambda found: len({value(f) for f in found}))
    assert hint("03.5", by_value) == (
        "in the body, you counted distinct values: figures written differently (百名, 100名) "
        "count separately; compare the texts"
    )
    assert hint("03.5", counter(result=lambda m, f: (f, m))) == (
        "the two numbers are swapped: mentions first, then facts"
    )
    assert hint("03.5", counter(facts=lambda found: len(set(found)) - 1)) == (
        "in the body, facts is too small"
    )
    assert hint("03.5", lambda text: figures_of(text)) == (
        "your function should return a pair of numbers: (mentions, facts)"
    )
    assert hint("03.5", counter(result=lambda m, f: (str(m), f))) == (
        "mentions should be a number, not the text '33': convert it with int()"
    )


# ---------------------------------------------------------------- 03.6 · dates


DATE = re.compile(
    r"自?(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?:至(?P<y2>\d{4})年(?P<m2>\d{1,2})月)?"
)


def spans(text=None, last_day=True, pattern=DATE):
    """The lesson's date pattern turned into (first, last) pairs, over a text or the body."""
    out = []
    for s in [text] if text is not None else BODY_SENTENCES:
        for m in pattern.finditer(s):
            y, mo = int(m["y"]), int(m["m"])
            if m["d"]:
                out.append((date(y, mo, int(m["d"])),) * 2)
                continue
            y2, m2 = (int(m["y2"]), int(m["m2"])) if m["y2"] else (y, mo)
            end = calendar.monthrange(y2, m2)[1] if last_day else 1
            out.append((date(y, mo, 1), date(y2, m2, end)))
    return out


def dater(change=lambda text, pairs: pairs, **options):
    """A student's date_spans function, its result changed by `change`."""
    return lambda text: change(text, spans(text, **options))


def test_q6_right_answers_pass():
    right = spans()
    assert right[-1] == (date(2015, 11, 1), date(2016, 5, 31))
    assert spans(ARTICLE.body) == right
    passes("03.6", dater())
    passes("03.6", dater(lambda text, pairs: [list(pair) for pair in pairs]))


def test_q6_wrong_answers_get_hints():
    assert "your function itself" in hint("03.6", spans())
    assert "last day of its last month" in hint("03.6", dater(last_day=False))
    firsts = dater(lambda text, pairs: [first.isoformat() for first, _ in pairs])
    assert "the items are text" in hint("03.6", firsts)
    as_text = dater(lambda text, pairs: [(a.isoformat(), b.isoformat()) for a, b in pairs])
    assert "the days are text" in hint("03.6", as_text)
    assert "pair (first day, last day)" in hint("03.6", dater(lambda t, p: [a for a, _ in p]))
    stamps = dater(
        lambda t, p: [tuple(datetime(d.year, d.month, d.day) for d in pair) for pair in p]
    )
    assert "not datetime.datetime" in hint("03.6", stamps)
    day_only = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?P<y2>)(?P<m2>)")
    assert "3 events; the body has 4" in hint("03.6", dater(pattern=day_only))
    month = re.compile(r"(\d{4})年(\d{1,2})月(?!\d)")

    def split_range(text):
        days = [pair for pair in spans(text) if pair[0] == pair[1]]
        months = [
            (date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]))
            for y, mo in (map(int, m.groups()) for m in month.finditer(text))
        ]
        return days + months

    assert "a range 自…至… is one event" in hint("03.6", split_range)
    assert "reading order" in hint("03.6", dater(lambda text, pairs: pairs[::-1]))
    assert "ends before it starts" in hint("03.6", dater(lambda t, p: [(b, a) for a, b in p]))
    right = spans()
    mid_month = [*right[:3], (date(2015, 11, 27), right[3][1])]
    assert "first day of its first month" in hint("03.6", lambda text: mid_month)
    # Right for the article's body, typed in; wrong on the texts it has not seen.
    assert "the text 2016年3月15日" in hint("03.6", lambda text: right)
    library = hint("03.6", lambda text: [(e.start, e.end) for e in find_events(text)])
    assert "library's find_events" in library


# ---------------------------------------------------------------- 03.7 · ranks


RANK = re.compile(rf"(?P<rank>(?:省部|厅局|县处|乡科)级|{HAN}{{2,4}}人才)(?:干部)?(?P<count>\d+)名")


def counting(pattern=RANK, convert=int):
    """A student's rank_counts function built on a pattern."""
    return lambda sentence: {m["rank"]: convert(m["count"]) for m in pattern.finditer(sentence)}


def test_q7_right_answers_pass():
    rank_sentence = next(s for s in BODY_SENTENCES if "级干部" in s)
    assert sum(counting()(rank_sentence).values()) == sum(r.count for r in find_ranks(ARTICLE))
    passes("03.7", counting())
    passes("03.7", counting(convert=float))
    assert "= 100" in evaluate("03.7", counting()).message


def test_q7_wrong_answers_get_hints():
    assert "your function itself" in hint("03.7", 100)  # the number in the question
    assert "returns one number" in hint("03.7", lambda s: sum(counting()(s).values()))
    assert "counts alone" in hint("03.7", lambda s: list(counting()(s).values()))
    assert "counts are text" in hint("03.7", counting(convert=str))
    only_ji = re.compile(r"(?P<rank>(?:省部|厅局|县处|乡科)级)(?:干部)?(?P<count>\d+)名")
    assert "one rank is missing" in hint("03.7", counting(only_ji))
    full_width_only = re.compile(rf"(?P<rank>{HAN}+级)干部(?P<count>\d+)名，")
    message = hint("03.7", counting(full_width_only))
    assert "a total of 0" in message and "ASCII ," in message
    # The question says "add them up": a sum of nothing found is the same total of 0.
    for total in (lambda s: sum(counting(full_width_only)(s).values()), lambda s: 0):
        message = hint("03.7", total)
        assert message == (
            "your function finds no rank in the article's sentence (a total of 0): its commas "
            "are the ASCII ,; does your pattern depend on one width?"
        )
    assert "a total of 0" in hint("03.7", lambda s: list(counting(full_width_only)(s).values()))
    ascii_only = re.compile(
        rf"(?P<rank>(?:省部|厅局|县处|乡科)级|{HAN}{{2,4}}人才)(?:干部)?(?P<count>\d+)名(?=[,。])"
    )
    assert "misses the rank" in hint("03.7", counting(ascii_only))
    library = hint("03.7", lambda s: {r.rank: r.count for r in find_ranks(s)})
    assert "library's find_ranks" in library
    only_article = {r.rank: r.count for r in find_ranks(ARTICLE)}
    assert "in the sentence 北京市此次选派" in hint("03.7", lambda s: only_article)


STUDENT_ALIASES = """
import secondment.extract as x
from secondment.extract import find_cadres, find_quantities, find_ranks

fr = find_ranks
fc = find_cadres


def officials(text):
    return [(c.name, c.home_post, c.host_post) for c in fc(text)]


def count_figures(text, finder=find_quantities):
    figures = [q.text for q in finder(text)]
    return (len(figures), len(set(figures)))


def rank_counts(sentence):
    return {r.rank: r.count for r in fr(sentence)}


def find_officials(text):
    return [(c.name, c.home_post, c.host_post) for c in fc(text)]


def find_officials_by_module(text):
    return [(c.name, c.home_post, c.host_post) for c in x.find_cadres(text)]


def find_officials_by_default(text, finder=find_cadres):
    return [(c.name, c.home_post, c.host_post) for c in finder(text)]
"""


@pytest.mark.parametrize(
    ("qid", "name", "finder"),
    [
        ("03.2", "officials", "find_cadres"),
        ("03.5", "count_figures", "find_quantities"),
        ("03.7", "rank_counts", "find_ranks"),
        ("03.8", "find_officials", "find_cadres"),
        ("03.8", "find_officials_by_module", "find_cadres"),
        ("03.8", "find_officials_by_default", "find_cadres"),
    ],
)
def test_the_library_under_another_name_is_still_the_library(qid, name, finder):
    space = {"__name__": "__main__"}
    exec(STUDENT_ALIASES, space)  # the student's notebook
    message = hint(qid, space[name])
    assert message == f"your function calls the library's {finder}: write your own pattern"


# ---------------------------------------------------------------- 03.8 · a new report


def report_sentences(text=NEW_REPORT, raw=False):
    """The report's sentences (normalised by `sentences`), or its raw lines, as written."""
    if raw:
        return [line.strip() for line in text.splitlines()]
    return [s for line in text.splitlines() for s in sentences(line.strip())]


def lesson_cadres(comma="[,，]", name=rf"{HAN}{{2,4}}", resolve=True, text=NEW_REPORT, raw=False):
    """The lesson's shape-1 and dash patterns with its resolve_name, over the report."""
    after_name = set("在说等是和与任的")
    joined = "\n".join(report_sentences(text))

    def resolve_name(run):
        two, three = run[:2], run[:3]
        if len(run) == 2 or run[2] in after_name:
            return two
        if len(run) == 3 or run[3] in after_name:
            return three
        return three if joined.count(three) == joined.count(two) else two

    appositive = re.compile(rf"(?:在)?(?P<home>{POST}+)、挂任(?P<host>{POST}+?)的(?P<name>{name})")
    dash = re.compile(
        rf"——(?P<name>{HAN}{{2,3}}){comma}(?P<home>{POST}+){comma}挂任(?P<host>{POST}+)"
    )
    found = {}
    for s in report_sentences(text, raw):
        for pattern in (appositive, dash):
            for m in pattern.finditer(s):
                who = resolve_name(m["name"]) if resolve else m["name"]
                found.setdefault(who, (who, m["home"], m["host"]))
    return list(found.values())


def officials(**options):
    """A student's find_officials function: the lesson's patterns, on any text."""
    return lambda text: lesson_cadres(text=text, **options)


def test_q8_right_answers_pass():
    right = lesson_cadres()
    assert right == [(c.name, c.home_post, c.host_post) for c in find_cadres(NEW_REPORT)]
    for report in UNSEEN_REPORTS:
        assert lesson_cadres(text=report) == [
            (c.name, c.home_post, c.host_post) for c in find_cadres(report)
        ]
    passes("03.8", officials())
    passes("03.8", lambda text: officials()(text)[::-1])
    passes("03.8", lambda text: lesson_cadres(comma=",", text=normalise(text), raw=True))
    passes("03.8", officials(raw=True))
    indented = [(n, "　" + h, b) for n, h, b in right]  # a full-width indent left on a post
    passes("03.8", lambda text: indented if text == NEW_REPORT else officials()(text))


def test_q8_wrong_answers_get_hints():
    right = lesson_cadres()
    assert "your function itself" in hint("03.8", right)  # the list, not the function
    assert "full-width" in hint("03.8", lambda text: [])
    assert len(lesson_cadres(comma=",")) == 3  # sentences() normalised the commas
    ascii_dash = officials(comma=",", raw=True)  # on the text as written: full-width
    assert len(ascii_dash(NEW_REPORT)) == 2
    assert "2 officials; the report names 3" in hint("03.8", ascii_dash)
    assert "runs on" in hint("03.8", officials(resolve=False))
    lazy = officials(name=rf"{HAN}{{2,3}}?", resolve=False)
    assert "cut short" in hint("03.8", lazy)
    swapped = [(n, b, h) for n, h, b in right]
    assert "swapped" in hint("03.8", lambda text: swapped)
    assert "马晓春 is the reporter" in hint("03.8", lambda text: [*right, ("马晓春", "记者", "")])
    assert "李卫东 appears 2 times" in hint("03.8", lambda text: [right[0], *right])
    article_cadres = [(c.name, c.home_post, c.host_post) for c in find_cadres(ARTICLE)]
    message = hint("03.8", lambda text: article_cadres)
    assert "not one of the seconded officials named in the report" in message
    first = right[0]
    with_quote = [(first[0], first[1], first[2] + "的李卫东说：“我们"), *right[1:]]
    assert "still contains punctuation" in hint("03.8", lambda text: with_quote)
    # A list typed in for this report does not read the others.
    message = hint("03.8", lambda text: right)
    assert "not one of the seconded officials named in another report" in message
    library = hint(
        "03.8", lambda text: [(c.name, c.home_post, c.host_post) for c in find_cadres(text)]
    )
    assert "library's find_cadres" in library


# ---------------------------------------------------------------- 03.9: widen a pattern

_HAN = r"[\u4e00-\u9fff]"
_POST = "[^,，、。;；:：!！?？“”()（）]"


def _dash(names: str = "{2,4}", verb: str = "挂(?:职担)?任", host: str = f"{_POST}+"):
    return re.compile(
        rf"——(?P<name>{_HAN}{names})[,，](?P<home>{_POST}+)[,，]{verb}(?P<host>{host})"
    )


def test_03_9_the_widened_pattern_passes():
    passes("03.9", _dash())


def test_03_9_the_lessons_pattern_misses_the_four_character_names():
    message = hint("03.9", _dash(names="{2,3}", verb="挂任"))
    assert message == (
        "a four-character name is still missed: let the name group take 2 to 4 characters "
        "(复姓 such as 司马, 欧阳)"
    )


def test_03_9_only_the_longer_names_still_misses_the_other_verb():
    assert hint("03.9", _dash(verb="挂任")) == (
        "it still misses 王磊: does the verb accept 挂职担任 as well as 挂任?"
    )


def test_03_9_a_host_group_that_runs_on_is_named():
    assert hint("03.9", _dash(host=".+")) == (
        "it finds 司马文静、欧阳志远、王磊、高岩, but not the posts as written: "
        "check where the home and host groups end"
    )


def test_03_9_a_string_or_a_pattern_without_groups_gets_a_hint():
    assert hint("03.9", _dash().pattern) == (
        "compile the pattern: the answer is re.compile(...), the WIDE_DASH itself"
    )
    assert hint("03.9", re.compile("——(.+)")) == (
        "the pattern needs the named groups name, home and host (missing: home, host, name)"
    )


# ---------------------------------------------------------------- the new hints, in Chinese

#: Wrong answers that bring out the hints of 03.1, 03.2 and 03.5 a function or pattern answer
#: gets: a value typed in, a call of the library's finder, and wrong functions.
NEW_HINTS = {
    "03.1 lazy name": ("03.1", shape_1(".+?")),
    "03.1 short name": ("03.1", shape_1(rf"(?:{HAN}){{2}}")),
    "03.2 list typed in": ("03.2", answer_2()),
    "03.2 find_cadres": ("03.2", find_cadres),
    "03.2 name cut short": ("03.2", finder(name=rf"{HAN}{{2,3}}?", resolve=False)),
    "03.2 ASCII commas only": ("03.2", finder(comma=",", normalised=False)),
    "03.2 a dict returned": ("03.2", lambda text: {row[0]: row[1:] for row in four_shapes(text)}),
    "03.5 pair typed in": ("03.5", (33, 21)),
    "03.5 number typed in": ("03.5", 33),
    "03.5 same pair for every text": ("03.5", lambda text: (33, 21)),
    "03.5 find_quantities": ("03.5", find_quantities),
    "03.5 years counted": ("03.5", counter(dates=True)),
    "03.5 facts are mentions": ("03.5", counter(facts=len)),
    "03.5 facts too small": ("03.5", counter(facts=lambda found: len(set(found)) - 1)),
    "03.5 not a pair": ("03.5", lambda text: figures_of(text)),
}
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{3,} [A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")


@pytest.mark.parametrize(("qid", "answer"), NEW_HINTS.values(), ids=NEW_HINTS.keys())
def test_the_new_hints_have_chinese_verdicts(qid, answer):
    english = hint(qid, answer)
    chinese = translate(english, "zh-CN")
    # Chinese words of its own, beyond the article's characters the hint quotes.
    assert set(re.findall(r"[\u4e00-\u9fff]", chinese)) - set(english), chinese
    assert not _ENGLISH_RUN.search(chinese), f"English left in {chinese!r} (from {english!r})"
