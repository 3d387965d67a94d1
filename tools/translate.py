"""The Simplified Chinese edition, made from the English by gettext catalogues.

    python tools/translate.py extract   update translations/zh_CN/**.po from the English sources
    python tools/translate.py build     write zh-CN/ from the English sources and the catalogues
    python tools/translate.py check     exit 1 when a catalogue or zh-CN/ is out of date

The English notebooks and pages stay the source of truth. `extract` cuts their prose into
messages, one per heading, paragraph, list item, table cell and <summary>, with soft line
breaks joined, so a message's msgid is its English text and does not change when another
paragraph is edited or this one is re-wrapped. An existing catalogue is merged the gettext way
(Babel's `Catalog.update`): a changed paragraph keeps its old translation marked fuzzy, a new
one is empty unless the same English is translated in another catalogue, a deleted one becomes
obsolete. The self-checks' messages come from the f-strings of `secondment.checks`, with each
`{expression}` kept as a placeholder.

`build` writes zh-CN/notebooks/ and zh-CN/exercises/ (the same file names): translated prose,
the English code cells unchanged except that an exercise's setup cell turns the self-check
hints to Chinese, relative links re-pointed at the English files that have no Chinese twin; then
it executes, with the course's own command, every notebook whose code or outputs are not
already stored. It also writes zh-CN/README.md (the learners' part of the README), the
translated pages of the website, and the checks' message table inside the package.
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_CN"
EDITION = "zh-CN"  # the folder of the edition, and the language tag pages carry
CATALOGUES = Path("translations") / LOCALE
CHECKS_PACKAGE = Path("src/secondment/checks")
#: The checks' messages as the package reads them (no gettext tools in a student's install).
CHECKS_TABLE = CHECKS_PACKAGE / "zh_CN.json"
#: The README up to this heading is what learners read; the rest is for instructors.
README_END = "## For instructors"
#: A catalogue's dates, when it is first made: fixed, so that extracting twice changes nothing.
FIRST_DATE = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)

ISSUES = "https://github.com/hebei-daily-course/secondment/issues"
HEADER = """\
# Simplified Chinese translation of the course (简体中文版).
# The English sources are the truth: `python tools/translate.py extract` updates this file,
# `python tools/translate.py build` makes zh-CN/ from it. See translations/README.md.
#"""

_MD = MarkdownIt("commonmark").enable("table")
_SUMMARY = re.compile(r"<summary>(.*?)</summary>")


class TranslationError(Exception):
    """A catalogue or a source cannot be used; the message says which and why."""


# ---------------------------------------------------------------- prose units of markdown


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a markdown text: lines [start, end) hold it."""

    start: int
    end: int
    text: str  # the msgid: the English with its soft line breaks joined
    kind: str  # block, cell or summary


def _join(content: str) -> str:
    return " ".join(line.strip() for line in content.split("\n")).strip()


def markdown_units(text: str) -> list[Unit]:
    """The prose of a markdown text, in order: headings, paragraphs, table cells, summaries."""
    tokens = _MD.parse(text)
    units: list[Unit] = []
    in_table = False
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            in_table = True
        elif tok.type == "table_close":
            in_table = False
        elif tok.type == "inline" and tok.map and tok.content.strip():
            kind = "cell" if in_table else "block"
            if kind == "block" and tokens[i - 1].type not in ("paragraph_open", "heading_open"):
                continue
            units.append(Unit(tok.map[0], tok.map[1], _join(tok.content), kind))
        elif tok.type == "html_block" and tok.map:
            for offset, line in enumerate(tok.content.split("\n")):
                for m in _SUMMARY.finditer(line):
                    if m[1].strip():
                        row = tok.map[0] + offset
                        units.append(Unit(row, row + 1, m[1].strip(), "summary"))
    return units


def _cells_of(row: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell's text in a table row, between unescaped pipes."""
    bars = [m.start() for m in re.finditer(r"(?<!\\)\|", row)]
    if not row.lstrip().startswith("|"):
        bars.insert(0, -1)
    if not row.rstrip().endswith("|") or row.rstrip().endswith("\\|"):
        bars.append(len(row))
    return [(a + 1, b) for a, b in zip(bars, bars[1:], strict=False)]


