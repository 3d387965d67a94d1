"""`python3 course.py lab` as a newcomer runs it: served from the course folder, stopped cleanly.

The server is the real one, started through course.py from this checkout's environment (which
the test lock covers, so course.py installs nothing). Every relative link in the lessons,
exercises and Markdown pages is asked of the running server's contents API, so a link that
leaves the served folder, or names a missing file, fails here as it would in a student's
browser. Then course.py is stopped as a terminal or a process manager would stop it, and
neither the server nor a kernel it started may be left behind.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from secondment.paths import require_course_root

ROOT = require_course_root()
TOKEN = "course-lab-test"
LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s#]+)(?:#[^)]*)?\)")
START = "notebooks/00-start-here.ipynb"

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="signals and /proc are POSIX"),
    pytest.mark.integration,
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def api(port: int, path: str, method: str = "GET") -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/{path}",
        method=method,
        headers={"Authorization": f"token {TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def get(port: int, path: str) -> bytes:
    """A page or file the server serves, as the browser gets it."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/{path}", headers={"Authorization": f"token {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def course_links() -> list[tuple[str, str]]:
    """(page, target) for every relative link of the course's notebooks and Markdown files."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = []
    for name in tracked:
        if name.startswith("website/"):
            continue  # the site's own pages link as the site lays them out: tests/test_site.py
        text = (ROOT / name).read_text(encoding="utf-8")
        if name.endswith(".ipynb"):
            cells = json.loads(text)["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        found += [(name, target) for target in LINK.findall(text)]
    return found


def kernel_processes(kernel_id: str) -> list[int]:
    """Processes whose command line names this kernel's connection file."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if f"kernel-{kernel_id}".encode() in cmdline:
            pids.append(int(proc.name))
    return pids


class Lab:
    """course.py lab on a free port, with a known token and no browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "course.py"), "lab", "--no-browser"]
            + [f"--port={port}", f"--IdentityProvider.token={TOKEN}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not (port_is_open(port) and api(port, "status")[0] == 200):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"JupyterLab did not start:\n{self.process.stdout.read()[-3000:]}")
            time.sleep(0.2)

    def stop(self, signum: int) -> str:
        """Send course.py a signal; return its output once it has exited."""
        self.process.send_signal(signum)
        try:
            output, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("course.py did not exit within 30 s of the signal")
        return output


@pytest.fixture
def lab() -> Lab:
    server = Lab(free_port())
    yield server
    if server.process.poll() is None:
        server.process.kill()


def start_kernel(lab: Lab) -> str:
    """Start a kernel through the server, as opening a notebook does; return its id."""
    status, kernel = api(lab.port, "kernels", method="POST")
    assert status == 201, status
    deadline = time.monotonic() + 30
    while not kernel_processes(kernel["id"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert kernel_processes(kernel["id"]), "the kernel never started"
    return kernel["id"]


def assert_stopped_cleanly(lab: Lab, output: str, kernel_id: str) -> None:
    assert lab.process.returncode == 0, output[-2000:]
    assert "course: stopped" in output
    assert not port_is_open(lab.port), "JupyterLab still holds the port"
    assert kernel_processes(kernel_id) == [], "a kernel outlived JupyterLab"


def test_lab_serves_the_course_folder_links_resolve_and_sigterm_stops_it(lab: Lab) -> None:
    status, page = api(lab.port, quote(f"contents/{START}") + "?content=0")
    assert status == 200 and page["type"] == "notebook"

    links = course_links()
    assert len(links) > 50  # the course map, "next lesson", exercises, guides
    broken = []
    for page_name, target in links:
        resolved = os.path.normpath(os.path.join(os.path.dirname(page_name), target))
        if resolved.startswith(".."):
            broken.append(f"{page_name} → {target} (outside the course folder)")
        elif api(lab.port, quote(f"contents/{resolved}") + "?content=0")[0] != 200:
            broken.append(f"{page_name} → {target}")
    assert broken == []

    # The lesson text gets the course's Chinese font: the page loads custom.css, which the server
    # serves with the font it names, from the course's own config folder.
    assert b"custom/custom.css" in get(lab.port, f"lab/tree/{START}")
    css = get(lab.port, "custom/custom.css").decode()
    font = ROOT / "src" / "secondment" / "fonts" / "SecondmentSansCJK-Regular.otf"
    assert f'url("{font.name}")' in css and "--jp-content-font-family" in css
    assert get(lab.port, f"custom/{font.name}") == font.read_bytes()

    kernel_id = start_kernel(lab)
    output = lab.stop(signal.SIGTERM)
    assert_stopped_cleanly(lab, output, kernel_id)
    if os.geteuid() == 0:
        assert "course: running as root" in output and "--allow-root" in output
    assert f"--LabApp.default_url=/lab/tree/{START}" in output


def test_ctrl_c_stops_jupyterlab_and_its_kernels(lab: Lab) -> None:
    kernel_id = start_kernel(lab)
    output = lab.stop(signal.SIGINT)
    assert_stopped_cleanly(lab, output, kernel_id)
