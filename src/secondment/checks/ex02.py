"""Checks for the exercises of lesson 02, parsing the page's structure with regular expressions.

Expected values come from the course article through `secondment.article`, or, for the last
question, from `parse_article` run on a page the article never showed (`NEW_PAGE`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from numbers import Integral
from typing import Any

from secondment.checks import Hint, probes_of, question
from secondment.checks.expect import (
    course_article,
    expect_number,
    expect_text,
    expect_type,
    regex_problem,
    shown,
)

#: The page of question 02.8: another paper's report, the other way round (Beijing → Hebei),
#: with full-width punctuation. The exercise notebook shows the same text as `new_page`.
NEW_PAGE = """分享
2016年03月15日 08:05 要闻

分享

  京城干部扎根燕赵 半年交出新答卷

  近日，北京市卫生计生委副主任、挂任河北省卫生计生委副主任的刘晓军在保定调研医疗合作项目。半年来，北京赴冀挂职干部组织对接活动70多次，推动京冀合作项目40余个。

  □本报记者 王 芳

  2015年7月，北京选派100名干部赴河北挂职，为期一年，涉及医疗、教育、交通、环保等领域。

  他们是河北的一员——扎根基层、服务群众，完成各项工作任务180多项

  ——孙立新，北京市东城区教委副主任，挂任张家口市教育局副局长。他推动两地12所学校结成对子，组织教师培训30余期。

  “我们不是来做客的。”刘晓军对记者说。

  他们是合作推动者——推进京冀医疗、教育资源共享

  在刘晓军等人推动下，北京5家三甲医院与河北8家医院建立合作关系，河北患者在家门口就能看上北京专家门诊。

  北京市经信委处长郑海涛挂任廊坊市副市长，半年来帮助引进北京企业23家，总投资超过60亿元。

  原标题：北京赴冀挂职干部半年交出新答卷

责任编辑：陈静 BJ017

相关阅读

代课教师每月200元补贴何时能涨？