_BLOCK_PREFIX = re.compile(r"^(?:[ \t]*(?:>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+|#{1,6}[ \t]+))*[ \t]*")


def _continuation(prefix: str) -> str:
    """The prefix of a paragraph's further lines: list markers become indentation."""
    return re.sub(r"(?:[-*+]|\d+[.)])[ \t]", lambda m: " " * len(m[0]), prefix)


def translate_markdown(text: str, lookup: Callable[[str], str | None]) -> str:
    """The text with each unit that `lookup` translates replaced, the markup around it kept."""
    lines = text.split("\n")
    units = markdown_units(text)
    # Table cells of one row are rewritten together; everything from the bottom up.
    rows: dict[int, list[Unit]] = {}
    for unit in units:
        if unit.kind == "cell":
            rows.setdefault(unit.start, []).append(unit)
    edits: list[tuple[int, int, list[str]]] = []
    for unit in units:
        if unit.kind == "summary":
            done = _SUMMARY.sub(
                lambda m: f"<summary>{lookup(m[1].strip()) or m[1]}</summary>", lines[unit.start]
            )
            edits.append((unit.start, unit.end, [done]))
        elif unit.kind == "block":
            new = lookup(unit.text)
            if new is None:
                continue
            prefix = _BLOCK_PREFIX.match(lines[unit.start])[0]  # type: ignore[index]
            rest = _continuation(prefix)
            out = [prefix + new.split("\n")[0]] + [rest + line for line in new.split("\n")[1:]]
            edits.append((unit.start, unit.end, out))
    for start in rows:
        row = lines[start]
        spans = _cells_of(row)
        texts = [row[a:b].strip() for a, b in spans]
        out_cells = []
        for (a, b), cell in zip(spans, texts, strict=True):
            new = lookup(_join(cell)) if cell else None
            pad_l = row[a:b][: len(row[a:b]) - len(row[a:b].lstrip())]
            pad_r = row[a:b][len(row[a:b].rstrip()) :]
            out_cells.append((a, b, pad_l + new + pad_r if new is not None else row[a:b]))
        for a, b, new_cell in reversed(out_cells):
            row = row[:a] + new_cell + row[b:]
        edits.append((start, start + 1, [row]))
    for start, end, new_lines in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = new_lines
    return "\n".join(lines)


# ---------------------------------------------------------------- what is translated


@dataclass(frozen=True)
class Source:
    """One English source and its catalogue."""

    path: Path  # relative to the course root
    catalogue: Path  # relative to the course root
    kind: str  # notebook, markdown, glossary or checks

    @property
    def target(self) -> Path:
        """Where the Chinese version is written (checks: the package's message table)."""
        if self.kind == "checks":
            return CHECKS_TABLE
        if self.kind == "glossary":
            return Path(EDITION) / "datasets" / "glossary.csv"
        return (
            Path(EDITION) / self.path.name if self.kind == "markdown" else Path(EDITION) / self.path
        )


def sources(root: Path = ROOT) -> list[Source]:
    """Every English source of the edition, in course order."""
    from secondment.paths import notebooks

    found = [
        Source(p.relative_to(root), CATALOGUES / p.relative_to(root).with_suffix(".po"), "notebook")
        for p in notebooks("lessons", "exercises", root=root)
    ]
    found += [
        Source(Path("README.md"), CATALOGUES / "README.po", "markdown"),
        Source(Path("website/setup.md"), CATALOGUES / "setup.po", "markdown"),
        Source(Path("datasets/glossary.csv"), CATALOGUES / "glossary.po", "glossary"),
        Source(CHECKS_PACKAGE, CATALOGUES / "checks.po", "checks"),
    ]
    return found


def _readme_part(text: str) -> str:
    """The learners' part of the README: everything before the instructors' section."""
    at = text.find("\n" + README_END + "\n")
    return text if at < 0 else text[: at + 1]


