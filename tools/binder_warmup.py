"""Ask mybinder.org to build the course's Binder image now, so that students do not wait for it.

    python3 tools/binder_warmup.py                      the course's repository and branch
    python3 tools/binder_warmup.py --repo OWNER/NAME --ref COMMIT

It requests BinderHub's build API (GET https://mybinder.org/build/gh/OWNER/NAME/REF), which
answers with an event stream: one `data: {"phase": …, "message": …}` line per step (waiting,
fetching, building, pushing, built, launching, ready, or failed). It prints the build log as it
comes and stops at `built` (the image exists, or was found already built: a class launching
that commit starts at once), exiting 0; on `failed`, or a stream that ends first, it exits 1.
The API launches a server after the build; stopping at `built` leaves it unused, and
mybinder.org culls it within minutes. The workflow
.github/workflows/binder.yml runs it after every push to main; instructors can run it by hand
the hour before a class. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

BINDER = "https://mybinder.org"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def build_url(repo: str, ref: str, binder: str = BINDER) -> str:
    """The build API's address for a GitHub repository at a branch, tag or commit."""
    from secondment.teach.links import _check_repo

    return f"{binder.rstrip('/')}/build/gh/{_check_repo(repo)}/{quote(ref, safe='')}"


def events(lines: Iterable[str]) -> Iterator[dict]:
    """The JSON events of a server-sent event stream; comments (keep-alives) are skipped."""
    for line in lines:
        line = line.rstrip("\r\n")
        if line.startswith("data:"):
            try:
                event = json.loads(line[5:].strip())
            except ValueError:
                continue
            if isinstance(event, dict):
                yield event


#: The phases that mean the image exists; `ready` comes only if the stream gets that far.
DONE = ("built", "ready")


def follow(stream: Iterable[dict], say: Callable[[str], None] = print) -> bool:
    """Print each event; True once the image is built, False on `failed` or an early end."""
    phase = None
    for event in stream:
        if event.get("phase") != phase:
            phase = event.get("phase")
            say(f"binder: {phase}")
        message = str(event.get("message", "")).rstrip()
        if message:
            say(message)
        if phase in DONE:
            return True
        if phase == "failed":
            return False
    say(f"binder: the stream ended before the image was built (last phase: {phase})")
    return False


def _lines(response: Iterable[bytes]) -> Iterator[str]:
    for raw in response:
        yield raw.decode("utf-8", errors="replace")


def warm_up(repo: str, ref: str, timeout: float = 300, binder: str = BINDER) -> bool:
    """Request the build and follow it; True when the image is ready."""
    url = build_url(repo, ref, binder)
    print(f"binder: GET {url}", flush=True)
    request = urllib.request.Request(
        url, headers={"Accept": "text/event-stream", "User-Agent": "secondment-binder-warmup"}
    )
    started = time.monotonic()
    try:
        # The timeout applies to each read; BinderHub sends keep-alive comments while it works.
        with urllib.request.urlopen(request, timeout=timeout) as response:
            ok = follow(events(_lines(response)), lambda m: print(m, flush=True))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        print(f"binder: could not follow the build: {exc}", file=sys.stderr)
        return False
    print(f"binder: {'ready' if ok else 'not built'} after {time.monotonic() - started:.0f} s")
    return ok


def main(argv: list[str] | None = None) -> int:
    from secondment.teach.links import COURSE_BRANCH, COURSE_REPO

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", default=COURSE_REPO, help=f"GitHub OWNER/NAME ({COURSE_REPO})")
    parser.add_argument("--ref", default=COURSE_BRANCH, help="branch, tag or commit")
    parser.add_argument("--binder", default=BINDER, help=f"BinderHub to ask ({BINDER})")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds to wait for each message (300)"
    )
    args = parser.parse_args(argv)
    return 0 if warm_up(args.repo, args.ref, args.timeout, args.binder) else 1


if __name__ == "__main__":
    sys.exit(main())
