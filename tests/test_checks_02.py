"""The checks of exercises 02: right answers pass, realistic wrong ones get a helpful hint."""

import ast
import re

import nbformat
import pytest

from secondment.article import load_article, normalise, parse_article, read_article_text
from secondment.checks import evaluate
from secondment.checks.ex02 import NEW_PAGE
from secondment.paths import require_course_root

ROOT = require_course_root()
SOLUTION = ROOT / "exercises" / "solutions" / "02-parsing-structure-solutions.ipynb"
QUESTIONS = [f"02.{n}" for n in range(1, 9)]

RAW = normalise(read_article_text())
PAGE = [line.strip() for line in RAW.split("\n") if line.strip()]
ARTICLE = load_article()
NEW = parse_article(NEW_PAGE)


def first_match(pattern, lines):
    return next((m for line in lines if (m := re.search(pattern, line))), None)


def iso(match):
    year, month, day, hour, minute = (int(group) for group in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"


STAMP = r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})"
BYLINE = r"^□(?P<outlets>.+?)记者\s*(?P<names>.+)$"
DOUBLED = r"^(.+?)\s{2,}\1$"
HEADING = r"^(他们是.+?)——(.+)$"
CHROME = [r"^分享$", STAMP, r"^□.+?记者", r"^原标题[:：]", r"^责任编辑[:：]"]


# ---------------------------------------------------------------- right answers, as solved


def right_1():
    return len(re.findall(r"^分享$", RAW, re.MULTILINE))


def right_2():
    return iso(first_match(STAMP, PAGE))


def reporter(pattern=BYLINE, clean=lambda name: re.sub(r"\s+", "", name)):
    """A student's reporter(lines) function: the first line the byline pattern matches."""
    return lambda lines: clean(first_match(pattern, lines)["names"])


def right_3():
    return reporter()


def right_4():
    return first_match(DOUBLED, PAGE)[1]


def right_5():
    return [(m[1], m[2]) for line in PAGE if (m := re.search(HEADING, line))]


def right_6():
    return r"(他们是.*?)——"


def right_7():
    counts = {}
    for paragraph in ARTICLE.paragraphs:
        if paragraph.kind in ("lede", "paragraph"):
            counts[paragraph.section] = counts.get(paragraph.section, 0) + 1
    return counts


def new_lines():
    lines = [line.strip() for line in normalise(NEW_PAGE).split("\n") if line.strip()]
    return lines[: lines.index("相关阅读")]


def right_8():
    lines = new_lines()
    return {
        "reporter": re.sub(r"\s+", "", first_match(BYLINE, lines)["names"]),
        "editor": first_match(r"^责任编辑[:：]\s*(?P<name>[\u4e00-\u9fff]+)", lines)["name"],
        "published": iso(first_match(STAMP, lines)),
        "body": [line for line in lines if not any(re.search(p, line) for p in CHROME)],
    }


RIGHT = {
    "02.1": right_1,
    "02.2": right_2,
    "02.3": right_3,
    "02.4": right_4,
    "02.5": right_5,
    "02.6": right_6,
    "02.7": right_7,
    "02.8": right_8,
}


def with_(question, **changes):
    """The right answer of a dict question with some keys changed."""
    answer = dict(RIGHT[question]())
    answer.update(changes)
    return answer


# ---------------------------------------------------------------- wrong answers and their hints

