"""The rank breakdown of the officials: `厅局级干部15名、县处级干部45名…`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from secondment.article import HAN, Article
from secondment.extract.clauses import paragraphs, sentences
from secondment.extract.normalise import normalise
from secondment.extract.numbers import CN_NUMERAL, parse_number

__all__ = ["Rank", "find_ranks"]


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


def _clauses(plain: str) -> list[tuple[int, str]]:
    """The clauses of a sentence between `,`, `、` and `;`, each with where it starts."""
    return [(m.start(), m[0]) for m in re.finditer(r"[^,、;]+", plain)]


def find_ranks(source: Article | str) -> list[Rank]:
    """The rank breakdown (厅局级 15, 县处级 45 …): the first sentence listing two or more."""
    for _, text in paragraphs(source):
        for sentence in sentences(text):
            # Matched on the normalised form (traditional 廳局級 reads as 厅局级); the rank label
            # is cut as printed.
            plain = normalise(sentence)
            items = [
                Rank(
                    sentence[start + m.start("rank") : start + m.end("rank")],
                    int(parse_number(m["num"])),
                    sentence,
                )
                for start, clause in _clauses(plain)
                for m in [_RANK_ITEM.search(clause)]
                if m
            ]
            if len(items) >= 2:
                return items
    return []
