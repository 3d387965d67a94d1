"""Count words in Chinese text: a quiet jieba tokenizer, a user dictionary derived from the
article, numbers kept whole, a stop list, top words and words distinctive of each section.

    from secondment.words import tokenizer, user_dictionary, words, top_words
    tok = tokenizer(user_dictionary(article))
    top_words(words(article.body, tok), 10)
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import tempfile
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from secondment.article import Article, normalise
from secondment.extract import HAN, find_cadres, find_quantities, post_parts

if TYPE_CHECKING:
    import jieba

__all__ = [
    "COURSE_TERMS",
    "STOP_WORDS",
    "cache_dir",
    "char_counts",
    "distinctive_words",
    "organisations",
    "tokenizer",
    "top_words",
    "user_dictionary",
    "words",
]

# Words of the exchange itself that jieba's general dictionary does not hold as one word.
# 挂职干部 (seconded cadre) matters most: without it, 挂职 counts both the act and the people.
COURSE_TERMS: tuple[str, ...] = ("挂职干部",)

# Function words that say little about the topic: particles (的 了 着), prepositions (在 对 为
# 从 到 向 由 于 以 把 被), conjunctions (和 与 及 并 而 或), adverbs of scope and sequence
# (也 都 就 又 还 已), demonstratives (这 那 此 该 其), locatives (上 中), the measure word 个
# and 有 (there is) when jieba leaves it alone. Deliberately small:
# 不 (not), 他们 (they) and 我省 (our province) carry meaning in this article, so they stay.
STOP_WORDS: frozenset[str] = frozenset(
    """的 地 得 了 着 过 之 在 是 和 与 及 并 而 或 等 也 都 就 又 还 已 对 为 从 到 向 由 于
    以 把 被 将 这 那 此 该 其 个 上 中 有""".split()
)

# An administrative unit ends a place name inside an organisation: 北京市|顺义区|南彩镇.
_PLACE_UNIT = re.compile(r".+?[省市区县镇乡](?=.)|.+")
_HAN_CHAR = re.compile(HAN)
# A date is one token too, or 2015年7月24日 would add 2015, 年, 7, 月, 24 and 日 to the counts.
_DATE = re.compile(r"\d{4}年度?(?:\d{1,2}月(?:\d{1,2}[日号])?)?|\d{1,2}月(?:\d{1,2}[日号])?")


def cache_dir() -> Path:
    """The per-user folder where jieba keeps its dictionary cache (created if missing)."""
    # jieba's default is one `jieba.cache` file in the shared temp dir: on a JupyterHub
    # machine the first user would own it, and everyone else's save fails with a logged
    # traceback. A folder per user avoids that; the temp dir is the fallback for a home
    # folder that cannot be written (some CI containers).
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    candidates = [Path(tempfile.gettempdir()) / f"secondment-{user}"]
    try:
        home_cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        candidates.insert(0, Path(home_cache) / "secondment")
    except RuntimeError:  # no home folder at all
        pass
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return Path(tempfile.mkdtemp(prefix="secondment-"))


def _jieba() -> ModuleType:
    """Import jieba quietly, on first use rather than when this module is imported."""
    with warnings.catch_warnings():
        # jieba 0.42.1's source has invalid escape sequences (`"\s"`) that warn when its
        # bytecode is first compiled; they are harmless and would land on stderr.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        # Where setuptools is installed (Binder's base has it), jieba reads its dictionary
        # through pkg_resources, whose import warns that it is deprecated.
        warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
        import jieba
    # Without this, every dictionary load logs "Building prefix dict…" lines to stderr.
    jieba.setLogLevel(logging.WARNING)
    return jieba


@functools.cache
def _base_dictionary() -> tuple[dict[str, int], int]:
    """Load jieba's default dictionary once per process (about a second, from its cache)."""
    base = _jieba().Tokenizer()
    base.tmp_dir = os.fspath(cache_dir())
    base.initialize()
    return base.FREQ, base.total


def tokenizer(user_words: Iterable[str] = ()) -> jieba.Tokenizer:
    """A quiet, deterministic jieba tokenizer that also knows user_words as whole words."""
    tok = _jieba().Tokenizer()
    tok.tmp_dir = os.fspath(cache_dir())
    # Each jieba.Tokenizer would read the dictionary again (about a second each); a copy of
    # the one already loaded takes milliseconds, so a lesson can compare several tokenizers.
    # FREQ, total and initialized are the attributes jieba's own initialize() sets.
    freq, total = _base_dictionary()
    tok.FREQ, tok.total, tok.initialized = dict(freq), total, True
    # Sorted, so that the same words give the same tokenizer in any order: add_word picks
    # each word's frequency from the running total, which earlier additions change.
    for word in sorted(set(user_words)):
        tok.add_word(word)
    return tok


