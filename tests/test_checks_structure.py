"""The library's shape: no import circles, one home for its errors, each fact stated once."""

import ast
import re
from pathlib import Path

from secondment import errors

SRC = Path(__file__).resolve().parent.parent / "src"
# The teaching tools have their own errors, derived from SecondmentError in their modules.
OWN_ERRORS = {"secondment.teach"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The library modules a module imports, at its top or in a function (not for typing)."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                self.generic_visit(node)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.module and node.module.startswith("secondment"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(a.name for a in node.names if a.name.startswith("secondment"))

    Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, round a circle (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_library_module_imports_itself_round_a_circle() -> None:
    modules = _modules()
    graph = {m: {d for d in _imports(p, modules) if d in modules and d != m}
             for m, p in modules.items()}  # fmt: skip
    assert _cycles(graph) == []


def test_every_error_class_is_defined_once_in_errors_py_under_one_base() -> None:
    for module, path in _modules().items():
        if module == "secondment.errors" or module.startswith(tuple(OWN_ERRORS)):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b) for b in node.bases}
                if node.name.startswith("_") and bases == {"BaseException"}:
                    continue  # a private signal (a time limit), not an error anyone sees
                assert not any(re.search(r"Error|Exception|Hint", b) for b in bases), (
                    f"{module}.{node.name}: define errors in secondment/errors.py"
                )
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.SecondmentError), name


def test_a_chinese_character_is_defined_once() -> None:
    spelled = re.compile(r"\\u4e00|\\u3400|一-龥|一-鿿")
    for module, path in _modules().items():
        if module == "secondment.article":
            continue
        assert not spelled.search(path.read_text(encoding="utf-8")), (
            f"{module}: use secondment.article.HAN or HAN_WIDE"
        )


def test_the_library_takes_path_helpers_from_paths() -> None:
    helpers = re.compile(
        r"from secondment\.article import [^\n]*\b(article_path|second_report_path|datasets_dir"
        r"|course_root)\b"
    )
    for module, path in _modules().items():
        if module.startswith("secondment.teach"):
            continue  # the grader is being reworked in its own branch
        assert not helpers.search(path.read_text(encoding="utf-8")), module
