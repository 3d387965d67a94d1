"""Step 2, clauses: paragraphs, sentences, the runs of a sentence between its marks, and the
layouts that are not sentences at all (table rows, `姓名：` field lines).

Every function here takes the text as written and its normalised form (`normalise.normalise`,
the same length) where it needs both: it finds things in the normalised form and returns spans
or slices of the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from secondment.article import HAN, Article, normalise, sentences

__all__ = [
    "LINK_WORDS",
    "Run",
    "cells",
    "field_records",
    "field_role",
    "paragraphs",
    "row_record",
    "runs",
    "sentences",
    "table_columns",
]


def paragraphs(source: Article | str) -> Iterator[tuple[int, str]]:
    """Yield (index, text) for the body: an Article's body paragraphs, or plain text's lines."""
    if isinstance(source, Article):
        for p in source.paragraphs:
            yield p.index, p.text
    else:
        for i, line in enumerate(normalise(source).split("\n")):
            if line.strip():
                yield i, line.strip()


# ------------------------------------------------------------------------- runs of a sentence

#: Words that join the items of a list inside a run (、 and ; are marks of their own): 和, 与,
#: 及, 以及 (and). They also stand inside names of organisations (卫生和计划生育委员会), so they
#: part two items only where a post follows them.
LINK_WORDS = ("以及", "和", "与", "及")
# Marks that end a run of words inside a sentence. 、 (the enumeration comma) parts the items of
# a list; 的 joins a description to the noun after it, so no post or name runs across it.
_MARKS = ",;:!?。!?“”\"'()《》[]—…、的"
# A rank in brackets after a title belongs to the post: `副局长(正处级)`.
_RANK_NOTE = r"\s*\([^()]{1,8}?级\)"
_RUN = re.compile(rf"(?:{_RANK_NOTE}|[^\s{re.escape(_MARKS)}])+|(?P<mark>——|[{re.escape(_MARKS)}])")


@dataclass(frozen=True)
class Run:
    """A stretch of a sentence between two marks (`start`, `end` in the sentence), or one mark."""

    start: int
    end: int
    mark: bool


def runs(simple: str, start: int = 0, end: int | None = None) -> list[Run]:
    """The runs and marks of a normalised sentence between start and end, in order."""
    return [
        Run(m.start(), m.end(), m["mark"] is not None)
        for m in _RUN.finditer(simple, start, len(simple) if end is None else end)
    ]


# ------------------------------------------------------------------------- fields and tables

# A labelled field, `姓名:张伟` or `挂职职务:河北省发改委副主任` (after normalise, : is ASCII).
# Fields on one line are parted by spaces, commas or semicolons; a label may be padded with a
# space (`姓 名:`), a value never holds one of those marks.
_FIELD = re.compile(rf"(?P<label>{HAN}(?: ?{HAN}){{1,9}})\s*:\s*(?P<value>[^\s:,;]+)")
#: 姓名 (name) as a label or a header, padded or not: a line with it may open a record or a table.
NAME_LABEL = re.compile(r"姓\s{0,2}名")
_NAME_CELL = re.compile(rf"{HAN}{{2,4}}|{HAN}\s{{1,2}}{HAN}")


def field_role(label: str) -> str:
    """What a field label or column header holds: name, host (挂…), home (…职务/单位) or ''."""
    label = "".join(label.split())
    if "姓名" in label:
        return "name"
    if "挂" in label and not re.search("挂职前|挂前|原", label):  # 挂职前职务 is the home post
        return "host"
    if any(word in label for word in ("职务", "单位", "职位", "现任", "原任")):
        return "home"
    return ""


def field_records(
    text: str, simple: str, pending: dict[str, str] | None
) -> tuple[list[tuple[str, str, str]], dict[str, str] | None]:
    """`姓名:X 原职务:Y 挂职职务:Z` records, on one line or several; 姓名 starts a new one.

    Returns the complete records (values as written) and the one still waiting for fields on
    the next line.
    """
    records = []
    for m in _FIELD.finditer(simple):
        role = field_role(m["label"])
        value = text[m.start("value") : m.end("value")]
        if role == "name":
            pending = {"name": value}
        elif role and pending is not None and role not in pending:
            pending[role] = value
        if pending is not None and len(pending) == 3:
            records.append((pending["name"], pending["home"], pending["host"]))
            pending = None
    return records, pending


def cells(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell of a table row: parted by tabs, or else by runs of spaces."""
    if "\t" in line:
        return [(m.start(), m.end()) for m in re.finditer(r"[^\t]+", line) if m[0].strip()]
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"\S+", line):
        # A two-character name padded to the width of three (`王　芳`) is one cell: no other
        # cell of these tables is a single hanzi.
        one = len(m[0]) == 1 and re.match(HAN, m[0])
        if spans and one and re.fullmatch(HAN, line[slice(*spans[-1])]):
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append(m.span())
    return spans


def table_columns(simple: str) -> dict[str, int] | None:
    """Column indexes of name, home and host if a line is a table's header row, else None."""
    roles: dict[str, int] = {}
    for i, (a, b) in enumerate(cells(simple)):
        cell = simple[a:b].strip()
        if len(cell) > 12 or ":" in cell:
            return None  # a header holds short labels, not `姓名:张伟` fields or prose
        role = field_role(cell)
        if role and role not in roles:
            roles[role] = i
    return roles if set(roles) == {"name", "home", "host"} else None


def row_record(text: str, columns: dict[str, int]) -> tuple[str, str, str] | None:
    """(name, home, host) of a table row as written, or None when the row holds no name."""
    spans = cells(text)
    if len(spans) <= max(columns.values()):
        return None
    name, home, host = (text[slice(*spans[columns[k]])].strip() for k in ("name", "home", "host"))
    if not _NAME_CELL.fullmatch(name):
        return None
    return re.sub(r"\s+", "", name), home, host
