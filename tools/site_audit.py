"""Measure a built course website: its size, what a page loads, axe-core and the HTML checker.

    python tools/site_audit.py [_site]

prints the folder's size (and what should not be in it: source maps, unrendered templates),
the bytes and files the home page loads on a cold cache in Chromium, the accessibility
violations axe-core finds on the pages of `AXE_PAGES`, and the errors the Nu Html Checker
(vnu) finds on every page. tests/test_site.py holds the site to the same figures with these
functions.

The checkers are pinned in tools/site-checkers/package.json and its lock; install them once
with `npm ci --ignore-scripts --prefix tools/site-checkers` (CI's .ci/run does). Nothing is
fetched while checking: axe-core is injected into the page from that folder, and vnu.jar runs
on the system's Java (Debian: openjdk-17-jre-headless).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

CHECKERS = ROOT / "tools" / "site-checkers"
AXE_JS = CHECKERS / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = CHECKERS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = "npm ci --ignore-scripts --prefix tools/site-checkers"

#: One page of each kind the site has: home, lesson, exercise, reference page, Chinese edition.
AXE_PAGES = (
    "index.html",
    "notebooks/05-charting-with-matplotlib.html",
    "exercises/03-extracting-facts-exercises.html",
    "glossary.html",
    "zh-CN/index.html",
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The site over HTTP on a free local port, as a static host would serve it."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- the folder


@dataclass
class Folder:
    """What a built site holds."""

    bytes: int
    source_maps: dict[str, int]  # path -> bytes
    templates: list[str]  # the theme's Jinja files copied as they are


def folder(site: Path) -> Folder:
    """Measure the built site in `site`."""
    files = [p for p in site.rglob("*") if p.is_file()]
    maps = {p.relative_to(site).as_posix(): p.stat().st_size for p in files if p.suffix == ".map"}
    # A rendered page never keeps Jinja's `{%` / `{{` markup; a copied template does.
    templates = [
        p.relative_to(site).as_posix()
        for p in files
        if p.suffix == ".html" and "{%" in p.read_text(encoding="utf-8", errors="replace")
    ]
    return Folder(sum(p.stat().st_size for p in files), maps, sorted(templates))


# ---------------------------------------------------------------- a page in Chromium


@dataclass
class Weight:
    """What one page loads on a cold cache: bytes per URL."""

    files: dict[str, int] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(self.files.values())


#: Fonts a reader's system is sure to have: no Chinese ones (fontconfig's own syntax).
_LATIN_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@contextlib.contextmanager
def browser_without_cjk_fonts() -> Iterator[Browser]:
    """Headless Chromium that sees no CJK font on the system, as many readers' machines do:
    pages then need the site's web font (fontconfig, which Chromium on Linux asks for fonts)."""
    from jupyterlab_driver import CHROMIUM_ARGS, find_chromium
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        raise FileNotFoundError("no Chromium: install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "fonts.conf"
        config.write_text(_LATIN_FONTS.format(cache=Path(tmp) / "cache"), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(config)}
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS), env=env
            )
            try:
                yield chromium
            finally:
                chromium.close()


def page_weight(chromium: Browser, url: str) -> Weight:
    """The files and bytes `url` loads in a fresh context with the cache disabled."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        weight = Weight()

        def finished(response: Any) -> None:
            if not response.url.startswith("data:"):
                weight.files[response.url] = len(response.body())

        page.on("requestfinished", lambda request: finished(request.response()))
        page.goto(url, wait_until="networkidle")
        # Fonts are fetched once the text that needs them is laid out.
        page.evaluate("document.fonts.ready.then(() => null)")
        page.wait_for_load_state("networkidle")
        return weight
    finally:
        context.close()


def axe_available() -> bool:
    return AXE_JS.is_file()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now: rule id, impact, help and nodes."""
    if not axe_available():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `{INSTALL_HINT}`")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in result["violations"]
    ]


# ---------------------------------------------------------------- the HTML checker


def java() -> str | None:
    return shutil.which("java")


def vnu_available() -> bool:
    return VNU_JAR.is_file() and java() is not None


def vnu_messages(site: Path) -> list[dict[str, Any]]:
    """The Nu Html Checker's errors on every HTML page of the site (one Java process)."""
    if not vnu_available():
        raise FileNotFoundError(f"vnu.jar or java is missing: run `{INSTALL_HINT}`, install Java")
    pages = sorted(str(p) for p in site.rglob("*.html") if "_static" not in p.parts)
    done = subprocess.run(
        [java() or "java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(done.stderr or "{}").get("messages", [])
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


# ---------------------------------------------------------------- the report


def main(argv: list[str] | None = None) -> int:
    """Print the site's figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=ROOT / "_site")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"site_audit: error: no index.html in {site}: build it first", file=sys.stderr)
        return 1

    from jupyterlab_driver import browser

    report: dict[str, Any] = {}
    found = folder(site)
    report["site_bytes"] = found.bytes
    report["source_maps"] = found.source_maps
    report["templates"] = found.templates
    with serve(site) as base, browser_without_cjk_fonts() as bare:
        # The heavier case: a reader without a Chinese font also loads the web font.
        weight = page_weight(bare, f"{base}/index.html")
        report["home_bytes"] = weight.bytes
        report["home_files"] = {u.removeprefix(base): n for u, n in weight.files.items()}
        report["zh_home_bytes"] = page_weight(bare, f"{base}/zh-CN/index.html").bytes
    with serve(site) as base, browser() as chromium:
        report["home_bytes_with_cjk_fonts"] = page_weight(chromium, f"{base}/index.html").bytes
        if axe_available():
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            report["axe"] = {}
            for rel in AXE_PAGES:
                page.goto(f"{base}/{rel}", wait_until="load")
                report["axe"][rel] = axe_violations(page)
            context.close()
    if vnu_available():
        started = time.perf_counter()
        messages = vnu_messages(site)
        report["vnu_seconds"] = round(time.perf_counter() - started, 1)
        report["vnu_errors"] = len(messages)
        report["vnu_pages_with_errors"] = len({m.get("url") for m in messages})
        report["vnu_first"] = [
            f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
            for m in messages[:10]
        ]
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return 0
    maps = sum(found.source_maps.values())
    print(
        f"site: {found.bytes / 1e6:.2f} MB ({found.bytes:,} bytes); {len(found.source_maps)}"
        f" source maps ({maps / 1e6:.1f} MB); templates: {found.templates or 'none'}"
    )
    print(
        f"home page: {weight.bytes / 1e6:.2f} MB in {len(weight.files)} files for a reader without"
        f" a Chinese font ({report['home_bytes_with_cjk_fonts'] / 1e6:.2f} MB with one); the"
        f" Chinese home page {report['zh_home_bytes'] / 1e6:.2f} MB"
    )
    for url, size in sorted(report["home_files"].items(), key=lambda kv: -kv[1]):
        print(f"  {size:>10,}  {url}")
    if "axe" in report:
        for rel, violations in report["axe"].items():
            ids = ", ".join(v["id"] for v in violations) or "none"
            print(f"axe {rel}: {len(violations)} violations: {ids}")
    else:
        print(f"axe: not installed ({INSTALL_HINT})")
    if "vnu_errors" in report:
        errors, pages = report["vnu_errors"], report["vnu_pages_with_errors"]
        print(f"vnu: {errors} errors on {pages} pages ({report['vnu_seconds']} s)")
        for line in report["vnu_first"]:
            print(f"  {line}")
    else:
        print(f"vnu: not installed ({INSTALL_HINT}; and Java)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