WRONG = {
    "02.1": [
        (0, "re.MULTILINE"),
        (["分享", "分享"], "len("),
        ("2", "not the text"),
        (1, "too small"),
        (3, "too big"),
    ],
    "02.2": [
        ("2016年01月04日10:42", "年/月/日"),
        ("2016-01-04 10:42", "a T between"),
        ("2016-1-4T10:42", "two digits"),
        ("2016-01-04", "not the time"),
        ("2016-01-04T10:42 综合", "channel"),
        ("2016-01-04T10:42:00", "seconds"),
        (lambda: __import__("datetime").datetime(2016, 1, 4, 10, 42), "not a datetime"),
    ],
    "02.3": [
        ("赵建", "your function itself"),  # the name typed in
        (lambda: lambda lines: "赵建", "the reporter of the page of question 8 is not right"),
        (lambda: reporter(clean=str.strip), "padded with a space"),
        (lambda: reporter(clean=lambda n: n.replace(" ", "、")), "one person, not two"),
        (lambda: reporter(r"^□(?P<names>.+)$"), "without the outlet and 记者"),
        (lambda: reporter(r"^□(?P<names>.+?)记者"), "after 记者"),
        (lambda: reporter(clean=lambda n: n[:1]), "part of the name"),
        (lambda: reporter(clean=lambda n: [n]), "should be a str"),
        (lambda: reporter(r"记者\s*(?P<names>.+)$"), "anchored at the start"),
    ],
    "02.4": [
        (lambda: first_match(DOUBLED, PAGE).string, "twice"),
        (lambda: first_match(DOUBLED, PAGE), "match object"),
        (None, "matched no line"),
        (lambda: ARTICLE.lede.split("。")[0] + "。", "from the lede"),
        (lambda: right_4()[:-5], "too short"),
    ],
    "02.5": [
        (lambda: [label for label, _ in right_5()], "a pair"),
        (lambda: [(k, lab) for lab, k in right_5()], "swapped"),
        (lambda: right_5()[::-1], "wrong order"),
        (lambda: [(lab + "——", k) for lab, k in right_5()], "still contain the dash"),
        (lambda: [(lab, "——" + k) for lab, k in right_5()], "start with the dash"),
        (lambda: [(lab[3:], k) for lab, k in right_5()], "keep 他们是"),
        (lambda: [(lab, k[:1]) for lab, k in right_5()], "cut short"),
        (
            lambda: [(m[1], m[2]) for line in PAGE if (m := re.search(r"^(.*?)——(.*)$", line))],
            "start with 他们是",
        ),
        (lambda: dict(right_5()), "should be a list"),
    ],
    "02.6": [
        (r"(他们是.*)——", "greedy"),
        (r"他们是.*?——", "ends with ——"),
        (r"他们是(.*?)——", "keeps 他们是"),
        (r"(.*?)——", "should start at 他们是"),
        (r"(他们是.*?——", "does not compile"),
        ("(他们是北京的一员|他们是对接联络员|他们是项目推进员)", "another page"),
        (r"(她们是.*?)——", "finds nothing"),
        (lambda: re.findall(r"(他们是.*?)——", RAW, re.DOTALL), "the pattern itself"),
    ],
    "02.7": [
        (lambda: {0: 4, 1: 9, 2: 8, 3: 8}, "title and the headings"),
        (lambda: {k: v for k, v in right_7().items() if k}, "section 0 is missing"),
        (lambda: {**right_7(), 0: right_7()[0] + 1}, "the title is not a paragraph"),
        (lambda: {k: v + (k > 0) for k, v in right_7().items()}, "leave the headings out"),
        (lambda: [right_7()[k] for k in sorted(right_7())], "should be a dict"),
        (lambda: {str(k): v for k, v in right_7().items()}, "as int"),
        (lambda: {k: [None] * v for k, v in right_7().items()}, "counts"),
        (lambda: {**right_7(), 2: right_7()[2] - 1}, "section(s) 2"),
    ],
    "02.8": [
        (lambda: with_("02.8", reporter="王 芳"), "padded with a space"),
        (lambda: with_("02.8", reporter="说。"), "anchored at the start"),
        (lambda: with_("02.8", editor="陈静 BJ017"), "without the staff code"),
        (lambda: with_("02.8", published="2016-03-15 08:05"), "a T between"),
        (lambda: with_("02.8", published="2016-3-15T8:05"), "two digits"),
        (lambda: with_("02.8", body=[ln for ln in new_lines() if ln != "分享"]), "page chrome"),
        (
            lambda: with_("02.8", body=[ln for ln in right_8()["body"] if "记者" not in ln]),
            "not always the byline",
        ),
        (lambda: with_("02.8", body=right_8()["body"][1:]), "the title"),
        (
            lambda: with_("02.8", body=right_8()["body"] + [normalise(r) for r in NEW.related]),
            "相关阅读",
        ),
        (lambda: with_("02.8", body="\n".join(right_8()["body"])), "a list of lines"),
        (lambda: with_("02.8", body=sorted(right_8()["body"])), "wrong order"),
        (lambda: {k: v for k, v in right_8().items() if k != "editor"}, "missing the key"),
        (lambda: list(right_8().values()), "a dict"),
    ],
}


