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
- Launch bar, under the title: Binder and JupyterHub (nbgitpuller) links made by
  `secondment.teach.links`, and the `.ipynb` to download (copied next to the page).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from secondment.teach.links import binder_link, hub_link

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CHECK_MIME = "application/vnd.secondment.check+json"
_ALT = re.compile(r"\*Alt text:\s*(.+?)\*\s*$", re.DOTALL | re.IGNORECASE | re.MULTILINE)
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


def _has_chart(cell: dict[str, Any]) -> bool:
    return any(
        "image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
        for out in cell.get("outputs", [])
    )


def check_note(question: str) -> dict[str, Any]:
    """The output the site shows for a self-check: what the cell does when it runs."""
    text = (
        f"Self-check {question}: run this notebook and this cell marks your answer, "
        "✅ or ❌ with a hint."
    )
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "text/html": f'<p class="self-check">{html.escape(text)}</p>',
            "text/plain": text,
        },
    }


def rewrite(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook as the site shows it: alt text set on charts, self-checks as notes."""
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
                outputs.append(check_note(question))
            else:
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


def launch_bar(notebook: str, repo: str, ref: str, hub: str) -> str:
    """The HTML of a notebook page's launch bar; `notebook` is its path in the repository."""
    binder = binder_link(repo, ref, notebook)
    puller = hub_link(hub or HUB_PLACEHOLDER, repo, ref, notebook)
    name = Path(notebook).name
    ask = "" if hub else ' data-ask-hub="1"'
    return (
        '<nav class="launch-bar" aria-label="Run this notebook">'
        f'<a class="launch binder" href="{html.escape(binder)}">Launch on Binder</a>'
        f'<a class="launch hub" href="{html.escape(puller)}"{ask}>'
        "Open on a JupyterHub (nbgitpuller)</a>"
        f'<a class="launch download" href="{html.escape(name)}" download>'
        f"Download {html.escape(name)}</a>"
        "</nav>"
    )


# ---------------------------------------------------------------- Sphinx hooks


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return str(app.env.doc2path(docname)).endswith(".ipynb")


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if _is_notebook(app, docname):
        source[0] = json.dumps(rewrite(json.loads(source[0])), ensure_ascii=False)
    else:
        source[0] = local_images_only(source[0])


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if not _is_notebook(app, docname):
        return
    cfg = app.config
    bar = nodes.raw(
        "",
        launch_bar(f"{docname}.ipynb", cfg.launch_repo, cfg.launch_ref, cfg.launch_hub),
        format="html",
    )
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, bar)
    else:
        doctree.insert(0, bar)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Copy each notebook next to its page, for the download link."""
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.env.found_docs:
        if _is_notebook(app, docname):
            target = Path(app.outdir) / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(app.env.doc2path(docname), target)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the notebook rewrites, the launch bar and the downloads."""
    app.add_config_value("launch_repo", "", "env")
    app.add_config_value("launch_ref", "main", "env")
    app.add_config_value("launch_hub", "", "env")
    app.connect("source-read", _on_source_read)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
