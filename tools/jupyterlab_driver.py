"""Run the course in JupyterLab and drive it from headless Chromium (browser test, benchmark).

    with LabServer(course_copy) as lab, browser() as chromium:
        page = new_page(chromium)
        nb = Notebook.open(page, lab, "notebooks/05-charting-with-matplotlib.ipynb")
        nb.run_all()

`LabServer` starts `python -m jupyter lab` from this environment on a free local port with a
random token, in its own temporary configuration, data, runtime and settings folders (so a
user's Jupyter set-up never leaks in), with the kernels' environment of
`secondment.execute.KERNEL_ENV`, no news pop-up, no update or build checks, and
`window.jupyterapp` exposed so that the page can be driven through JupyterLab's own commands.
Stopping it asks the server to shut down, then terminates, then kills its process group.

Playwright is a test dependency (requirements-test.txt): it is imported only when a browser is
launched.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secondment.errors import SecondmentError
from secondment.execute import KERNEL_ENV

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_ENV",
    "LAB_PAGE_CONFIG",
    "LAB_SETTINGS",
    "LabError",
    "LabServer",
    "Notebook",
    "browser",
    "find_chromium",
]

#: Environment variable naming a Chromium executable; otherwise Debian's is looked for.
CHROMIUM_ENV = "SECONDMENT_CHROMIUM"
DEFAULT_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

#: Headless Chromium as root in a container, with no network chatter of its own.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

#: Settings defaults for the test server (labconfig/default_setting_overrides.json).
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    # No "Would you like to get notified about official Jupyter news?" toast, no update check.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

#: Page configuration of the test server (labconfig/page_config.json): no check for whether
#: JupyterLab's extensions need a rebuild, a check that costs seconds of CPU at the first page
#: load and has nothing to do with the course.
LAB_PAGE_CONFIG: dict[str, Any] = {"buildCheck": False, "buildAvailable": False}

# Helpers installed in every page: find a notebook panel by path, summarise its cells.
_PAGE_SCRIPT = r"""
window.__course = {
  panel(path) {
    const app = window.jupyterapp;
    if (!app) return null;
    for (const w of Array.from(app.shell.widgets('main'))) {
      if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
    }
    return null;
  },
  kernelIdle(path) {
    const p = this.panel(path);
    if (!p || !p.context.isReady) return false;
    const s = p.sessionContext;
    return !!(s.session && s.session.kernel && s.session.kernel.status === 'idle'
              && !s.pendingInput);
  },
  cells(path) {
    const p = this.panel(path);
    return p.content.widgets.map((cell, index) => {
      const m = cell.model;
      const out = { index, type: m.type, source: m.sharedModel.getSource(), outputs: [],
                    tags: m.getMetadata('tags') || [] };
      if (m.type === 'code') {
        out.count = m.executionCount;
        out.state = m.executionState;
        for (let i = 0; i < m.outputs.length; i++) {
          const o = m.outputs.get(i).toJSON();
          out.outputs.push({ type: o.output_type, name: o.name || null,
                             mimes: Object.keys(o.data || {}),
                             text: o.output_type === 'stream' ? [].concat(o.text).join('')
                                 : o.output_type === 'error' ? o.ename + ': ' + o.evalue
                                 : [].concat((o.data || {})['text/plain'] || []).join('') });
        }
      }
      return out;
    });
  },
  settled(path, from, to) {
    // Every code cell in [from, to) has run: a count, and no longer running or queued.
    const cells = this.cells(path).slice(from, to === null ? undefined : to);
    return this.kernelIdle(path) && cells.every(
      c => c.type !== 'code' || !c.source.trim() || (c.count !== null && c.state !== 'running'));
  },
  async command(id, args, ms) {
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(id + ' took more than ' + ms + ' ms')), ms);
    });
    try {
      return await Promise.race([window.jupyterapp.commands.execute(id, args || {}), limit]);
    } finally {
      clearTimeout(timer);
    }
  },
};
"""


class LabError(SecondmentError, RuntimeError):
    """JupyterLab did not start, or a page did not reach the expected state."""


def find_chromium() -> str | None:
    """The Chromium to drive: `$SECONDMENT_CHROMIUM`, else Debian's; None if there is none."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named if os.access(named, os.X_OK) else None
    for path in DEFAULT_CHROMIUMS:
        if os.access(path, os.X_OK):
            return path
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """JupyterLab serving `root_dir`, isolated from the user's Jupyter set-up.

    Use as a context manager, or call `start()` and (always) `stop()`.
    """

    def __init__(self, root_dir: str | os.PathLike[str], python: str | None = None) -> None:
        self.root_dir = Path(root_dir).resolve()
        self.python = python or sys.executable
        self.token = secrets.token_hex(16)
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.home: Path | None = None
        self.started_at = 0.0  # time.perf_counter() when the process was launched
        self.ready_at = 0.0  # ... and when /api/status first answered

    # ------------------------------------------------------------ addresses

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The address of a page of this server, with its token: `url("lab/tree/NB.ipynb")`."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 5.0) -> Any:
        """Call the server's REST API; return the decoded JSON (None for an empty answer)."""
        request = urllib.request.Request(
            f"{self.base_url}/api/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method != "GET" else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body.strip() else None

    @property
    def log(self) -> str:
        """What the server has written to its stdout and stderr so far."""
        if self.home is None or not (self.home / "lab.log").exists():
            return ""
        return (self.home / "lab.log").read_text(encoding="utf-8", errors="replace")

    # ------------------------------------------------------------ life cycle

    def command(self) -> list[str]:
        return [
            self.python,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            "--allow-root",
            f"--ServerApp.root_dir={self.root_dir}",
            # No requests to the internet from the server: no news feed, no update check.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",
            # Settings and workspaces start empty, whatever the user has saved.
            f"--LabApp.user_settings_dir={self.home / 'user-settings'}",
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
        ]

    def environment(self) -> dict[str, str]:
        assert self.home is not None
        env = {
            **os.environ,
            **KERNEL_ENV,
            "JUPYTER_CONFIG_DIR": str(self.home / "config"),
            "JUPYTER_DATA_DIR": str(self.home / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
            "IPYTHONDIR": str(self.home / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        # A user's extra paths would bring their kernelspecs and settings back in.
        for name in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTERLAB_SETTINGS_DIR"):
            env.pop(name, None)
        return env

    def start(self, timeout: float = 60.0) -> LabServer:
        """Launch the server and wait until `/api/status` answers."""
        if self.process is not None:
            raise LabError("this server is already started")
        self.home = Path(tempfile.mkdtemp(prefix="secondment-lab-"))
        for name in ("config/labconfig", "data", "runtime", "ipython"):
            (self.home / name).mkdir(parents=True)
        (self.home / "config/labconfig/default_setting_overrides.json").write_text(
            json.dumps(LAB_SETTINGS, indent=1), encoding="utf-8"
        )
        (self.home / "config/labconfig/page_config.json").write_text(
            json.dumps(LAB_PAGE_CONFIG, indent=1), encoding="utf-8"
        )
        self.port = free_port()
        log = open(self.home / "lab.log", "wb")  # noqa: SIM115 (the child keeps writing to it)
        self.started_at = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.root_dir,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # kernels join its process group: one kill stops all
            )
        finally:
            log.close()
        # If this process ends without stop() (an interrupted test run), the server goes too.
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise LabError(
                    f"JupyterLab exited with code {self.process.returncode}:\n{self._tail()}"
                )
            try:
                self.api("status", timeout=2.0)
                break
            except (OSError, urllib.error.URLError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise LabError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self._tail()}")
            time.sleep(0.1)
        self.ready_at = time.perf_counter()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server and its kernels down: politely, then firmly. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                self.api("shutdown", method="POST", timeout=timeout)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    pass
        if process is not None:
            # Whatever is left in its group (a stuck kernel) goes too.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout)
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None
        atexit.unregister(self.stop)

    def _tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.splitlines()[-lines:])

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def browser(executable: str | None = None) -> Iterator[Browser]:
    """Headless Chromium under Playwright; `executable` defaults to `find_chromium()`."""
    from playwright.sync_api import sync_playwright

    executable = executable or find_chromium()
    if executable is None:
        raise LabError(f"no Chromium found: install chromium or set {CHROMIUM_ENV}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(chromium: Browser, width: int = 1280, height: int = 900) -> Page:
    """A page (in its own context) with the course's helpers installed."""
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.add_init_script(_PAGE_SCRIPT)
    return context.new_page()


class Notebook:
    """One notebook open in JupyterLab, driven through the page."""

    def __init__(self, page: Page, path: str) -> None:
        self.page = page
        self.path = path

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, page: Page, lab: LabServer, path: str, timeout: float = 60.0) -> Notebook:
        """Load JupyterLab at `lab/tree/<path>`; wait for the notebook and an idle kernel."""
        page.goto(lab.url(f"lab/tree/{path}"), wait_until="domcontentloaded")
        nb = cls(page, path)
        nb.wait_ready(timeout)
        return nb

    @classmethod
    def open_in_app(cls, page: Page, path: str, timeout: float = 60.0) -> Notebook:
        """Open another notebook in the JupyterLab already loaded in `page` (no reload)."""
        page.evaluate(
            "path => window.__course.command('docmanager:open', {path}, 30000).then(() => null)",
            path,
        )
        nb = cls(page, path)
        nb.wait_ready(timeout)
        return nb

    def wait_ready(self, timeout: float = 60.0) -> None:
        self.wait_for(
            "p => window.__course.kernelIdle(p)", f"{self.path} with an idle kernel", timeout
        )

    def wait_for(self, predicate: str, what: str, timeout: float = 60.0) -> None:
        """Wait until a JavaScript predicate of the notebook path holds."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(predicate, arg=self.path, timeout=timeout * 1000)
        except PlaywrightTimeout:
            raise LabError(f"timed out after {timeout:.0f} s waiting for {what}") from None

    # ------------------------------------------------------------ commands

    def command(self, command_id: str, args: dict[str, Any] | None = None, timeout: float = 120):
        """Run a JupyterLab command on this notebook (it is activated first)."""
        self.activate()
        return self.page.evaluate(
            "([id, args, ms]) => window.__course.command(id, args, ms).then(() => null)",
            [command_id, args or {}, int(timeout * 1000)],
        )

    def activate(self) -> None:
        self.page.evaluate(
            "p => window.jupyterapp.shell.activateById(window.__course.panel(p).id)", self.path
        )

    def select_cell(self, index: int) -> None:
        self.activate()
        self.page.evaluate(
            "([p, i]) => { const nb = window.__course.panel(p).content;"
            " nb.mode = 'command'; nb.activeCellIndex = i; }",
            [self.path, index],
        )

    def clear_outputs(self) -> None:
        self.command("notebook:clear-all-cell-outputs")

    def run_all(self, timeout: float = 120.0) -> None:
        """Run → Run All Cells; return when it is done (or stopped at an error)."""
        self.command("notebook:run-all-cells", timeout=timeout)
        self.wait_for("p => window.__course.kernelIdle(p)", "the kernel to go idle", timeout)

    def run_all_above(self, index: int, timeout: float = 120.0) -> None:
        """Run every cell above cell `index` (Run → Run All Above Selected Cell)."""
        self.select_cell(index)
        self.command("notebook:run-all-above", timeout=timeout)
        self.wait_settled(0, index, timeout)

    def wait_settled(self, start: int = 0, stop: int | None = None, timeout: float = 60) -> None:
        """Wait until code cells [start, stop) all have execution counts and the kernel idles."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(
                "([p, a, b]) => window.__course.settled(p, a, b)",
                arg=[self.path, start, stop],
                timeout=timeout * 1000,
            )
        except PlaywrightTimeout:
            raise LabError(
                f"timed out after {timeout:.0f} s waiting for cells {start} to "
                f"{'the end' if stop is None else stop - 1} of {self.path} to run"
            ) from None

    def type_into_cell(self, index: int, code: str) -> None:
        """Replace cell `index`'s source the way a student does: click, select all, type."""
        self.select_cell(index)
        editor = self.cell_locator(index).locator(".jp-InputArea-editor .cm-content")
        editor.click()
        modifier = "Meta" if sys.platform == "darwin" else "Control"
        self.page.keyboard.press(f"{modifier}+a")
        # insert_text types the whole block at once: no auto-indent or auto-closed brackets.
        self.page.keyboard.insert_text(code)

    def run_cells_from(self, index: int, count: int, timeout: float = 60.0) -> None:
        """Select cell `index` and press Shift+Enter `count` times; wait for those cells.

        Their old outputs and counts are cleared first, so that the wait sees the new run.
        """
        self.page.evaluate(
            """([p, a, b]) => window.__course.panel(p).content.widgets.slice(a, b)
                 .filter(cell => cell.model.type === 'code')
                 .forEach(cell => {
                   cell.model.outputs.clear();
                   cell.model.executionCount = null;
                 })""",
            [self.path, index, index + count],
        )
        self.select_cell(index)
        self.cell_locator(index).locator(".jp-InputPrompt").click()
        for _ in range(count):
            self.page.keyboard.press("Shift+Enter")
        self.wait_settled(index, index + count, timeout)

    def add_cell_and_run(self, code: str, timeout: float = 60.0) -> str:
        """Append a code cell with `code`, run it, and return the text of its outputs."""
        last = self.page.evaluate("p => window.__course.panel(p).content.widgets.length", self.path)
        self.select_cell(last - 1)
        self.command("notebook:insert-cell-below")
        self.type_into_cell(last, code)
        self.page.keyboard.press("Shift+Enter")
        self.wait_settled(last, last + 1, timeout)
        return "\n".join(o["text"] for o in self.cells()[last]["outputs"])

    # ------------------------------------------------------------ reading

    def cells(self) -> list[dict[str, Any]]:
        """Each cell: index, type, source, and for code cells count, state and outputs."""
        return self.page.evaluate("p => window.__course.cells(p)", self.path)

    def panel_locator(self):
        return self.page.locator(f".jp-NotebookPanel[id='{self._panel_id()}']")

    def _panel_id(self) -> str:
        return self.page.evaluate("p => window.__course.panel(p).id", self.path)

    def cell_locator(self, index: int):
        return self.panel_locator().locator(".jp-Notebook .jp-Cell").nth(index)

    def images(self) -> list[dict[str, Any]]:
        """Every image in the notebook's output areas, with its decoded size, in order."""
        return self.panel_locator().evaluate(
            """panel => Array.from(panel.querySelectorAll('.jp-OutputArea-output img'))
                 .map(img => ({complete: img.complete, width: img.naturalWidth,
                               height: img.naturalHeight}))"""
        )

    def chart_locators(self) -> list[Any]:
        """A locator for each image in the notebook's output areas, in order."""
        return self.panel_locator().locator(".jp-OutputArea-output img").all()

    def rendered_stderr(self) -> list[str]:
        """Text of every output the page shows in red: stderr streams and error tracebacks.

        JupyterLab renders both as `application/vnd.jupyter.stderr`.
        """
        return self.panel_locator().evaluate(
            """panel => Array.from(panel.querySelectorAll(
                   '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
                 .map(e => e.innerText)"""
        )

    def output_text(self) -> str:
        """All the text shown in the notebook's output areas."""
        return self.panel_locator().evaluate(
            "panel => Array.from(panel.querySelectorAll('.jp-OutputArea-output'))"
            ".map(e => e.innerText).join('\\n')"
        )

    def show_output_of(self, index: int) -> None:
        """Scroll cell `index`'s output into view (for a screenshot)."""
        self.cell_locator(index).locator(".jp-OutputArea").scroll_into_view_if_needed()
