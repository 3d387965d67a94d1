"""Checks for exercise 01 · Reading the article: bytes, encodings, commas, normalising.

The texts a question gives (bytes to decode, a mixed sentence, a full-width sentence, a raw
text to clean) are repeated here, so that each truth is computed from the same input the
student works on; a test keeps them equal to the notebook's. A function answer is judged on
the probes in force (`probes_of`): the inputs kept here in a self-check, or the grader's.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from secondment.checks import Hint, own_probes, probes_of, question
from secondment.checks.expect import (
    call_answer,
    course_article,
    expect_number,
    expect_sequence,
    expect_text,
    expect_type,
    regex_problem,
)

#: Question 01.3: a sentence from another report, as GBK bytes.
MYSTERY = (
    b"2016\xc4\xea3\xd4\xc2\xa3\xac\xb1\xb1\xbe\xa9\xca\xd0\xd1\xa1\xc5\xc9\xb5\xc430\xc3\xfb"
    b"\xb8\xc9\xb2\xbf\xb5\xbd\xba\xd3\xb1\xb1\xca\xa1\xb9\xd2\xd6\xb0\xa3\xac\xce\xaa\xc6\xda"
    b"\xd2\xbb\xc4\xea\xa1\xa3"
)

#: Question 01.5: a passage pasted together from two websites, one with each kind of comma.
MIXED = (
    "近日，北京市发展改革委副主任李明到河北省廊坊市调研,挂任廊坊市副市长的王刚陪同。"
    "他说，京冀合作项目已有20多个,涉及交通、生态、产业。"
)

#: Question 01.7: a sentence typed with full-width digits and punctuation.
FULL_WIDTH = (
    "２０１６年３月，北京市选派３０名干部赴河北挂职（为期一年），涉及交通、生态、产业……等领域。"
)

#: Question 01.8: a short report as a Windows editor saved it.
RAW = (
    "\ufeff京冀挂职干部座谈会在石家庄召开\r\n"
    "\r\n"
    "\u3000\u3000本报讯（记者\u3000王芳）２０１６年６月１０日，北京市赴河北挂职干部座谈会在石家庄召开。\r\n"
    "\u3000\u3000\r\n"
    "\u3000\u3000今年３月，北京市选派３０名干部到河北挂职，为期一年。"
    "挂任河北省交通运输厅副厅长的刘建平说：“百日来，我们对接项目１２个，召开协调会２０余次。”\r\n"
    "\r\n"
    "\u3000\u3000座谈会上，１０名挂职干部交流了工作体会。\r\n"
)

_FULL_WIDTH_TWINS = re.compile("[\uff01-\uff5e]")

#: For an answer cell that raised UnicodeDecodeError: which encoding the bytes really are.
ARTICLE_IS_UTF8 = "the article file is UTF-8 (3 bytes per hanzi): read it with encoding='utf-8'"
MYSTERY_IS_GBK = "these bytes are GBK (2 bytes per hanzi), not UTF-8: decode them with 'gbk'"


def _a(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _pair(answer: Any, what: str) -> tuple[Any, Any]:
    """Two values from a tuple or list of length 2, or a Hint."""
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (tuple, list)):
        raise Hint(
            f"the answer should be a tuple of two values ({what}), not {_a(type(answer).__name__)}"
        )
    if len(answer) != 2:
        raise Hint(f"the answer should hold two values ({what}); it holds {len(answer)}")
    return answer[0], answer[1]


def _number(value: Any, expected: int, what: str) -> None:
    if isinstance(value, float) and not value.is_integer():
        raise Hint(f"{what} should be a whole number")
    expect_number(value, expected, what=what)


# ---------------------------------------------------------------- 01.1 bytes and characters


#: Question 01.1: UTF-8 bytes the student's function has not seen, besides the article's.
SIZE_TEXTS = (MIXED, "abc, 123", "河北百名干部挂职北京 5个多月干成了什么?")


def _size_probes() -> list[tuple[bytes]]:
    from secondment.paths import article_path

    return [(article_path().read_bytes(),), *((t.encode("utf-8"),) for t in SIZE_TEXTS)]


def _run_function(answer: Any, name: str, text: Any, label: str) -> Any:
    """Call a function answer (rebuilt from its results in the kernel), or a hint; the texts
    are the article's kind, UTF-8, which a UnicodeDecodeError's hint says."""
    if not callable(answer):
        raise Hint(
            f"the answer should be your function itself (answer = {name}), not "
            f"{_a(type(answer).__name__)}: the check runs it on texts you have not seen"
        )
    return call_answer(answer, text, label, decode_hint=ARTICLE_IS_UTF8)


def _sizes(data: bytes) -> tuple[int, int]:
    """The truth of 01.1 for any UTF-8 bytes: (bytes, characters)."""
    return len(data), len(data.decode("utf-8"))


@question("01.1", probes=_size_probes, decode_hint=ARTICLE_IS_UTF8, reference=_sizes)
def q1(answer: Any) -> str:
    labels = ["the article's bytes", "the bytes of `mixed`", "ASCII bytes", "the headline's bytes"]
    known = dict(zip([data for (data,) in own_probes("01.1")], labels, strict=True))
    for (data,) in probes_of("01.1"):
        n_bytes, text = len(data), data.decode("utf-8")
        label = known.get(data) or f"the text {text[:14]}…"
        got = _run_function(answer, "sizes", data, label)
        n_chars = len(text)
        got_bytes, got_chars = _pair(got, "bytes, characters")
        if (got_bytes, got_chars) == (n_bytes, n_chars):
            continue
        if (got_bytes, got_chars) == (n_chars, n_bytes):
            raise Hint("the two numbers are swapped: bytes first, then characters")
        if got_chars == n_bytes:
            raise Hint(
                "the second number counts bytes too: count the characters of the decoded text"
            )
        if got_bytes == n_chars:
            raise Hint("the first number counts characters: count the bytes themselves")
        _number(got_bytes, n_bytes, f"for {label}, the number of bytes")
        if got_chars == sum(1 for ch in text if not ch.isascii()):
            raise Hint(
                "you counted only the non-ASCII characters; len() of the text counts them all"
            )
        _number(got_chars, n_chars, f"for {label}, the number of characters")
    data = _size_probes()[0][0]
    return (
        f"right: the article's {len(data)} bytes hold {len(data.decode('utf-8'))} characters, "
        "most of them 3 bytes each"
    )


# ---------------------------------------------------------------- 01.2 one headline, two encodings


@question("01.2")
def q2(answer: Any) -> str:
    headline = course_article().title
    utf8, gbk = len(headline.encode("utf-8")), len(headline.encode("gbk"))
    got_utf8, got_gbk = _pair(answer, "bytes in UTF-8, bytes in GBK")
    if (got_utf8, got_gbk) == (gbk, utf8):
        raise Hint("the two numbers are swapped: UTF-8 first, then GBK")
    if (got_utf8, got_gbk) == (3, 2):
        raise Hint("that is right for one hanzi; the question asks for the whole headline")
    n = len(headline)
    if (got_utf8, got_gbk) == (3 * n, 2 * n):
        raise Hint("you counted every character as a hanzi; the space, the digit and `?` are ASCII")
    if got_utf8 == n or got_gbk == n:
        raise Hint(f"{n} is the number of characters; encode the headline and count the bytes")
    _number(got_utf8, utf8, "the number of UTF-8 bytes")
    _number(got_gbk, gbk, "the number of GBK bytes")
    return "right: a hanzi takes 3 bytes in UTF-8 and 2 in GBK; ASCII takes 1 in both"


# ---------------------------------------------------------------- 01.3 decode the mystery bytes


@question("01.3", decode_hint=MYSTERY_IS_GBK)
def q3(answer: Any) -> str:
    from secondment.article import normalise

    truth = MYSTERY.decode("gbk")
    if isinstance(answer, (bytes, bytearray)):
        raise Hint("the answer is still bytes: decode them to get a str")
    expect_type(answer, str, what="the answer")
    got = answer.strip()
    if "\ufffd" in got:
        raise Hint(
            "the text contains �: errors='replace' hides a wrong encoding, it does not fix it"
        )
    if got == normalise(truth):
        return "right (and normalised too): these bytes were GBK, two bytes per hanzi"
    if any(got == MYSTERY.decode(c) for c in ("latin-1", "cp1252", "big5")):
        raise Hint(
            "this is mojibake: the bytes decoded without an error, but with the wrong encoding"
        )
    expect_text(got, truth, what="the decoded text")
    return "right: these bytes were GBK, two bytes per hanzi"


# ---------------------------------------------------------------- 01.4 two commas


#: Question 01.4: texts the student's comma counter has not seen, besides the article.
COMMA_TEXTS = (
    MIXED,
    "２０１６年３月，北京市选派３０名干部赴河北挂职，为期一年，涉及交通、生态、产业。",
    "交通、生态、产业,三个领域,两地共同推进。",
)


def _comma_probes() -> list[tuple[str]]:
    from secondment.article import normalise, read_article_text

    return [(t,) for t in (normalise(read_article_text()), *COMMA_TEXTS)]


def _comma_counts(text: str) -> tuple[int, int]:
    """The truth of 01.4 for any text: (ASCII commas, full-width commas)."""
    return text.count(","), text.count("，")


@question("01.4", probes=_comma_probes, decode_hint=ARTICLE_IS_UTF8, reference=_comma_counts)
def q4(answer: Any) -> str:
    labels = ["the article", "`mixed`", "a full-width sentence", "a sentence with 、 and ,"]
    known = dict(zip([text for (text,) in own_probes("01.4")], labels, strict=True))
    for (text,) in probes_of("01.4"):
        label = known.get(text) or f"the text {text[:14]}…"
        got = _run_function(answer, "count_commas", text, label)
        got_ascii, got_full = _pair(got, "ASCII commas, full-width commas")
        ascii_n, full_n = text.count(","), text.count("，")
        if (got_ascii, got_full) == (ascii_n, full_n):
            continue
        if (got_ascii, got_full) == (full_n, ascii_n):
            raise Hint("the two numbers are swapped: ASCII `,` first, then full-width `，`")
        if text.count("、") in (got_ascii, got_full) and text.count("、"):
            raise Hint("you counted `、`, the enumeration comma (顿号); the question is about `，`")
        if got_ascii == ascii_n + full_n and full_n:
            raise Hint(f"on {label} the first number should count only the ASCII commas")
        _number(got_ascii, ascii_n, f"on {label}, the number of ASCII commas `,`")
        _number(got_full, full_n, f"on {label}, the number of full-width commas `，`")
    text = _comma_probes()[0][0]
    return (
        f"right: {text.count(',')} ASCII commas and {text.count('，')} full-width ones in this "
        "article, and your function counts both widths in any text"
    )


# ---------------------------------------------------------------- 01.5 a pattern for both commas


def _commas(text: str) -> list[str]:
    return [ch for ch in text if ch in ",，"]


@question("01.5")
def q5(answer: Any) -> str:
    from secondment.article import read_article_text

    if type(answer).__name__ == "Pattern" and not isinstance(answer, re.Pattern):
        raise Hint(
            "this pattern is compiled from bytes (rb'...'): the texts are str, so write a str"
        )
    expect_type(answer, str, re.Pattern, what="the answer (a pattern)")
    # A compiled pattern is judged as it is, with its flags (re.VERBOSE changes what it finds).
    try:
        pattern = answer if isinstance(answer, re.Pattern) else re.compile(answer)
    except re.error as exc:
        raise Hint(f"this is not a valid regular expression: {regex_problem(exc)}") from None
    if pattern.groups:
        raise Hint("leave out the round brackets: the pattern needs no group")
    article = read_article_text()
    for label, sample in (
        ("`mixed`", MIXED),
        ("the article", article),
        ("a full-width copy of the article", article.replace(",", "，")),
        ("the test text `甲,。乙，、丙,，丁|戊`", "甲,。乙，、丙,，丁|戊"),
    ):
        found, want = pattern.findall(sample), _commas(sample)
        if found == want:
            continue
        if "," in want and "," not in found and found and set(found) <= {"，"}:
            raise Hint(
                f"in {label} the pattern finds only the full-width ，, but this text also uses "
                "the ASCII `,` (the article has only ASCII commas): put both widths in one class"
            )
        if any(m == "" for m in found):
            raise Hint("the pattern also matches empty text; it must match exactly one comma")
        if any(len(m) > 1 and set(m) <= {",", "，"} for m in found):
            raise Hint(
                f"in {label} the pattern matches two commas in a row as one; "
                "it must find each comma on its own"
            )
        extra = sorted({m for m in found if m not in (",", "，")})
        if "|" in extra:
            raise Hint(
                f"in {label} the pattern also matches `|`: inside [ ] every character is one "
                'of the choices, so | there means the character |, not "or"; write [,，] '
                "or ,|，"
            )
        if extra:
            shown = " ".join(f"`{m}`" for m in extra[:3])
            raise Hint(f"in {label} the pattern also matches what is not a comma: {shown}")
        for mark, name in ((",", "ASCII"), ("，", "full-width")):
            missed = want.count(mark) - found.count(mark)
            if missed > 0:
                raise Hint(f"in {label} the pattern misses {missed} {name} comma(s) `{mark}`")
        raise Hint(f"in {label} the pattern does not find each comma on its own")
    return "right: one pattern for both commas works on ASCII, full-width and mixed text"


# ---------------------------------------------------------------- 01.6 the doubled caption


@question("01.6", decode_hint=ARTICLE_IS_UTF8)
def q6(answer: Any) -> str:
    article = course_article()
    caption = article.caption
    if isinstance(answer, (list, tuple)):
        raise Hint("the answer should be one str, the caption once, not a list of pieces")
    expect_type(answer, str, what="the caption")
    got = answer.strip()
    if got.count(caption) >= 2:
        raise Hint("your text still holds the caption twice: keep one copy")
    if (got in article.lede or article.lede in got) and got not in caption:
        raise Hint(
            "that is the first paragraph, which tells almost the same; take the caption line"
        )
    expect_text(got, caption, what="the caption")
    return "right: one copy of the caption, as lesson 02's parser keeps it"


# ---------------------------------------------------------------- 01.7 normalise vs NFKC


@question("01.7")
def q7(answer: Any) -> str:
    from secondment.article import normalise

    mine = normalise(FULL_WIDTH)
    nfkc = unicodedata.normalize("NFKC", FULL_WIDTH)
    text, same = _pair(answer, "the normalised sentence, whether NFKC gives the same")
    expect_type(text, str, what="the first value (the normalised sentence)")
    text = text.strip()
    if text == nfkc and nfkc != mine:
        raise Hint(
            "the first value is NFKC's result (`……` became dots): use the course's normalise"
        )
    if text == FULL_WIDTH:
        raise Hint("the first value is the sentence as given: normalise it")
    if _FULL_WIDTH_TWINS.search(text):
        raise Hint("the first value still contains full-width digits or punctuation (２ ， （)")
    expect_text(text, mine, what="the first value")
    if not isinstance(same, bool):
        raise Hint("the second value should be True or False, the result of comparing with ==")
    if same != (mine == nfkc):
        raise Hint("the second value is wrong: compare the two results with == and print both")
    return "right: normalise keeps 、 and ……, NFKC turns the ellipsis into six dots"


# ---------------------------------------------------------------- 01.8 clean a raw text


@question("01.8")
def q8(answer: Any) -> str:
    from secondment.article import normalise

    truth = [line.strip() for line in normalise(RAW).splitlines() if line.strip()]
    if isinstance(answer, str):
        raise Hint("the answer should be a list of lines (str), not one str: split it")
    expect_type(answer, list, tuple, what="the answer")
    if not all(isinstance(line, str) for line in answer):
        raise Hint("every item of the list should be a str, one line of the text")
    if any(not line.strip() for line in answer):
        raise Hint("the list still holds empty lines: keep only lines with text")
    if any("\ufeff" in line for line in answer):
        raise Hint("an invisible BOM (U+FEFF) is still in the first line; print repr() of it")
    if any(line != line.strip() for line in answer):
        raise Hint("some lines still start or end with spaces: strip() each line")
    if any("\u3000" in line for line in answer):
        raise Hint("an ideographic space U+3000 is still inside a line; print repr() of the lines")
    if any(_FULL_WIDTH_TWINS.search(line) for line in answer):
        raise Hint("some lines still contain full-width punctuation or digits (， ： （ ２)")
    if list(answer) != truth and sorted(answer) == sorted(truth):
        raise Hint("these are the right lines, but not in their order in the text")
    expect_sequence(answer, truth, what="the list of lines")
    return f"right: {len(truth)} clean lines, ready for the parser"
