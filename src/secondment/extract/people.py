"""Step 5, people: where a person's name starts and ends.

The posts step says where a name may stand (after a post, after 的, at the start of a clause);
this step says how long it is. A Chinese name is a surname (one character, or two for a 复姓
compound surname such as 欧阳) and a given name of one or two characters. What follows the name
settles its end: a verb or an adverb (`挂任`, `目前`), a time phrase (`于2016年3月`), punctuation.
jieba's dictionary supplies the word classes (`t` time word, `d` adverb, `v` verb …): a word of
another class than a noun is no name (近日, 一般, 其中), and a word that begins what follows
shows where the name ended.
"""

from __future__ import annotations

import functools
import re

from secondment.article import HAN
from secondment.dictionary import leading_word, word_tags
from secondment.extract.posts import TITLE
from secondment.extract.triggers import starts_with_trigger

__all__ = [
    "COMPOUND_SURNAMES",
    "SURNAMES",
    "could_be_name",
    "gap_length",
    "introduced_name",
    "leading_word",
    "name_at",
    "name_by_structure",
    "read_name",
    "why_a_name",
]

#: Single-character surnames, the common ones of the mainland (a name's first character).
SURNAMES = frozenset(
    """王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余
    杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶
    黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申
    欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙
    鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米
    柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封
    谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴
    盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母
    裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣
    信展阴昝智幸奉植衡富尧闭由贝柴竺郦宁邴萨"""
) - set(" \n")
#: Compound surnames (复姓): their names have three or four characters, never two.
COMPOUND_SURNAMES = frozenset(
    """欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门
    百里 呼延 轩辕 钟离 闻人 公冶 申屠 太史 单于 司空 东郭 左丘 拓跋""".split()
)
_PRONOUNS = ("他", "她", "我", "你", "其")
# What may follow a name, as grammar has it, when it is one character: the copula and verbs of
# saying (是 说), adverbs (也 曾 现), particles (的 等) and verbs of going (到 赴). Closed classes,
# not names: a character outside them (格, 外) says nothing on its own.
_SAYING = set("是说称讲道谈笑问答")  # the copula and verbs of saying: they can end a clause
_FOLLOW_CHARS = set(
    "是说称讲道谈笑问答"  # the copula, verbs of saying
    "也还就都均又便则已曾现正先亦却才再仍刚很不没更只将拟"  # adverbs
    "的等到赴来去任挂"  # particles, verbs of going, and the 挂 of 挂任
)
# Prepositions and conjunctions follow a name only when a noun comes after them: 张涛在中关村,
# 王强与张健; in 刘保和说 the 和 is part of the name, since 和说 is not a phrase.
_FOLLOW_LINKS = set("在对向从为与和同跟给把被由及于以")
# Word classes (jieba's tags) of a word that can open a predicate or an adverbial: verbs,
# adverbs, time words, prepositions, conjunctions, particles, locality words.
_PREDICATE_TAGS = ("v", "d", "t", "p", "c", "u", "ad", "f")
# A time phrase or an adverb between a name and its verb: `于2016年3月`, `自2016年5月起`,
# `2015年7月起`, `于去年`, `目前`, `同志` (comrade) and `被选派` (was chosen to).
_DATE = r"(?:\d{4}年(?:\d{1,2}月)?(?:\d{1,2}[日号])?|\d{1,2}月(?:\d{1,2}[日号])?)(?:起|开始|份)?"
_GAP_WORD = re.compile(
    rf"同志|[于在自从]?{_DATE}|被(?:选派|派|调|安排)?|经|由|受|作为|以|同时|先后|一直|相继|目前"
)


def gap_length(simple: str) -> int:
    """How many characters at the start of a normalised text are adverbs and time phrases."""
    pos = 0
    while pos < len(simple):
        if m := _GAP_WORD.match(simple, pos):
            if m.end() > pos:
                pos = m.end()
                continue
        word, tag = leading_word(simple[pos:])
        if word and tag.startswith(("d", "t", "p", "f", "ad")):
            pos += len(word)
        elif simple[pos] in _FOLLOW_CHARS - set("是说称讲道谈笑问答的等到赴来去任挂"):
            pos += 1  # a one-character adverb: 也, 曾, 现, 已, 将
        elif simple[pos] in "于在自从":
            pos += 1  # a preposition before a time word
        else:
            break
    return pos


def _boundary(follow: str) -> int:
    """How clearly a name ends before `follow`: 3 punctuation, 2 a predicate word, 1 a particle."""
    # What follows a name decides within a few characters; long texts repeat those few often.
    return _boundary_of(follow[:12])


@functools.lru_cache(maxsize=65536)
def _boundary_of(follow: str) -> int:
    if not follow or not re.match(HAN, follow[0]):
        return 3
    if starts_with_trigger(follow):
        return 2  # 挂任, 交流到…任: the verb of the secondment itself
    if gap_length(follow) >= 2:
        return 2  # 目前挂任, 于2016年3月挂任: an adverbial opens the predicate
    word, tag = leading_word(follow)
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