一位乡村代课教师的来信，让人感慨。

  • 京津冀交通一体化再提速
  • 0"""


def _raw() -> str:
    from secondment.article import normalise, read_article_text

    return normalise(read_article_text())


def _newcourse_article() -> Any:
    from secondment.article import parse_article

    return parse_article(NEW_PAGE)


# ---------------------------------------------------------------- 02.1 the share buttons


@question("02.1")
def q1(answer: Any) -> str:
    if isinstance(answer, (list, tuple)):
        raise Hint("you have the matches themselves; the answer is how many there are: len(...)")
    expected = sum(1 for line in _raw().split("\n") if line == "分享")
    if answer == 0 and not isinstance(answer, bool):
        raise Hint(
            "0 lines: without re.MULTILINE, ^ and $ only match at the start and end of the "
            "whole text"
        )
    expect_number(answer, expected, what="the number of lines")
    return f"right: {expected} lines are exactly 分享, and ^…$ with re.MULTILINE finds each one"


# ---------------------------------------------------------------- 02.2 the ISO timestamp


def _iso_problem(answer: Any, expected: str, what: str) -> None:
    """Raise a Hint unless answer is the ISO text `expected` (`YYYY-MM-DDTHH:MM`)."""
    from datetime import datetime

    if isinstance(answer, datetime):
        raise Hint(f"{what} should be text (a str), not a datetime: build the string itself")
    expect_type(answer, str, what=what)
    got = answer.strip()
    if got == expected:
        return
    if re.search("[年月日]", got):
        raise Hint(f"{what} still has 年/月/日 in it: build the ISO form from the groups")
    date, _, time = expected.partition("T")
    if " " in got and got.split()[0] == expected:
        raise Hint(f"{what}: leave the channel after the time out")
    if got == date:
        raise Hint(f"{what} has the date but not the time")
    if got == f"{date} {time}":
        raise Hint(f"{what}: ISO 8601 puts a T between the date and the time, not a space")
    if got.startswith(time) or got.endswith(date):
        raise Hint(f"{what}: the date comes first, then T, then the time")
    if len(got) < len(expected) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}T\d{1,2}:\d{2}", got):
        raise Hint(f"{what}: pad month, day and hour to two digits (:02d), e.g. 03 not 3")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", got):
        raise Hint(f"{what}: the page gives hours and minutes only; leave the seconds out")
    raise Hint(f"{what} should look like YYYY-MM-DDTHH:MM, built from the page's timestamp")


@question("02.2")
def q2(answer: Any) -> str:
    _iso_problem(answer, course_article().published, "the timestamp")
    return "right: ISO 8601 text sorts as it should and datetime.fromisoformat reads it"


# ---------------------------------------------------------------- 02.3 the reporter


def _reporter_problem(answer: Any, expected: str, what: str = "the reporter") -> None:
    expect_type(answer, str, what=what)
    got = answer.strip()
    if got == expected:
        return
    if re.sub(r"\s+", "", got) == expected:
        raise Hint(
            f"{what}: one person whose two-character name is padded with a space; drop the space"
        )
    if re.sub(r"[\s、,，]+", "", got) == expected:
        raise Hint(f"{what} is one person, not two: join the characters without a separator")
    if "记者" in got:
        raise Hint(f"{what}: only the name, without the outlet and 记者")
    if re.search(r"[。!?“”\"]", got):
        raise Hint(f"{what} is not a name: is your byline pattern anchored at the start (^□)?")
    if got and got in expected:
        raise Hint(f"{what} is only part of the name")
    raise Hint(f"{what} is not right yet: the name comes after 记者 on the byline")


#: Question 02.3: the lines of pages the student's function has not seen, with the reporter
#: each names: a line mentioning 记者 before the byline, two outlets, a padded name.
BYLINE_PAGES = (
    (
        (
            "分享",
            "记者从省发改委获悉,京冀合作项目已有20多个。",
            "□本报记者 李卫华",
            "2015年7月,两地签约。",
        ),
        "李卫华",
    ),
    (("□河北日报、长城网记者 周 岩", "近日,记者在保定看到,新区建设正在加快。"), "周岩"),
)


def _lines(text: str) -> list[str]:
    from secondment.article import normalise

    return [line.strip() for line in normalise(text).split("\n") if line.strip()]


def _byline_cases() -> list[tuple[str, list[str], str]]:
    """(where, the page's lines, its reporter): the article, 02.8's page, BYLINE_PAGES."""
    from secondment.article import read_article_text

    cases = [("the article", _lines(read_article_text()), course_article().reporter)]
    cases.append(("the page of question 8", _lines(NEW_PAGE), _newcourse_article().reporter))
    cases += [
        (f"a page starting {lines[0][:8]}…", list(lines), name) for lines, name in BYLINE_PAGES
    ]
    return cases


def _byline_probes() -> list[tuple[str, list[str], str]]:
    """The cases of the probes in force (`probes_of`): the ones above in a self-check; the
    grader's pages are read by `parse_article`, which gives the reporter of each case above."""
    own = {tuple(lines): (where, name) for where, lines, name in _byline_cases()}
    cases = []
    for (lines,) in probes_of("02.3"):
        where, name = own.get(tuple(lines)) or (
            f"a page starting {lines[0][:8]}…",
            _reporter_of(lines),
        )
        cases.append((where, list(lines), name))
    return cases


def _reporter_of(lines: list[str]) -> str:
    """The truth of 02.3 for any page's lines: the reporter `parse_article` reads."""
    from secondment.article import parse_article

    return parse_article("\n".join(lines)).reporter


@question(
    "02.3",
    probes=lambda: [(lines,) for _, lines, _ in _byline_cases()],
    reference=_reporter_of,
)
def q3(answer: Any) -> str:
    from secondment.checks.answers import RecordedError

    if not callable(answer):
        raise Hint(
            "the answer should be your function itself (answer = reporter), not "
            f"{'a str' if isinstance(answer, str) else type(answer).__name__}: the check runs it "
            "on the lines of pages you have not seen"
        )
    for where, lines, name in _byline_probes():
        try:
            got = answer(lines)
        except RecordedError as exc:
            raise Hint(f"your function raised {exc} on {where}") from None
        except LookupError:
            raise Hint("the check could not run your function on its pages") from None
        what = "the reporter" if where == "the article" else f"the reporter of {where}"
        _reporter_problem(got, name, what=what)
    return "right: one reporter; newspapers pad two-character names to line up bylines"


# ---------------------------------------------------------------- 02.4 the caption


@question("02.4")
def q4(answer: Any) -> str:
    if answer is None:
        raise Hint("None: your pattern matched no line (strip the lines first, as `page` does)")
    if type(answer).__name__ == "Match":
        raise Hint("that is a match object: take the text of the group, e.g. m[1]")
    expect_type(answer, str, what="the caption")
    expected = course_article().caption
    got = answer.strip()
    if got.count(expected) >= 2:
        raise Hint("that is the whole line, with the caption in it twice: keep one copy")
    if got and got not in expected and got in course_article().lede:
        raise Hint("that text comes from the lede, in the body; the caption is a line of chrome")
    expect_text(got, expected, what="the caption")
    return "right: \\1 matches exactly what group 1 matched, so only a doubled line fits"


# ---------------------------------------------------------------- 02.5 labels and kickers


@question("02.5")
def q5(answer: Any) -> str:
    expected = [(s.label, s.kicker) for s in course_article().sections]
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (list, tuple)):
        expect_type(answer, list, what="the answer")
    if any(isinstance(item, str) for item in answer):
        raise Hint("each item should be a pair (label, kicker), not one string")
    if any(isinstance(item, Mapping) for item in answer):
        raise Hint("each item should be a pair (label, kicker), e.g. a tuple, not a dict")
    if not all(isinstance(item, (list, tuple)) and len(item) == 2 for item in answer):
        raise Hint("each item should be a pair of two strings: (label, kicker)")
    if not all(isinstance(part, str) for item in answer for part in item):
        raise Hint("the label and the kicker should both be strings (use m[1] and m[2])")
    got = [(label.strip(), kicker.strip()) for label, kicker in answer]
    if len(got) != len(expected):
        raise Hint(
            f"{len(got)} pairs, but the page has {len(expected)} section headings: which lines "
            "start with 他们是?"
        )
    if got == expected:
        return "right: the label before ——, the kicker after it, in the order of the page"
    if got == [(k, lab) for lab, k in expected]:
        raise Hint("label and kicker are swapped: (label, kicker) in that order")
    if sorted(got) == sorted(expected):
        raise Hint("the right pairs in the wrong order: keep the order of the page")
    labels = [lab for lab, _ in got]
    kickers = [k for _, k in got]
    if any("——" in lab or lab.endswith("—") for lab in labels):
        raise Hint("the labels still contain the dash ——: keep it out of the group")
    if any(k.startswith("—") for k in kickers):
        raise Hint("the kickers start with the dash ——: keep it out of the group")
    if labels == [lab.removeprefix("他们是") for lab, _ in expected]:
        raise Hint("the labels should keep 他们是 (they are), as in the lesson")
    if labels != [lab for lab, _ in expected]:
        raise Hint("some labels are not right yet: the label is everything before ——")
    if all(w.startswith(k) for k, (_, w) in zip(kickers, expected, strict=True)):
        raise Hint("the kickers are cut short: let the second group run to the end of the line")
    raise Hint("the labels are right, but some kickers are not: everything after ——")


