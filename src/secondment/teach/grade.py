"""Grade exercise submissions: run each in a sandbox, then decide every answer from data.

Submissions are laid out as LMS exports lay them out: the student is the top folder under the
submissions folder (`submissions/leo/attempt-2/03-….ipynb` is leo's), and the exercise is
recognised from the notebook itself. When a student handed in one exercise twice, both are
reported and the later one (by modification time) is graded.

Each notebook runs in a fresh temporary folder holding only a copy of it, with `HOME`,
`TMPDIR` and the working directory inside that folder, under bubblewrap where it works (the
system read-only, the submissions hidden, no network, not root), otherwise as an unprivileged
user when the grader runs as root. Only the kernel runs there: the notebook client stays in
the grader and talks to it over Unix sockets in that folder (the sandbox has no network).
Every kernel has limits: address space (`RLIMIT_AS`, set with `prlimit`), time per cell and
per notebook, and the size of the outputs kept.

While it runs, `check()` saves each answer as a JSON record; afterwards a decider process of
the grader's own reads those records as plain data and decides each question with the same
`secondment.checks.decide` the student's self-check uses. Nothing from a submission is
unpickled or evaluated, and printed `✅` lines count for nothing.
"""

from __future__ import annotations

import atexit
import csv
import io
import json
import os
import queue
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secondment.errors import SecondmentError
from secondment.files import write_atomically
from secondment.teach import CHECK_CALL

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager

__all__ = [
    "GradeError",
    "Limits",
    "Row",
    "find_submissions",
    "grade",
    "isolation",
    "recognise_exercise",
    "summary",
    "write_feedback",
    "write_gradebook",
]

NOBODY = 65534
#: First of the user ids that kernels run as when the grader is root (see `kernel_uid`).
KERNEL_UID_BASE = 2_000_000_000
#: Largest answer record read back from a sandbox (a description is bounded well below this).
MAX_RECORD = 8 * 1024 * 1024
#: Where a folder is bound inside the bubblewrap sandbox unless told otherwise (the probe).
BOX = "/tmp/box"


class GradeError(SecondmentError):
    """Grading cannot start: no submissions, or nowhere to write the gradebook."""


@dataclass
class Row:
    """One line of the gradebook: a question of one student's exercise."""

    student: str
    exercise: str
    question: str
    passed: bool
    status: str
    detail: str = ""
    notebook: str = ""


@dataclass(frozen=True)
class Limits:
    """What one submission may use."""

    cell_timeout: int = 30  # seconds per cell
    notebook_timeout: int = 180  # seconds for the whole notebook
    memory_mb: int = 1536  # address space of the kernel (Binder and hubs give 1–2 GB)
    output_mb: int = 20  # cell outputs kept; more is dropped and reported
    file_mb: int = 256  # largest file the kernel may write


@dataclass
class Submission:
    """One notebook handed in: its path, whose it is, and how it is shown in the gradebook."""

    path: Path
    student: str
    shown: str
    exercise: str = ""
    problem: str = ""
    problem_detail: str = ""
    mtime: float = 0.0
    nb: dict | None = field(default=None, repr=False)


# ---------------------------------------------------------------- finding the submissions


def _questions_of(exercise: str) -> list[str]:
    from secondment.checks import questions

    return [q for q in questions() if q.startswith(f"{exercise}.")]


def recognise_exercise(nb: dict) -> str | None:
    """The exercise number (`03`) a notebook belongs to, from its check() calls or metadata."""
    sources = []
    for c in nb.get("cells", []) if isinstance(nb.get("cells"), list) else []:
        if isinstance(c, dict) and c.get("cell_type") == "code":
            src = c.get("source", "")
            sources.append("".join(src) if isinstance(src, list) else str(src))
    numbers = Counter(m[0] for m in CHECK_CALL.findall("\n".join(sources)))
    if numbers:
        return numbers.most_common(1)[0][0]
    meta = nb.get("metadata", {})
    origin = meta.get("secondment", {}).get("generated_from", "") if isinstance(meta, dict) else ""
    m = re.match(r"solutions/(\d\d)-", str(origin))
    return m[1] if m else None


