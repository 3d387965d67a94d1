"""Step 6, roles: which post is the home post and which the host post, and whose they are.

The steps before label a sentence as a row of tokens, one letter each: `T` a trigger, `P` a
post, `N` a name, `G` an adverb or time phrase, `R` a role word (原 former, 现任 now holding,
是 is), `H` he or she, `D` 的, `L` 、, `W` and (和/与/及), `F` 分别 (respectively), `M` a list
mark, `,` a comma, `O`/`E` brackets and `X` anything else. A sentence shape is then a row of the
FRAMES table: a pattern over those letters that names the roles of its tokens. The post after
the trigger is the host post; the post beside the name is the home post. One loop reads every
frame; a new wording is a new row, not new code.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from secondment.extract.clauses import LINK_WORDS, Run, runs
from secondment.extract.people import (
    could_be_name,
    gap_length,
    introduced_name,
    name_at,
    name_by_structure,
    why_a_name,
)
from secondment.extract.posts import is_organisation, opener_length, title_ends
from secondment.extract.triggers import Trigger

__all__ = ["FRAMES", "Frame", "Role", "Token", "assign", "label"]


@dataclass
class Token:
    """A labelled stretch of a sentence: its kind (one letter) and its span."""

    kind: str
    start: int
    end: int
    alt: int = 0  # for a name: the end of the other reading, when its end is uncertain
    how: str = ""  # for a name or a post: what showed it (a surname, a title word …)
    trigger: Trigger | None = None


@dataclass(frozen=True)
class Frame:
    """One sentence shape: a pattern over token letters, with named groups for the roles."""

    name: str
    pattern: str
    example: str
    name_from: str = ""  # "introduced" or "speaker": the name is in the sentence before


FRAMES: tuple[Frame, ...] = (
    Frame(
        "dash",
        r"M(?P<name>N)G?,R?(?P<home>P),G?(?P<trigger>T)(?P<host>P)",
        "——张健,威县市场监督管理局副主任科员,挂任北京市顺义区南彩镇镇长助理。",
    ),
    Frame(
        "respectively",
        r"(?P<people>(?:PNG?[LW])+PNG?)FG?(?P<trigger>T)(?P<hosts>P(?:LP)+)",
        "省发改委副主任王小明、省财政厅副厅长李强分别挂任北京市发改委副主任、北京市财政局副局长。",
    ),
    Frame(
        "parenthesis",
        r"(?P<name>N)G?O(?P<home>P),G?(?P<trigger>T)(?P<host>P)E",
        "韩晓燕(省林业厅副厅长,挂任北京市园林绿化局副局长)参与编制了规划。",
    ),
    Frame(
        "appositive",
        r"R?(?P<home>P)LG?(?P<trigger>T)(?P<host>P)D(?P<name>N)",
        "省交通运输厅副厅长、挂任北京市交通委副主任的王普清说。",
    ),
    Frame(
        "host_first",
        r"(?P<trigger>T)(?P<host>P)DR?(?P<home>P)(?P<name>N)",
        "挂任北京市民政局副局长的省民政厅副厅长卢晓红表示,养老合作大有可为。",
    ),
    Frame(
        "name_first",
        r"(?:^|(?<=[,MX]))(?P<name>N)G?(?:,R?|R)(?P<home>P),G?(?P<trigger>T)(?P<host>P)",
        "卓一航,唐山市副市长,挂任北京市通州区副区长。",
    ),
    Frame(
        "joined",
        r"R?(?P<home>P)(?P<name>N)G?(?P<trigger>T)(?P<host>P)",
        "省工信厅副厅长段润保挂任北京市经信委副主任。",
    ),
    Frame(
        "joined_relative",
        r"R(?P<home>P)D(?P<name>N)G?(?P<trigger>T)(?P<host>P)",
        "时任邢台市科技局副局长的车思源挂任北京市科委副处长。",
    ),
    Frame(
        "joined_comma",
        r"R?(?P<home>P)(?P<name>N)G?,G?(?P<trigger>T)(?P<host>P)",
        "省林业厅副厅长韩立军,挂任北京市园林绿化局副局长,分管造林。",
    ),
    Frame(
        "he_is",
        r"HR(?P<home>P),G?(?P<trigger>T)(?P<host>P)",
        "我省挂职干部吴海涛发挥了作用。他是省农业厅副厅长,挂任北京市农委副主任。",
        name_from="introduced",
    ),
    Frame(
        "he_serves",
        r"HG?(?P<trigger>T)(?P<host>P)",
        "北京市旅游委副主任李文博说。他挂任张家口市旅游委副主任,带团滑雪。",
        name_from="speaker",
    ),
)

# ------------------------------------------------------------------------------- labelling

# A list item opens with a dash or a number: ——, 1. 1、 (1) 一、
_LIST_MARK = re.compile(r"\s*(?:——|\d{1,2}[.、]|\(\d{1,2}\)|[一二三四五六七八九十]{1,2}、)")
# Words that say which post a person held: 原 (former), 现任 (now holding), 是 (is).
_ROLE_WORDS = re.compile(r"原任|现任|时任|曾任|现为|原为|原是|原系|是|系|为|原|现")
_ROLE_INSIDE = re.compile(r"原任|现任|时任|曾任|现为|原为|原是|原系")
_MARK_KINDS = {",": ",", ";": ",", ":": ",", "、": "L", "的": "D", "(": "O", ")": "E"}


def _name_token(simple: str, start: int, end: int, body: str, strict: bool = False) -> Token | None:
    """A name at `start` (ending before `end` at the latest) as a token, or None."""
    found = name_at(simple, start, end, body, strict)
    if found is None:
        return None
    length, alt, how = found
    return Token("N", start, start + length, start + alt if alt else 0, how)


def _rest(simple: str, start: int, end: int) -> list[Token]:
    """What follows a name in its run: adverbs and times (G), 分别 (F), then anything (X)."""
    out = []
    pos = start
    while pos < end:
        if simple.startswith("分别", pos):
            out.append(Token("F", pos, pos + 2))
            pos += 2
            continue
        gap = gap_length(simple[pos:end])
        if gap:
            out.append(Token("G", pos, pos + gap))
            pos += gap
            continue
        out.append(Token("X", pos, end))
        break
    return out


def _label_run(
    simple: str, start: int, end: int, body: str, before: str, verb_next: bool = False
) -> list[Token]:
    """Label one run (a stretch between marks) as posts, names, role words and the rest.

    `before` is the kind of the token before the run: after 的 or a list mark a name is
    expected, so a name that is also a word of another class is let through. `verb_next` says
    a trigger follows the run: then two to four characters between a post and it are a name
    whatever else the dictionary calls them (牛犇 is listed as a time word).
    """
    out: list[Token] = []
    pos = start
    strict = before not in ("D", "M")
    # `…的周涛和省农业厅副厅长…`: a name, a link word, then the next person's post.
    linked = any(w in simple[pos : pos + 6] for w in LINK_WORDS)
    first = _name_token(simple, pos, end, body, strict) if linked else None
    if first is not None:
        link = next((w for w in LINK_WORDS if simple.startswith(w, first.end)), None)
        if link and title_ends(simple, first.end + len(link), end):
            out += [first, Token("W", first.end, first.end + len(link))]
            pos = first.end + len(link)
    if pos == start and simple[pos] in "他她" and not could_be_name(simple[pos : pos + 3]):
        out.append(Token("H", pos, pos + 1))
        pos += 1
        if m := _ROLE_WORDS.match(simple, pos, end):
            out.append(Token("R", m.start(), m.end()))
            pos = m.end()
    elif pos == start and (m := _ROLE_WORDS.match(simple, pos, end)):
        if m.end() < end and not could_be_name(simple[pos : pos + 2]):
            out.append(Token("R", m.start(), m.end()))
            pos = m.end()
    while pos < end:
        chains = [c for c in title_ends(simple, pos, end)]
        post = None
        for chain_start, chain_end in chains:
            org_start = pos
            # `潘禹现任北京市…`: a name, then 现任 (now holding), then the post.
            inside = [m for m in _ROLE_INSIDE.finditer(simple, pos, chain_start)]
            prefix: list[Token] = []
            if inside:
                role = inside[-1]
                name = _name_token(simple, pos, role.start(), body)
                if name is not None and name.end == role.start():
                    prefix.append(name)
                elif role.start() > pos:
                    prefix.append(Token("X", pos, role.start()))
                prefix.append(Token("R", role.start(), role.end()))
                org_start = role.end()
            opener = opener_length(simple, org_start, chain_start)
            if opener:
                prefix.append(Token("X", org_start, org_start + opener))
                org_start += opener
            if is_organisation(simple[org_start:chain_start]):
                post = (prefix, Token("P", org_start, chain_end, how=str(chain_end - chain_start)))
                break
        if post is None:
            break
        out.extend(post[0])
        out.append(post[1])
        pos = post[1].end
        if pos >= end:
            return out
        name = _name_token(simple, pos, end, body)
        if name is None and verb_next and name_by_structure(simple[pos:end]):
            name = Token("N", pos, end, how=why_a_name(simple[pos:end]))
        if name is None:
            if chains and any(c[0] >= pos for c in chains):
                continue  # another post follows: `北京市延庆区委常委、副区长`
            break
        out.append(name)
        pos = name.end
        link = next((w for w in LINK_WORDS if simple.startswith(w, pos)), None)
        if link and title_ends(simple, pos + len(link), end):
            out.append(Token("W", pos, pos + len(link)))
            pos += len(link)
            continue
        out.extend(_rest(simple, pos, end))
        return out
    if pos < end:
        lone = not any(t.kind in "PN" for t in out)
        if lone and (name := _name_token(simple, pos, end, body, strict and pos == start)):
            out.append(name)
            out.extend(_rest(simple, name.end, end))
        elif gap_length(simple[pos:end]) == end - pos:
            out.append(Token("G", pos, end))
        else:
            out.extend(
                _rest(simple, pos, end)
                if simple.startswith("分别", pos)
                else [Token("X", pos, end)]
            )
    return out


def _joined_titles(simple: str, parts: list[Run]) -> list[Run]:
    """Runs with `TITLE、TITLE` kept as one run: in `区委常委、副区长` the 、 joins two titles of
    one post rather than two items of a list."""
    out: list[Run] = []
    for run in parts:
        if (
            len(out) >= 2
            and not run.mark
            and simple[out[-1].start : out[-1].end] == "、"
            and not out[-2].mark
            and any(e == out[-2].end for _, e in title_ends(simple, out[-2].start, out[-2].end))
            and any(s == run.start for s, _ in title_ends(simple, run.start, run.end))
        ):
            out[-2:] = [Run(out[-2].start, run.end, False)]
        else:
            out.append(run)
    return out


def _unit_after(simple: str, run: Run, labelled: list[Token]) -> list[Token]:
    """After 挂职于 (seconded to) the host may be a unit without a title: the run is that post."""
    if labelled and labelled[0].kind == "P":
        return labelled
    if is_organisation(simple[run.start : run.end]):
        return [Token("P", run.start, run.end, how="0")]
    return labelled


def label(simple: str, triggers: list[Trigger], body: str = "") -> list[Token]:
    """The tokens of a normalised sentence, in order, given the triggers found in it."""
    tokens: list[Token] = []
    pos = 0
    if m := _LIST_MARK.match(simple):
        tokens.append(Token("M", m.start(), m.end(), how=m[0].strip()))
        pos = m.end()
    for segment_end, trigger in [*((t.start, t) for t in triggers), (len(simple), None)]:
        for run in _joined_titles(simple, runs(simple, pos, segment_end)):
            if run.mark:
                text = simple[run.start : run.end]
                kind = "M" if text == "——" else _MARK_KINDS.get(text, "X")
                tokens.append(Token(kind, run.start, run.end, how=text))
            else:
                before = tokens[-1] if tokens else None
                verb_next = trigger is not None and run.end == segment_end
                kind = before.kind if before else ""
                labelled = _label_run(simple, run.start, run.end, body, kind, verb_next)
                if (
                    before
                    and before.trigger
                    and before.trigger.row.to_unit
                    and before.end == run.start
                ):
                    labelled = _unit_after(simple, run, labelled)
                tokens.extend(labelled)
        if trigger is not None:
            tokens.append(Token("T", trigger.start, trigger.end, trigger=trigger))
            pos = trigger.end
    return tokens


# ------------------------------------------------------------------------------- assigning


@dataclass
class Role:
    """A person the frames read: the tokens of the name and of both posts, and the frame."""

    frame: Frame
    name: Token
    home: Token
    host: Token
    trigger: Token
    name_before: bool = False  # the name was read in the sentence before
    home_before: bool = False  # and so was the home post


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def assign(
    tokens: list[Token],
    simple: str,
    previous: str | None = None,
    body: str = "",
) -> list[Role]:
    """Read every frame over a sentence's tokens; each token serves one frame at most."""
    kinds = "".join(t.kind for t in tokens)
    taken: set[int] = set()
    found: list[Role] = []
    for frame in FRAMES:
        for m in _compiled(frame.pattern).finditer(kinds):
            span = set(range(m.start(), m.end()))
            if span & taken:
                continue
            roles = _roles_of(frame, m, tokens, previous, body)
            if roles:
                found.extend(roles)
                taken |= span
    return sorted(found, key=lambda r: r.trigger.start)