def organisations(post: str) -> list[str]:
    """The organisation in a post, split where places end: 北京市顺义区南彩镇镇长助理 → 3 parts."""
    # The job title at the end (副厅长, 常务副市长) is not part of the organisation.
    unit, _ = post_parts(re.sub(r"\s+", "", post))
    parts = [part for part in _PLACE_UNIT.findall(unit) if len(part) >= 2]
    return [part for part in parts if _HAN_CHAR.search(part)]


def user_dictionary(article: Article, terms: Iterable[str] = COURSE_TERMS) -> list[str]:
    """Words jieba should keep whole: the cadres' names, their organisations, and terms."""
    found: dict[str, None] = {}  # a dict keeps first-seen order and drops repeats
    cadres = find_cadres(article)
    for cadre in cadres:
        found[cadre.name] = None
    for cadre in cadres:
        for post in (cadre.home_post, cadre.host_post):
            for organisation in organisations(post):
                found[organisation] = None
    for term in terms:
        found[term] = None
    return list(found)


def _is_word(token: str) -> bool:
    # A token with no letter, digit or hanzi is punctuation or whitespace.
    return any(ch.isalnum() for ch in token)


def _numbers(line: str) -> list[tuple[int, int]]:
    """Spans of the quantities (60多次, 三个小时左右) and dates (2015年7月24日) in a line."""
    spans = [m.span() for m in _DATE.finditer(line)]
    pos = 0
    for quantity in find_quantities(line):  # the library's parser, in reading order
        start = line.find(quantity.text, pos)
        if start >= 0:
            spans.append((start, start + len(quantity.text)))
            pos = start + len(quantity.text)
    spans.sort()
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not kept or start >= kept[-1][1]:  # never two overlapping number tokens
            kept.append((start, end))
    return kept


def words(text: str, tok: jieba.Tokenizer) -> list[str]:
    """Tokens of text in reading order: numbers with measure words whole, no punctuation."""
    out: list[str] = []
    for line in normalise(text).split("\n"):
        # jieba cuts 60多次 into 60 / 多次 and a date into six pieces: take the numbers out
        # first, keep each whole, and let jieba cut only the text between them.
        pos = 0
        for start, end in _numbers(line):
            out.extend(t for t in tok.cut(line[pos:start]) if _is_word(t))
            out.append(line[start:end])
            pos = end
        out.extend(t for t in tok.cut(line[pos:]) if _is_word(t))
    return out


def _ranked(counts: Mapping[str, float], n: int) -> list[tuple[str, float]]:
    # Highest first; equal counts in the order of the words, so ties never depend on order
    # of insertion.
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def top_words(
    tokens: Iterable[str], n: int = 10, stop_words: Iterable[str] = STOP_WORDS
) -> list[tuple[str, int]]:
    """The n most frequent tokens that are not stop words, with their counts."""
    stop = frozenset(stop_words)
    counts = Counter(t for t in tokens if t not in stop)
    return _ranked(counts, n)  # type: ignore[return-value]


def distinctive_words(
    sections: Mapping[str, list[str]],
    n: int = 5,
    stop_words: Iterable[str] = STOP_WORDS,
    min_count: int = 2,
) -> dict[str, list[tuple[str, float]]]:
    """For each section, the n words most over-represented there compared with the others."""
    stop = frozenset(stop_words)
    counts = {name: Counter(t for t in ts if t not in stop) for name, ts in sections.items()}
    vocabulary = set().union(*counts.values()) if counts else set()
    out: dict[str, list[tuple[str, float]]] = {}
    for name, here in counts.items():
        rest: Counter[str] = Counter()
        for other, there in counts.items():
            if other != name:
                rest.update(there)
        here_total, rest_total = sum(here.values()), sum(rest.values())
        scores: dict[str, float] = {}
        for word, count in here.items():
            if count < min_count:
                continue  # one mention is not a pattern
            # Log ratio of the word's share here and its share elsewhere, adding one to every
            # count so that a word absent elsewhere gets a large but finite score.
            share_here = (count + 1) / (here_total + len(vocabulary))
            share_rest = (rest[word] + 1) / (rest_total + len(vocabulary))
            scores[word] = round(math.log2(share_here / share_rest), 3)
        out[name] = _ranked(scores, n)
    return out


def char_counts(text: str) -> Counter[str]:
    """How often each Chinese character (hanzi) occurs in text; other characters are skipped."""
    return Counter(ch for ch in text if _HAN_CHAR.fullmatch(ch))
