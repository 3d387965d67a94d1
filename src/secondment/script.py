"""Traditional and simplified characters: one spelling to match on, the same length as the text."""

from __future__ import annotations

import functools

__all__ = ["simplify"]


@functools.cache
def _converter():  # type: ignore[no-untyped-def]  # opencc ships no type hints
    import opencc

    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional characters as simplified ones (`掛任` → `挂任`), one character for one.

    Hong Kong and Taiwan outlets print these reports in traditional characters. Patterns are
    written once, in simplified characters, and matched on this form; what they find is cut out
    of the text as written at the same positions.
    """
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # OpenCC's phrase tables may map a phrase to one of another length; then convert character
    # by character, so that positions still agree.
    convert = _converter().convert
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)