def _roles_of(
    frame: Frame,
    m: re.Match[str],
    tokens: list[Token],
    previous: str | None,
    body: str,
) -> list[Role]:
    trigger = tokens[m.start("trigger")]
    if frame.name == "respectively":
        people = [t for t in tokens[m.start("people") : m.end("people")] if t.kind in "PN"]
        hosts = [t for t in tokens[m.start("hosts") : m.end("hosts")] if t.kind == "P"]
        pairs = list(zip(people[::2], people[1::2], strict=True))
        if len(pairs) != len(hosts) or len(pairs) < 2:
            return []  # two people and one post: no pairing is safe
        return [Role(frame, n, p, h, trigger) for (p, n), h in zip(pairs, hosts, strict=True)]
    host = tokens[m.start("host")]
    if frame.name_from:
        if previous is None:
            return []
        before = previous
        if frame.name_from == "introduced":
            intro = introduced_name(before, body)
            if intro is None:
                return []
            start, length, alt = intro
            name = Token("N", start, start + length, start + alt if alt else 0, "introduced before")
            return [Role(frame, name, tokens[m.start("home")], host, trigger, name_before=True)]
        # The speaker of the sentence before: its last post and the name right after it.
        pairs = [
            (a, b)
            for a, b in itertools.pairwise(label(before, [], body))
            if a.kind == "P" and b.kind == "N"
        ]
        if not pairs:
            return []
        home, name = pairs[-1]
        return [Role(frame, name, home, host, trigger, name_before=True, home_before=True)]
    return [Role(frame, tokens[m.start("name")], tokens[m.start("home")], host, trigger)]
