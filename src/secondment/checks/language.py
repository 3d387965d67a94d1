"""The language of the self-checks' verdicts: English, or Simplified Chinese for the zh-CN edition.

The checkers write their hints in English, as f-strings. The Chinese edition translates a
verdict when it is shown: `zh_CN.json` (made by `python tools/translate.py build` from the
catalogue translations/zh_CN/checks.po) maps each f-string, with its `{expression}` parts as
placeholders, to its translation. A message is matched against those templates, the most
specific first; the values in the placeholders are translated in turn when they are messages
themselves ("the answer" in "{what} should be a number"), and put into the Chinese template.
Only the words change: the verdict (✅ or ❌, and its status) is decided before translation.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from secondment.errors import LanguageError

__all__ = ["LANGUAGES", "LanguageError", "translate", "use_language"]

#: The languages a verdict can be shown in, by the tag the editions use.
LANGUAGES = {"en": "English", "zh-CN": "简体中文"}
_TABLES = {"zh-CN": "zh_CN.json"}
_current = "en"
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def use_language(tag: str) -> None:
    """Show the self-checks' verdicts in this language from now on: "en" or "zh-CN"."""
    global _current
    if tag not in LANGUAGES:
        known = ", ".join(repr(t) for t in LANGUAGES)
        raise LanguageError(f"no self-check language {tag!r}: choose one of {known}")
    _current = tag


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    target: str
    literal: int  # characters outside placeholders: what a match of it translates for sure
    pieces: tuple[str, ...]  # the text between placeholders, in order (first and last may be "")

    def may_match(self, message: str) -> bool:
        """False when the message cannot match: a quick test of its fixed text, in one pass,
        so that the regex (whose lazy groups can backtrack) runs only where it may fit."""
        first, last = self.pieces[0], self.pieces[-1]
        if not message.startswith(first) or not message.endswith(last):
            return False
        at = len(first)
        for piece in self.pieces[1:-1]:
            at = message.find(piece, at)
            if at < 0:
                return False
            at += len(piece)
        return at <= len(message) - len(last)


def _compile(source: str, target: str) -> _Template:
    parts: list[str] = []
    names: list[str] = []
    pieces = [""]
    literal = last = 0
    for m in _PLACEHOLDER.finditer(source):
        text = source[last : m.start()]
        parts.append(re.escape(text))
        pieces[-1] += text
        literal += len(text)
        if m[1] is None:  # an escaped brace
            parts.append(re.escape(m[0][0]))
            pieces[-1] += m[0][0]
            literal += 1
        else:
            parts.append(f"(?P<p{len(names)}>.*?)")
            names.append(m[0])
            pieces.append("")
        last = m.end()
    parts.append(re.escape(source[last:]))
    pieces[-1] += source[last:]
    literal += len(source) - last
    pattern = re.compile("".join(parts), re.DOTALL)
    return _Template(pattern, tuple(names), target, literal, tuple(pieces))


@functools.cache
def _table(tag: str) -> tuple[dict[str, str], tuple[_Template, ...]]:
    """The exact messages and the templates of a language, the most specific template first."""
    raw = json.loads(resources.files("secondment.checks").joinpath(_TABLES[tag]).read_text("utf-8"))
    exact: dict[str, str] = {}
    templates = []
    for source, target in raw.items():
        if any(m[1] is not None for m in _PLACEHOLDER.finditer(source)):
            templates.append(_compile(source, target))
        else:
            exact[_fill(source, {})] = _fill(target, {})  # only escaped braces to undo
    templates.sort(key=lambda t: -t.literal)
    return exact, tuple(templates)


def _fill(target: str, values: dict[str, str]) -> str:
    """A template with its placeholders replaced by the values, its {{ and }} made braces."""
    return _PLACEHOLDER.sub(lambda p: p[0][0] if p[1] is None else values.get(p[0], p[0]), target)


def translate(message: str, tag: str | None = None) -> str:
    """The message in the language (the current one by default); unchanged when not known."""
    tag = _current if tag is None else tag
    if tag == "en" or not message:
        return message
    return _best(message, tag, 0)[1]


def _best(message: str, tag: str, depth: int) -> tuple[int, str]:
    """(characters of the English covered, translation): of all the templates that match, the
    one that translates most of the message, so that "{key} {fault}" with a known fault wins
    over "{what} is {direction}" with an unknown direction."""
    exact, templates = _table(tag)
    if message in exact:
        return len(message), exact[message]
    best = (0, message)
    if depth > 3:
        return best
    for template in templates:
        if not template.may_match(message):
            continue
        m = template.pattern.fullmatch(message)
        if m is None:
            continue
        covered, values = template.literal, {}
        for i, name in enumerate(template.names):
            part = m[f"p{i}"]
            got, values[name] = _best(part, tag, depth + 1) if part else (0, part)
            covered += got
        if covered > best[0]:
            best = (covered, _fill(template.target, values))
            if covered == len(message):
                break  # all of it: nothing can do better
    # A hint and its reason joined with "; " are translated part by part.
    if best[0] == 0 and "; " in message:
        head, _, tail = message.partition("; ")
        first, second = _best(head, tag, depth + 1), _best(tail, tag, depth + 1)
        if first[0]:
            best = (first[0] + second[0], f"{first[1]}；{second[1]}")
    return best