def _read(path: Path) -> tuple[dict | None, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"unreadable: {exc.strerror}"
    if not data.strip():
        return None, "empty file"
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None, "not a notebook (invalid JSON)"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "not a notebook (no cells)"
    return nb, ""


def find_submissions(folder: Path) -> list[Path]:
    """Every notebook under a submissions folder, however deep; a GradeError if there is none."""
    folder = Path(folder)
    if not folder.exists():
        raise GradeError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise GradeError(f"{folder}: not a folder of submissions")
    found = sorted(
        p
        for p in folder.rglob("*.ipynb")
        if p.is_file() and ".ipynb_checkpoints" not in p.relative_to(folder).parts
    )
    if not found:
        raise GradeError(f"{folder}: no notebooks (.ipynb) in this folder")
    return found


def _student_of(path: Path, roots: Sequence[Path]) -> tuple[str, str]:
    """(student, the path shown in the gradebook): the top folder under the submissions folder
    that holds the notebook."""
    for root in roots:
        try:
            rel = path.resolve().relative_to(Path(root).resolve())
        except ValueError:
            continue
        student = rel.parts[0] if len(rel.parts) > 1 else path.stem
        return student, rel.as_posix()
    return path.parent.name, f"{path.parent.name}/{path.name}"


def _submissions(
    paths: Iterable[Path], roots: Sequence[Path], only: str | None
) -> list[Submission]:
    subs = []
    for path in sorted(Path(p) for p in paths):
        student, shown = _student_of(path, roots)
        sub = Submission(path, student, shown)
        try:
            sub.mtime = path.stat().st_mtime
        except OSError:
            pass
        nb, problem = _read(path)
        if nb is None:
            sub.exercise, sub.problem, sub.problem_detail = only or "", "unreadable", problem
        else:
            # A notebook stripped of its check calls still belongs to the exercise asked for.
            exercise = recognise_exercise(nb) or only
            if exercise is None or not _questions_of(exercise):
                sub.exercise, sub.problem = only or "", "unknown-exercise"
                sub.problem_detail = "no course exercise recognised in this notebook"
            elif only and exercise != only:
                sub.exercise, sub.problem = only, "wrong-exercise"
                sub.problem_detail = f"this is exercise {exercise}, not {only}"
            else:
                sub.exercise, sub.nb = exercise, nb
        subs.append(sub)
    # The same exercise twice from one student: report both, grade the later one.
    latest: dict[tuple[str, str], Submission] = {}
    for sub in subs:
        if sub.nb is None:
            continue
        key = (sub.student, sub.exercise)
        best = latest.get(key)
        if best is None or (sub.mtime, sub.shown) > (best.mtime, best.shown):
            latest[key] = sub
    for sub in subs:
        best = latest.get((sub.student, sub.exercise))
        if sub.nb is not None and best is not sub and best is not None:
            sub.problem = "superseded"
            sub.problem_detail = (
                f"a later notebook of exercise {sub.exercise} is graded: {best.shown}"
            )
            sub.nb = None
    return subs


# ---------------------------------------------------------------- isolation


_ISOLATION: str | None = None


def _kernel_needs() -> list[Path]:
    """What the kernel must see: the interpreter, the environment, the course's files."""
    from secondment.article import course_root

    package = Path(__file__).resolve().parent
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), package}
    root = course_root()
    if root is not None:
        paths.add(root.resolve())
    return sorted(paths)


#: Folders a kernel never sees (an empty one in their place), except what it needs from them:
#: other users' homes, the grader's own home, temp folders, and the sockets of system services.
MASKED = ("/tmp", "/var/tmp", "/run", "/home", "/root")


def kernel_uid(slot: int) -> int:
    """The user id the kernels of one grading worker run as, when the grader is root: ids no
    account has, one per worker, so that two kernels never own each other's files."""
    return KERNEL_UID_BASE + slot


def _hide(cmd: list[str], folder: Path, needed: list[Path]) -> None:
    """Replace a folder by an empty one, then bring back read-only what the kernel needs in it."""
    cmd += ["--perms", "0755", "--tmpfs", str(folder)]
    for path in needed:
        if path.is_relative_to(folder) and path != folder:
            _parents(cmd, folder, path, "0755")
            cmd += ["--ro-bind", str(path), str(path)]