def _notebook_markdown(path: Path) -> Iterator[tuple[str, str]]:
    """(cell id, source) of each markdown cell of a notebook."""
    nb = json.loads(path.read_text("utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            yield cell.get("id", ""), "".join(cell["source"])


#: The glossary's English columns a Chinese reader needs in Chinese (the English term stays).
GLOSSARY_COLUMNS = ("explanation",)


def messages(source: Source, root: Path = ROOT) -> list[tuple[str, str]]:
    """(msgid, location) of every message of a source, in order, duplicates kept."""
    path = root / source.path
    if source.kind == "notebook":
        return [
            (u.text, f"{source.path.as_posix()}:{cell_id}")
            for cell_id, text in _notebook_markdown(path)
            for u in markdown_units(text)
        ]
    if source.kind == "markdown":
        text = path.read_text("utf-8")
        if source.path.name == "README.md":
            text = _readme_part(text)
        return [(u.text, f"{source.path.as_posix()}:{u.start + 1}") for u in markdown_units(text)]
    if source.kind == "glossary":
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        return [
            (row[col], f"{source.path.as_posix()}:{row['term']}")
            for row in rows
            for col in GLOSSARY_COLUMNS
            if row.get(col, "").strip()
        ]
    return check_messages(root / source.path)


# ---------------------------------------------------------------- the self-checks' messages

#: Calls whose string arguments are patterns or data, never shown to a student.
_NOT_SHOWN = re.compile(r"^(re\.\w+|\w+\.(?:startswith|endswith|split|join|replace|strip|get))$")


def _template(node: ast.expr) -> str | None:
    """An f-string or string constant as a message template: `{expression}` placeholders."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if not isinstance(node, ast.JoinedStr):
        return None
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        elif isinstance(value, ast.FormattedValue):
            expr = ast.unparse(value.value)
            conv = f"!{chr(value.conversion)}" if value.conversion > 0 else ""
            spec = f":{ast.unparse(value.format_spec)[2:-1]}" if value.format_spec else ""
            parts.append("{" + expr + conv + spec + "}")
    return "".join(parts)


def _is_prose(text: str) -> bool:
    """Words and a space: a message, a fragment of one ("a {name}") or a message made of others
    ("{key} {fault}"), not a key or a name."""
    return bool(re.search(r"[A-Za-z]", text)) and " " in text.strip()


#: Parameters whose values are put into a message: a single word given for one is shown too.
FRAGMENT_PARAMS = frozenset({"what", "item", "inputs", "label"})


def _signatures(trees: list[ast.Module]) -> dict[str, list[str]]:
    """The parameter names of every function the checks define, by function name."""
    found: dict[str, list[str]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                args = node.args
                found[node.name] = [
                    a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]
                ]
    return found


def _fragments(tree: ast.Module, signatures: dict[str, list[str]]) -> set[int]:
    """The string constants given for a fragment parameter, by default, keyword or position."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            pairs = list(
                zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
            )
            pairs += [
                (a, d)
                for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                if d is not None
            ]
            found |= {id(d) for a, d in pairs if a.arg in FRAGMENT_PARAMS}
        elif isinstance(node, ast.Call):
            found |= {id(k.value) for k in node.keywords if k.arg in FRAGMENT_PARAMS}
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "Verdict" and len(node.args) > 2:  # Verdict(question, passed, message, …)
                shown = node.args[2]
                parts = shown.values if isinstance(shown, ast.BoolOp) else [shown]
                found |= {id(p) for p in parts if isinstance(p, ast.Constant)}
            params = signatures.get(str(name), [])
            found |= {
                id(arg)
                for param, arg in zip(params, node.args, strict=False)
                if param in FRAGMENT_PARAMS and isinstance(arg, ast.Constant)
            }
    return found


def check_messages(package: Path) -> list[tuple[str, str]]:
    """(template, location) of every message string in the checks package, in file order."""
    found: list[tuple[str, str]] = []
    # language.py shows these messages; its own are for the notebook's author, in English.
    paths = sorted(p for p in package.glob("*.py") if p.name != "language.py")
    trees = [ast.parse(path.read_text("utf-8")) for path in paths]
    signatures = _signatures(trees)
    for path, tree in zip(paths, trees, strict=True):
        fragments = _fragments(tree, signatures)
        skip: set[int] = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                skip.add(id(body[0].value))  # docstrings
            if isinstance(node, ast.JoinedStr):
                skip.update(id(v) for v in ast.walk(node) if v is not node)
            if isinstance(node, ast.Call) and _NOT_SHOWN.match(ast.unparse(node.func)):
                skip.update(id(v) for arg in node.args for v in ast.walk(arg))
            if isinstance(node, ast.Compare):  # compared with, never shown
                skip.update(id(v) for v in ast.walk(node))
        spots = []
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.expr):
                continue
            text = _template(node)
            fragment = id(node) in fragments and bool(re.search(r"[A-Za-z]{2}", text or ""))
            if text is not None and (_is_prose(text) or fragment):
                spots.append((node.lineno, node.col_offset, text))
        location = (CHECKS_PACKAGE / path.name).as_posix()
        found += [(text, f"{location}:{line}") for line, _, text in sorted(spots)]
    return found