def value(item):
    return item() if callable(item) else item


CASES = [
    pytest.param(q, answer, hint, id=f"{q}-{i}")
    for q, cases in WRONG.items()
    for i, (answer, hint) in enumerate(cases)
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_right_answer_passes(question):
    verdict = evaluate(question, RIGHT[question]())
    assert verdict.passed, verdict.message
    assert verdict.status == "correct" and verdict.message.startswith("right")


@pytest.mark.parametrize(("question", "answer", "hint"), CASES)
def test_wrong_answer_gets_a_hint(question, answer, hint):
    verdict = evaluate(question, value(answer))
    assert not verdict.passed
    assert verdict.status == "wrong", verdict.message
    assert hint in verdict.message, verdict.message


@pytest.mark.parametrize("question", QUESTIONS)
def test_placeholder_is_unanswered(question):
    assert evaluate(question, ...).status == "unanswered"


def test_every_check_is_tested_with_at_least_three_wrong_answers():
    assert sorted(WRONG) == QUESTIONS
    assert all(len(cases) >= 3 for cases in WRONG.values())


# ---------------------------------------------------------------- variations that are fine


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("02.1", 2.0),
        ("02.2", " 2016-01-04T10:42\n"),
        ("02.3", lambda: reporter(clean=lambda n: re.sub(r"\s+", "", n) + " ")),
        ("02.5", lambda: tuple([list(pair) for pair in right_5()])),
        ("02.5", lambda: [(f" {lab}", f"{k} ") for lab, k in right_5()]),
        ("02.6", r"(他们是[^—]+)——"),
        ("02.6", r"他们是[^—]+(?=——)"),
        ("02.6", lambda: re.compile(r"(他们是.*?)——")),
        ("02.7", lambda: __import__("collections").Counter(right_7())),
        ("02.7", lambda: {**right_7(), 4: 0}),
        (
            "02.8",
            lambda: with_(
                "02.8",
                body=[
                    line.strip()
                    for line in NEW_PAGE.split("\n")
                    if normalise(line).strip() in right_8()["body"]
                ],
            ),
        ),
    ],
)
def test_reasonable_variations_pass(question, answer):
    verdict = evaluate(question, value(answer))
    assert verdict.passed, verdict.message


# ---------------------------------------------------------------- the truth the checks use


def test_the_truth_for_the_course_article():
    assert right_1() == 2
    assert ARTICLE.published == "2016-01-04T10:42" and ARTICLE.reporter == "赵建"
    assert [s.label for s in ARTICLE.sections] == [
        "他们是北京的一员",
        "他们是对接联络员",
        "他们是项目推进员",
    ]


def test_parse_article_reads_the_new_page_right():
    assert NEW.reporter == "王芳"
    assert (NEW.editor, NEW.editor_code) == ("陈静", "BJ017")
    assert (NEW.published, NEW.channel) == ("2016-03-15T08:05", "要闻")
    body = [p.text for p in NEW.paragraphs]
    assert body[0] == "京城干部扎根燕赵 半年交出新答卷"
    assert "“我们不是来做客的。”刘晓军对记者说。" in body, "a quoted line with 记者 is body"
    assert [p.kind for p in NEW.paragraphs].count("heading") == 2
    assert not [line for line in body if re.search("分享|□|责任编辑|原标题|200元", line)]
    assert body == right_8()["body"]


def test_the_notebook_shows_the_page_the_check_uses():
    nb = nbformat.read(SOLUTION, as_version=4)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    given = [s for s in sources if s.startswith("new_page = ")]
    assert len(given) == 1
    assert ast.literal_eval(given[0].removeprefix("new_page = ")) == NEW_PAGE