# ---------------------------------------------------------------- 02.6 greedy and lazy


def _labels_found(pattern: str | re.Pattern[str], text: str) -> list[str]:
    """What `re.findall(pattern, text, re.DOTALL)` returns (group 1 if there are several)."""
    if isinstance(pattern, re.Pattern):
        pattern = re.compile(pattern.pattern, pattern.flags | re.DOTALL)
    else:
        pattern = re.compile(pattern, re.DOTALL)
    return [f if isinstance(f, str) else f[0] for f in pattern.findall(text)]


def _new_article_text() -> str:
    from secondment.article import normalise

    return normalise(NEW_PAGE)


@question("02.6")
def q6(answer: Any) -> str:
    if not isinstance(answer, re.Pattern):
        if isinstance(answer, list):
            raise Hint("the answer is the pattern itself (a str like r'...'), not what it finds")
        expect_type(answer, str, what="the pattern")
    try:
        found = _labels_found(answer, _raw())
    except re.error as exc:
        raise Hint(f"the pattern does not compile: {regex_problem(exc)}") from None
    expected = [s.label for s in course_article().sections]
    if found == expected:
        new = _labels_found(answer, _new_article_text())
        want = [s.label for s in _newcourse_article().sections]
        if new != want:
            raise Hint(
                "it works on this article, but not on another page with such headings: "
                "describe the shape, do not list the labels"
            )
        return "right: a lazy .*? (or a class such as [^—]) stops at the first ——"
    if not found:
        raise Hint("the pattern finds nothing on the page; start from the greedy one and change it")
    if len(found) < len(expected) and max(len(f) for f in found) > 100:
        raise Hint(
            f"{len(found)} match(es), up to {max(len(f) for f in found)} characters long: "
            ".* is still greedy and, with re.DOTALL, runs on to the last —— of the page"
        )
    if found == [label + "——" for label in expected]:
        raise Hint("each match ends with ——: put a group ( ) around the label only")
    if found == [label.removeprefix("他们是") for label in expected]:
        raise Hint("the label keeps 他们是: put it inside the group")
    if len(found) > len(expected):
        raise Hint(
            f"{len(found)} matches instead of {len(expected)}: the pattern should start at 他们是"
        )
    raise Hint(f"the pattern finds {shown(found[:3])}; the labels end right before ——")


