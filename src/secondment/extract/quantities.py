"""Quantities: a number, its qualifier and its measure word, as written (`60多次`, `约40个`)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from secondment.article import Article
from secondment.extract.clauses import paragraphs, sentences
from secondment.extract.normalise import normalise
from secondment.extract.numbers import CN_NUMERAL, parse_number

__all__ = ["MEASURE_WORDS", "TIME_UNITS", "Quantity", "find_quantities"]


@dataclass
class Quantity:
    """A number as written with its qualifier and measure word: `60多次` → 60, more_than, 次."""

    text: str
    value: float | int
    qualifier: str  # exact, more_than, about, less_than
    unit: str
    sentence: str
    paragraph: int = -1


# Measure words and units, longest first so that 小时 wins over 时. A number followed by
# anything else (两地, 三地 …) is not a quantity of something.
MEASURE_WORDS = sorted(
    """次 人次 个 项 家 名 位 人 天 日 周 年 小时 分钟 秒 条 座 所
    件 批 元 万元 亿元 美元 公里 千米 米 平方公里 平方米 亩 公顷 吨
    万吨 辆 处 场 期 届 户 轮 篇 份 本 台 倍 层 节 部 支 种 类
    例 张 架 艘 棵 株 只 头 所 间 套 栋 幢 趟 遍 站 首 门 组
    队 对 片 块 根 段 星期 钟头 工作日 岁 成 %""".split(),
    key=len,
    reverse=True,
)
TIME_UNITS = {"年", "月", "天", "日", "周", "小时", "分钟", "秒"}
# Units that can follow 个 (`5个月`, `三个小时`); after 个 anything else is the counted noun.
_AFTER_GE = {"月", "小时", "星期", "钟头", "工作日"}
_NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?(?:[万亿])?|{CN_NUMERAL}+)"
_QUANTITY = re.compile(
    rf"(?P<pre>约|近|超过|逾|将近|大约|不到|不足)?"
    rf"(?<![\d第数几上成{CN_NUMERAL[1:-1]}.])(?P<num>{_NUM})"
    rf"(?P<more>多|余)?(?P<ge>个)?(?P<more2>多|半)?"
    rf"(?P<unit>{'|'.join(map(re.escape, MEASURE_WORDS))}|月)"
    # 多 after the unit (一年多, 两天多) but not before a noun that 多 qualifies (一天多次).
    rf"(?P<post>左右|以上|以下|上下|开外|多(?![次个项家名位人种轮场所批]))?"
)
_YEARISH = re.compile(r"(?:18|19|20)\d\d")
_DATE_SPAN = re.compile(
    r"(?:(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:度)?)?\d{1,2}月(?:\d{1,2}[日号])?"
    r"|\d{4}年(?:度|代|底|初|末)?|\d{1,2}[日号]"
)
_QUALIFIER_PRE = {"约": "about", "近": "about", "大约": "about", "将近": "about",
                  "超过": "more_than", "逾": "more_than",
                  "不到": "less_than", "不足": "less_than"}  # fmt: skip
_QUALIFIER_POST = {"左右": "about", "上下": "about", "以上": "more_than", "开外": "more_than",
                   "以下": "less_than", "多": "more_than"}  # fmt: skip


def _date_mask(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATE_SPAN.finditer(sentence)]


def _quantities_in(sentence: str, paragraph: int = -1) -> list[Quantity]:
    # Matched on the normalised form (traditional 個 reads as 个); text is cut as printed.
    printed, sentence = sentence, normalise(sentence)
    masked = _date_mask(sentence)
    found = []
    for m in _QUANTITY.finditer(sentence):
        start, end = m.span("num")[0], m.end()
        if any(a <= start < b for a, b in masked):
            continue  # a year, month or day, not an amount
        num, unit = m["num"], m["unit"]
        cut = bool(m["ge"]) and unit not in _AFTER_GE
        if cut:
            # `3个项目`: 个 is the measure word and 项目 the noun, not `3个` + 项.
            unit, end = "个", m.end("ge")
        if unit == "月" and not m["ge"]:
            continue  # `5月` is May; `5个月` is five months
        if unit == "年" and _YEARISH.fullmatch(num):
            continue  # `2022年冬奥会` names a year
        if num == "一" and unit not in TIME_UNITS:
            continue  # `一座桥`, `一员`: the indefinite article, not a count
        if num == "一" and sentence[start - 1 : start] == "每":
            continue  # `每一天` is "every single day", not an amount of one day
        if m["post"] == "多" and unit not in TIME_UNITS:
            end = m.end("unit")  # `3个多` is not written; 多 after a unit qualifies only time
        if re.fullmatch(CN_NUMERAL + "+", num) and len(num) == 1 and m["ge"] is None:
            # `两地`, `三地` are excluded by the measure-word list; a bare `万`/`亿` is not a number
            if num in "万亿":
                continue
        try:
            value = parse_number(num)
        except ValueError:
            continue
        qualifier = "exact"
        if m["more"] or (m["more2"] == "多" and not cut):
            qualifier = "more_than"
        if m["post"] and not cut and (m["post"] != "多" or unit in TIME_UNITS):
            qualifier = _QUALIFIER_POST[m["post"]]
        text_start = start
        if m["pre"]:
            qualifier = _QUALIFIER_PRE[m["pre"]]
            text_start = m.start()
        if m["more2"] == "半" and not cut:
            value = value + 0.5
        text = printed[text_start:end]
        found.append(Quantity(text, value, qualifier, unit, printed, paragraph))
    return found


def find_quantities(source: Article | str) -> list[Quantity]:
    """Every quantity mentioned in the body (one row per mention), in reading order."""
    return [replace(q) for q in _quantities_of(tuple(paragraphs(source)))]


# `tables` reads the same body more than once (tables, then a check that they are not
# empty): a small cache keyed on the paragraphs keeps a 2 MB text well under 3 s. Callers get
# copies, so the cached records cannot be changed through them.
@functools.lru_cache(maxsize=4)
def _quantities_of(paragraphs: tuple[tuple[int, str], ...]) -> tuple[Quantity, ...]:
    out: list[Quantity] = []
    for index, text in paragraphs:
        for sentence in sentences(text):
            out.extend(_quantities_in(sentence, index))
    return tuple(out)
