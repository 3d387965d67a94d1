"""Extract facts from an article's body: cadres and posts, quantities, dates, ranks."""

from __future__ import annotations

import functools
import marshal
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace

from secondment.article import Article, normalise, sentences

__all__ = [
    "Cadre",
    "Event",
    "Quantity",
    "Rank",
    "chinese_number",
    "extract_all",
    "find_cadres",
    "find_events",
    "find_quantities",
    "find_ranks",
    "parse_number",
    "post_parts",
    "unread_sentences",
]

HAN = r"[\u4e00-\u9fff]"

# --------------------------------------------------------------------------- numbers

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "[零〇一二两三四五六七八九十百千万亿]"


def chinese_number(text: str) -> int:
    """Convert a Chinese numeral such as 两, 十二, 三百五十 or 一万二千 to an int."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, section, digit, last_unit = 0, 0, None, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            if ch in "零〇":
                last_unit = 0  # 一百零五: the 五 is units again
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit, last_unit = None, _UNITS[ch]
        else:
            section += digit or 0
            total += (section or 1) * _BIG[ch]
            section, digit, last_unit = 0, None, _BIG[ch]
    if digit is not None and last_unit >= 100:
        digit *= last_unit // 10  # 三百五 is 350, 两万三 is 23000
    return total + section + (digit or 0)


def parse_number(text: str) -> float | int:
    """Convert `60`, `1,000`, `2.5` or a Chinese numeral (`两`, `百`) to a number."""
    text = text.replace(",", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿])", text)
    if m:
        value = float(m[1]) * _BIG[m[2]]
        return int(value) if value.is_integer() else value
    return chinese_number(text)


# --------------------------------------------------------------------------- quantities


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
        text = sentence[text_start:end]
        found.append(Quantity(text, value, qualifier, unit, sentence, paragraph))
    return found


def find_quantities(source: Article | str) -> list[Quantity]:
    """Every quantity mentioned in the body (one row per mention), in reading order."""
    return [replace(q) for q in _quantities_of(tuple(_paragraphs(source)))]


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


# --------------------------------------------------------------------------- dates


@dataclass
class Event:
    """A dated statement: ISO start and end (`2015-07-24`, or `2015-11` for a month)."""

    start: str
    end: str
    precision: str  # day or month
    text: str
    date_text: str
    paragraph: int = -1


_RANGE_SEP = r"(?:至|到|—|-|~|～|–)"
_EVENT = re.compile(
    r"(?P<from>自|从|于)?(?:(?P<ay>\d{4})年)?(?P<am>\d{1,2})月(?:(?P<ad>\d{1,2})[日号])?"
    r"(?:上旬|中旬|下旬|初|底|末)?"
    # The end may leave out what it shares with the start: 10月8日至12日, 2016年1月至3月.
    rf"(?:{_RANGE_SEP}(?=\d)(?:(?P<by>\d{{4}})年)?(?:(?P<bm>\d{{1,2}})月)?(?:(?P<bd>\d{{1,2}})[日号])?"
    r"(?:上旬|中旬|下旬|初|底|末)?)?"
)


def _iso(y: int, m: int, d: int | None) -> str | None:
    if not 1 <= m <= 12 or (d is not None and not 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d is not None else "")


def _range_end(m: re.Match[str], year: int, start: str) -> tuple[str, int] | None:
    """The ISO end of a range and its year, or None when the end is missing or impossible."""
    if not (m["bm"] or m["bd"]) or (m["bd"] and not m["bm"] and not m["ad"]):
        return None  # `5月至12日` names no day to start from: not a range we can read
    month = int(m["bm"]) if m["bm"] else int(m["am"])
    day = int(m["bd"]) if m["bd"] else None
    end_year = int(m["by"]) if m["by"] else year
    end = _iso(end_year, month, day)
    if end is not None and not m["by"] and end[:7] < start[:7]:
        # An end without a year that would come before its start is in the next year:
        # 2015年11月至3月5日 ends in March 2016.
        end_year += 1
        end = _iso(end_year, month, day)
    if end is None or end[: len(start)] < start[: len(end)]:
        return None  # no event ends before it starts
    return end, end_year


def find_events(source: Article | str, default_year: int | None = None) -> list[Event]:
    """Dates and date ranges in the body; a date without a year is placed near its neighbours."""
    published = source.published[:10] if isinstance(source, Article) else ""
    key = tuple(_paragraphs(source))
    return [replace(e) for e in _events_of(key, default_year, published or None)]


def _months(iso: str) -> float:
    """A date as a count of months, to compare distances (a month alone is its middle)."""
    day = int(iso[8:10]) if len(iso) == 10 else 15
    return int(iso[:4]) * 12 + int(iso[5:7]) - 1 + (day - 1) / 31


def _year_for(month: int, previous: str | None, published: str | None, future: bool) -> int | None:
    """The year of a date written without one, or None when nothing tells."""
    if previous:
        # Dates in a text stay close to each other: after 2015年11月下旬至12月上旬, 1月18日 is in
        # 2016; after 2016年1月6日, 12月30日 is in 2015.
        y = int(previous[:4])
        here = _months(previous)
        return min((y - 1, y, y + 1), key=lambda c: abs(c * 12 + month - 1 - here))
    if published:
        # The first date of a report is in its past (8月 in a report of April is last August),
        # unless the sentence says it is to come (将, 拟, 计划).
        y, pub = int(published[:4]), int(published[5:7])
        if future:
            return y if month >= pub else y + 1
        return y if month <= pub else y - 1
    return None


_FUTURE = re.compile(r"将|拟|计划")


@functools.lru_cache(maxsize=4)
def _events_of(
    paragraphs: tuple[tuple[int, str], ...], default_year: int | None, published: str | None
) -> tuple[Event, ...]:
    out: list[Event] = []
    seen: set[tuple[str, str, str]] = set()
    previous: str | None = None  # the last date read, as ISO
    year: int | None
    for index, text in paragraphs:
        for sentence in sentences(text):
            for m in _EVENT.finditer(sentence):
                if m["ay"]:
                    year = int(m["ay"])
                elif previous is None and default_year is not None:
                    year = default_year
                else:
                    future = bool(_FUTURE.search(sentence[max(0, m.start() - 4) : m.start()]))
                    year = _year_for(int(m["am"]), previous, published, future)
                if year is None:
                    continue
                start = _iso(year, int(m["am"]), int(m["ad"]) if m["ad"] else None)
                if start is None:
                    continue
                end, date_text = start, m[0].lstrip("自从于")
                if (read := _range_end(m, year, start)) is not None:
                    end = read[0]
                else:
                    # No readable end: the event is the start date, written as it was.
                    start_end = m.end("ad") + 1 if m["ad"] else m.end("am") + 1
                    date_text = sentence[m.start() + len(m["from"] or "") : start_end]
                previous = end
                precision = "day" if len(start) == 10 else "month"
                key = (start, end, sentence)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Event(start, end, precision, sentence, date_text, index))
    return tuple(out)


# --------------------------------------------------------------------------- ranks


@dataclass
class Rank:
    """One line of a rank breakdown: `厅局级干部15名` → rank 厅局级, count 15."""

    rank: str
    count: int
    sentence: str


_RANK_LABEL = (
    r"(?:正|副)?(?:省部|厅局|地厅|县处|乡科|厅|局|处|科|部)级"
    rf"|{HAN}{{2,4}}人才|{HAN}{{2,4}}人员"
)
_RANK_ITEM = re.compile(
    rf"(?P<rank>{_RANK_LABEL})(?:干部|领导干部|官员)?(?P<num>\d+|{CN_NUMERAL}+)(?:名|人|位)"
)


def find_ranks(source: Article | str) -> list[Rank]:
    """The rank breakdown (厅局级 15, 县处级 45 …): the first sentence listing two or more."""
    for _, text in _paragraphs(source):
        for sentence in sentences(text):
            items = [
                Rank(m["rank"], int(parse_number(m["num"])), sentence)
                for clause in re.split(r"[,、;]", sentence)
                for m in [_RANK_ITEM.search(clause)]
                if m
            ]
            if len(items) >= 2:
                return items
    return []


# --------------------------------------------------------------------------- cadres


@dataclass
class Cadre:
    """A seconded official: name, post at home and post in the host city, as written."""

    name: str
    home_post: str
    host_post: str
    shape: str
    sentence: str
    mentions: int = 1
    alt_name: str | None = None  # the other reading of a boundary that structure cannot settle


# Job titles a post ends with; a name follows directly in `省工信厅副厅长段润保挂任…`.
TITLES = sorted(
    """厅长 副厅长 局长 副局长 主任 副主任 专职副主任 主任科员 副主任科员 科员 处长 副处长 科长
    副科长 书记 副书记 市长 副市长 区长 副区长 县长 副县长 镇长 副镇长 乡长 副乡长 部长 副部长
    巡视员 副巡视员 调研员 副调研员 总工程师 副总工程师 总经济师 工程师 秘书长 副秘书长 委员
    主席 副主席 院长 副院长 校长 副校长 所长 副所长 站长 经理 副经理 总经理 董事长 助理 干部
    馆长 台长 社长 主编 行长 队长 组长 会长 理事长 监事长 常委 专员 督察员 审判员 检察官
    司长 副司长 党组成员 党委委员""".split(),
    key=len,
    reverse=True,
)
_TITLE = "(?:" + "|".join(TITLES) + ")"
# A role is one or more job titles at the end of a post (镇长助理 = 镇长 + 助理), perhaps several
# joined by 、 (区委常委、副区长).
_ROLE = rf"(?:专职|常务)?{_TITLE}+(?:、(?:专职|常务)?{_TITLE}+)*"
#: A post as its organisation and its role: the one place posts are split.
POST_PARTS = re.compile(rf"^(?P<org>.+?)(?P<role>{_ROLE})$")


def post_parts(post: str) -> tuple[str, str]:
    """A post as (organisation, role): `北京市发改委副主任` → (北京市发改委, 副主任); the whole
    post and an empty role when no job title ends it."""
    m = POST_PARTS.match(post)
    return (m["org"], m["role"]) if m else (post, "")


# A post may hold more than one title (`区委常委、副区长`, `党组成员、副局长`) and end with its
# rank in brackets (`副局长(正处级)`): each further title follows 、, the rank ends in 级.
_MORE_TITLES = rf"(?:、{_TITLE})*"
_RANK_NOTE = r"(?:\s*[(（][^()（）]{1,8}?级[)）])?"

# Verbs that introduce the post held during the secondment: 挂任 (guàrèn, serve on secondment
# as), 挂职担任 / 挂职任 (the same, in two words), and 挂职于 (seconded to).
# 挂职 alone is the verb when a whole post follows it up to the end of the clause
# (`挂职北京市体育局副局长,分管…`), not a noun or an adjective (挂职干部, 挂职期间, 挂职的).
_BARE_GUAZHI = (
    rf"挂职(?=(?!干部|期间|时间|锻炼|工作|以来)[^,，。!！?？;；:：“”()（）、—\s的]{{2,40}}?"
    rf"{_TITLE}{_MORE_TITLES}(?:[,，。!！?？;；)）]|$))"
)
SECONDED_AS = rf"(?:挂职担任|挂职任|挂任|挂职于|{_BARE_GUAZHI})"
# `赴廊坊挂职,任廊坊市副市长`: the place first, then 任 or 担任 (take up, hold) the post. A date may
# stand before it (`2015年7月赴廊坊挂职`).
_WHEN = r"(?:\d{4}年(?:\d{1,2}月)?(?:\d{1,2}[日号])?起?)"
_VIA_PLACE = (
    rf"{_WHEN}?(?:赴|到|来|去|在)"
    rf"{HAN}{{2,10}}?挂职\s*[,，]?\s*(?:担任|任)"
)
_VERB = rf"(?:{SECONDED_AS}|{_VIA_PLACE})"
# Time and aspect adverbs between a name and its verb: `陈立新目前挂任`, `郑雪曾挂任`.
_ADVERB = r"(?:目前|现已|现在|现|此前|曾经|曾|已经|已|正在|也|还|同时|先后|被选派|被派)"
_POST = r"[^,，。!！?？;；:：“”()（）、—\s]"
_CLAUSE_START = r"(?:^|(?<=[,，。!！?？;；:：“”(（—]))(?:在|由|据|是|据悉)?"
# A post that runs into a name may also open an item of a list: `挂职干部、承德市双桥区副区长于洋`.
_ITEM_START = r"(?:^|(?<=[,，。!！?？;；:：“”(（—、]))(?:在|由|据|是|据悉)?"

# A home post does not run across 的: in `在昌平区挂职的省人社厅就业处处长高峰`, it starts after it.
_HOME = r"[^,，。!！?？;；:：“”()（）、—\s的]"
_HOME_START = r"(?:^|(?<=[,，。!！?？;；:：“”(（—、])|(?<=的))(?:在|由|据|是|据悉)?"
_SHAPE_APPOSITIVE = re.compile(  # HOME、挂任HOST的NAME
    rf"{_CLAUSE_START}(?P<home>{_POST}{{2,40}}?)、\s*(?:{_ADVERB})?{SECONDED_AS}"
    rf"(?P<host>{_POST}{{2,40}}?)的(?P<name>{HAN}{{2,5}})"
)
_SHAPE_HOST_FIRST = re.compile(  # 挂任HOST的HOME NAME表示…
    rf"{_ITEM_START}{SECONDED_AS}(?P<host>{_POST}{{2,40}}?)的"
    rf"(?P<home>{_POST}{{2,40}}?{_TITLE})(?P<name>{HAN}{{2,5}})"
)
# The same without the start of a clause: the second of `…的周涛和省农业厅副厅长、挂任…的吴建平`.
_APPOSITIVE_CHAINED = re.compile(
    rf"(?P<home>{_POST}{{2,40}}?)、\s*(?:{_ADVERB})?{SECONDED_AS}(?P<host>{_POST}{{2,40}}?)的"
    rf"(?P<name>{HAN}{{2,5}})"
)
_NAME_LINKS = ("以及", "和", "与", "及", "、")
_SHAPE_PARENTHESIS = re.compile(  # NAME(HOME,挂任HOST)
    rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=干部)|(?<=同志)|(?<=的))(?P<name>{HAN}{{2,4}})\s*[(（]\s*"
    rf"(?P<home>{_POST}{{2,40}}?)\s*[,，]\s*{_VERB}(?P<host>{_POST}{{2,40}}?)\s*[)）]"
)
_ITEM = rf"{_POST}{{2,40}}?{_TITLE}{HAN}{{2,4}}"
# The people of a 分别 list are joined by 、 or by 和, 与, 及 (and).
_ITEM_LINKS = ("以及", "、", "和", "与", "及")
_SHAPE_RESPECTIVELY = re.compile(  # HOME1 NAME1、HOME2 NAME2分别挂任HOST1、HOST2
    rf"{_ITEM_START}(?P<items>{_ITEM}(?:(?:{'|'.join(_ITEM_LINKS)}){_ITEM})+)\s*分别\s*{_VERB}"
    rf"(?P<hosts>{_POST}{{2,40}}(?:、{_POST}{{2,40}})+)"
)
_ONE_ITEM = re.compile(rf"(?P<home>{_POST}{{2,40}}?{_TITLE})(?!{_TITLE})(?P<name>{HAN}{{2,4}})")
# A list item opens with a dash or a number: ——, 1. 1、 (1) 一、
_LIST_MARK = r"(?:——|(?:^|(?<=\s))(?:\d{1,2}[.、]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]{1,2}、))"
_SHAPE_DASH = re.compile(  # ——NAME,HOME,挂任HOST。  1.NAME,HOME,挂任HOST;
    rf"(?P<mark>{_LIST_MARK})\s*(?P<name>{HAN}{{2,4}})\s*[,，]\s*"
    rf"(?P<home>{_POST}{{2,40}}?{_MORE_TITLES}{_RANK_NOTE})\s*[,，]\s*"
    rf"(?:{_ADVERB})?{_VERB}(?P<host>{_POST}{{2,40}}{_MORE_TITLES})"
)
# The same without a list mark, at the start of a clause: `岳凌霄,北京市海淀区科委主任,挂任…`,
# `鲁明远同志,…`, `潘禹现任北京市顺义区副区长,挂任…`. The home post ends with a title.
_SHAPE_NAME_FIRST = re.compile(  # NAME,HOME,挂任HOST  NAME现任HOME,挂任HOST
    rf"{_CLAUSE_START}(?P<name>{HAN}{{2,4}}?)(?:同志)?(?:\s*[,，]\s*(?:现任|现为|系)?|现任|现为|系)"
    rf"(?P<home>{_POST}{{2,40}}?{_TITLE}{_MORE_TITLES}{_RANK_NOTE})\s*[,，]\s*"
    rf"(?:{_ADVERB})?{_VERB}(?P<host>{_POST}{{2,40}}{_MORE_TITLES})"
)
# A post after 现任, 时任 or 原任 (now, then, formerly holding) may reach its name through 的:
# `现任唐山市发改委副主任的邵宁挂任…`. A name never opens with a title: in `行长助理武鹏`, 助理
# belongs to the post. A date after the name comes after 于, 在 or 自 (`于2016年3月挂任`).
_SHAPE_JOINED = re.compile(  # HOME NAME挂任HOST, HOME NAME,挂任HOST, HOME NAME目前挂任HOST
    rf"{_HOME_START}(?P<pre>现任|时任|原任)?(?P<home>{_HOME}{{2,40}}?{_TITLE}{_MORE_TITLES}{_RANK_NOTE})"
    rf"(?(pre)的?|)\s*(?!{_TITLE})(?P<name>{HAN}{{2,4}}?)(?:同志)?"
    rf"\s*(?P<comma>[,，])?\s*(?:[于在自从]?{_WHEN})?(?:{_ADVERB})?{_VERB}"
    rf"(?P<host>{_POST}{{2,40}}{_MORE_TITLES})"
)
_SHAPE_HE_IS = re.compile(  # …干部NAME…。他是HOME,挂任HOST
    rf"(?:他|她)(?:是|系|为|原是|原系|原为|现任|现为)(?P<home>{_POST}{{2,40}}?{_MORE_TITLES})\s*[,，]\s*"
    rf"(?:{_ADVERB})?{_VERB}(?P<host>{_POST}{{2,40}}{_MORE_TITLES})"
)
_INTRODUCED = re.compile(rf"(?P<by>干部|同志|人才|专家|的)(?P<name>{HAN}{{2,5}})")
_SHAPE_HE_SERVES = re.compile(  # HOME NAME说。他挂任HOST
    rf"(?:^|(?<=[,，。!！?？;；“”]))(?:他|她)(?:{_ADVERB})?{SECONDED_AS}(?P<host>{_POST}{{2,40}}{_MORE_TITLES})"
)
_SPEAKER = re.compile(rf"{_HOME_START}(?P<home>{_HOME}{{2,40}}?{_TITLE})(?P<name>{HAN}{{2,5}})")
# A sentence that seconds someone to a post; one that yields no record is reported.
_MENTION = re.compile(rf"{SECONDED_AS}|挂职\s*[,，]?\s*(?:担任|任)")

# Compound surnames (复姓): their names have three or four characters, never two. The rarest,
# whose characters the course font does not carry (a test checks the course's text), are left out.
COMPOUND_SURNAMES = frozenset(
    """欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门
    百里 呼延 轩辕 钟离 闻人 公冶 申屠 太史 单于 司空 东郭 左丘 拓跋""".split()
)
# What may follow a name, as grammar has it, when it is one character: the copula and verbs of
# saying (是 说), adverbs (也 曾 现), particles (的 等) and verbs of going (到 赴). Closed classes,
# not names: a character outside them (格, 外) says nothing on its own.
_FOLLOW_CHARS = set(
    "是说称讲道谈笑问答"  # the copula, verbs of saying
    "也还就都均又便则已曾现正先亦却才再仍刚很不没更只"  # adverbs
    "的等到赴来去任将"  # particles, verbs of going
)
# Prepositions and conjunctions follow a name only when a noun comes after them: 张涛在中关村,
# 王强与张健; in 刘保和说 the 和 is part of the name, since 和说 is not a phrase.
_FOLLOW_LINKS = set("在对向从为与和同跟给把被由及于以")
# Word classes (jieba's tags) of a word of two or more characters that can open a predicate:
# verbs, adverbs, time words, prepositions, conjunctions, particles.
_PREDICATE_TAGS = ("v", "d", "t", "p", "c", "u", "ad")
_STARTS_PREDICATE = re.compile(rf"(?:{_ADVERB})?{_VERB}|{_ADVERB}")


@functools.cache
def _word_tags() -> dict[str, str]:
    """jieba's dictionary as word → part-of-speech tag, for words of two to four characters."""
    from secondment.words import _jieba, cache_dir

    jieba = _jieba()
    # Reading the tags from jieba's dictionary takes about half a second (jieba.posseg takes
    # longer); a marshal copy in the course's cache folder loads in a few milliseconds.
    cache = cache_dir() / f"word-tags-{jieba.__version__}.marshal"
    try:
        return marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    with jieba.dt.get_dict_file() as f:
        lines = f.read().decode("utf-8")
    tags = dict(re.findall(r"^(\S{2,4}) \d+ (\S+)$", lines, re.M))
    try:
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(tags))
        os.replace(partial, cache)  # whole or not at all, if two processes race
    except OSError:
        pass  # a read-only cache folder only costs the half second again
    return tags