# ---------------------------------------------------------------- what a translation keeps

_CODE = re.compile(r"(`+)(.+?)\1")
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_PLACEHOLDER = re.compile(r"(?<!\{)\{(?!\{)[^{}]*\}")


def kept(text: str, checks: bool = False) -> dict[str, list[str]]:
    """What must come through translation unchanged: inline code, link targets, HTML tags and,
    in the checks' messages, the {placeholders}."""
    found = {
        "inline code": sorted(m[0] for m in _CODE.finditer(text)),
        "link target": sorted(_LINK_TARGET.findall(text)),
        "HTML tag": sorted(_TAG.findall(_CODE.sub("", text))),
    }
    if checks:
        found["placeholder"] = sorted(_PLACEHOLDER.findall(_CODE.sub("", text)))
    return found


def problems(msgid: str, msgstr: str, checks: bool = False) -> list[str]:
    """What a translation changed that it must keep, one line each (empty: nothing)."""
    if not msgstr.strip():
        return ["not translated"]
    out = []
    want, got = kept(msgid, checks), kept(msgstr, checks)
    for what, items in want.items():
        if items != got[what]:
            lost = sorted(set(items) - set(got[what]))
            added = sorted(set(got[what]) - set(items))
            out.append(f"{what} differs: missing {lost}, added {added}")
    return out


def catalogue_problems(path: Path) -> list[str]:
    """Every untranslated, fuzzy or damaged message of a catalogue, as `file: msgid: what`."""
    checks = path.name == "checks.po"
    out = []
    for msg in read_catalogue(path):
        if not msg.id:
            continue
        msgid, msgstr = str(msg.id), str(msg.string or "")
        found = ["fuzzy"] if msg.fuzzy else []
        found += problems(msgid, msgstr, checks)
        out += [f"{path.name}: {msgid[:60]!r}: {what}" for what in found]
    return out


# ---------------------------------------------------------------- catalogues


def template_catalogue(source: Source, root: Path = ROOT) -> Catalog:
    """The catalogue of the source's current English, without translations."""
    cat = Catalog(
        locale=LOCALE,
        header_comment=HEADER,
        project="secondment",
        version="1",
        copyright_holder="the course authors",
        msgid_bugs_address=ISSUES,
        creation_date=FIRST_DATE,
        revision_date=FIRST_DATE,
        last_translator="the course authors",
        language_team="简体中文 (zh_CN)",
        fuzzy=False,
    )
    for msgid, location in messages(source, root):
        path, _, where = location.rpartition(":")
        # A line number is a location; a cell id or a glossary term is a note for translators.
        place = [(path, int(where))] if where.isdigit() else [(path, None)]
        notes = (
            []
            if where.isdigit()
            else [f"{'term' if source.kind == 'glossary' else 'cell'} {where}"]
        )
        if msgid in cat:
            known = cat[msgid]
            known.locations = [*known.locations, *(p for p in place if p not in known.locations)]
            known.auto_comments = [
                *known.auto_comments,
                *(n for n in notes if n not in known.auto_comments),
            ]
        else:
            cat.add(msgid, locations=place, auto_comments=notes)
    return cat