def read_name(raw: str, after: str, body: str = "") -> tuple[int, int]:
    """Cut a normalised run of hanzi (and what follows it) to a name by what follows it.

    Returns the name's length and the length of the other reading (0 when there is none).
    """
    lengths: tuple[int, ...] = (3, 4) if raw[:2] in COMPOUND_SURNAMES else (2, 3)
    lengths = tuple(n for n in lengths if n <= len(raw)) or (len(raw),)
    text = raw + after
    viable = [n for n in lengths if _boundary(text[n:]) > 0]
    if not viable:
        # Nothing after any cut reads as a boundary: truly ambiguous, so the shorter name with
        # the longer kept beside it, unless the longer recurs whole every time, more than once.
        short, long_ = lengths[0], lengths[-1]
        if short == long_:
            return short, 0
        if _count(body, text[:long_]) == _count(body, text[:short]) >= 2:
            return long_, short
        return short, long_
    name, alt = viable[0], 0
    if len(viable) > 1 and re.match(r"$|[^\w\s]", text[viable[1] :]):
        # Punctuation after the longer reading: an adverb (刚 just, 也 also) cannot end a clause,
        # so `冯志刚,` is one name; a verb of saying can (`郑伟说。`), and is handled below.
        if not set(text[viable[0] : viable[1]]) & _SAYING:
            return viable[1], 0
    if len(viable) > 1:
        longer = viable[1]
        # A longer reading that recurs exactly as often as the shorter, more than once, is the
        # name written whole each time (王普清 ×4, never 王普 alone).
        if _count(body, text[:longer]) == _count(body, text[:name]) >= 2:
            name, longer = longer, name
        # 郑伟说。: the longer reading only swallows the verb that ends the clause; not a rival.
        swallowed = set(text[min(name, longer) : max(name, longer)]) <= _FOLLOW_CHARS
        if not (swallowed and _boundary(text[max(name, longer) :]) == 3):
            alt = longer
    return name, alt


# Word classes no name belongs to, even where structure expects a name: pronouns, conjunctions,
# prepositions, particles, time words, numerals and measure words.
_NEVER_NAMES = ("r", "c", "p", "u", "t", "m", "q")


def could_be_name(simple: str, strict: bool = True) -> bool:
    """Whether a normalised stretch can be a person's name: two to four hanzi that start with a
    surname (or that jieba's dictionary tags as a name), not a title, a pronoun or a word of
    another class (近日 a time word, 一般 an adjective, 其中 a pronoun).

    Where the structure already expects a name (after a post, 的 or a list mark), `strict=False`
    lets a name that is also a word of another class through: 高远 is an adverb ("far") too.
    """
    if not re.fullmatch(rf"{HAN}{{2,4}}", simple) or simple.startswith(("的", *_PRONOUNS)):
        return False
    if re.match(TITLE, simple):
        return False
    tag = word_tags().get(simple, "")
    if tag and not tag.startswith("n") and (strict or tag.startswith(_NEVER_NAMES)):
        return False  # a dictionary word of another class; 江城 (ns) and 宁静 (nr) may be names
    compound = simple[:2] in COMPOUND_SURNAMES
    if compound and len(simple) < 3:
        return False
    return compound or simple[0] in SURNAMES or tag.startswith("nr")


_INTRODUCED = re.compile(rf"(?P<by>干部|同志|人才|专家|的)(?P<name>{HAN}{{2,5}})")


def introduced_name(simple: str, body: str = "") -> tuple[int, int, int] | None:
    """The last person a normalised sentence introduces (`挂职干部NAME`, `…的NAME`) as (start,
    length, other length), for a `他是…` in the sentence after it; None if there is none."""
    found = None
    for m in _INTRODUCED.finditer(simple):
        start = m.start("name")
        length, alt = read_name(m["name"], simple[m.end() :], body)
        name = simple[start : start + length]
        if not could_be_name(name, strict=m["by"] == "的"):
            continue
        # 的工作, 的成绩: after 的 only a name jieba's dictionary does not know as a word.
        if m["by"] == "的" and not word_tags().get(name, "nr").startswith("nr"):
            continue
        found = (start, length, alt)
    return found


def name_at(
    simple: str, start: int, end: int, body: str = "", strict: bool = False
) -> tuple[int, int, str] | None:
    """A name at `start` of a normalised sentence, ending before `end` at the latest: its
    length, the length of the other reading (0 if none) and what showed it; None if none."""
    if start >= end or not re.match(HAN, simple[start]):
        return None
    length, alt = read_name(simple[start:end], simple[end:], body)
    name = simple[start : start + length]
    if not could_be_name(name, strict):
        return None
    return length, alt, why_a_name(name)


def name_by_structure(run: str) -> bool:
    """Whether a run between a post and a trigger is a whole name by structure alone: two to
    four hanzi that open with a surname, whatever else the dictionary calls them."""
    return could_be_name(run, strict=False) or (
        re.fullmatch(rf"{HAN}{{2,4}}", run) is not None
        and (run[0] in SURNAMES or run[:2] in COMPOUND_SURNAMES)
        and not re.match(TITLE, run)
    )


def why_a_name(name: str) -> str:
    """What shows that a run is a name: a compound surname, jieba's dictionary, or a surname."""
    if name[:2] in COMPOUND_SURNAMES:
        return "compound surname"
    if word_tags().get(name, "").startswith("nr"):
        return "a name in jieba's dictionary"
    return "surname"
