"""The course teaches every construct before it uses one.

"Basic Python" means variables, lists, dictionaries, loops, `if` and functions. Everything else
the notebooks' code uses (cells, and the code in the folded answers) is a row of CONSTRUCTS:
how to find it in code, and the lesson whose text teaches it. The notebooks are read in the
course's order, each exercise notebook after the lesson it practises; a construct used before
its lesson has taught it fails here, and so does a construct this table does not know yet.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from secondment.paths import notebooks, require_course_root

ROOT = require_course_root()

#: Python anyone with "basic Python" reads: no lesson needs to teach these.
BASIC = {
    "Module", "Expr", "Assign", "AugAssign", "Name", "Load", "Store", "Del", "Constant", "Call",
    "keyword", "Attribute", "Subscript", "Slice", "List", "Tuple", "Dict", "BinOp", "UnaryOp",
    "BoolOp", "Compare", "Add", "Sub", "Mult", "Div", "FloorDiv", "Mod", "Pow", "USub", "UAdd",
    "Not", "And", "Or", "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "In", "NotIn", "Is", "IsNot",
    "If", "For", "While", "Break", "Continue", "Pass", "FunctionDef", "arguments", "arg",
    "Return", "Import", "ImportFrom", "alias", "comprehension", "withitem", "ExceptHandler",
    "FormattedValue",
}  # fmt: skip


@dataclass(frozen=True)
class Construct:
    """One thing beyond the basics: how to find it, and where the course teaches it."""

    name: str
    found: Callable[[ast.AST, str], bool]  # (node, the code's source) -> uses it here
    lesson: str  # the lesson that teaches it: "00", "02"…
    taught: str  # text of that lesson's markdown that teaches it


def node(kind: type) -> Callable[[ast.AST, str], bool]:
    return lambda n, _: isinstance(n, kind)


def call(name: str) -> Callable[[ast.AST, str], bool]:
    return lambda n, _: isinstance(n, ast.Call) and getattr(n.func, "id", None) == name


def keyword(name: str) -> Callable[[ast.AST, str], bool]:
    return lambda n, _: isinstance(n, ast.keyword) and n.arg == name


def pattern(regex: str) -> Callable[[ast.AST, str], bool]:
    """A string in the code (a regular expression, mostly) that contains this."""
    compiled = re.compile(regex)

    def found(n: ast.AST, _: str) -> bool:
        return (
            isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and bool(compiled.search(n.value))
        )

    return found


def braces(n: ast.AST, source: str) -> bool:
    """An f-string that writes a brace twice, `{{`."""
    if not isinstance(n, ast.JoinedStr):
        return False
    return "{{" in (ast.get_source_segment(source, n) or "")


def unpacking(n: ast.AST, _: str) -> bool:
    targets = (
        n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(n, ast.For) else []
    )
    return any(isinstance(t, ast.Tuple) for t in targets)


def flag(name: str) -> Callable[[ast.AST, str], bool]:
    return lambda n, _: isinstance(n, ast.Attribute) and n.attr == name


PYTHON = "00"  # lesson 00's section *Python you will use*
REGEX = "02"  # lesson 02, regular expressions
CONSTRUCTS = [
    Construct("`with` blocks", node(ast.With), PYTHON, "**`with` opens a file"),
    Construct("f-strings", node(ast.JoinedStr), PYTHON, "**f-strings put values into text.**"),
    Construct(
        "f-string formats, `{n:,}`",
        lambda n, _: isinstance(n, ast.FormattedValue) and n.format_spec is not None,
        PYTHON,
        "`{n:,}` a thousands separator",
    ),  # fmt: skip
    Construct(
        "f-string conversions, `{x!r}`",
        lambda n, _: isinstance(n, ast.FormattedValue) and n.conversion != -1,
        PYTHON,
        "`{x!r}` shows",
    ),  # fmt: skip
    Construct("doubled braces in an f-string, `{{2,3}}`", braces, PYTHON, "`{{2,3}}` becomes"),
    Construct("list comprehensions", node(ast.ListComp), PYTHON, "**Comprehensions build a list"),
    Construct(
        "comprehensions with a condition",
        lambda n, _: isinstance(n, ast.comprehension) and bool(n.ifs),
        PYTHON,
        "`[expression for item in items if condition]`",
    ),  # fmt: skip
    Construct("set comprehensions", node(ast.SetComp), PYTHON, "`{ch for ch in text}`"),
    Construct(
        "dict comprehensions", node(ast.DictComp), PYTHON, "`{key: value for item in items}`"
    ),
    Construct("generator expressions", node(ast.GeneratorExp), PYTHON, "(a *generator*)"),
    Construct("`next()`", call("next"), PYTHON, "`next(...)` takes only the first"),
    Construct(
        "`any()` and `all()`",
        lambda n, s: call("any")(n, s) or call("all")(n, s),
        PYTHON,
        "`any(...)` and `all(...)` test them",
    ),  # fmt: skip
    Construct("`del`", node(ast.Delete), PYTHON, "`del d[key]` removes a key"),
    Construct("sets", node(ast.Set), PYTHON, "A **set**, `{a, b, c}`"),
    Construct(
        "`&` and `|`",
        lambda n, _: isinstance(n, (ast.BitAnd, ast.BitOr)),
        PYTHON,
        "`&` keeps what two sets share and `|` joins them",
    ),  # fmt: skip
    Construct("unpacking", unpacking, PYTHON, "takes each pair apart into two names"),
    Construct("the star, `*rest`", node(ast.Starred), PYTHON, "A star collects the rest"),
    Construct("`enumerate`", call("enumerate"), PYTHON, "`enumerate(items)` gives each item"),
    Construct("`zip`", call("zip"), PYTHON, "`zip(a, b)` walks two lists"),
    Construct("`zip(..., strict=True)`", keyword("strict"), PYTHON, "with `strict=True` it stops"),
    Construct("`if … else` in an expression", node(ast.IfExp), PYTHON, "`a if condition else b`"),
    Construct("`lambda`", node(ast.Lambda), PYTHON, "`lambda item: ...` is a one-line function"),
    Construct("`key=`", keyword("key"), PYTHON, "`key=`, which tells `max`"),
    Construct("the walrus, `:=`", node(ast.NamedExpr), PYTHON, "**The walrus `:=`"),
    Construct("`try` and `except`", node(ast.Try), PYTHON, "**`try` and `except` catch"),
    Construct("`assert`", node(ast.Assert), PYTHON, "An `assert` line does nothing"),
    Construct("named groups, `(?P<name>…)`", pattern(r"\(\?P<"), REGEX, "`(?P<year>...)`"),
    Construct(
        "`{m,n}` in a pattern", pattern(r"\{\d+,\d*\}"), PYTHON, "two or three of what comes"
    ),
    Construct("lazy quantifiers, `+?`", pattern(r"[*+}]\?"), REGEX, "makes it **lazy**"),
    Construct("backreferences, `\\1`", pattern(r"\\[1-9]"), REGEX, "A **backreference** `\\1`"),
    Construct("lookaheads, `(?=…)`", pattern(r"\(\?[=!]"), REGEX, "| `(?=…)` | followed by … |"),
    Construct("lookbehinds, `(?<!…)`", pattern(r"\(\?<[=!]"), REGEX, "| `(?<!…)` | not preceded"),
    Construct("non-capturing groups, `(?:…)`", pattern(r"\(\?:"), REGEX, "`(?:…)` groups without"),
    Construct("`re.MULTILINE`", flag("MULTILINE"), REGEX, "With the flag `re.MULTILINE`"),
    Construct("`re.DOTALL`", flag("DOTALL"), REGEX, "The flag `re.DOTALL` lets `.`"),
]

#: IPython's `name??`, which shows a function's source: lesson 05 explains it where it uses it.
IPYTHON_HELP = re.compile(r"^\s*[\w.]+\?\??\s*$", re.MULTILINE)


def course_order() -> list[Path]:
    """Lessons in order, each exercise notebook (its solution) after the lesson it practises."""
    lessons = notebooks("lessons")
    solutions = {p.name[:2]: p for p in notebooks("solutions")}
    out = []
    for i, lesson in enumerate(lessons):
        out.append(lesson)
        number = lesson.name[:2]
        last_part = i + 1 == len(lessons) or lessons[i + 1].name[:2] != number
        if last_part and number in solutions:
            out.append(solutions[number])
    return out


def code_of(cell: dict) -> list[str]:
    """The Python a cell holds: a code cell, or the ```python blocks of a text cell."""
    text = "".join(cell["source"])
    if cell["cell_type"] == "code":
        return [IPYTHON_HELP.sub("", text)]
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


@dataclass(frozen=True)
class Place:
    order: int  # the notebook's place in the course
    cell: int
    notebook: str

    def __str__(self) -> str:
        return f"{self.notebook}, cell {self.cell}"


def uses() -> Iterator[tuple[Place, ast.AST, str]]:
    for order, path in enumerate(course_order()):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            for source in code_of(cell):
                tree = ast.parse(source)
                for n in ast.walk(tree):
                    yield Place(order, index, path.name), n, source


def taught_at(construct: Construct) -> Place | None:
    for order, path in enumerate(course_order()):
        if not path.name.startswith(construct.lesson + "-"):
            continue
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown" and construct.taught in "".join(cell["source"]):
                return Place(order, index, path.name)
    return None


def first_uses() -> dict[str, Place]:
    first: dict[str, Place] = {}
    for place, n, source in uses():
        for construct in CONSTRUCTS:
            if construct.name not in first and construct.found(n, source):
                first[construct.name] = place
    return first


FIRST = first_uses()


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=lambda c: c.name)
def test_each_construct_is_taught_before_it_is_used(construct: Construct) -> None:
    taught = taught_at(construct)
    assert taught, f"lesson {construct.lesson} no longer says {construct.taught!r}"
    used = FIRST.get(construct.name)
    assert used, f"{construct.name} is not used any more: drop its row"
    assert (taught.order, taught.cell) < (used.order, used.cell), (
        f"{construct.name} is used in {used}, before lesson {construct.lesson} teaches it "
        f"({taught}): teach it earlier, or do without it there"
    )


def test_the_table_knows_every_construct_the_code_uses() -> None:
    known = {
        type(n).__name__ for _, n, source in uses() if any(c.found(n, source) for c in CONSTRUCTS)
    }
    unknown: dict[str, str] = {}
    for place, n, _ in uses():
        kind = type(n).__name__
        if kind not in BASIC and kind not in known:
            unknown.setdefault(kind, str(place))
    assert unknown == {}, "add these to CONSTRUCTS, with the lesson that teaches them"


def test_lesson_00_lists_what_it_teaches() -> None:
    python = {c.name for c in CONSTRUCTS if c.lesson == PYTHON}
    assert len(python) >= 20
    heading = "## 5 · Python you will use"
    lesson = (ROOT / "notebooks" / "00-start-here.ipynb").read_text(encoding="utf-8")
    assert heading in lesson


def test_no_lesson_splits_lines_at_a_bare_newline() -> None:
    """Lesson 01 teaches `splitlines()`: `split("\\n")` leaves the `\\r` of Windows line ends."""
    found = [
        str(place)
        for place, n, _ in uses()
        if isinstance(n, ast.Call)
        and getattr(n.func, "attr", None) == "split"
        and n.args[:1]
        and isinstance(n.args[0], ast.Constant)
        and n.args[0].value == "\n"
    ]
    assert found == []


def test_the_table_finds_what_it_says() -> None:
    """Each detector on a line that has its construct, and on one that has not."""
    samples = {
        "the walrus, `:=`": ("[m for s in x if (m := f(s))]", "[m for m in x]"),
        "`zip(..., strict=True)`": ("zip(a, b, strict=True)", "zip(a, b)"),
        "lookbehinds, `(?<!…)`": ('re.findall(r"(?<![\\d第])一", t)', 're.findall(r"(?:第)一", t)'),
        "doubled braces in an f-string, `{{2,3}}`": ('rf"{HAN}{{2,3}}"', 'rf"{HAN}+"'),
        "comprehensions with a condition": ("[a for a in b if a]", "[a for a in b]"),
    }
    by_name = {c.name: c for c in CONSTRUCTS}
    for name, (yes, no) in samples.items():
        construct = by_name[name]
        assert any(construct.found(n, yes) for n in ast.walk(ast.parse(yes))), name
        assert not any(construct.found(n, no) for n in ast.walk(ast.parse(no))), name