def _leading_word(text: str) -> tuple[str, str]:
    """The longest dictionary word (2 to 4 characters) that text starts with, and its tag."""
    tags = _word_tags()
    for size in (4, 3, 2):
        word = text[:size]
        if len(word) == size and word in tags:
            return word, tags[word]
    return "", ""


def _boundary(follow: str) -> int:
    """How clearly a name ends before `follow`: 3 punctuation, 2 a predicate word, 1 a particle."""
    if not follow or not re.match(HAN, follow[0]):
        return 3
    if _STARTS_PREDICATE.match(follow):
        return 2  # 挂任, 目前挂任: the verb of the secondment itself
    if follow[0] in "于在自从" and follow[1:2].isdigit():
        return 2  # 于2016年3月挂任: a preposition before a date opens the predicate
    word, tag = _leading_word(follow)
    if word and tag.startswith(_PREDICATE_TAGS):
        return 2
    if follow[0] in _FOLLOW_CHARS:
        return 1
    if follow[1:2] in ("了", "着", "过") and len(follow) > 1:
        return 1  # an aspect particle marks a verb: 刘国庆|作了发言, 王强|带着
    if follow[0] in _FOLLOW_LINKS:
        nxt = follow[1:2]
        return 1 if nxt and re.match(HAN, nxt) and nxt not in _FOLLOW_CHARS else 0
    return 0