def _parents(cmd: list[str], top: Path, path: Path, mode: str) -> None:
    """Make the folders between `top` and `path` with `mode`: bubblewrap would otherwise make
    them as the grader's process allows, which may leave an unprivileged kernel outside."""
    for parent in reversed(path.parents):
        if parent.is_relative_to(top) and parent != top:
            cmd += ["--perms", mode, "--dir", str(parent)]


def _bwrap_command(
    box: Path, hidden: Iterable[Path], inside: str = BOX, uid: int | None = None
) -> list[str]:
    """bubblewrap around a kernel: the system read-only, homes, temp folders and `hidden` out of
    sight, only `box` writable; as root, the kernel then drops to `uid` (no user namespace, which
    would map that id to root outside and let it read root's files)."""
    cmd = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    needed = _kernel_needs()
    masks = {Path(m) for m in MASKED if Path(m).is_dir()} | {Path.home().resolve()}
    masks = {
        m
        for m in masks
        if m != Path("/") and not any(m.is_relative_to(o) and m != o for o in masks)
    }
    for mask in sorted(masks):
        _hide(cmd, mask, needed)
    # The submissions, the grader's other temp folders and the gradebook: out of sight.
    for folder in hidden:
        folder = Path(folder).resolve()
        if folder == Path("/") or not folder.exists():
            continue
        covered = any(folder.is_relative_to(m) for m in masks)
        if covered and not any(
            folder.is_relative_to(p) or p.is_relative_to(folder) for p in needed
        ):
            continue  # already behind a mask, and nothing brought back reaches it
        if folder.is_file():
            cmd += ["--ro-bind", "/dev/null", str(folder)]
        elif folder.is_dir():
            _hide(cmd, folder, needed)
    # The kernel may pass through to its box, not list what is beside it.
    for mask in masks:
        if Path(inside).is_relative_to(mask):
            _parents(cmd, mask, Path(inside), "0711")
    cmd += ["--bind", str(box), inside, "--chdir", inside, "--die-with-parent"]
    # Inside its own PID namespace the kernel's parent has another PID: without this, ipykernel
    # would take its parent for gone and exit.
    cmd += ["--unsetenv", "JPY_PARENT_PID"]
    if os.geteuid() == 0:
        cmd += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        cmd += ["--unshare-cgroup-try", *_drop_to(NOBODY if uid is None else uid)]
    else:  # a user namespace is the only way in; the kernel keeps the grader's own rights
        cmd += ["--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY)]
    return cmd


def _drop_to(uid: int) -> list[str]:
    """The command prefix that runs what follows as `uid` with no groups and no capabilities."""
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]


