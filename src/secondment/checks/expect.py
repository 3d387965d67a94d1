"""Building blocks for checkers: compare a student's answer and raise a helpful Hint."""

from __future__ import annotations

import functools
import math
import numbers
import re
import reprlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from secondment.checks.answers import RecordedError, bars_of
from secondment.errors import Hint

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from secondment.article import Article

__all__ = [
    "answer_axes",
    "bars_lying",
    "bars_of",
    "bars_upright",
    "call_answer",
    "course_article",
    "expect_axes_bars",
    "expect_count",
    "expect_frame",
    "expect_number",
    "expect_sequence",
    "expect_size",
    "expect_text",
    "expect_type",
    "regex_problem",
    "shown",
    "tidy",
]


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlong = 40
_SHORT.fillvalue = "…"


def shown(value: Any, limit: int = 60) -> str:
    """A student's value as a hint echoes it: its repr, cut to about `limit` characters."""
    text = _SHORT.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Why Python's `re` cannot compile a pattern (the messages of re/_parser.py and re/_compiler.py,
#: Python 3.11 to 3.13), in the words a verdict shows; {value} and the like stand for the parts
#: that vary.
#: Each is in the checks' catalogue, so the Chinese verdicts show none of them in English.
REGEX_REASONS = (
    "bad escape (end of pattern)",
    "bad inline flags: cannot turn off global flag",
    "bad inline flags: cannot turn on global flag",
    "bad inline flags: flag turned on and off",
    "bad inline flags: cannot turn off flags 'a', 'u' and 'L'",
    "bad inline flags: cannot use 'L' flag with a str pattern",
    "bad inline flags: flags 'a', 'u' and 'L' are incompatible",
    "cannot refer to an open group",
    "cannot refer to group defined in the same lookbehind subpattern",
    "conditional backref with more than two branches",
    "global flags not at the start of the expression",
    "look-behind requires fixed-width pattern",
    "min repeat greater than max repeat",
    "missing ), unterminated comment",
    "missing ), unterminated subpattern",
    "missing -, : or )",
    "missing group name",
    "multiple repeat",
    "nothing to repeat",
    "the repetition number is too large",
    "too many groups",
    "unbalanced parenthesis",
    "unexpected end of pattern",
    "unterminated character set",
    "bad character in group name {value}",
    "bad character range {value}",
    "bad escape {value}",
    "bad group number",
    "incomplete escape {value}",
    "invalid group reference {value}",
    "missing {value}, unterminated name",
    "missing {value}",
    "octal escape value {value} outside of range 0-0o377",
    "redefinition of group name {value} as group {number}; was group {before}",
    "undefined character name {value}",
    "unknown extension {value}",
    "unknown flag",
    "unknown group name {value}",
)
_REASON_PATTERNS = tuple(
    (re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", re.escape(r))), r) for r in REGEX_REASONS
)


def regex_problem(exc: re.error) -> str:
    """Why a pattern does not compile and where, in words the verdicts translate."""
    reason = "Python cannot read it"
    for pattern, words in _REASON_PATTERNS:
        m = pattern.fullmatch(exc.msg)
        if m:
            reason = words.format(**m.groupdict())
            break
    return f"{reason} at position {exc.pos}" if exc.pos is not None else reason


def _type_name(value: Any) -> str:
    return type(value).__name__


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def expect_type(answer: Any, *types: type, what: str = "the answer") -> None:
    """Hint when the answer is not one of the given types."""
    if not isinstance(answer, types):
        names = _a(types[0].__name__)
        for other in types[1:]:
            names = f"{names} or {_a(other.__name__)}"
        raise Hint(f"{what} should be {names}, but it is {_a(_type_name(answer))}")


def tidy(value: Any) -> Any:
    """Strip surrounding whitespace from strings, recursively in lists and tuples."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return type(value)(tidy(v) for v in value)
    return value


def expect_text(answer: Any, expected: str, what: str = "the text") -> None:
    """Hint unless the answer is the expected string (surrounding whitespace ignored)."""
    expect_type(answer, str, what=what)
    got = answer.strip()
    if got == expected:
        return
    if "，" in got and "，" not in expected:
        raise Hint(f"{what} contains a full-width comma ，; the article uses ASCII ,")
    if expected in got:
        raise Hint(
            f"{what} has {len(got) - len(expected)} characters too many around the right part"
        )
    if got in expected:
        raise Hint(f"{what} is too short: it is only part of what is asked")
    raise Hint(f"{what} is not right yet ({len(got)} characters; look again at the pattern)")


def expect_number(
    answer: Any, expected: float, what: str = "the number", tol: float = 1e-9
) -> None:
    """Hint unless the answer is a number equal to expected (int and float both fine)."""
    if isinstance(answer, bool):
        raise Hint(f"{what} should be a number, but it is True/False")
    if isinstance(answer, str):
        raise Hint(
            f"{what} should be a number, not the text {shown(answer)}: convert it with int()"
        )
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a number, but it is a {_type_name(answer)}") from None
    if not math.isclose(float(answer), float(expected), rel_tol=tol, abs_tol=tol):
        direction = "too big" if float(answer) > float(expected) else "too small"
        raise Hint(f"{what} is {direction}")


def expect_count(
    value: Any,
    what: str = "answer",
    *,
    not_a_number: str = "{what} should be a whole number, but it is {value}",
    not_whole: str = "{what} should be a whole number (a count), but it is {value}",
    text_hint: bool = False,
) -> int:
    """A count given as an int or a whole float, else a hint.

    The two messages are templates with {what}, {value} (the value as `shown` echoes it) and
    {type} (the value's type name), so that each exercise keeps the wording its students see;
    `text_hint` adds the hint to convert a string with int().
    """
    if text_hint and isinstance(value, str):
        raise Hint(f"{what} should be a number, not the text {shown(value)}: convert it with int()")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Hint(not_a_number.format(what=what, value=shown(value), type=_type_name(value)))
    if isinstance(value, numbers.Integral):  # exactly, however large
        return int(value)
    if not float(value).is_integer():
        raise Hint(not_whole.format(what=what, value=shown(value), type=_type_name(value)))
    return int(float(value))


def expect_size(got: int, want: int, more: str, fewer: str) -> None:
    """Hint `more` when got is above want and `fewer` when it is below."""
    if got > want:
        raise Hint(more)
    if got < want:
        raise Hint(fewer)


def call_answer(
    func: Any, arg: Any, label: str, inputs: str = "texts", decode_hint: str = ""
) -> Any:
    """Call a function answer (rebuilt in the kernel from its results) on one input, or a hint.

    `decode_hint` says which encoding the input's bytes are in, for a function that raised
    UnicodeDecodeError (as `question`'s does for an answer cell).
    """
    try:
        return func(arg)
    except RecordedError as exc:
        m = re.match(r"UnicodeDecodeError: '([\w-]+)' codec", str(exc))
        if m and decode_hint:
            raise Hint(
                f"your function raised UnicodeDecodeError on {label}: {m[1]} cannot read these "
                f"bytes; {decode_hint}"
            ) from None
        raise Hint(f"your function raised {exc} on {label}") from None
    except LookupError:
        raise Hint(f"the check could not run your function on its {inputs}") from None


def expect_sequence(
    answer: Any, expected: Sequence[Any], what: str = "the list", ordered: bool = True
) -> None:
    """Hint unless the answer holds the expected items (whitespace around strings ignored)."""
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        raise Hint(f"{what} should be a list, but it is a {_type_name(answer)}")
    got = [tidy(x) for x in answer]
    want = list(expected)
    if len(got) != len(want):
        raise Hint(f"{what} has {len(got)} items; it should have {len(want)}")
    if not ordered:
        got, want = sorted(map(str, got)), sorted(map(str, want))
    if got != want:
        wrong = next(i for i, (g, w) in enumerate(zip(got, want, strict=True)) if g != w)
        if not ordered:
            raise Hint(f"{what} has the right length, but some items are not the expected ones")
        extra = " (full-width ，?)" if "，" in str(got[wrong]) else ""
        before = "; the items before it are right" if wrong else ""
        raise Hint(f"{what}: item {wrong} is not right{extra}{before}")


def expect_frame(
    answer: Any,
    expected: Any,
    what: str = "the table",
    columns: Sequence[str] | None = None,
    sort_by: Sequence[str] | None = None,
) -> None:
    """Hint unless a DataFrame holds the expected rows and columns.

    Column order, the index, whitespace around strings and int-vs-float do not matter.
    """
    import pandas as pd

    expect_type(answer, pd.DataFrame, what=what)
    columns = list(columns or expected.columns)
    missing = [c for c in columns if c not in answer.columns]
    if missing:
        raise Hint(f"{what} is missing the column(s) {', '.join(missing)}")
    if len(answer) != len(expected):
        raise Hint(f"{what} has {len(answer)} rows; it should have {len(expected)}")

    def norm(df: pd.DataFrame) -> pd.DataFrame:
        df = df[columns].reset_index(drop=True).copy()
        for c in columns:
            col = df[c]
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                df[c] = col.astype("float64")
            else:
                df[c] = col.astype("object").map(lambda v: v.strip() if isinstance(v, str) else v)
        if sort_by:
            df = df.sort_values(list(sort_by), kind="stable").reset_index(drop=True)
        return df

    got, want = norm(answer), norm(expected)
    for c in columns:
        if not got[c].equals(want[c]):
            bad = got[c][got[c] != want[c]]
            sample = bad.iloc[0] if len(bad) else None
            if isinstance(sample, str) and ("," in sample or "，" in sample):
                raise Hint(f"column {shown(c)}: some values still contain a comma; cut them there")
            raise Hint(f"column {shown(c)} has {len(bad)} value(s) that are not right yet")


@functools.cache
def course_article() -> Article:
    """The course article, parsed once per process (checkers only read it)."""
    from secondment.article import load_article

    return load_article()


def answer_axes(answer: Any, what: str = "answer", drawn_by: str = "ax.bar()") -> Axes:
    """The Axes of an answer; a hint for the usual near misses (figure, pair, bars, labels).

    `drawn_by` names the call whose bars a student may hand in instead of the Axes.
    """
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(answer, Figure):
        if len(answer.axes) == 1:
            return answer.axes[0]
        raise Hint("answer should be the Axes you drew on (answer = ax), not the figure")
    if isinstance(answer, (list, tuple)) and answer and isinstance(answer[-1], Axes):
        raise Hint("answer should be the Axes alone: fig, ax = plt.subplots(), then answer = ax")
    if type(answer).__name__ == "BarContainer":
        raise Hint(f"that is the bars {drawn_by} returns; the answer is the Axes: answer = ax")
    # ax.bar_label() returns Annotations (a kind of Text); by name, as answers are rebuilt.
    labels = {"Text", "Annotation"}
    if isinstance(answer, list) and answer and all(type(a).__name__ in labels for a in answer):
        raise Hint("that is what ax.bar_label() returns; the answer is the Axes: answer = ax")
    expect_type(answer, Axes, what=what)
    return answer


def bars_upright(ax: Axes) -> bool:
    """True when the bars stand on the x axis (several bars, one common bottom)."""
    bars = bars_of(ax)
    return len(bars) > 1 and len({round(b.get_y(), 6) for b in bars}) == 1


def bars_lying(ax: Axes) -> bool:
    """True when the bars start at the y axis (several bars, one common left edge)."""
    bars = bars_of(ax)
    return len(bars) > 1 and len({round(b.get_x(), 6) for b in bars}) == 1


def expect_axes_bars(
    ax: Any,
    labels: Sequence[str],
    heights: Sequence[float],
    what: str = "the chart",
    horizontal: bool = False,
    need_title: bool = True,
    need_axis_labels: bool = True,
) -> None:
    """Hint unless an Axes shows bars with these labels and heights, with title and labels."""
    ax = answer_axes(ax, what=what)
    bars = bars_of(ax)
    if not bars:
        raise Hint(f"{what} has no bars: use ax.bar(...) or ax.barh(...)")
    if len(bars) != len(heights):
        raise Hint(f"{what} has {len(bars)} bars; it should have {len(heights)}")
    if horizontal:
        bars = sorted(bars, key=lambda b: b.get_y())
        values = [b.get_width() for b in bars]
        ticks = [t.get_text() for t in ax.get_yticklabels()]
    else:
        bars = sorted(bars, key=lambda b: b.get_x())
        values = [b.get_height() for b in bars]
        ticks = [t.get_text() for t in ax.get_xticklabels()]
    want = dict(zip(labels, heights, strict=True))
    shown = [t for t in ticks if t]
    if sorted(shown) != sorted(labels):
        raise Hint(f"{what}: the bar labels should be the {len(labels)} categories, as written")
    got = dict(zip(shown, values, strict=False)) if len(shown) == len(values) else {}
    if any(not math.isclose(got.get(k, math.nan), float(v)) for k, v in want.items()):
        size = "lengths" if horizontal else "heights"
        raise Hint(f"{what}: some bar {size} do not match the table")
    if need_title and not ax.get_title():
        raise Hint(f"{what} needs a title")
    if need_axis_labels and not (ax.get_xlabel() and ax.get_ylabel()):
        raise Hint(f"{what} needs labels on both axes")