# ---------------------------------------------------------------- 02.7 paragraphs per section


@question("02.7")
def q7(answer: Any) -> str:
    from collections import Counter

    paragraphs = course_article().paragraphs
    expected = dict(Counter(p.section for p in paragraphs if p.kind in ("lede", "paragraph")))
    if not isinstance(answer, Mapping):
        raise Hint(
            f"the answer should be a dict (section number → count), but it is a "
            f"{type(answer).__name__}"
        )
    if any(isinstance(k, str) for k in answer):
        raise Hint("the keys should be section numbers as int (0, 1, 2, 3), not text")
    if not all(isinstance(v, Integral) and not isinstance(v, bool) for v in answer.values()):
        raise Hint("the values should be counts (int), not the paragraphs themselves")
    got = {int(k): v for k, v in answer.items() if v}
    if got == expected:
        total = " + ".join(str(expected[k]) for k in sorted(expected))
        return f"right: {total} paragraphs, once the title and the headings are set aside"
    if 0 not in got and {k: v for k, v in expected.items() if k} == got:
        raise Hint("section 0 is missing: the lede and the paragraphs before the first heading")
    every = dict(Counter(p.section for p in paragraphs))
    if got == every:
        raise Hint("you counted the title and the headings too: look at each paragraph's kind")
    no_headings = dict(Counter(p.section for p in paragraphs if p.kind != "heading"))
    if got == no_headings:
        raise Hint("section 0: the title is not a paragraph")
    no_title = dict(Counter(p.section for p in paragraphs if p.kind != "title"))
    if got == no_title:
        raise Hint("each heading is counted with its section: leave the headings out")
    if set(got) != set(expected):
        raise Hint(f"the keys should be the sections 0 to {max(expected)}")
    wrong = sorted(k for k in expected if got.get(k) != expected[k])
    raise Hint(f"the count for section(s) {', '.join(map(str, wrong))} is not right yet")


# ---------------------------------------------------------------- 02.8 a new page


@question("02.8")
def q8(answer: Any) -> str:
    from secondment.article import normalise

    art = _newcourse_article()
    keys = ("reporter", "editor", "published", "body")
    if not isinstance(answer, Mapping):
        raise Hint(f"the answer should be a dict with the keys {', '.join(keys)}")
    missing = [k for k in keys if k not in answer]
    if missing:
        raise Hint(f"the dict is missing the key(s) {', '.join(missing)}")
    _reporter_problem(answer["reporter"], art.reporter, what="reporter")
    editor = answer["editor"]
    expect_type(editor, str, what="editor")
    if editor.strip() != art.editor:
        if art.editor in editor and art.editor_code in editor:
            raise Hint("editor: only the name, without the staff code")
        if "责任编辑" in editor:
            raise Hint("editor: only the name, without 责任编辑")
        raise Hint("editor is not right yet: the name after 责任编辑:")
    _iso_problem(answer["published"], art.published, "published")
    body = answer["body"]
    if isinstance(body, str) or not isinstance(body, (list, tuple)):
        raise Hint(f"body should be a list of lines (str), but it is a {type(body).__name__}")
    if not all(isinstance(line, str) for line in body):
        raise Hint("body should hold the lines as text (str)")
    got = [normalise(line).strip() for line in body]
    want = [p.text for p in art.paragraphs]
    if got == want:
        return (
            f"right: {len(want)} body lines; a line that mentions 记者 is not always a byline, "
            "and the title is the first line of the body"
        )
    if any(not line for line in got):
        raise Hint("body has empty lines: drop the blank lines")
    related = {normalise(r) for r in art.related}
    if any(line in related for line in got):
        raise Hint("body has lines from the related-reading block (相关阅读): stop there")
    chrome = [c for c in art.chrome if c in got]
    if chrome:
        raise Hint(f"body still has page chrome: the line {chrome[0][:12]!r}…")
    missing_lines = [line for line in want if line not in got]
    if missing_lines:
        first = missing_lines[0]
        if first == want[0]:
            raise Hint("body is missing its first line, the title")
        if "记者" in first:
            raise Hint(
                f"body is missing the line that starts {first[:10]!r}: a line that mentions "
                "记者 is not always the byline"
            )
        raise Hint(f"body is missing the line that starts {first[:10]!r}")
    if sorted(got) == sorted(want):
        raise Hint("body has the right lines in the wrong order: keep the order of the page")
    raise Hint(f"body has {len(got)} lines; the page's body has {len(want)}")
