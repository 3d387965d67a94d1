"""How a notebook becomes a page: alt text on its charts, the self-checks, launch buttons.

A Sphinx extension. The notebook files are never changed: the rewrites below apply to the text
Sphinx reads (`source-read`), and the launch bar is added to the page's document tree.

- Charts: each chart's `<img alt>` is the "*Alt text: …*" sentence the lesson writes in the
  Markdown cell beside it (after the chart, or else before it).
- Self-checks: a stored check output says "❌ not answered yet", which on a page that cannot run
  reads like a mistake. The site shows, in its place, a note that the cell checks the reader's
  answer when the notebook runs.
- Images from other hosts (the README's Binder badge) become their alt text: the site loads
  nothing from elsewhere.
- Tables: pandas writes a `<style scoped>` block before each HTML table, which HTML5 does not
  allow in the body (the site's stylesheet, course.css, styles `.dataframe` tables instead), and
  leaves the corner cells of its header empty `<th>`s, which name no column: they become `<td>`.
- Language switch, at the top of every page: the same page in the other language (the
  Chinese edition's pages are under zh-CN/ and say `lang="zh-CN"`), else the other home page.
- Launch bar, under the title: Binder and JupyterHub (nbgitpuller) links made by
  `secondment.teach.links`, and the `.ipynb` to download (written next to the page).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from secondment.teach.links import binder_link, hub_link

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CHECK_MIME = "application/vnd.secondment.check+json"
_ALT = re.compile(
    r"\*(?:Alt text:|替代文本[:：])\s*(.+?)\*\s*$", re.DOTALL | re.IGNORECASE | re.MULTILINE
)
#: The Chinese edition's pages, and the words their notes and buttons use.
EDITION = "zh-CN"
WORDS = {
    "en": {
        "check": "Self-check {q}: run this notebook and this cell marks your answer, "
        "✅ or ❌ with a hint.",
        "run": "Run this notebook",
        "binder": "Launch on Binder",
        "hub": "Open on a JupyterHub (nbgitpuller)",
        "download": "Download {name}",
    },
    "zh-CN": {
        "check": "自检 {q}：运行这个笔记本时，这个单元格会批改你的答案，显示 ✅，或 ❌ 和提示。",
        "run": "运行这个笔记本",
        "binder": "在 Binder 中启动",
        "hub": "在 JupyterHub 中打开（nbgitpuller）",
        "download": "下载 {name}",
    },
}


def language_of(docname: str) -> str:
    """The language of a page: the edition's folder holds the Chinese ones."""
    return EDITION if docname.split("/", 1)[0] == EDITION else "en"


_SCOPED_STYLE = re.compile(r"<style scoped>.*?</style>\s*", re.DOTALL)
_EMPTY_HEADER = re.compile(r"<th>(\s*)</th>")
_REMOTE_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:https?:)?//[^)\s]+\)")
# A placeholder hub: the page asks the reader for theirs (launch.js) unless the site has one.
HUB_PLACEHOLDER = "https://jupyterhub.invalid"


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def alt_text(markdown: str) -> str | None:
    """The alt-text sentence of a Markdown cell, on one line, or None."""
    m = _ALT.search(markdown)
    return " ".join(m[1].split()) if m else None


def local_images_only(markdown: str) -> str:
    """Markdown with each image from another host replaced by its alt text."""
    return _REMOTE_IMAGE.sub(lambda m: m[1] or "image", markdown)


def table_html(text: str) -> str:
    """A pandas HTML table as the site shows it: no `<style scoped>`, no empty header cells."""
    return _EMPTY_HEADER.sub(r"<td>\1</td>", _SCOPED_STYLE.sub("", text))


def _has_chart(cell: dict[str, Any]) -> bool:
    return any(
        "image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
        for out in cell.get("outputs", [])
    )


def check_note(question: str, language: str = "en") -> dict[str, Any]:
    """The output the site shows for a self-check: what the cell does when it runs."""
    text = WORDS[language]["check"].format(q=question)
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "text/html": f'<p class="self-check">{html.escape(text)}</p>',
            "text/plain": text,
        },
    }


def rewrite(nb: dict[str, Any], language: str = "en") -> dict[str, Any]:
    """The notebook as the site shows it: alt text on charts, self-checks as notes, clean tables."""
    cells = nb.get("cells", [])
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown":
            cell["source"] = local_images_only(_source(cell))
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if CHECK_MIME in data:
                question = str(data[CHECK_MIME].get("question", "")).strip()
                outputs.append(check_note(question, language))
                continue
            if "text/html" in data:
                markup = data["text/html"]
                markup = "".join(markup) if isinstance(markup, list) else markup
                out = {**out, "data": {**data, "text/html": table_html(markup)}}
            outputs.append(out)
        cell["outputs"] = outputs
        if _has_chart(cell):
            neighbours = [cells[i] for i in (index + 1, index - 1) if 0 <= i < len(cells)]
            for other in neighbours:
                text = alt_text(_source(other)) if other.get("cell_type") == "markdown" else None
                if text:
                    meta = cell.setdefault("metadata", {}).setdefault("mystnb", {})
                    meta.setdefault("image", {})["alt"] = text
                    break
    return nb