def read_catalogue(path: Path) -> Catalog:
    """A .po file, or a one-line error naming it."""
    try:
        with path.open("rb") as f:
            return read_po(f, locale=LOCALE)
    except FileNotFoundError:
        raise TranslationError(
            f"{path}: no catalogue; run python tools/translate.py extract"
        ) from None
    except Exception as exc:
        raise TranslationError(f"{path}: not a readable PO file ({exc})") from None


def catalogue_bytes(cat: Catalog) -> bytes:
    """The .po text of a catalogue, as extract writes it."""
    out = io.BytesIO()
    write_po(out, cat, width=100, sort_output=False, include_previous=False, ignore_obsolete=True)
    return out.getvalue()


def _memory(root: Path) -> dict[str, str]:
    """Every translated, non-fuzzy message of every catalogue: the same English, translated once."""
    memory: dict[str, str] = {}
    for path in sorted((root / CATALOGUES).rglob("*.po")):
        for msg in read_catalogue(path):
            if msg.id and msg.string and not msg.fuzzy:
                memory.setdefault(str(msg.id), str(msg.string))
    return memory


def updated_catalogue(
    source: Source, root: Path = ROOT, memory: dict[str, str] | None = None
) -> Catalog:
    """The source's catalogue merged with its current English (what extract writes)."""
    template = template_catalogue(source, root)
    path = root / source.catalogue
    if path.exists():
        cat = read_catalogue(path)
        cat.update(template, update_creation_date=False)
    else:
        cat = template_catalogue(source, root)
    memory = _memory(root) if memory is None else memory
    for msg in cat:
        if msg.id and not msg.string and str(msg.id) in memory:
            msg.string = memory[str(msg.id)]
    return cat


def orphan_catalogues(root: Path = ROOT) -> list[Path]:
    """Catalogues whose English source is gone (a lesson renamed or split)."""
    wanted = {root / s.catalogue for s in sources(root)}
    return sorted(p for p in (root / CATALOGUES).rglob("*.po") if p not in wanted)


def extract(root: Path = ROOT) -> list[Path]:
    """Write every catalogue that the English has changed, and remove those of sources that are
    gone (their translations live on where the same English moved); return the paths changed."""
    memory = _memory(root)
    written = orphan_catalogues(root)
    for path in written:
        path.unlink()
    for source in sources(root):
        path = root / source.catalogue
        data = catalogue_bytes(updated_catalogue(source, root, memory))
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    return written


# ---------------------------------------------------------------- the edition