@functools.lru_cache(maxsize=4096)
def _count(body: str, text: str) -> int:
    # A long text names the same people again and again: count each form once.
    return body.count(text)


def _resolve_name(raw: str, after: str, body: str) -> tuple[str, str]:
    """Cut a run of hanzi down to a name by what follows it: (name, other reading or "")."""
    lengths: tuple[int, ...] = (3, 4) if raw[:2] in COMPOUND_SURNAMES else (2, 3)
    lengths = tuple(n for n in lengths if n <= len(raw)) or (len(raw),)
    text = raw + after
    viable = [n for n in lengths if _boundary(text[n:]) > 0]
    if not viable:
        # Nothing after any cut reads as a boundary: truly ambiguous, so the shorter name with
        # the longer kept beside it, unless the longer recurs whole every time, more than once.
        short, long_ = text[: lengths[0]], text[: lengths[-1]]
        if short == long_:
            return short, ""
        if _count(body, long_) == _count(body, short) >= 2:
            return long_, short
        return short, long_
    name = text[: viable[0]]
    alt = ""
    if len(viable) > 1:
        longer = text[: viable[1]]
        # A longer reading that recurs exactly as often as the shorter, more than once, is the
        # name written whole each time (王普清 ×4, never 王普 alone).
        if _count(body, longer) == _count(body, name) >= 2:
            name, longer = longer, name
        # 郑伟说。: the longer reading only swallows the verb that ends the clause; not a rival.
        swallowed = set(longer[len(name) :]) <= _FOLLOW_CHARS
        if not (swallowed and _boundary(text[len(longer) :]) == 3):
            alt = longer
    return name, alt