def _probe(cmd: list[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="grade-probe-") as tmp:
        os.chmod(tmp, 0o777)  # the unprivileged probe must be able to enter it
        try:
            probe = subprocess.run(
                [*cmd, sys.executable, "-c", "print('ok')"],
                capture_output=True,
                text=True,
                timeout=30,
                cwd=tmp,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return probe.stdout.strip() == "ok"


def isolation() -> str:
    """The isolation in force: `bubblewrap`, `unprivileged-user`, `none` (not root, no
    bubblewrap) or `unavailable` (root, and neither works)."""
    global _ISOLATION
    forced = os.environ.get("SECONDMENT_ISOLATION", "")
    if forced in ("bubblewrap", "unprivileged-user", "none"):
        return forced  # for testing the fallbacks, or a machine where the probe misleads
    if _ISOLATION is None:
        if shutil.which("bwrap") and _probe(_bwrap_command(Path(tempfile.gettempdir()), ())):
            _ISOLATION = "bubblewrap"
        elif os.geteuid() != 0:
            _ISOLATION = "none"
        elif _probe(_drop_to(NOBODY)):  # the same setpriv the kernels run under
            _ISOLATION = "unprivileged-user"
        else:
            _ISOLATION = "unavailable"
    return _ISOLATION


def isolation_line() -> str:
    """One line saying which isolation is in force."""
    who = (
        "each worker's kernels as a user of their own, not root"
        if os.geteuid() == 0
        else "kernels with the grader's own rights"
    )
    return {
        "bubblewrap": "isolation: bubblewrap (system read-only, homes, temp folders and "
        f"submissions hidden, no network; {who})",
        "unprivileged-user": f"isolation: unprivileged users ({who}), own temp folder "
        "(bubblewrap not available: files anyone may read stay readable, so keep the "
        "submissions and the gradebook in folders only you can open, chmod 700)",
        "none": "isolation: none beyond an own temp folder and limits (no bubblewrap, not root)",
        "unavailable": "isolation: unavailable (root, and neither bubblewrap nor an "
        "unprivileged user works)",
    }[isolation()]


# ---------------------------------------------------------------- running one notebook


def _sandbox_env(box: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TERM")}
    env.update(
        HOME=box,
        TMPDIR=f"{box}/tmp",
        SECONDMENT_ANSWERS=f"{box}/answers",
        JUPYTER_RUNTIME_DIR=f"{box}/.runtime",
        JUPYTER_CONFIG_DIR=f"{box}/.jupyter",
        IPYTHONDIR=f"{box}/.ipython",
        MPLCONFIGDIR=f"{box}/.matplotlib",
        MPLBACKEND="Agg",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        # Fewer malloc arenas keep the address space of a threaded kernel near what it uses.
        MALLOC_ARENA_MAX="2",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        IPYKERNEL_CELL_NAME="<cell>",
    )
    env.setdefault("PATH", os.defpath)
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def _prepare_box(box: Path, sub: Submission) -> Path:
    """The sandbox folder: a copy of the notebook and empty folders for answers and temp files."""
    for name in ("answers", "tmp", ".runtime", ".jupyter", ".ipython", ".matplotlib"):
        (box / name).mkdir(parents=True)
    copy = box / re.sub(r"[^\w.-]", "_", sub.path.name)
    shutil.copyfile(sub.path, copy)  # the submission itself is never touched
    # matplotlib's font list, so that each kernel need not rebuild it.
    try:
        import matplotlib

        for cached in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copyfile(cached, box / ".matplotlib" / cached.name)
    except Exception:
        pass
    return copy


def _wrapper(box: Path, limits: Limits, hidden: list[Path], mode: str, uid: int) -> list[str]:
    """The command the kernel is started under: limits, then the sandbox."""
    memory, size = limits.memory_mb * 1024 * 1024, limits.file_mb * 1024 * 1024
    cmd = ["prlimit", f"--as={memory}", f"--fsize={size}", "--core=0", "--"]
    if mode == "bubblewrap":
        # The box at its own path: the kernel's connection file and sockets live in it.
        cmd += _bwrap_command(box, hidden, inside=str(box), uid=uid)
    elif mode == "unprivileged-user":
        cmd += _drop_to(uid)
    return cmd


def _sandboxed_manager(
    box: Path, wrapper: list[str], owner: int | None = None
) -> type[AsyncKernelManager]:
    """A kernel manager whose kernel starts under `wrapper` and talks over sockets in the box
    (a Unix socket crosses into the sandbox, which has no network of its own)."""
    from secondment.execute import _KernelManager

    class Sandboxed(_KernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(box / "kernel")
            self.connection_file = str(box / ".runtime" / "kernel.json")

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return [*wrapper, *super().format_kernel_cmd(extra_arguments)]

        def write_connection_file(self, **kwargs: Any) -> Any:
            result = super().write_connection_file(**kwargs)
            if owner is not None:  # a kernel run as another user must read its connection file
                os.chown(self.connection_file, owner, owner)
            return result

        @property
        def kernel_spec(self) -> Any:
            # Interrupt by message: a SIGINT to the process group would end the sandbox itself.
            spec = super().kernel_spec
            if spec is not None:
                spec.interrupt_mode = "message"
            return spec

    return Sandboxed


def _run(
    sub: Submission, work: Path, limits: Limits, hidden: list[Path], slot: int = 0
) -> tuple[str, str, dict[int, str], Path]:
    """Execute the notebook's copy with a sandboxed kernel: (status, detail, limits hit by
    cell, box). The notebook client runs here; only the kernel runs the submission's code,
    as the user of its worker `slot` when the grader is root."""
    import logging

    import nbformat
    from nbclient.exceptions import DeadKernelError

    from secondment.execute import course_client

    mode = isolation()
    box = work / "box"
    copy = _prepare_box(box, sub)
    uid = kernel_uid(slot)
    owner = uid if os.geteuid() == 0 and mode in ("bubblewrap", "unprivileged-user") else None
    if owner is not None:
        for path in [box, *box.rglob("*")]:
            os.chown(path, owner, owner)
        os.chmod(box, 0o700)  # its own kernel's, and no other's
        os.chmod(work, 0o711)  # the kernel may pass through to its box, not list the others
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)  # nbclient logs each timeout
    status, detail = "ok", ""
    timed_out: list[int] = []
    kept = [0, False]  # bytes of output kept, whether some were dropped
    limited: dict[int, str] = {}  # cell index → the limit it hit
    stopped = threading.Event()
    nb = nbformat.read(copy, as_version=4)
    client = course_client(
        nb, box, limits.cell_timeout, allow_errors=True, interrupt_on_timeout=True
    )
    wrapper = _wrapper(box, limits, hidden, mode, uid)
    client.kernel_manager_class = _sandboxed_manager(box, wrapper, owner)
    keep_output, on_timeout = client.output, client._async_handle_timeout

    def output(outs: Any, msg: Any, display_id: Any, cell_index: int) -> Any:
        kept[0] += len(json.dumps(msg.get("content", {}), default=str))
        if kept[0] > limits.output_mb * 1024 * 1024:
            if not kept[1]:  # the cell that crossed the limit, not every one after it
                limited.setdefault(cell_index, "output-limit")
            kept[1] = True
            return None  # dropped: the grader's memory stays bounded
        return keep_output(outs, msg, display_id, cell_index)

    async def handle_timeout(timeout: int, cell: Any = None) -> Any:
        index = next((i for i, c in enumerate(nb.cells) if c is cell), -1)
        timed_out.append(index)
        limited.setdefault(index, "timeout")
        return await on_timeout(timeout, cell)

    def stop() -> None:  # the whole notebook ran too long: end the sandbox and all in it
        stopped.set()
        process = getattr(getattr(client.km, "provisioner", None), "process", None)
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    # Wrapped on this one client, not its class: other clients in the process stay unchanged.
    client.output = output  # type: ignore[method-assign]
    client._async_handle_timeout = handle_timeout  # type: ignore[method-assign]
    watchdog = threading.Timer(limits.notebook_timeout, stop)
    watchdog.start()
    try:
        # The kernel's own stdout and stderr (not its cell outputs) are nobody's business.
        client.execute(
            env=_sandbox_env(str(box)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        errors = [
            o.get("ename", "")
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        if "MemoryError" in errors:
            status, detail = "memory-limit", "a cell ran out of memory (MemoryError)"
        elif timed_out:
            status = "timeout"
            detail = (
                f"{len(timed_out)} cell(s) ran over {limits.cell_timeout} s and were interrupted"
            )
        elif kept[1]:
            status, detail = "output-limit", f"more than {limits.output_mb} MB of output"
        elif errors:
            status = "cell-errors"
            detail = f"{len(errors)} cell(s) raised: " + ", ".join(sorted(set(errors)))
    except DeadKernelError:
        status, detail = "kernel-died", "the kernel died while running the notebook"
    except Exception as exc:
        status, detail = "run-error", f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
        if "Kernel died before replying" in str(exc):
            status, detail = "kernel-died", "the kernel did not start (is --memory-mb too small?)"
    finally:
        watchdog.cancel()
        # nbclient's exit hook would try again to clean up a kernel that is already gone.
        atexit.unregister(client._cleanup_kernel)
    if stopped.is_set():
        return "timeout", f"stopped after {limits.notebook_timeout} s for the notebook", {}, box
    return status, detail, limited, box


def _records(answers: Path, qids: list[str]) -> dict[str, Any]:
    """The answer records a sandbox left, read as data with care (no links, bounded size)."""
    records: dict[str, Any] = {}
    for qid in qids:
        try:
            fd = os.open(answers / f"{qid}.json", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RECORD:
                records[qid] = {"question": qid, "problem": "the saved answer is too big to read"}
                continue
            with os.fdopen(fd, "rb", closefd=False) as fh:
                records[qid] = json.loads(fh.read(MAX_RECORD).decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            records[qid] = {"question": qid, "problem": "the saved answer is not readable data"}
        finally:
            os.close(fd)
    return records


# ---------------------------------------------------------------- deciding


class _Decider:
    """A process of the grader's own that decides answer records (JSON in, JSON out)."""

    def __init__(self, timeout: float = 60) -> None:
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "MPLBACKEND": "Agg"}
        env.pop("SECONDMENT_ANSWERS", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "secondment.teach.grade", "--decide"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self.lines = queue.Queue()
        lines = self.lines

        def pump() -> None:
            for line in proc.stdout:  # type: ignore[union-attr]
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return proc

    def decide(self, records: dict[str, Any], qids: list[str]) -> dict[str, tuple[bool, str, str]]:
        """Verdicts (passed, status, message) for the questions; a slow check times out."""
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        out: dict[str, tuple[bool, str, str]] = {}
        try:
            self.proc.stdin.write(json.dumps({"qids": qids, "records": records}) + "\n")  # type: ignore[union-attr]
            self.proc.stdin.flush()  # type: ignore[union-attr]
            deadline = time.monotonic() + self.timeout
            while len(out) < len(qids):
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
                if line is None:
                    break
                item = json.loads(line)
                out[item["question"]] = (bool(item["passed"]), item["status"], item["message"])
        except (queue.Empty, OSError, ValueError):
            self.close()
        for qid in qids:
            out.setdefault(qid, (False, "check-timeout", "the check took too long on this answer"))
        return out

    def close(self) -> None:
        """Stop the decider process."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def _decide_child() -> None:
    """Decider process: read JSON requests on stdin, print one JSON verdict per question."""
    from secondment.checks import decide, questions
    from secondment.style import use_course_style

    use_course_style()  # the course font and style, exactly as in the student's kernel
    questions()
    for line in sys.stdin:
        request = json.loads(line)
        for qid in request["qids"]:
            verdict = decide(qid, request["records"].get(qid))
            print(
                json.dumps(
                    {
                        "question": qid,
                        "passed": verdict.passed,
                        "status": verdict.status,
                        "message": verdict.message,
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )


# ---------------------------------------------------------------- grading


def _row_status(status: str, message: str, run_status: str, run_detail: str) -> tuple[str, str]:
    """The gradebook status of one question: a limit the answer cell hit is named as such."""
    if status == "not-run" and run_status not in ("ok", "cell-errors"):
        return run_status, run_detail
    if status == "not-run" and message.startswith("no answer recorded"):
        return "not-run", "the check cell did not run (deleted, or the notebook stopped first)"
    if status == "answer-error":
        if "raised MemoryError" in message:
            return "memory-limit", message
        if "raised KeyboardInterrupt" in message:
            return "timeout", message
    return status, message


def _question_after(nb: dict, index: int) -> str:
    """The question of the first check cell at or after cell `index` (whose answer it made)."""
    for cell in nb.get("cells", [])[max(index, 0) :]:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", "")
            m = CHECK_CALL.search("".join(src) if isinstance(src, list) else str(src))
            if m:
                return f"{m[1]}.{m[2]}"
    return ""


def _grade_one(
    sub: Submission, limits: Limits, hidden: list[Path], decider: _Decider, slot: int = 0
) -> list[Row]:
    if sub.nb is None:
        return [
            Row(sub.student, sub.exercise, "", False, sub.problem, sub.problem_detail, sub.shown)
        ]
    qids = _questions_of(sub.exercise)
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        run_status, run_detail, cells, box = _run(sub, Path(tmp), limits, hidden, slot)
        records = _records(box / "answers", qids)
    missing = {
        q: {"question": q, "problem": "no answer recorded"} for q in qids if q not in records
    }
    verdicts = decider.decide({**records, **missing}, qids)
    hit = {_question_after(sub.nb, index): limit for index, limit in sorted(cells.items())}
    rows = []
    for qid in qids:
        passed, status, message = verdicts[qid]
        if qid in missing:
            status = "not-run"
        status, message = _row_status(status, message, run_status, run_detail)
        if not passed and qid in hit:
            status, message = hit[qid], f"its answer cell hit the {hit[qid]}; {message}"
        rows.append(Row(sub.student, sub.exercise, qid, passed, status, message, sub.shown))
    return rows


def grade(
    paths: Iterable[Path],
    only: str | None = None,
    cell_timeout: int = 30,
    notebook_timeout: int = 180,
    jobs: int = 2,
    root: Path | Sequence[Path] | None = None,
    limits: Limits | None = None,
    hide: Iterable[Path] = (),
) -> list[Row]:
    """Grade every submission; a broken one gets rows with a status, never stops the run.

    `hide` names more files and folders the kernels must not see (the gradebook, its feedback).
    """
    limits = limits or Limits(cell_timeout=cell_timeout, notebook_timeout=notebook_timeout)
    roots = [] if root is None else [Path(root)] if isinstance(root, (str, Path)) else list(root)
    subs = _submissions(paths, roots, only)
    hidden = list(roots)
    hidden += [Path(p) for p in hide]
    hidden += sorted({s.path.parent.resolve() for s in subs})
    hidden.append(Path(tempfile.gettempdir()))
    if isolation() == "unavailable":  # probe once, before the workers start
        raise GradeError(
            "running as root, but bubblewrap does not work here and user nobody cannot run "
            f"{sys.executable}: install bubblewrap (Debian: bubblewrap) or grade as a normal user"
        )
    local = threading.local()
    deciders: list[_Decider] = []
    lock = threading.Lock()

    def one(sub: Submission) -> list[Row]:
        if not hasattr(local, "decider"):
            local.decider = _Decider()
            # Started now, it loads the checks while this worker's first kernel runs.
            local.decider.proc = local.decider._start()
            with lock:
                local.slot = len(deciders)  # this worker's kernels get a user of their own
                deciders.append(local.decider)
        try:
            return _grade_one(sub, limits, hidden, local.decider, local.slot)
        except Exception as exc:  # one odd submission must not lose the others' marks
            return [
                Row(
                    sub.student,
                    sub.exercise,
                    "",
                    False,
                    "grader-error",
                    f"{type(exc).__name__}: {exc}"[:300],
                    sub.shown,
                )
            ]

    # Submissions wait on their kernels most of the time, so a few at once use the cores well.
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            graded = list(pool.map(one, subs))
    finally:
        for decider in deciders:
            decider.close()
    return [row for rows in graded for row in rows]


# ---------------------------------------------------------------- writing the results


def check_writable(out: Path) -> None:
    """A GradeError unless the gradebook (and its feedback folder) can be written there; makes
    nothing, so that a run refused later leaves no empty folder behind."""
    out = Path(out)
    if out.is_dir():
        raise GradeError(f"{out}: --out is a folder; give a file name such as gradebook.csv")
    existing = next(p for p in [out.parent, *out.parent.parents] if p.exists())
    if not existing.is_dir():
        raise GradeError(f"{out}: cannot write the gradebook there ({existing} is a file)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise GradeError(f"{out}: cannot write the gradebook there (Permission denied)")
    if existing == out.parent:  # the folder is there: try it, as permissions may not tell
        try:
            with tempfile.NamedTemporaryFile(dir=out.parent, prefix=".grade-probe-"):
                pass
        except OSError as exc:
            raise GradeError(f"{out}: cannot write the gradebook there ({exc.strerror})") from None


def write_gradebook(rows: list[Row], out: Path) -> None:
    """Write the gradebook CSV atomically (UTF-8 with BOM, so that Excel opens it cleanly)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(Row.__dataclass_fields__))
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    write_atomically(out, buffer.getvalue().encode("utf-8-sig"))


def feedback_folder(out: Path) -> Path:
    """Where the feedback files of a gradebook go: `gradebook-feedback/` beside it."""
    return Path(out).with_name(f"{Path(out).stem}-feedback")


def _safe_name(student: str) -> str:
    return re.sub(r"[^\w.-]", "_", student).lstrip(".") or "student"


def feedback(rows: list[Row], student: str) -> str:
    """One student's feedback as Markdown: each exercise's score, each question's verdict."""
    mine = [r for r in rows if r.student == student]
    lines = [f"# Feedback for {student}", ""]
    for exercise in sorted({r.exercise for r in mine}):
        part = [r for r in mine if r.exercise == exercise]
        asked = [r for r in part if r.question]
        score = f"{sum(r.passed for r in asked)}/{len(asked)}" if asked else "not graded"
        lines += [f"## Exercise {exercise or '?'}: {score}", ""]
        for r in part:
            if not r.question:
                lines.append(f"- `{r.notebook}`: {r.status}: {r.detail}")
        if asked:
            lines += ["| question | verdict | hint |", "|---|---|---|"]
            for r in asked:
                verdict = "✅ passed" if r.passed else f"❌ {r.status}"
                hint = r.detail.replace("|", "\\|").replace("\n", " ")
                lines.append(f"| {r.question} | {verdict} | {hint} |")
        lines.append("")
    return "\n".join(lines)


def write_feedback(rows: list[Row], folder: Path) -> list[Path]:
    """Write one Markdown feedback file per student into folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    taken: set[str] = set()
    for student in sorted({r.student for r in rows}):
        name, n = _safe_name(student), 1
        while name.lower() in taken:  # `a b` and `a_b` are two students, so two files
            n += 1
            name = f"{_safe_name(student)}-{n}"
        taken.add(name.lower())
        path = folder / f"{name}.md"
        write_atomically(path, feedback(rows, student).encode("utf-8"))
        paths.append(path)
    return paths


def summary(rows: list[Row]) -> str:
    """A plain-text table: each student's score per exercise, then anything that went wrong."""
    scores: dict[tuple[str, str], list[int]] = {}
    problems = []
    for r in rows:
        key = (r.student, r.exercise)
        s = scores.setdefault(key, [0, 0])
        if r.question:
            s[0] += r.passed
            s[1] += 1
        if r.status not in ("correct", "wrong", "unanswered"):
            problems.append(
                f"  {r.student} {r.exercise} {r.question or '-'}: {r.status} {r.detail}"
            )
    width = max([len(s) for s, _ in scores] + [7])
    lines = [f"{'student':<{width}}  exercise  score"]
    for (student, exercise), (got, total) in sorted(scores.items()):
        lines.append(f"{student:<{width}}  {exercise or '-':<8}  {got}/{total}")
    if problems:
        lines.append("Notes:")
        lines.extend(sorted(set(problems)))
    return "\n".join(lines)


def pass_shares(rows: list[Row]) -> dict[str, float]:
    """Share of graded students passing each question."""
    seen: dict[str, list[bool]] = {}
    for r in rows:
        if r.question:
            seen.setdefault(r.question, []).append(r.passed)
    return {q: sum(v) / len(v) for q, v in sorted(seen.items())}


def save_chart(rows: list[Row], path: Path) -> None:
    """Save a bar chart of the share of students passing each question."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from secondment.style import PALETTE, save_figure, use_course_style

    use_course_style()
    shares = pass_shares(rows)
    fig, ax = plt.subplots(figsize=(max(4.0, 0.6 * len(shares) + 2), 3.5))
    ax.bar(list(shares), [100 * v for v in shares.values()], color=PALETTE[0])
    ax.set_ylim(0, 100)
    ax.set_title("Share of students passing each question")
    ax.set_xlabel("question")
    ax.set_ylabel("students passing (%)")
    save_figure(fig, path)
    plt.close(fig)


def main(argv: list[str]) -> None:
    """Entry for the grader's own decider processes (`--decide`)."""
    if argv[:1] == ["--decide"]:
        _decide_child()
    else:
        raise SystemExit("use `python -m secondment.teach grade`")


if __name__ == "__main__":
    main(sys.argv[1:])
