"""The decider: a process that decides answer records (JSON in, JSON out), unprivileged.

It runs the same `secondment.checks.decide` the student's self-check uses, on plain data
only. A record is the submission's, so the decider is sandboxed like a kernel (its own user
when the grader is root, no network, the per-process limits) and each answer gets
`--check-timeout` seconds: a check that takes longer (a forged catastrophic regex, say) ends
the decider, that answer is `check-timeout`, and a fresh decider decides the rest.
A function answer is decided on the grader's probes, which come with its record.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from secondment.teach import sandbox
from secondment.teach.budget import Limits
from secondment.teach.runner import font_caches, prlimits

#: Address space and lifetime CPU of a decider (it serves many submissions).
DECIDER_MEMORY_MB = 2048
DECIDER_CPU_SECONDS = 3600


class Decider:
    """One worker's decider process, started on first use and again after a timeout."""

    def __init__(self, limits: Limits, slot: int, hidden: list[Path]) -> None:
        self.limits, self.slot, self.hidden = limits, slot, hidden
        self.proc: subprocess.Popen | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.home: str | None = None
        self.warm = False  # it has answered once: the checks are loaded
        self.loaded: set[str] = set()  # the exercises whose checks it has used

    def _command(self) -> tuple[list[str], str]:
        mode = sandbox.isolation()
        root = os.geteuid() == 0 and mode in ("bubblewrap", "unprivileged-user")
        uid = sandbox.decider_uid(self.slot) if root else None
        self.home = tempfile.mkdtemp(prefix="grade-decider-")
        for sub in ("tmp", ".matplotlib"):
            os.mkdir(os.path.join(self.home, sub))
        for cached in font_caches():
            shutil.copyfile(cached, os.path.join(self.home, ".matplotlib", cached.name))
        if uid is not None:
            sandbox.kill_all(uid)
            for folder, _, files in os.walk(self.home):
                for name in [folder, *(os.path.join(folder, f) for f in files)]:
                    os.chown(name, uid, uid)
            os.chmod(self.home, 0o700)
        cmd = prlimits(self.limits, mode, DECIDER_MEMORY_MB, DECIDER_CPU_SECONDS)
        if mode == "bubblewrap":
            cmd += sandbox.bwrap_command(Path(self.home), self.hidden, inside=self.home, uid=uid)
        elif uid is not None:
            cmd += [*(sandbox.UNSHARE if sandbox.unshare_works() else []), *sandbox.drop_to(uid)]
        return cmd, self.home

    def _start(self) -> subprocess.Popen:
        cmd, home = self._command()
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL")}
        env.update(HOME=home, TMPDIR=f"{home}/tmp", MPLCONFIGDIR=f"{home}/.matplotlib",
                   MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")  # fmt: skip
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        proc = subprocess.Popen(
            [*cmd, sys.executable, "-m", "secondment.teach.decider"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=home,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )
        self.lines = queue.Queue()
        lines = self.lines

        def pump() -> None:
            for line in proc.stdout:  # type: ignore[union-attr]
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return proc

    def start(self) -> None:
        """Start the process now (it loads the checks while the first kernel runs)."""
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self.proc = self._start()

    def decide_one(self, qid: str, record: Any, probes: Any = None) -> tuple[bool, str, str]:
        """(passed, status, message) for one answer; a slow check times out. `probes` are the
        grader's for a function question (as JSON data), or None."""
        self.start()
        assert self.proc is not None
        request = {"qid": qid, "record": record, "probes": probes}
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")  # type: ignore[union-attr]
            self.proc.stdin.flush()  # type: ignore[union-attr]
            # Its first answer, and the first of each exercise, also waits for the checks to
            # load (pandas, matplotlib and the course font, jieba's dictionary): on a busy
            # machine that alone can take longer than deciding any one answer may.
            exercise = qid.split(".")[0]
            first = not self.warm or exercise not in self.loaded
            wait = self.limits.check_timeout + (60 if first else 0)
            line = self.lines.get(timeout=wait)
            if line is None:
                raise ValueError("the decider stopped")
            item = json.loads(line)
            self.warm = True
            self.loaded.add(exercise)
            return bool(item["passed"]), str(item["status"]), str(item["message"])
        except (queue.Empty, OSError, ValueError, KeyError):
            self.close()
            return (
                False,
                "check-timeout",
                (f"deciding this answer took over {self.limits.check_timeout} s"),
            )

    def decide(
        self, records: dict[str, Any], qids: list[str], probes: dict[str, Any] | None = None
    ) -> dict[str, tuple[bool, str, str]]:
        """Verdicts for the questions, each within its own time (function questions on the
        `probes` given for them)."""
        probes = probes or {}
        return {qid: self.decide_one(qid, records.get(qid), probes.get(qid)) for qid in qids}

    def close(self) -> None:
        """Stop the decider process and everything it started."""
        mode = sandbox.isolation()
        root = os.geteuid() == 0 and mode in ("bubblewrap", "unprivileged-user")
        if self.proc is not None:
            self.proc.kill()
            sandbox.kill_all(sandbox.decider_uid(self.slot) if root else None, self.proc.pid)
            self.proc.wait()
            self.proc = None
            self.warm = False
            self.loaded = set()
        if self.home is not None:
            sandbox.remove_tree(Path(self.home))
            self.home = None


def main() -> None:
    """Decider process: read one JSON request a line, print its verdict as one JSON line."""
    from secondment.checks import decide, questions
    from secondment.checks.answers import rebuild
    from secondment.style import use_course_style

    use_course_style()  # the course font and style, exactly as in the student's kernel
    questions()
    for line in sys.stdin:
        request = json.loads(line)
        given = request.get("probes")
        probes = None if given is None else [tuple(rebuild(p)) for p in given]
        verdict = decide(request["qid"], request["record"], probes)
        print(
            json.dumps(
                {"passed": verdict.passed, "status": verdict.status, "message": verdict.message},
                ensure_ascii=False,
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