_ENDS_WITH_TITLE = re.compile(rf"^.*{_TITLE}")


def _clean_post(post: str) -> str:
    return re.sub(r"\s+", "", post).strip()


def _host_in_prose(post: str) -> str:
    """In running text a post ends with its title: `石家庄市副市长以来` is a post, then "since"."""
    m = _ENDS_WITH_TITLE.match(post)
    return m[0] if m else post


# A labelled field, `姓名:张伟` or `挂职职务:河北省发改委副主任` (after normalise, : is ASCII).
# Fields on one line are parted by spaces, commas or semicolons; a label may be padded with a
# space (`姓 名:`), a value never holds one of those marks.
_FIELD = re.compile(rf"(?P<label>{HAN}(?: ?{HAN}){{1,9}})\s*[:：]\s*(?P<value>[^\s:：,，;；]+)")
# 姓名 (name) as a label or a header, padded or not: a line with it may open a record or a table.
_NAME_LABEL = re.compile(r"姓\s{0,2}名")
_NAME_CELL = re.compile(rf"{HAN}{{2,4}}|{HAN}\s{{1,2}}{HAN}")


def _role(label: str) -> str:
    """What a field label or column header holds: name, host (挂…), home (…职务/单位) or ''."""
    label = "".join(label.split())
    if "姓名" in label:
        return "name"
    if "挂" in label and not re.search("挂职前|挂前|原", label):  # 挂职前职务 is the home post
        return "host"
    if any(word in label for word in ("职务", "单位", "职位", "现任", "原任")):
        return "home"
    return ""


