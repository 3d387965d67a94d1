"""The seconded officials of a text: the steps in order, over every sentence, in one loop.

    normalise → clauses → triggers → posts and people (labelled tokens) → roles

Tables and `姓名：` field lines are read from their layout (the clauses step); every other
sentence that holds a trigger is labelled and read against the frames. Every field of a row is
cut from the text as written, and the row says which step found it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from secondment.article import Article
from secondment.extract.clauses import (
    NAME_LABEL,
    field_records,
    paragraphs,
    row_record,
    sentences,
    table_columns,
)
from secondment.extract.normalise import normalise
from secondment.extract.roles import Role, Token, assign, label
from secondment.extract.triggers import find_triggers

__all__ = ["Cadre", "find_cadres", "unread_sentences"]


@dataclass
class Cadre:
    """A seconded official: name, post at home and post in the host city, as written."""

    name: str
    home_post: str
    host_post: str
    shape: str  # the frame (sentence shape) or layout that named them
    sentence: str
    mentions: int = 1
    alt_name: str | None = None  # the other reading of a boundary that structure cannot settle
    trigger: str = ""  # the words that mark the secondment, as written (挂任, 挂职担任 …)
    found_by: str = ""  # which step found each field


def find_cadres(source: Article | str) -> list[Cadre]:
    """The seconded officials named in the body, de-duplicated by name, in order of mention."""
    return [replace(c) for c in _cadres_of(tuple(paragraphs(source)))[0]]


def unread_sentences(source: Article | str) -> list[tuple[int, str]]:
    """(paragraph, sentence) of each trigger (挂任 …) that gave no cadre, one per trigger."""
    return list(_cadres_of(tuple(paragraphs(source)))[1])


def _cut(text: str, token: Token) -> str:
    return text[token.start : token.end].strip()


def _how_name(how: str, name: str) -> str:
    """What showed a name, with its surname as printed: `surname 孫`."""
    if how == "surname":
        return f"surname {name[0]}"
    if how == "compound surname":
        return f"compound surname {name[:2]}"
    return how


def _title(text: str, post: Token) -> str:
    """The job title that ends a post, as printed (the token keeps the title's length)."""
    return text[post.end - int(post.how) : post.end]


def _row(role: Role, text: str, before: str) -> tuple[str, str, str, str | None, str, str]:
    """(name, home, host, alt_name, trigger, found_by) of a role, cut from the text as written."""
    name_text = before if role.name_before else text
    home_text = before if role.home_before else text
    name = _cut(name_text, role.name)
    alt = name_text[role.name.start : role.name.alt] if role.name.alt else None
    home, host = _cut(home_text, role.home), _cut(text, role.host)
    found_by = (
        f"name: people ({_how_name(role.name.how, name)}); "
        f"home: posts (title {_title(home_text, role.home)}); "
        f"host: posts (title {_title(text, role.host)}); roles: frame {role.frame.name}"
    )
    return name, home, host, alt, _cut(text, role.trigger), found_by


@functools.lru_cache(maxsize=4)
def _cadres_of(
    source: tuple[tuple[int, str], ...],
) -> tuple[tuple[Cadre, ...], tuple[tuple[int, str], ...]]:
    body = normalise("\n".join(text for _, text in source))
    found: dict[str, Cadre] = {}
    unread: list[tuple[int, str]] = []

    def add(row: tuple[str, str, str, str | None, str, str], shape: str, sentence: str) -> None:
        name, home, host, alt, trigger, found_by = row
        if name in found:
            known = found[name]
            known.mentions += 1
            known.home_post = known.home_post or home
            known.host_post = known.host_post or host
            return
        found[name] = Cadre(name, home, host, shape, sentence, 1, alt, trigger, found_by)

    columns: dict[str, int] | None = None
    pending: dict[str, str] | None = None  # a 姓名 record whose other fields are still to come
    for index, text in source:
        simple = normalise(text)
        names_a_field = "姓" in simple and NAME_LABEL.search(simple) is not None
        if names_a_field and (header := table_columns(simple)):
            columns = header
            continue
        if columns is not None:
            record = row_record(text, columns)
            if record is not None:
                add((*record, None, "", "clauses: a table row"), "table", text)
                continue
            columns = None  # the table has ended
        if names_a_field or pending is not None:
            records, pending = field_records(text, simple, pending)
            for fields in records:
                add((*fields, None, "", "clauses: 姓名 field lines"), "fields", text)
            if records or pending is not None:
                continue
        before, before_simple = "", ""
        pos = 0
        for sentence in sentences(text):
            # A sentence is a stretch of its paragraph: its normalised form is the same stretch.
            pos = text.find(sentence, pos)
            plain = simple[pos : pos + len(sentence)]
            pos += len(sentence)
            triggers = find_triggers(plain, before_simple)
            tokens = label(plain, triggers, body) if triggers else []
            roles = assign(tokens, plain, before_simple, body) if tokens else []
            for role in roles:
                shape = role.frame.name
                if shape == "dash" and tokens[0].how != "——":
                    shape = "numbered"  # the same frame, after `1.` or `(1)`
                add(_row(role, sentence, before), shape, sentence)
            read = {id(r.trigger.trigger) for r in roles}
            for i, token in enumerate(tokens):
                trig = token.trigger
                if token.kind != "T" or trig is None or id(trig) in read or not trig.row.strong:
                    continue
                bare = trig.row.name == "挂职"
                if bare and not (i + 1 < len(tokens) and tokens[i + 1].kind == "P"):
                    continue  # 挂职 without a post after it is no verb of secondment
                unread.append((index, sentence))
            before, before_simple = sentence, plain
    return tuple(found.values()), tuple(unread)