def launch_bar(notebook: str, repo: str, ref: str, hub: str, language: str = "en") -> str:
    """The HTML of a notebook page's launch bar; `notebook` is its path in the repository."""
    binder = binder_link(repo, ref, notebook)
    puller = hub_link(hub or HUB_PLACEHOLDER, repo, ref, notebook)
    name = Path(notebook).name
    ask = "" if hub else ' data-ask-hub="1"'
    words = WORDS[language]
    return (
        f'<nav class="launch-bar" aria-label="{words["run"]}">'
        f'<a class="launch binder" href="{html.escape(binder)}">{words["binder"]}</a>'
        f'<a class="launch hub" href="{html.escape(puller)}"{ask}>{words["hub"]}</a>'
        f'<a class="launch download" href="{html.escape(name)}" download>'
        f"{words['download'].format(name=html.escape(name))}</a>"
        "</nav>"
    )


# ---------------------------------------------------------------- Sphinx hooks


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return str(app.env.doc2path(docname)).endswith(".ipynb")


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if _is_notebook(app, docname):
        nb = rewrite(json.loads(source[0]), language_of(docname))
        source[0] = json.dumps(nb, ensure_ascii=False)
    else:
        source[0] = local_images_only(source[0])


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if not _is_notebook(app, docname):
        return
    cfg = app.config
    bar = nodes.raw(
        "",
        launch_bar(
            f"{docname}.ipynb",
            cfg.launch_repo,
            cfg.launch_ref,
            cfg.launch_hub,
            language_of(docname),
        ),
        format="html",
    )
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, bar)
    else:
        doctree.insert(0, bar)


def cleared(nb: dict[str, Any]) -> dict[str, Any]:
    """A notebook as after "Clear All Outputs": code cells without outputs or counts."""
    cells = [
        {**cell, "outputs": [], "execution_count": None} if cell["cell_type"] == "code" else cell
        for cell in nb["cells"]
    ]
    return {**nb, "cells": cells}


def download_copy(source: Path, target: Path) -> None:
    """The notebook to download: the course's own, to run from the top, its JSON compact.

    The page shows every output; the download is for running, so its outputs are cleared (as a
    student's "Clear All Outputs" would), which also keeps the charts' images, already on the
    page, from being served twice. Jupyter reads the compact JSON alike and indents it when it
    saves."""
    nb = cleared(json.loads(source.read_text(encoding="utf-8")))
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(nb, ensure_ascii=False, separators=(",", ":"))
    target.write_text(text + "\n", encoding="utf-8")


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Write each notebook next to its page, for the download link."""
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.env.found_docs:
        if _is_notebook(app, docname):
            download_copy(Path(app.env.doc2path(docname)), Path(app.outdir) / f"{docname}.ipynb")


def twin(docname: str, found: set[str] | Iterable[str]) -> str:
    """The same page in the other language, or the other edition's home page."""
    found = set(found)
    if language_of(docname) == EDITION:
        other = docname.split("/", 1)[1]
        return other if other in found else "index"
    other = f"{EDITION}/{docname}"
    return other if other in found else f"{EDITION}/index"


def language_switch(docname: str, found: Iterable[str]) -> str:
    """The HTML of the switch at the top of every page: a link to the page in the other language."""
    target = twin(docname, found)
    depth = docname.count("/")
    href = "../" * depth + target + ".html"
    if language_of(docname) == EDITION:
        label, lang = "English", "en"
    else:
        label, lang = "简体中文", EDITION
    return (
        f'<p class="language-switch"><a href="{html.escape(href)}" hreflang="{lang}" '
        f'lang="{lang}">{label}</a></p>'
    )


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Every page gets the language switch; the edition's pages say they are Chinese."""
    if doctree is None or "body" not in context:
        return
    context["body"] = language_switch(pagename, app.env.found_docs) + context["body"]
    if language_of(pagename) == EDITION:
        context["language"] = EDITION


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the notebook rewrites, the launch bar, the language switch and the downloads."""
    app.add_config_value("launch_repo", "", "env")
    app.add_config_value("launch_ref", "main", "env")
    app.add_config_value("launch_hub", "", "env")
    app.connect("source-read", _on_source_read)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("build-finished", _on_build_finished)
    app.connect("html-page-context", _on_html_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