#: An exercise's setup cell, and what it becomes in the edition: the hints in Chinese.
CHECK_IMPORT = "from secondment.checks import check\n"
CHECK_IMPORT_ZH = "from secondment.checks import check, use_language\n"
USE_LANGUAGE = '\nuse_language("zh-CN")  # 自检的结果和提示用中文显示\n'
_LINK = re.compile(r"(\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
_BINDER_PATH = re.compile(r"(urlpath=lab/tree/)([\w./-]+)")


def lookup(cat: Catalog) -> Callable[[str], str | None]:
    """The translation of an English message, or None when it has none (or only a fuzzy one)."""
    table = {str(m.id): str(m.string) for m in cat if m.id and m.string and not m.fuzzy}
    return table.get


def twins(root: Path = ROOT) -> dict[str, str]:
    """{English notebook or page: its place in the edition}, as course-relative paths."""
    return {
        s.path.as_posix(): s.target.as_posix()
        for s in sources(root)
        if s.kind in ("notebook", "markdown")
    }


def relink(text: str, source: Path, root: Path = ROOT, known: dict[str, str] | None = None) -> str:
    """The links of a translated text, made right for where the edition keeps it.

    A relative link goes to the edition's twin of what the English links to, or to the English
    file when it has no twin (instructors' guides, datasets); a link from the English to the
    edition is the language switch, so in the edition it goes back to the English. A Binder link
    that opens a translated notebook opens its twin. `known` is `twins(root)`, when the caller
    has it already.
    """
    known = twins(root) if known is None else known
    english = {v: k for k, v in known.items()}
    here = Path(known.get(source.as_posix(), source.as_posix())).parent

    def fix(m: re.Match[str]) -> str:
        href = m[2]
        if re.match(r"[a-z][\w+.-]*:|#|/", href):  # a URL, an anchor or an absolute path
            return m[0]
        path, _, anchor = href.partition("#")
        rel = os.path.normpath((source.parent / path).as_posix()).replace(os.sep, "/")
        if rel in english:
            new = english[rel]
        elif rel in known and not anchor:  # the edition's headings have their own anchors
            new = known[rel]
        else:
            new = rel
        out = os.path.relpath(root / new, root / here).replace(os.sep, "/")
        return m[1] + out + ("#" + anchor if anchor else "") + m[3]

    text = _LINK.sub(fix, text)
    return _BINDER_PATH.sub(lambda m: m[1] + known.get(m[2], m[2]), text)


def _translated_markdown(
    text: str,
    source: Path,
    find: Callable[[str], str | None],
    root: Path,
    known: dict[str, str],
) -> str:
    return relink(translate_markdown(text, find), source, root, known)


def build_notebook(
    source: Source,
    root: Path = ROOT,
    known: dict[str, str] | None = None,
    checks: str | None = None,
) -> tuple[str, bool]:
    """The edition's notebook as text, and whether some code cell has no stored outputs yet.

    Outputs come from the edition's existing notebook, for every code cell whose source is
    unchanged; the others are left empty for `build` to execute.
    """
    import nbformat

    known = twins(root) if known is None else known

    find = lookup(read_catalogue(root / source.catalogue))
    nb = nbformat.reads((root / source.path).read_text("utf-8"), as_version=4)
    target = root / source.target
    stored: dict[str, Any] = {}
    old_meta: dict[str, Any] = {}
    if target.exists():
        old = nbformat.reads(target.read_text("utf-8"), as_version=4)
        stored = {c.get("id"): c for c in old.cells if c.cell_type == "code"}
        old_meta = dict(old.metadata.get("secondment", {}))
    missing = False
    first_code = True
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _translated_markdown(cell.source, source.path, find, root, known)
            continue
        if cell.cell_type != "code":
            continue
        if (
            first_code
            and source.path.parts[0] == "exercises"
            and CHECK_IMPORT in cell.source + "\n"
        ):
            cell.source = (
                (cell.source + "\n").replace(CHECK_IMPORT, CHECK_IMPORT_ZH, 1).rstrip("\n")
            )
            cell.source += "\n" + USE_LANGUAGE.rstrip("\n")
        first_code = False
        old_cell = stored.get(cell.get("id"))
        ran = old_cell is not None and old_cell.get("execution_count") is not None
        if ran and old_cell.source == cell.source:
            cell.outputs = old_cell.outputs
            cell.execution_count = old_cell.execution_count
        else:
            cell.outputs = []
            cell.execution_count = None
            missing = missing or bool(cell.source.strip())
    meta = nb.metadata.setdefault("secondment", {})
    if source.path.parts[0] == "exercises":
        # The verdicts the exercise stores are in the checks' words: new words, a new run.
        table = checks_table(root) if checks is None else checks
        digest = hashlib.sha256(table.encode()).hexdigest()[:16]
        had = old_meta.get("checks_messages") if target.exists() else None
        meta["checks_messages"] = digest
        missing = missing or had != digest
    meta["translated_from"] = os.path.relpath(root / source.path, target.parent).replace(
        os.sep, "/"
    )
    meta["language"] = EDITION
    text = nbformat.writes(nb, version=4)
    return (text if text.endswith("\n") else text + "\n"), missing


def build_markdown(source: Source, root: Path = ROOT, known: dict[str, str] | None = None) -> str:
    """The edition's page: the translated markdown, with a note that it is generated."""
    known = twins(root) if known is None else known
    find = lookup(read_catalogue(root / source.catalogue))
    text = (root / source.path).read_text("utf-8")
    if source.path.name == "README.md":
        text = _readme_part(text)
    note = (
        f"<!-- Generated by `python tools/translate.py build` from {source.path.as_posix()} and "
        f"{source.catalogue.as_posix()}: edit those, not this file. -->\n\n"
    )
    return note + _translated_markdown(text, source.path, find, root, known)


def glossary_rows(root: Path = ROOT) -> list[dict[str, str]]:
    """The course glossary with its explanations in Chinese (English where not yet translated)."""
    source = next(s for s in sources(root) if s.kind == "glossary")
    find = lookup(read_catalogue(root / source.catalogue))
    with (root / source.path).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for col in GLOSSARY_COLUMNS:
            row[col] = find(row[col]) or row[col]
    return rows


def checks_table(root: Path = ROOT) -> str:
    """The checks' message table the package reads: {English template: Chinese template}."""
    source = next(s for s in sources(root) if s.kind == "checks")
    cat = read_catalogue(root / source.catalogue)
    table = {str(m.id): str(m.string) for m in cat if m.id and m.string and not m.fuzzy}
    return json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def planned(root: Path = ROOT) -> list[tuple[Path, str, bool]]:
    """(path, text, needs executing) of every file of the edition, as build writes it."""
    out = []
    known, checks = twins(root), checks_table(root)
    # The checks' table first: the exercises' kernels read it when build executes them.
    for source in sorted(sources(root), key=lambda s: s.kind != "checks"):
        if source.kind == "notebook":
            text, missing = build_notebook(source, root, known, checks)
            out.append((source.target, text, missing))
        elif source.kind == "markdown":
            out.append((source.target, build_markdown(source, root, known), False))
        elif source.kind == "checks":
            out.append((source.target, checks, False))
    return out


def build(root: Path = ROOT, execute: bool = True, everything: bool = False) -> list[Path]:
    """Write the edition's files that differ from what the sources make; execute the notebooks
    that have code without outputs (every notebook, with `everything`: after a change of the
    library that changes what the English notebooks print). Return the paths written."""
    from secondment.execute import ExecuteError, execute_notebook

    written = orphan_files(root)
    for path in written:
        path.unlink()
    for rel, text, missing in planned(root):
        path = root / rel
        missing = missing or (everything and rel.suffix == ".ipynb")
        if path.exists() and path.read_text("utf-8") == text and not missing:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        if missing and execute:
            try:
                execute_notebook(path)
            except ExecuteError as exc:
                raise TranslationError(str(exc)) from None
        written.append(path)
    return written


def orphan_files(root: Path = ROOT) -> list[Path]:
    """Files of the edition that no English source makes any more."""
    wanted = {root / s.target for s in sources(root)}
    edition = root / EDITION
    found = [*edition.glob("*/*.ipynb"), *edition.glob("*.md")] if edition.is_dir() else []
    return sorted(p for p in found if p not in wanted)


def out_of_date(root: Path = ROOT) -> list[str]:
    """What extract or build would change, one line each (empty: all up to date)."""
    stale = [
        f"{p.relative_to(root)}: its source is gone; run extract and build"
        for p in [*orphan_catalogues(root), *orphan_files(root)]
    ]
    memory = _memory(root)
    for source in sources(root):
        path = root / source.catalogue
        if not path.exists() or path.read_bytes() != catalogue_bytes(
            updated_catalogue(source, root, memory)
        ):
            stale.append(f"{source.catalogue}: not up to date with {source.path}; run extract")
    for rel, text, missing in planned(root):
        path = root / rel
        if not path.exists() or path.read_text("utf-8") != text or missing:
            stale.append(f"{rel}: not what build makes; run python tools/translate.py build")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["extract", "build", "check"])
    parser.add_argument(
        "--all",
        action="store_true",
        help="build: execute every notebook of the edition again, not only the changed ones",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "extract":
            for path in extract():
                print(f"translate: wrote {path.relative_to(ROOT)}")
        elif args.command == "build":
            for path in build(everything=args.all):
                print(f"translate: wrote {path.relative_to(ROOT)}")
        else:
            stale = out_of_date()
            for line in stale:
                print(f"translate: {line}", file=sys.stderr)
            return 1 if stale else 0
    except TranslationError as exc:
        print(f"translate: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