def _field_records(
    text: str, pending: dict[str, str] | None
) -> tuple[list[tuple[str, str, str]], dict[str, str] | None]:
    """`姓名:X 原职务:Y 挂职职务:Z` records, on one line or several; 姓名 starts a new one.

    Returns the complete records and the one still waiting for fields on the next line.
    """
    records = []
    for m in _FIELD.finditer(text):
        role = _role(m["label"])
        if role == "name":
            pending = {"name": m["value"]}
        elif role and pending is not None and role not in pending:
            pending[role] = m["value"]
        if pending is not None and len(pending) == 3:
            records.append((pending["name"], pending["home"], pending["host"]))
            pending = None
    return records, pending


def _cells(line: str) -> list[str]:
    # Tabs separate the cells of a pasted table; without tabs, runs of spaces do.
    if "\t" in line:
        return [p.strip() for p in line.split("\t") if p.strip()]
    cells: list[str] = []
    for part in line.split():
        # A two-character name padded to the width of three (`王　芳`) is one cell: no other
        # cell of these tables is a single hanzi.
        if cells and len(part) == 1 and re.match(HAN, part) and re.fullmatch(HAN, cells[-1]):
            cells[-1] += part
        else:
            cells.append(part)
    return cells


def _table_columns(line: str) -> dict[str, int] | None:
    """Column indexes of name, home and host if line is a table's header row, else None."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(_cells(line)):
        if len(cell) > 12 or ":" in cell or "：" in cell:
            return None  # a header holds short labels, not `姓名:张伟` fields or prose
        role = _role(cell)
        if role and role not in roles:
            roles[role] = i
    return roles if set(roles) == {"name", "home", "host"} else None


def _row_record(line: str, columns: dict[str, int]) -> tuple[str, str, str] | None:
    cells = _cells(line)
    if len(cells) <= max(columns.values()):
        return None
    name = cells[columns["name"]]
    if not _NAME_CELL.fullmatch(name):
        return None
    return re.sub(r"\s+", "", name), cells[columns["home"]], cells[columns["host"]]


@dataclass
class _Hit:
    start: int
    name: str
    home: str
    host: str
    shape: str
    alt: str = ""
    end: int = -1  # where the words read for it end in the sentence


_PRONOUNS = ("他", "她", "我", "你", "其")


def _could_be_name(name: str) -> bool:
    """False for a run that a name cannot be: a title (助理, 主任), or one opening with 的 or 他."""
    if not re.fullmatch(rf"{HAN}{{2,5}}", name) or name.startswith(("的", *_PRONOUNS)):
        return False
    return not re.match(_TITLE, name)


def _introduces_a_name(m: re.Match[str], sentence: str, body: str) -> bool:
    """干部NAME, 同志NAME always introduce a person; 的NAME only when NAME is no common word."""
    if m["by"] != "的":
        return True
    name, _ = _resolve_name(m["name"], sentence[m.end() :], body)
    # 的工作, 的成绩: jieba's dictionary knows these words; it does not know 孟静.
    tag = _word_tags().get(name, "nr")
    return tag.startswith("nr")


def _split_items(items: str) -> list[re.Match[str]] | None:
    """`HOME1 NAME1和HOME2 NAME2` as its items, or None; 和 may also stand inside a post
    (卫生和计划生育委员会), so each item is a post ending in a title and a name, then a link."""
    if not items:
        return []
    for size in range(2, min(len(items), 50) + 1):
        one = _ONE_ITEM.fullmatch(items, 0, size)
        if one is None:
            continue
        if size == len(items):
            return [one]
        link = next((w for w in _ITEM_LINKS if items.startswith(w, size)), None)
        if link is not None and (rest := _split_items(items[size + len(link) :])):
            return [one, *rest]
    return None


def _sentence_hits(sentence: str, previous: str, body: str) -> list[_Hit]:
    """Every cadre that one sentence names with both posts, in order of position."""
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        # Shapes are tried from the most to the least specific; a later one may not claim
        # the words an earlier one has read.
        return not any(a < m.end() and m.start() < b for a, b in taken)

    def read(hit: _Hit, span: tuple[int, int]) -> bool:
        # A run that cannot be a name (助理, 的邵宁) gives no record: its verb stays unread.
        if not _could_be_name(hit.name):
            return False
        hit.end = span[1]
        hits.append(hit)
        taken.append(span)
        return True

    def resolved(m: re.Match[str]) -> tuple[str, str]:
        return _resolve_name(m["name"], sentence[m.end() :], body)

    for m in _SHAPE_DASH.finditer(sentence):
        shape = "dash" if m["mark"] == "——" else "numbered"
        read(_Hit(m.start(), m["name"], m["home"], m["host"], shape), m.span())
    for m in _SHAPE_RESPECTIVELY.finditer(sentence):
        hosts = m["hosts"].split("、")
        people = _split_items(m["items"]) or []
        if len(hosts) == len(people) > 1 and free(m):  # pair them in order
            if all(_could_be_name(p["name"]) for p in people):
                for person, host in zip(people, hosts, strict=True):
                    hit = _Hit(m.start(), person["name"], person["home"], host, "respectively")
                    read(hit, m.span())
    for m in _SHAPE_PARENTHESIS.finditer(sentence):
        if free(m):
            read(_Hit(m.start(), m["name"], m["home"], m["host"], "parenthesis"), m.span())
    for first in _SHAPE_APPOSITIVE.finditer(sentence):
        one: re.Match[str] | None = first
        while one is not None and free(one):
            name, alt = resolved(one)
            # `…的周涛和省农业厅副厅长、挂任…的吴建平`: a second one may follow 和, 与 or 、.
            end = one.start("name") + len(name)
            hit = _Hit(one.start(), name, one["home"], one["host"], "appositive", alt)
            if not read(hit, (one.start(), end)):
                break
            link = next((w for w in _NAME_LINKS if sentence.startswith(w, end)), None)
            one = _APPOSITIVE_CHAINED.match(sentence, end + len(link)) if link else None
    for m in _SHAPE_HOST_FIRST.finditer(sentence):
        if free(m):
            name, alt = resolved(m)
            read(_Hit(m.start(), name, m["home"], m["host"], "host_first", alt), m.span())
    for m in _SHAPE_NAME_FIRST.finditer(sentence):
        # The name opens the clause and a comma or 现任 ends it. A word of the dictionary that
        # is no noun (近日 t, 同时 c, 其中 r) is an adverbial there, not a person; a noun may be a
        # name (秦川 and 黄海 are also places).
        if free(m) and _word_tags().get(m["name"], "n").startswith("n"):
            read(_Hit(m.start(), m["name"], m["home"], m["host"], "name_first"), m.span())
    for m in _SHAPE_JOINED.finditer(sentence):
        if free(m):
            if re.search(f"{_TITLE}$", m["name"]):
                continue  # `委员会主任,挂任`: the run before the verb ends a post, not a name
            # The regex stops the name before an adverb or the verb; the name may still be
            # shorter than the run it captured when an adverb starts inside it.
            name, alt = _resolve_name(m["name"], sentence[m.end("name") :], body)
            if "分别" in m["name"][len(name) :]:
                continue  # 分别 (respectively) pairs names and posts the list shape could not
            shape = "joined_comma" if m["comma"] else "joined"
            read(_Hit(m.start(), name, m["home"], m["host"], shape, alt), m.span())
    for m in _SHAPE_HE_SERVES.finditer(sentence):
        # The previous sentence named him with his home post: `北京市旅游委副主任李文博说。`
        speakers = list(_SPEAKER.finditer(previous))
        if speakers and free(m):
            last = speakers[-1]
            name, alt = _resolve_name(last["name"], previous[last.end() :], body)
            read(_Hit(m.start(), name, last["home"], m["host"], "he_serves", alt), m.span())
    for m in _SHAPE_HE_IS.finditer(sentence):
        intro = [i for i in _INTRODUCED.finditer(previous) if _introduces_a_name(i, previous, body)]
        if intro and free(m):
            after = previous[intro[-1].end() :]
            name, alt = _resolve_name(intro[-1]["name"], after, body)
            read(_Hit(m.start(), name, m["home"], m["host"], "he_is", alt), m.span())
    return sorted(hits, key=lambda h: h.start)


def _read_cadres(source: Article | str) -> tuple[list[Cadre], list[tuple[int, str]]]:
    """The cadres of a text, and the (paragraph, sentence) pairs that second someone unread."""
    cadres, unread = _cadres_of(tuple(_paragraphs(source)))
    return [replace(c) for c in cadres], list(unread)


@functools.lru_cache(maxsize=4)
def _cadres_of(
    paragraphs: tuple[tuple[int, str], ...],
) -> tuple[tuple[Cadre, ...], tuple[tuple[int, str], ...]]:
    body = "\n".join(text for _, text in paragraphs)
    found: dict[str, Cadre] = {}
    unread: list[tuple[int, str]] = []

    def add(hit: _Hit, sentence: str) -> None:
        home, host = _clean_post(hit.home), _clean_post(hit.host)
        if hit.shape not in ("table", "fields"):  # a cell or field is the post as written
            host = _host_in_prose(host)
        if hit.name in found:
            known = found[hit.name]
            known.mentions += 1
            known.home_post = known.home_post or home
            known.host_post = known.host_post or host
            return
        found[hit.name] = Cadre(hit.name, home, host, hit.shape, sentence, alt_name=hit.alt or None)

    columns: dict[str, int] | None = None
    pending: dict[str, str] | None = None  # a 姓名 record whose other fields are still to come
    for index, text in paragraphs:
        names_a_field = "姓" in text and _NAME_LABEL.search(text) is not None
        if names_a_field and (header := _table_columns(text)):
            columns = header
            continue
        if columns is not None:
            row = _row_record(text, columns)
            if row is not None:
                add(_Hit(0, *row, "table"), text)
                continue
            columns = None  # the table has ended
        if names_a_field or pending is not None:
            records, pending = _field_records(text, pending)
            for record in records:
                add(_Hit(0, *record, "fields"), text)
            if records or pending is not None:
                continue
        previous = ""
        for sentence in sentences(text):
            # Every prose shape has a verb with 挂 in it; most sentences have none.
            hits = _sentence_hits(sentence, previous, body) if "挂" in sentence else []
            for hit in hits:
                add(hit, sentence)
            # Each verb that seconds someone and that no record read is reported once: a
            # sentence with one read and one unread 挂任 is reported.
            if "挂" in sentence:
                for verb in _MENTION.finditer(sentence):
                    if not any(h.start <= verb.start() < h.end for h in hits):
                        unread.append((index, sentence))
            previous = sentence
    return tuple(found.values()), tuple(unread)


def find_cadres(source: Article | str) -> list[Cadre]:
    """The seconded officials named in the body, de-duplicated by name, in order of mention."""
    return _read_cadres(source)[0]


def unread_sentences(source: Article | str) -> list[tuple[int, str]]:
    """(paragraph, sentence) of each sentence that seconds someone (挂任 …) but gave no cadre."""
    return _read_cadres(source)[1]


# --------------------------------------------------------------------------- all


def _paragraphs(source: Article | str) -> Iterator[tuple[int, str]]:
    """Yield (index, text) for the body: an Article's body paragraphs, or plain text's lines."""
    if isinstance(source, Article):
        for p in source.paragraphs:
            yield p.index, p.text
    else:
        for i, line in enumerate(normalise(source).split("\n")):
            if line.strip():
                yield i, line.strip()


def extract_all(article: Article) -> dict[str, list[dict]]:
    """Every kind of record as lists of plain dicts, keyed cadres/quantities/events/ranks."""
    return {
        "cadres": [asdict(c) for c in find_cadres(article)],
        "quantities": [asdict(q) for q in find_quantities(article)],
        "events": [asdict(e) for e in find_events(article)],
        "ranks": [asdict(r) for r in find_ranks(article)],
    }
