"""Step 4, posts: a post is an organisation ending in a job title, built from two lexicons.

*Unit words* name the parts of an organisation (省 province, 市 city, 厅 department, 局 bureau,
委 commission, 办 office, 处 division, 中心 centre …); *title words* name a job (主任 director,
处长 division head, 调研员 researcher, 总会计师 chief accountant, 助理 assistant …), perhaps with a
prefix (副 deputy, 常务 executive, 总 chief). A post is the longest stretch of a run that ends in
a chain of titles (`镇长助理`, `区委常委、副区长`) and whose organisation holds a unit word, so
that `省环保厅总会计师` is read although no list holds that whole post.
"""

from __future__ import annotations

import functools
import re

from secondment.article import HAN
from secondment.dictionary import leading_word
from secondment.extract.normalise import normalise

__all__ = [
    "TITLE",
    "TITLE_PREFIXES",
    "TITLE_WORDS",
    "UNIT_WORDS",
    "is_organisation",
    "opener_length",
    "post_parts",
    "title_ends",
]

#: Characters and words that name a unit of an organisation or a place.
UNIT_WORDS = tuple(
    """省 市 区 县 镇 乡 村 州 盟 旗 厅 局 委 办 处 科 部 司 院 校 所 站 馆 台 社 行 队 组 会
    室 署 团 庭 中心 公司 集团 银行 大学 医院 协会 政府 党委 人大 政协 学院 开发区 园区 新区
    街道""".split()
)
# The units whose head is called 长 (head): 厅长, 局长, 处长, 市长, 校长, 行长 …
_HEADED_BY_ZHANG = "厅局处科市区县镇乡部司院校所站馆台社行队组会省州庭署团村"
#: Job titles, each without its prefixes.
TITLE_WORDS = tuple(
    sorted(
        {
            *(unit + "长" for unit in _HEADED_BY_ZHANG),
            *"""董事长 理事长 监事长 秘书长 主任 书记 委员 常委 主席 巡视员 调研员 科员 专员
            督察员 审判员 检察员 检察官 工程师 会计师 经济师 审计师 规划师 统计师 助理 经理 主编
            总编辑 总监 顾问 秘书 成员 参事 干事 研究员""".split(),
        },
        key=lambda w: (-len(w), w),
    )
)
#: Words before a title that make another title of it: 副 (deputy), 常务 (executive), 总 (chief)…
TITLE_PREFIXES = ("常务", "专职", "执行", "首席", "一级", "二级", "党组", "党委", "副", "总", "正")

_PREFIX = "(?:" + "|".join(TITLE_PREFIXES) + ")"
_WORD = "(?:" + "|".join(TITLE_WORDS) + ")"
# One title is prefixes and a word; a chain is titles in a row (镇长助理), or joined by 、
# (区委常委、副区长); a rank in brackets may close it (副局长(正处级)).
TITLE = rf"(?:{_PREFIX}*{_WORD})+(?:、(?:{_PREFIX}*{_WORD})+)*(?:\s*\([^()]{{1,8}}?级\))?"
_UNIT = "(?:" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + ")"


# A title word followed by one of these is part of an organisation's name (委员会 commission,
# 常委会 standing committee, 书记处 secretariat, 主席团 presidium, 主任办公室), not a post's end.
_STILL_AN_ORGANISATION = "(?:会|处|团|室|办公)"


@functools.cache
def _title_chain() -> re.Pattern[str]:
    return re.compile(rf"{TITLE}(?!{_STILL_AN_ORGANISATION})")


def title_ends(simple: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each chain of job titles in simple[start:end] that can end a post."""
    stop = len(simple) if end is None else end
    return [m.span() for m in _title_chain().finditer(simple, start, stop)]


def is_organisation(simple: str) -> bool:
    """Whether a stretch of normalised text can be the organisation of a post: hanzi (and the
    odd letter or digit) holding a unit word."""
    return (
        len(simple) >= 2
        and re.fullmatch(rf"(?:{HAN}|[A-Za-z0-9·])+", simple) is not None
        and re.search(_UNIT, simple) is not None
    )


_PARTS = re.compile(rf"^(?P<org>.+?)(?P<role>{TITLE})$")


def post_parts(post: str) -> tuple[str, str]:
    """A post as (organisation, role): `北京市发改委副主任` → (北京市发改委, 副主任); the whole
    post and an empty role when no job title ends it. Traditional characters are kept."""
    m = _PARTS.match(normalise(post))
    return (post[: m.end("org")], post[m.start("role") :]) if m else (post, "")


# Words that open a clause before a post and belong to no post: 在 (at), 由 (by), 其中 (among
# them), 据悉 (it is learned), 近日 (lately): conjunctions, prepositions, pronouns, adverbs and
# time words, by jieba's word classes.
_OPENERS = ("c", "p", "r", "d", "t")


def opener_length(simple: str, start: int, end: int) -> int:
    """How many characters at `start` open the clause rather than begin a post's organisation."""
    pos = start
    while pos < end:
        word, tag = leading_word(simple[pos:end])
        if word and tag.startswith(_OPENERS) and not tag.startswith("nr"):
            pos += len(word)
        elif simple[pos] in "在由据自从于经":
            pos += 1
        else:
            break
    return pos - start
